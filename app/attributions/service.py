import functools
from collections.abc import Sequence
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import Text, bindparam, cast, delete, func, insert, literal, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.dml import Insert
from sqlalchemy.sql.elements import ColumnElement

from app import pagination, sqlcompile, writes
from app.actors.service import survivor
from app.attributions import order
from app.attributions.models import Attribution, AttributionSpan
from app.attributions.schemas import (
    AnnotatedSpan,
    AttributionCreate,
    AttributionUpdate,
    ExtractionProvenance,
    Span,
)
from app.claim_attribution_documents import ATTRIBUTION_RECORDS
from app.claim_attribution_documents import attribution_document as attribution_document
from app.db import new_id, row_by_id
from app.documents import Document
from app.errors import (
    RelayCycle,
    SpanMismatch,
    UnknownReference,
    name_constraint_field,
    name_constraint_problem,
    name_time_anchor_fields,
)
from app.fuzzytime import (
    WINDOW_FROM,
    WINDOW_TO,
    check_window,
    overlaps_bound,
)
from app.identity.speaker import resolve_named_speaker
from app.provenance.corroboration import recount_call, refresh_corroboration
from app.sources.models import Source
from app.sparse import Fields
from app.time_at_write import changed_time_columns, time_columns

ATTRIBUTIONS = Attribution.__table__
SPANS = AttributionSpan.__table__
EXPANDABLE = ("claim", "speaker", "source", "occasion_event", "relayed_through")

name_time_anchor_fields("attributions", "time")
name_constraint_field("speaker_id", "ck_attributions_speaker_or_own_voice")
name_constraint_field("relayed_through_id", "ck_attributions_not_self_relay")
name_constraint_problem("ck_attributions_relay_acyclic", RelayCycle, "relayed_through_id")
name_constraint_field("spans", "ck_attribution_spans_role", "ck_attribution_spans_bounds")


async def get_attribution(
    session: AsyncSession, *, attribution_id: UUID, expand: frozenset[str] = frozenset()
) -> Document:
    return await ATTRIBUTION_RECORDS.get(session, attribution_id, expand=expand)


async def list_attributions(
    reader: sqlcompile.Reader,
    *,
    claim_id: UUID | None,
    speaker_id: UUID | None,
    source_id: UUID | None,
    occasion_event_id: UUID | None,
    relayed_through_id: UUID | None,
    mode: str | None,
    certainty: str | None,
    time_from: date | None,
    time_to: date | None,
    expand: frozenset[str],
    limit: int,
    cursor: str | None,
    include_retracted: bool = False,
    resolution_method: str | None = None,
    reviewed: bool | None = None,
    sort: str = "created",
    fields: Fields = None,
) -> str:
    check_window(time_from, time_to)
    equal = {
        "claim_id": claim_id,
        "speaker_id": speaker_id,
        "source_id": source_id,
        "occasion_event_id": occasion_event_id,
        "relayed_through_id": relayed_through_id,
        "mode": mode,
        "certainty": certainty,
        "resolution_method": resolution_method,
    }
    filters = {name: value for name, value in equal.items() if value}
    if sort == "created":
        last_key, last_id = None, pagination.cursor_id(cursor) if cursor else None
    elif cursor:
        last_key, last_id = pagination.decode_keyset_cursor(
            cursor, functools.partial(order.parse_key, sort)
        )
    else:
        last_key, last_id = None, None
    statement = _list_sql(
        frozenset(filters),
        reviewed=reviewed,
        include_retracted=include_retracted,
        windowed=time_from is not None or time_to is not None,
        after=cursor is not None,
        expand=expand,
        sort=sort,
        fields=fields,
    )
    values = {
        **filters,
        WINDOW_FROM: time_from,
        WINDOW_TO: time_to,
        order.AFTER_KEY: last_key,
        order.AFTER_ID: last_id,
        pagination.PAGE_SIZE: limit + 1,
    }
    rows = await statement.rows(reader, values)
    if sort == "created":
        return pagination.page_of(rows, limit)
    return pagination.rows_page(rows, limit, lambda row: (row[0], row[1]))


