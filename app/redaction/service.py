"""Redacting an actor's personal details or a span of a source's text.

The content goes from everywhere it was stored, in the transaction of the
redaction: the record itself; the copies of a source's text that the spans
of its attributions hold (masked alike, so each span still reads exactly
the text at its offsets); every state the history kept of these rows
(``revisions.before``/``after``); and the responses kept for replaying
idempotent requests. What stays is that a redaction happened, when and why
(``redactions``, and the history's revision of the change, with the reason),
and which part: never the removed content. Claims are records of their own
and are not touched (redact or correct them separately).

A source's text is masked code point for code point with U+2588 (``█``),
in place: every offset into it, and so every span, stays valid. An actor's
redacted texts become ``[redacted]``, its Wikidata id null, its names and
roles are removed.
"""

import json
from typing import Any
from uuid import UUID

from sqlalchemy import bindparam, delete, func, insert, select, text, update
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession

from app.actors.models import Actor, ActorName, ActorRole
from app.actors.service import get_actor
from app.db import row_by_id
from app.documents import Document
from app.errors import InvalidField, NotFound
from app.history.corrections import give_reason
from app.redaction.models import Redaction
from app.redaction.schemas import ActorRedaction, SourceRedaction
from app.sources.models import Source
from app.sources.service import get_source

REDACTED = "[redacted]"
MASK = "\u2588"
TEXT_FIELDS = ("name", "description", "nationality", "role_description")
ACTORS = Actor.__table__
SOURCES = Source.__table__


async def redact_actor(
    session: AsyncSession, *, actor_id: UUID, redaction: ActorRedaction, key_id: UUID | None
) -> Document:
    fields: list[str] = sorted(set(redaction.fields))
    a = ACTORS.c
    scalars = [f for f in fields if f in (*TEXT_FIELDS, "wikidata_id")]
    row = await row_by_id(session, ACTORS, actor_id, a.id, *(a[f] for f in scalars))
    if row is None:
        raise NotFound(f"no actor with id {actor_id}")
    removed: list[Any] = list(row[1:])
    if scalars:
        # The values the history kept too: a stored response may hold an older one.
        kept = await session.scalars(
            text(
                "SELECT DISTINCT state ->> field FROM revisions,"
                " LATERAL (VALUES (before), (after)) AS states(state),"
                " unnest(CAST(:fields AS text[])) AS field"
                " WHERE table_name = 'actors' AND record_id = :id"
            ),
            {"id": actor_id, "fields": scalars},
        )
        removed += kept.all()
    for model, column, field in ((ActorName, "name", "names"), (ActorRole, "title", "roles")):
        if field in fields:
            table = model.__table__
            found = await session.scalars(
                select(table.c[column]).where(table.c.actor_id == actor_id)
            )
            removed += found.all()

    await give_reason(session, f"redaction: {redaction.reason}")
    values: dict[str, Any] = {f: REDACTED for f in fields if f in TEXT_FIELDS}
    if "wikidata_id" in fields:
        values["wikidata_id"] = None
    # Also when only names or roles go: the history records the redaction.
    await session.execute(
        update(Actor).where(a.id == actor_id).values(**values, updated_at=func.now())
    )
    if "names" in fields:
        await session.execute(delete(ActorName).where(ActorName.actor_id == actor_id))
    if "roles" in fields:
        await session.execute(delete(ActorRole).where(ActorRole.actor_id == actor_id))
    await _record(session, "actors", actor_id, redaction.reason, key_id, fields=fields)
    if values:
        # Every state the history kept of the actor: the fields as they are now.
        patch = bindparam("patch", values, type_=JSONB)
        await session.execute(
            text(
                "UPDATE revisions SET"
                " before = CASE WHEN before IS NULL THEN NULL ELSE before || :patch END,"
                " after = CASE WHEN after IS NULL THEN NULL ELSE after || :patch END"
                " WHERE table_name = 'actors' AND record_id = :id"
            ).bindparams(patch),
            {"id": actor_id},
        )
    for value in {str(v) for v in removed if v}:
        await _scrub_stored_responses(session, actor_id, f'"{_escaped(value)}"', f'"{REDACTED}"')
    return await get_actor(session, actor_id=actor_id)


