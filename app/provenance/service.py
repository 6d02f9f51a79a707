"""The questions newsrooms ask: on whose report a claim reaches each source,
what an actor said over time, what a source (or a publisher) reported.

Each read is ONE statement: the relay chains are walked by a recursive CTE
(``chains.chain_walk``) and PostgreSQL builds the JSON. The chain
definitions (start, origin, on the record, weakest certainty) are in
``corroboration``. A list is a keyset page whose statement also looks up the
parent row (``LEFT JOIN`` of the page onto it), so a missing actor or source
is a 404 without a second round trip.
"""

import functools
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import (
    Boolean,
    FromClause,
    Select,
    Text,
    and_,
    bindparam,
    cast,
    distinct,
    func,
    literal_column,
    or_,
    select,
    true,
)
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from app import pagination, sqlcompile
from app.actors.service import survivor
from app.claim_attribution_documents import translations_json
from app.claims.models import ClaimEvent
from app.errors import NotFound
from app.fuzzytime import fuzzy_time_json
from app.history import service as history
from app.provenance.chains import (
    ACTORS,
    ATTRIBUTIONS,
    CLAIMS,
    SOURCES,
    chain_starts,
    chain_summaries,
    chain_walk,
    embedded_source,
    embedded_speaker,
    same_as_groups,
)
from app.records import columns

CLAIM_EVENTS = ClaimEvent.__table__
EMPTY_ARRAY: ColumnElement[Any] = literal_column("'[]'::json")


def claim_brief(claim: FromClause) -> ColumnElement[Any]:
    return func.json_build_object(
        *columns(claim, "id", "text", "language"),
        "translations",
        translations_json(claim.c.id),
        *columns(claim, "independent_origins", "on_record"),
    )


async def claim_provenance(
    reader: sqlcompile.Reader,
    *,
    claim_id: UUID,
    include_retracted: bool = False,
    as_of: datetime | None = None,
) -> str:
    """Every chain by which the claim (and the claims ``same_as`` it) reaches
    each source that records it, hop by hop back to its origin. Retracted
    attributions start no chain unless ``include_retracted``. ``as_of``: the
    claim and the attributions as they were then (from their history; actors,
    sources and same_as links as they are now); 404 if the claim did not
    exist then."""
    values: dict[str, Any] = {INCLUDE_RETRACTED: include_retracted}
    if as_of is None:
        # Planned once per connection: every read is by the claim's id and
        # the ids its chains hold, and ``include_retracted`` only filters, so
        # one plan fits every claim; planning it was as long as running it.
        return await sqlcompile.fetch_one(
            reader,
            _provenance_document(),
            CLAIMS.c.id,
            what="claim",
            id=claim_id,
            values=values,
            generic_plan=True,
        )
    claims = history.as_of_table(CLAIMS)
    try:
        return await sqlcompile.fetch_one(
            reader,
            _provenance_document(as_of=True),
            claims.c.id,
            what="claim",
            id=claim_id,
            values={**values, history.AS_OF: as_of},
        )
    except NotFound:
        raise NotFound(f"no claim with id {claim_id} existed at {as_of.isoformat()}") from None


INCLUDE_RETRACTED = "include_retracted"


@functools.cache  # built once per kind: building it costs more than running it
def _provenance_document(*, as_of: bool = False) -> ColumnElement[Any]:
    """``as_of``: over the claim and the attributions as they were at
    ``:as_of`` (app/history), else over the tables as they are."""
    claim_id = sqlcompile.uuid_param(sqlcompile.ROW_ID)
    seed = select(claim_id.label("claim_id")).cte("seed")
    groups = same_as_groups(seed)
    include_retracted = bindparam(INCLUDE_RETRACTED, type_=Boolean)
    attributions = history.all_as_of(ATTRIBUTIONS) if as_of else ATTRIBUTIONS
    walk = chain_walk(
        chain_starts(
            select(groups.c.claim_id),
            include_retracted=include_retracted,
            attributions=attributions,
        ),
        attributions=attributions,
    )
    chains = chain_summaries(walk, with_hops=True, attributions=attributions).cte("chains")
    document = func.json_build_object(
        "claim",
        claim_brief(history.as_of_table(CLAIMS) if as_of else CLAIMS),
        "chains",
        select(
            func.coalesce(
                func.json_agg(aggregate_order_by(chains.c.summary, chains.c.start_id)),
                EMPTY_ARRAY,
            )
        ).scalar_subquery(),
        "independent_origins",
        select(func.count(distinct(chains.c.origin_key))).scalar_subquery(),
        "on_record",
        select(func.bool_or(chains.c.on_record)).scalar_subquery(),
        "same_as_claim_ids",
        select(
            func.coalesce(
                func.json_agg(aggregate_order_by(groups.c.claim_id, groups.c.claim_id)),
                EMPTY_ARRAY,
            )
        )
        .where(groups.c.claim_id != claim_id)
        .scalar_subquery(),
    )
    return document