@functools.lru_cache(maxsize=1024)  # one per combination of filters: compiled once
def _list_sql(
    filters: frozenset[str],
    *,
    reviewed: bool | None = None,
    include_retracted: bool,
    windowed: bool,
    after: bool,
    expand: frozenset[str],
    sort: str = "created",
    fields: Fields = None,
) -> sqlcompile.DriverSQL:
    a = ATTRIBUTIONS.c
    where: list[ColumnElement[bool]] = [
        # a merged speaker's id means its survivor
        a[name] == (survivor(bindparam(name)) if name == "speaker_id" else bindparam(name))
        for name in sorted(filters)
    ]
    if not include_retracted:
        where.append(a.retracted_at.is_(None))
    if reviewed is not None:
        where.append(a.review.is_not(None) if reviewed else a.review.is_(None))
    document = attribution_document(expand=expand, fields=fields)
    names = [*filters, WINDOW_FROM, WINDOW_TO, order.AFTER_KEY, order.AFTER_ID]
    if sort == "created":
        statement = pagination.keyset_page(
            id_column=a.id,
            document=document,
            where=where,
            after=bindparam(order.AFTER_ID) if after else None,
            page_size=bindparam(pagination.PAGE_SIZE),
            window=overlaps_bound(ATTRIBUTIONS) if windowed else None,
        )
        return sqlcompile.DriverSQL.compile(statement, [*names, pagination.PAGE_SIZE])
    # Another order: the rows in its index's order, each with its key for the cursor.
    key = order.sort_key(sort, a.time_range)
    if windowed:
        where.append(overlaps_bound(ATTRIBUTIONS))
    if after:
        where.append(order.after(sort, key, a.id))
    sorted_page = (
        select(order.key_text(key, a.id), a.id, cast(document, Text))
        .where(*where)
        .order_by(*order.order_by(sort, key, a.id))
        .limit(bindparam(pagination.PAGE_SIZE))
    )
    return sqlcompile.DriverSQL.compile(sorted_page, [*names, pagination.PAGE_SIZE])


async def _check_spans(
    session: AsyncSession, *, source_id: UUID, spans: Sequence[tuple[str, Span]]
) -> None:
    """Each span must lie inside the source's text and cover exactly its
    ``text``. ``spans`` pairs each with the request field it came from
    (``span``, ``spans.3``), which the problem points at. One query for all
    of them: an imported attribution carries a dozen fragments."""
    if not spans:
        return
    sources = Source.__table__
    row = await row_by_id(
        session,
        sources,
        source_id,
        func.char_length(sources.c.full_text),
        *(
            func.substr(sources.c.full_text, span.start + 1, span.end - span.start)
            for _, span in spans
        ),
    )
    if row is None:
        raise UnknownReference(f"no source with id {source_id}", field="source_id")
    length, *covered = row
    if length is None:
        field = spans[0][0].split(".")[0]
        raise SpanMismatch("the source has no full_text to anchor a span in", field=field)
    for (field, span), text in zip(spans, covered, strict=True):
        if span.end > length:
            raise SpanMismatch(
                f"{field} end {span.end} is outside the source text ({length} code points)",
                field=f"{field}.end",
            )
        if text != span.text:
            raise SpanMismatch(
                f"the source text at [{span.start}, {span.end}) is {text!r}, not {span.text!r}",
                field=f"{field}.text",
            )


def _numbered(spans: Sequence[AnnotatedSpan]) -> list[tuple[str, Span]]:
    return [(f"spans.{index}", span) for index, span in enumerate(spans)]


async def _write_spans(
    session: AsyncSession,
    attribution_id: UUID,
    spans: Sequence[AnnotatedSpan],
    *,
    replace: bool,
) -> None:
    """Store the spans, numbered per role in the order given (PATCH: replace them all)."""
    if replace:
        await session.execute(
            delete(AttributionSpan).where(AttributionSpan.attribution_id == attribution_id)
        )
    ordinals: dict[str, int] = {}
    rows = []
    for span in spans:
        ordinal = ordinals.get(span.role, 0)
        ordinals[span.role] = ordinal + 1
        rows.append(
            {
                "attribution_id": attribution_id,
                "role": span.role,
                "ordinal": ordinal,
                "start": span.start,
                "end": span.end,
                "text": span.text,
            }
        )
    if rows:
        await session.execute(insert(AttributionSpan), rows)