async def redact_source(
    session: AsyncSession, *, source_id: UUID, redaction: SourceRedaction, key_id: UUID | None
) -> Document:
    start, end = redaction.start, redaction.end
    if end <= start:
        raise InvalidField("end must be greater than start", field="end")
    row = await row_by_id(session, SOURCES, source_id, SOURCES.c.full_text)
    if row is None:
        raise NotFound(f"no source with id {source_id}")
    full_text: str | None = row[0]
    if full_text is None:
        raise InvalidField("the source has no full_text to redact", field="start")
    if end > len(full_text):
        raise InvalidField(
            f"end {end} is past the source text ({len(full_text)} code points)", field="end"
        )
    removed = full_text[start:end]
    mask = MASK * (end - start)
    span = {
        "id": source_id,
        "id_text": str(source_id),
        "start": start,
        "end": end,
        "removed": removed,
        "mask": mask,
    }

    await give_reason(session, f"redaction: {redaction.reason}")
    for statement in _MASK_SOURCE:
        await session.execute(text(statement), span)
    await _record(session, "sources", source_id, redaction.reason, key_id, span=(start, end))
    for statement in _SCRUB_SOURCE_HISTORY:
        await session.execute(text(statement), span)
    await _scrub_stored_responses(session, source_id, _escaped(removed), mask)
    return await get_source(session, source_id=source_id)


_MASK_SOURCE = (
    "UPDATE sources SET full_text = onrecord_masked(full_text, 0, :start, :end),"
    " updated_at = now() WHERE id = :id",
    # The copies of that text: attribution spans overlapping it, masked alike.
    "UPDATE attributions SET span_text = onrecord_masked(span_text, span_start, :start, :end),"
    " updated_at = now()"
    " WHERE source_id = :id AND span_start < :end AND span_end > :start",
    "UPDATE attribution_spans s SET text = onrecord_masked(s.text, s.start, :start, :end)"
    " FROM attributions a WHERE a.id = s.attribution_id AND a.source_id = :id"
    ' AND s.start < :end AND s."end" > :start',
)
_SCRUB_SOURCE_HISTORY = tuple(
    f"UPDATE revisions SET {side} = jsonb_set({side}, '{{{column}}}', to_jsonb({masked}))"
    f" WHERE table_name = '{table}' AND {side}->>'{column}' IS NOT NULL AND {where}"
    for side in ("before", "after")
    for table, column, masked, where in (
        (
            "sources",
            "full_text",
            # An earlier text may differ: masked at the offsets where it reads
            # the same there, else wherever the removed text stands.
            f"CASE WHEN substr({side}->>'full_text', :start + 1, :end - :start) = :removed"
            f" THEN onrecord_masked({side}->>'full_text', 0, :start, :end)"
            f" ELSE replace({side}->>'full_text', :removed, :mask) END",
            "record_id = :id",
        ),
        (
            "attributions",
            "span_text",
            f"replace(onrecord_masked({side}->>'span_text', ({side}->>'span_start')::int,"
            f" :start, :end), :removed, :mask)",
            f"{side}->>'source_id' = :id_text",
        ),
    )
)


async def _record(
    session: AsyncSession,
    table_name: str,
    record_id: UUID,
    reason: str,
    key_id: UUID | None,
    *,
    fields: list[str] | None = None,
    span: tuple[int, int] | None = None,
) -> None:
    await session.execute(
        insert(Redaction).values(
            table_name=table_name,
            record_id=record_id,
            fields=fields,
            span_start=span[0] if span else None,
            span_end=span[1] if span else None,
            reason=reason,
            key_id=key_id,
        )
    )


def _escaped(value: str) -> str:
    """``value`` as it stands inside a JSON string: PostgreSQL, orjson and
    the standard library escape the same characters the same way."""
    return json.dumps(value, ensure_ascii=False)[1:-1]


async def _scrub_stored_responses(
    session: AsyncSession, record_id: UUID, removed: str, replacement: str
) -> None:
    """Responses kept for idempotent replays that mention the record and
    hold ``removed`` (as written in JSON) get ``replacement`` instead."""
    await session.execute(
        text(
            "UPDATE idempotency_keys SET body = convert_to(replace(convert_from(body, 'UTF8'),"
            " :removed, :replacement), 'UTF8')"
            " WHERE body IS NOT NULL AND position(convert_to(:id, 'UTF8') IN body) > 0"
            " AND position(convert_to(:removed, 'UTF8') IN body) > 0"
        ),
        {"id": str(record_id), "removed": removed, "replacement": replacement},
    )
