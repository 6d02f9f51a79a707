"""Splitting an actor, "not the same person", the duplicates of an actor and
the curation queue. Merging is ``app.curation.merge``."""

from typing import Any
from uuid import UUID

import orjson
from sqlalchemy import literal_column, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from app import pagination
from app.actors.service import actor_document, create_actor, refuse_merged
from app.attributions.models import Attribution
from app.curation.merge import record_distinction
from app.curation.schemas import DistinctRequest, SplitRequest
from app.db import row_by_id
from app.documents import Document
from app.errors import (
    BadCursor,
    Conflict,
    FieldError,
    InvalidField,
    NotFound,
    UnknownReference,
)
from app.identity.matching import ACTORS
from app.provenance.corroboration import refresh_corroboration

ATTRIBUTIONS = Attribution.__table__
LOW_CONFIDENCE = 0.6
"""Below this a resolution is worth a curator's look."""
UNRESOLVED_CONFIDENCE = 0.3
"""The confidence of a speaker the resolver could not place (app.identity.document)."""


async def _existing(session: AsyncSession, actor_id: UUID) -> Any:
    row = await row_by_id(session, ACTORS, actor_id, ACTORS.c.id, ACTORS.c.status)
    if row is None:
        raise NotFound(f"no actor with id {actor_id}")
    return row


async def split_actor(session: AsyncSession, *, actor_id: UUID, data: SplitRequest) -> Document:
    """Move the chosen attributions to a new actor (a curator's decision:
    method ``manual``); the two are then known to be different people."""
    await _existing(session, actor_id)
    await refuse_merged(session, actor_id)
    wanted = list(dict.fromkeys(data.attribution_ids))
    owned = await session.execute(
        select(ATTRIBUTIONS.c.id, ATTRIBUTIONS.c.speaker_id).where(ATTRIBUTIONS.c.id.in_(wanted))
    )
    speakers = {row.id: row.speaker_id for row in owned}
    errors = []
    for index, attribution_id in enumerate(data.attribution_ids):
        if attribution_id not in speakers:
            detail = f"no attribution with id {attribution_id}"
        elif speakers[attribution_id] != actor_id:
            detail = f"attribution {attribution_id} is not one of this actor's"
        else:
            continue
        errors.append(
            FieldError(pointer=f"/attribution_ids/{index}", location="body", detail=detail)
        )
    if errors:
        problem = InvalidField(errors[0].detail, field="attribution_ids")
        problem.errors = errors
        raise problem
    created = await create_actor(session, data=data.actor)
    new_id = created.id
    assert new_id is not None
    await session.execute(
        update(Attribution)
        .where(Attribution.id.in_(wanted))
        .values(
            speaker_id=new_id,
            resolution_method="manual",
            resolution_confidence=1.0,
            resolution_through_id=None,
        )
    )
    await record_distinction(session, actor_id, new_id)
    await refresh_corroboration(session, attribution_ids=wanted)
    return created


async def mark_distinct(
    session: AsyncSession, *, actor_id: UUID, data: DistinctRequest
) -> tuple[dict[str, Any], bool]:
    """Record "not the same person"; the decision, and whether it is new."""
    if data.other == actor_id:
        raise Conflict(
            "an actor is the same person as itself",
            errors=[FieldError(pointer="/from", location="body", detail="the actor itself")],
        )
    await _existing(session, actor_id)
    if await row_by_id(session, ACTORS, data.other, ACTORS.c.id) is None:
        raise UnknownReference(f"from ({data.other}) names no actor", field="from")
    created = await record_distinction(session, actor_id, data.other)
    row = (
        await session.execute(
            text(
                "SELECT actor_id, other_id, created_at FROM actor_distinctions"
                " WHERE actor_id = least(CAST(:a AS uuid), CAST(:b AS uuid))"
                " AND other_id = greatest(CAST(:a AS uuid), CAST(:b AS uuid))"
            ),
            {"a": actor_id, "b": data.other},
        )
    ).one()
    return dict(row._asdict()), created


_DUPLICATES = text(
    """
    WITH found(candidate, score, reason) AS (
        SELECT CASE WHEN d.actor_id = :id THEN d.candidate_id ELSE d.actor_id END,
               d.score, d.reason
        FROM actor_duplicates d WHERE d.actor_id = :id OR d.candidate_id = :id
      UNION ALL
        SELECT o.actor_id, 0.8, 'shared name or alias: ' || substr(k.key, strpos(k.key, ':') + 1)
        FROM actor_keys k JOIN actor_keys o ON o.key = k.key AND o.actor_id <> k.actor_id
        WHERE k.actor_id = :id AND (k.key LIKE 'name:%' OR k.key LIKE 'person:%')
      UNION ALL
        SELECT o.actor_id, 0.5, 'surname match: ' || substr(k.key, strpos(k.key, ':') + 1)
        FROM actor_keys k
        JOIN actor_keys o ON o.actor_id <> k.actor_id AND (
             (k.key LIKE 'name:%' AND o.key = 'surname:' || substr(k.key, 6))
          OR (k.key LIKE 'surname:%' AND o.key = 'name:' || substr(k.key, 9)))
        WHERE k.actor_id = :id
      UNION ALL
        SELECT o.actor_id, 0.6, 'same role and affiliation: ' || r.title
        FROM actor_roles r
        JOIN actor_roles o ON o.organisation_id = r.organisation_id
         AND lower(o.title) = lower(r.title) AND o.actor_id <> r.actor_id
        WHERE r.actor_id = :id AND r.organisation_id IS NOT NULL
    ), ranked AS (
        SELECT candidate,
               least(1.0, max(score) + 0.05 * (count(DISTINCT reason) - 1)) AS score,
               array_agg(DISTINCT reason ORDER BY reason) AS reasons
        FROM found
        WHERE candidate <> :id
          AND NOT EXISTS (SELECT FROM actor_distinctions x
                          WHERE x.actor_id = least(candidate, :id)
                            AND x.other_id = greatest(candidate, :id))
        GROUP BY candidate
    )
    SELECT r.score, r.reasons, CAST(d.document AS text)
    FROM ranked r
    JOIN actors a ON a.id = r.candidate AND a.status = 'active'
    CROSS JOIN LATERAL ({document}) d
    ORDER BY r.score DESC, r.candidate
    LIMIT 50
    """
)