def _check_relay(*, attribution_id: UUID, relayed_id: UUID) -> None:
    """Refuse a self-relay at once. A longer cycle is refused by the database
    (migration 0009: a trigger walks the chain under a lock, so two writers
    closing one cycle from both ends cannot both pass): a 422 ``relay-cycle``."""
    if relayed_id == attribution_id:
        raise RelayCycle("an attribution cannot relay itself", field="relayed_through_id")


def _span_columns(span: Span | None) -> dict[str, Any]:
    if span is None:
        return {"span_start": None, "span_end": None, "span_text": None}
    return {"span_start": span.start, "span_end": span.end, "span_text": span.text}


def extraction_columns(extraction: ExtractionProvenance | None) -> dict[str, Any]:
    """The ``extraction_*`` columns of the model that proposed an attribution."""
    return {
        "extraction_model": extraction.model if extraction else None,
        "extraction_version": extraction.version if extraction else None,
        "extraction_confidence": extraction.confidence if extraction else None,
    }


def _mention(spans: Sequence[AnnotatedSpan]) -> str | None:
    """The speaker mention as annotated: its fragments, joined."""
    fragments = [span.text for span in spans if span.role == "speaker"]
    return " ".join(fragments) if fragments else None


async def _speaker_columns(session: AsyncSession, data: AttributionCreate) -> dict[str, Any]:
    """The speaker and how it was resolved: given by name (the resolver), by
    id (a merged actor's id means its survivor), or none (own voice)."""
    if data.speaker is not None:
        found = await resolve_named_speaker(session, name=data.speaker.name, kind=data.speaker.kind)
        return {
            "speaker_id": found.actor_id,
            "speaker_mention": data.speaker.name,
            "resolution_method": found.method,
            "resolution_confidence": found.confidence,
        }
    if data.speaker_id is not None:
        return {  # its survivor: _insert_statement(..., by_id=True)
            "speaker_id": data.speaker_id,
            "speaker_mention": _mention(data.spans),
            "resolution_method": "id",
            "resolution_confidence": 1.0,
        }
    return {"speaker_id": None}


@functools.lru_cache(maxsize=64)
def _insert_statement(columns: tuple[str, ...], *, by_id: bool) -> Insert:
    """The INSERT of an attribution's ``columns``, built once per set of them
    (SQLAlchemy keeps its compiled form and cache key on it: building both
    on each POST was a tenth of its CPU). ``by_id``: the speaker given by id
    is stored as its survivor."""
    a = ATTRIBUTIONS.c
    values: dict[str, Any] = {name: bindparam(name, type_=a[name].type) for name in columns}
    if by_id:
        values["speaker_id"] = survivor(values["speaker_id"])
    table = Attribution.metadata.tables[Attribution.__tablename__]
    return insert(table).values(values).returning(a.id)


async def create_attribution(
    session: AsyncSession, *, data: AttributionCreate, id: UUID | None = None
) -> Document:
    checks = [("span", data.span)] if data.span is not None else []
    await _check_spans(session, source_id=data.source_id, spans=checks + _numbered(data.spans))
    values = data.model_dump(exclude={"span", "spans", "time", "speaker", "extraction"})
    values.update(await _speaker_columns(session, data))
    values.update(extraction_columns(data.extraction))
    values.update(_span_columns(data.span), **(await time_columns(session, data.time)))
    values["id"] = id or new_id()
    by_id = data.speaker is None and data.speaker_id is not None
    statement = _insert_statement(tuple(sorted(values)), by_id=by_id)
    connection = await session.connection()
    attribution_id: UUID = (await connection.execute(statement, values)).scalar_one()
    await _write_spans(session, attribution_id, data.spans, replace=False)
    # Its claims recounted by the statement that reads it back (one round
    # trip): the document holds no count.
    recount = recount_call(attribution_ids=[attribution_id])
    return await ATTRIBUTION_RECORDS.get(session, attribution_id, alongside=recount)