def record_fields(record: FromClause, summary: FromClause | None) -> list[Any]:
    """JSON fields shared by statements and recorded claims (source, time,
    mode, cue, certainty, relay, chain summary: none without ``summary``)."""
    fields = [
        "source",
        embedded_source(record.c.source_id),
        "time",
        fuzzy_time_json(record),
        "mode",
        record.c.mode,
        "cue",
        record.c.cue,
        "certainty",
        record.c.certainty,
        "relayed_through_id",
        record.c.relayed_through_id,
        "direct",
        record.c.relayed_through_id.is_(None),
    ]
    if summary is not None:
        fields += ["chain", summary.c.summary]
    return fields


def page_of_parent(
    rows: Sequence[Any],
    *,
    limit: int,
    what: str,
    id: UUID,
    cursor_of: Callable[[Any], Sequence[Any]],
) -> str:
    """Rows ``(parent_id, item_id, ..., document)`` of a parent LEFT JOIN its
    page: none when the parent is missing (404), one with a NULL item when
    the page is empty."""
    if not rows:
        raise NotFound(f"no {what} with id {id}")
    return pagination.rows_page([row for row in rows if row[1] is not None], limit, cursor_of)


@functools.cache  # built once per kind of parent, its values bound
def _recorded_claims_statement(by: str) -> Select[Any]:
    """The claims recorded by the attributions in the parent's sources (the
    source itself, or every source of a publisher), in claim id order, each
    with those attributions and their chain summaries."""
    parent_id = sqlcompile.uuid_param("parent_id")
    after = sqlcompile.uuid_param("after")
    published = select(SOURCES.c.id).where(SOURCES.c.publisher_id == survivor(parent_id))

    def in_sources(record: FromClause) -> ColumnElement[bool]:
        standing = record.c.retracted_at.is_(None)  # retracted: kept, not reported any more
        if by == "source":
            return and_(record.c.source_id == parent_id, standing)
        return and_(record.c.source_id.in_(published), standing)

    recorded = ATTRIBUTIONS.alias("recorded")
    page = (
        select(recorded.c.claim_id)
        .distinct()
        .where(in_sources(recorded), or_(after.is_(None), recorded.c.claim_id > after))
        .order_by(recorded.c.claim_id)
        .limit(pagination.page_size_param())
        .cte("page")
    )
    records_of_page = ATTRIBUTIONS.alias("records_of_page")
    summary = chain_summaries(
        chain_walk(
            select(records_of_page.c.id).where(
                in_sources(records_of_page), records_of_page.c.claim_id.in_(select(page.c.claim_id))
            )
        )
    ).subquery("summary")
    record = ATTRIBUTIONS.alias("record")
    record_json = func.json_build_object(
        "id",
        record.c.id,
        "speaker",
        embedded_speaker(record.c.speaker_id),
        *record_fields(record, summary),
    )
    records = (
        select(
            func.coalesce(
                func.json_agg(aggregate_order_by(record_json, record.c.id)),
                EMPTY_ARRAY,
            )
        )
        .select_from(record.join(summary, summary.c.start_id == record.c.id))
        .where(record.c.claim_id == page.c.claim_id)
        .scalar_subquery()
    )
    claim = CLAIMS.alias("claim")
    document = func.json_build_object("claim", claim_brief(claim), "attributions", records)
    items = (
        select(page.c.claim_id.label("item_id"), cast(document, Text).label("document"))
        .select_from(page.join(claim, claim.c.id == page.c.claim_id))
        .subquery("items")
    )
    parent = SOURCES if by == "source" else ACTORS
    owner = select(parent.c.id.label("parent_id")).where(parent.c.id == parent_id).subquery()
    return (
        select(owner.c.parent_id, items.c.item_id, items.c.document)
        .select_from(owner.outerjoin(items, true()))
        .order_by(items.c.item_id)
    )


async def _recorded_claims(
    session: AsyncSession, *, by: str, parent_id: UUID, what: str, limit: int, cursor: str | None
) -> str:
    result = await session.execute(
        _recorded_claims_statement(by),
        {
            "parent_id": parent_id,
            "after": pagination.cursor_id(cursor) if cursor else None,
            pagination.PAGE_SIZE: limit + 1,
        },
    )
    return page_of_parent(
        result.all(), limit=limit, what=what, id=parent_id, cursor_of=lambda row: (row.item_id,)
    )


async def source_claims(
    session: AsyncSession, *, source_id: UUID, limit: int, cursor: str | None
) -> str:
    """The claims a source records, in its own voice, quoting, or relaying."""
    return await _recorded_claims(
        session, by="source", parent_id=source_id, what="source", limit=limit, cursor=cursor
    )


async def published_claims(
    session: AsyncSession, *, actor_id: UUID, limit: int, cursor: str | None
) -> str:
    """The claims recorded in any source the actor publishes."""
    return await _recorded_claims(
        session, by="publisher", parent_id=actor_id, what="actor", limit=limit, cursor=cursor
    )