async def duplicates_of(session: AsyncSession, *, actor_id: UUID) -> str:
    """Actors that may be the same as this one, best first (one statement)."""
    await _existing(session, actor_id)
    # Compiled inside a SELECT FROM actors, so that its names and roles
    # subqueries correlate with the candidate's row (compiled alone, each would
    # list every actor's).
    document = (
        select(actor_document().label("document"))
        .where(ACTORS.c.id == literal_column("a.id"))
        .compile(compile_kwargs={"literal_binds": True})
    )
    statement = text(_DUPLICATES.text.replace("{document}", str(document)))
    rows = await session.execute(statement, {"id": actor_id})
    items = [
        '{"actor":'
        + document
        + ',"score":'
        + orjson.dumps(round(float(score), 3)).decode()
        + ',"reasons":'
        + orjson.dumps(list(reasons)).decode()
        + "}"
        for score, reasons, document in rows
    ]
    return '{"items":[' + ",".join(items) + "]}"


_ATTRIBUTION_ITEM = """t.speaker_id AS actor_id, NULL::uuid AS candidate_id,
               t.id AS attribution_id, t.speaker_mention AS mention, t.resolution_method AS method,
               t.resolution_confidence AS confidence, t.id::text AS position"""
_QUEUE = {
    "duplicate": """
        SELECT 'duplicate' AS kind, d.score, d.reason, d.actor_id, d.candidate_id,
               NULL::uuid AS attribution_id, NULL::text AS mention, NULL::text AS method,
               NULL::float8 AS confidence, p.position
        FROM actor_duplicates d
        JOIN actors a ON a.id = d.actor_id AND a.status = 'active'
        JOIN actors c ON c.id = d.candidate_id AND c.status = 'active'
        CROSS JOIN LATERAL (
            SELECT lpad(round((1 - d.score) * 1000000)::bigint::text, 8, '0')
                   || '/' || d.actor_id || '/' || d.candidate_id AS position) p
        WHERE (CAST(:after AS text) IS NULL OR p.position > :after)
        ORDER BY p.position
    """,
    "unresolved": f"""
        SELECT 'unresolved' AS kind, NULL::float8 AS score,
               'the resolver could not place this speaker' AS reason, {_ATTRIBUTION_ITEM}
        FROM attributions t
        WHERE t.resolution_method = 'new'
          AND t.resolution_confidence <= {UNRESOLVED_CONFIDENCE}
          AND (CAST(:after AS uuid) IS NULL OR t.id > CAST(:after AS uuid))
        ORDER BY t.resolution_method, t.id
    """,
    "low_confidence": f"""
        SELECT 'low_confidence' AS kind, NULL::float8 AS score,
               'resolved with low confidence' AS reason, {_ATTRIBUTION_ITEM}
        FROM attributions t
        WHERE t.resolution_method IN ('alias', 'name_variant', 'surname', 'description',
                                      'pronoun', 'same_sources', 'new')
          AND t.resolution_confidence < {LOW_CONFIDENCE}
          AND t.resolution_confidence > {UNRESOLVED_CONFIDENCE}
          AND (CAST(:after AS uuid) IS NULL OR t.id > CAST(:after AS uuid))
        ORDER BY t.id
    """,
}
KINDS = tuple(_QUEUE)


async def curation_queue(
    session: AsyncSession, *, kind: str | None, limit: int, cursor: str | None
) -> str:
    """What is worth a curator's look, kind by kind (duplicates best first,
    then speakers the resolver could not place, then its unsure resolutions);
    a keyset page whose cursor holds the kind and position of its last item."""
    kinds = [kind] if kind else list(KINDS)
    start, after = kinds[0], None
    if cursor:
        start, after = pagination.decode_cursor(cursor, parts=2)
        if start not in kinds:
            raise BadCursor()
    items: list[dict[str, Any]] = []
    for current in kinds[kinds.index(start) :]:
        rows = await session.execute(
            text(f"{_QUEUE[current]} LIMIT :limit"),
            {"after": after if current == start else None, "limit": limit + 1 - len(items)},
        )
        items += [dict(row._asdict()) for row in rows]
        if len(items) > limit:
            break
    next_cursor = None
    if len(items) > limit:
        last = items[limit - 1]
        next_cursor = pagination.encode_cursor(last["kind"], last["position"])
        items = items[:limit]
    for item in items:
        del item["position"]
    return orjson.dumps({"items": items, "next": next_cursor}, default=str).decode()