# Columns whose change can change a claim's chains, origins or on-record flag.
CHAIN_COLUMNS = frozenset({"claim_id", "speaker_id", "source_id", "relayed_through_id"})


async def _chain_claims(session: AsyncSession, attribution_id: UUID) -> list[UUID]:
    """The claim of an attribution and that of the attribution it relays:
    what to recount once it is re-pointed or deleted."""
    relayed = ATTRIBUTIONS.alias()
    statement = (
        select(ATTRIBUTIONS.c.claim_id, relayed.c.claim_id)
        .select_from(
            ATTRIBUTIONS.outerjoin(relayed, relayed.c.id == ATTRIBUTIONS.c.relayed_through_id)
        )
        .where(ATTRIBUTIONS.c.id == attribution_id)
    )
    row = (await session.execute(statement)).one_or_none()
    return [] if row is None else [claim_id for claim_id in row if claim_id is not None]


async def update_attribution(
    session: AsyncSession, *, attribution_id: UUID, data: AttributionUpdate
) -> Document:
    values = data.changes(exclude=frozenset({"span", "spans", "time", "extraction"}))
    values.update(await changed_time_columns(session, data.time))
    if "extraction" in data.model_fields_set:
        values.update(extraction_columns(data.extraction))
    if "speaker_id" in values:
        # A person chose the speaker: how it was resolved is now their decision.
        speaker = values["speaker_id"]
        values.update(
            speaker_id=None if speaker is None else survivor(literal(speaker)),
            resolution_method=None if speaker is None else "manual",
            resolution_confidence=None if speaker is None else 1.0,
            resolution_through_id=None,
        )
    if "span" in data.model_fields_set:
        values.update(_span_columns(data.span))
    if data.relayed_through_id is not None:
        _check_relay(attribution_id=attribution_id, relayed_id=data.relayed_through_id)
    if data.span is not None or data.spans or data.source_id is not None:
        current = await row_by_id(
            session,
            ATTRIBUTIONS,
            attribution_id,
            ATTRIBUTIONS.c.source_id,
            ATTRIBUTIONS.c.span_start,
            ATTRIBUTIONS.c.span_end,
            ATTRIBUTIONS.c.span_text,
        )
        if current is not None:
            span = data.span
            if (
                span is None
                and "span" not in data.model_fields_set
                and current.span_start is not None
            ):
                span = Span(start=current.span_start, end=current.span_end, text=current.span_text)
            checks: list[tuple[str, Span]] = [("span", span)] if span is not None else []
            if data.spans is not None:
                checks += _numbered(data.spans)
            elif data.source_id is not None:
                # Moved to another source: the stored spans must anchor in its text too.
                stored = await session.execute(
                    select(SPANS.c.role, SPANS.c.start, SPANS.c.end, SPANS.c.text)
                    .where(SPANS.c.attribution_id == attribution_id)
                    .order_by(SPANS.c.role, SPANS.c.ordinal)
                )
                checks += _numbered([AnnotatedSpan(**row._asdict()) for row in stored])
            await _check_spans(session, source_id=data.source_id or current.source_id, spans=checks)
    before: list[UUID] = []
    if values.keys() & {"claim_id", "relayed_through_id"}:
        before = await _chain_claims(session, attribution_id)
    await writes.update_row(session, Attribution, attribution_id, values, what="attribution")
    if data.spans is not None:
        await _write_spans(session, attribution_id, data.spans, replace=True)
    if values.keys() & CHAIN_COLUMNS:
        await refresh_corroboration(session, claim_ids=before, attribution_ids=[attribution_id])
    return await get_attribution(session, attribution_id=attribution_id)


async def delete_attribution(session: AsyncSession, *, attribution_id: UUID) -> None:
    before = await _chain_claims(session, attribution_id)
    await writes.delete_row(session, Attribution, attribution_id, what="attribution")
    await refresh_corroboration(session, claim_ids=before)
