"""Contradictions: claim relations of kind ``contradicts``, read from either
side, each with both claims, their translations and who said them with what
certainty; a contradiction between two claims held by the same speaker (in
their own voice, not merely relaying another's words) is an actor's conflict
with itself (``self_conflict``). One statement per request.
"""

from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from app import pagination
from app.errors import NotFound


def _actor(alias: str) -> str:
    return (
        f"CASE WHEN {alias}.id IS NULL THEN NULL ELSE json_build_object("
        f"'id', {alias}.id, 'name', {alias}.name, 'kind', {alias}.kind) END"
    )


def _side(claim_id: str) -> str:
    """The JSON of one claim of a conflict: text, translations, speakers."""
    return f"""(
        SELECT json_build_object(
            'id', side.id,
            'text', side.text,
            'language', side.language,
            'translations', (
                SELECT coalesce(json_agg(json_build_object(
                    'language', t.language, 'text', t.text) ORDER BY t.language), '[]'::json)
                FROM claim_translations AS t WHERE t.claim_id = side.id),
            'speakers', (
                SELECT coalesce(json_agg(json_build_object(
                    'attribution_id', a.id,
                    'speaker', {_actor("sp")},
                    'source', json_build_object('id', s.id, 'title', s.title),
                    'certainty', a.certainty,
                    'mode', a.mode,
                    'relayed_through_id', a.relayed_through_id,
                    'earliest', lower(a.time_range),
                    'latest', upper(a.time_range) - 1
                ) ORDER BY a.id), '[]'::json)
                FROM attributions AS a
                JOIN sources AS s ON s.id = a.source_id
                LEFT JOIN actors AS sp ON sp.id = a.speaker_id
                WHERE a.claim_id = side.id)
        )
        FROM claims AS side WHERE side.id = {claim_id}
    )"""


def _holders(claim_id: str) -> str:
    """Who holds the claim as their own stance: the speakers of its attributions,
    except those who only relay someone else's ("affirment ces sources" relaying
    Bode's words does not make the sources say Tripoli is a red line)."""
    return f"""
    SELECT a.speaker_id FROM attributions AS a
    LEFT JOIN attributions AS relayed ON relayed.id = a.relayed_through_id
    WHERE a.claim_id = {claim_id} AND a.speaker_id IS NOT NULL
      AND (relayed.id IS NULL OR relayed.speaker_id = a.speaker_id)
    """


# Actors holding both claims of relation ``r``.
_SHARED_SPEAKERS = f"""
    {_holders("r.from_claim_id")}
    INTERSECT
    {_holders("r.to_claim_id")}
"""

_RELATION_FIELDS = f"""
    'relation_id', r.id,
    'note', r.note,
    'asserted_by', (SELECT {_actor("by")} FROM actors AS by WHERE by.id = r.asserted_by_actor_id),
    'asserted_in_source', (
        SELECT json_build_object('id', s.id, 'title', s.title)
        FROM sources AS s WHERE s.id = r.asserted_in_source_id),
    'self_conflict', EXISTS ({_SHARED_SPEAKERS}),
    'self_conflict_actors', (
        SELECT coalesce(json_agg({_actor("me")} ORDER BY me.name, me.id), '[]'::json)
        FROM actors AS me WHERE me.id IN ({_SHARED_SPEAKERS}))
"""

_OTHER_SIDE = "CASE WHEN r.from_claim_id = c.id THEN r.to_claim_id ELSE r.from_claim_id END"

_CLAIM_CONFLICTS = f"""
SELECT json_build_object(
    'claim', {_side("c.id")},
    'conflicts', (
        SELECT coalesce(json_agg(json_build_object(
            {_RELATION_FIELDS},
            'direction', CASE WHEN r.from_claim_id = c.id
                THEN 'contradicts' ELSE 'contradicted_by' END,
            'claim', {_side(_OTHER_SIDE)}
        ) ORDER BY r.id), '[]'::json)
        FROM claim_relations AS r
        WHERE r.kind = 'contradicts' AND (r.from_claim_id = c.id OR r.to_claim_id = c.id)
    )
)::text
FROM claims AS c
WHERE c.id = :claim_id
"""

_CONFLICTS = f"""
SELECT r.id, json_build_object(
    {_RELATION_FIELDS},
    'from_claim', {_side("r.from_claim_id")},
    'to_claim', {_side("r.to_claim_id")}
)::text
FROM claim_relations AS r
WHERE r.kind = 'contradicts'
  AND (CAST(:after AS uuid) IS NULL OR r.id > CAST(:after AS uuid))
  AND (CAST(:self_conflict AS boolean) IS NULL
       OR EXISTS ({_SHARED_SPEAKERS}) = CAST(:self_conflict AS boolean))
  AND (CAST(:actor_id AS uuid) IS NULL OR EXISTS (
       SELECT FROM attributions AS a
       WHERE a.claim_id IN (r.from_claim_id, r.to_claim_id)
         AND a.speaker_id = CAST(:actor_id AS uuid)))
ORDER BY r.id
LIMIT :limit
"""


async def claim_conflicts(session: AsyncSession, *, claim_id: UUID) -> str:
    result = await session.execute(text(_CLAIM_CONFLICTS), {"claim_id": claim_id})
    document: str | None = result.scalar_one_or_none()
    if document is None:
        raise NotFound(f"no claim with id {claim_id}")
    return document


async def list_conflicts(
    session: AsyncSession,
    *,
    self_conflict: bool | None,
    actor_id: UUID | None,
    limit: int,
    cursor: str | None,
) -> str:
    after = pagination.cursor_id(cursor) if cursor else None
    rows = (
        await session.execute(
            text(_CONFLICTS),
            {
                "after": after,
                "self_conflict": self_conflict,
                "actor_id": actor_id,
                "limit": limit + 1,
            },
        )
    ).all()
    page = rows[:limit]
    next_cursor = pagination.encode_cursor(page[-1][0]) if len(rows) > limit else None
    return pagination.page_json([row[1] for row in page], next_cursor)
