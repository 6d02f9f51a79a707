"""Duplicate candidates: pairs of actors a curator should look at.

The resolver records a pair when it would not decide (a tie: the mention
fits several actors, so a new one is made) or when a new actor resembles a
stored one in a way that is no evidence on its own (a lone surname beside a
full name that ends in it). A pair a curator called distinct is never
recorded again.
"""

from collections.abc import Sequence
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from app.db import new_id

TIE_SCORE = 0.9
SURNAME_SCORE = 0.5

_RECORD = text(
    """
    INSERT INTO actor_duplicates (actor_id, candidate_id, score, reason)
    SELECT least(p.a, p.b), greatest(p.a, p.b), p.score, p.reason
    FROM unnest(CAST(:a AS uuid[]), CAST(:b AS uuid[]), CAST(:score AS float8[]),
                CAST(:reason AS text[])) AS p(a, b, score, reason)
    WHERE p.a <> p.b
      AND EXISTS (SELECT FROM actors x WHERE x.id = p.a AND x.status = 'active')
      AND EXISTS (SELECT FROM actors y WHERE y.id = p.b AND y.status = 'active')
      AND NOT EXISTS (
          SELECT FROM actor_distinctions d
          WHERE d.actor_id = least(p.a, p.b) AND d.other_id = greatest(p.a, p.b))
    ON CONFLICT (actor_id, candidate_id) DO UPDATE
    SET score = greatest(actor_duplicates.score, excluded.score),
        reason = CASE WHEN excluded.score > actor_duplicates.score
                      THEN excluded.reason ELSE actor_duplicates.reason END
    """
)


async def record_duplicates(
    session: AsyncSession, pairs: Sequence[tuple[UUID, UUID, float, str]]
) -> None:
    """Store the pairs (one statement), each once, best score kept."""
    if not pairs:
        return
    best: dict[tuple[UUID, UUID], tuple[float, str]] = {}
    for a, b, score, reason in pairs:
        key = (min(a, b), max(a, b))
        if key not in best or best[key][0] < score:
            best[key] = (score, reason)
    await session.execute(
        _RECORD,
        {
            "a": [a for a, _ in best],
            "b": [b for _, b in best],
            "score": [score for score, _ in best.values()],
            "reason": [reason for _, reason in best.values()],
        },
    )


_LEARN_NAMES = text(
    """
    INSERT INTO actor_names (id, actor_id, name, language, kind)
    SELECT n.id, n.actor_id, n.name, n.language, n.kind
    FROM unnest(CAST(:id AS uuid[]), CAST(:actor_id AS uuid[]), CAST(:name AS text[]),
                CAST(:language AS text[]), CAST(:kind AS text[]))
         AS n(id, actor_id, name, language, kind)
    JOIN actors a ON a.id = n.actor_id AND a.status = 'active'
    ON CONFLICT ON CONSTRAINT uq_actor_names_actor_id_name_language DO NOTHING
    """
)
_LEARN_KEYS = text(
    """
    INSERT INTO actor_keys (key, actor_id, via)
    SELECT k.key, k.actor_id, 'alias'
    FROM unnest(CAST(:key AS text[]), CAST(:actor_id AS uuid[])) AS k(key, actor_id)
    JOIN actors a ON a.id = k.actor_id AND a.status = 'active'
    ON CONFLICT DO NOTHING
    """
)


async def learn_names(
    session: AsyncSession,
    names: Sequence[tuple[UUID, str, str | None, str]],
    keys: Sequence[tuple[str, UUID]],
) -> None:
    """Add names an import learned to stored actors (and their keys), each
    once; two statements, whatever the count."""
    if names:
        unique = list(dict.fromkeys(names))
        await session.execute(
            _LEARN_NAMES,
            {
                "id": [new_id() for _ in unique],
                "actor_id": [actor for actor, _, _, _ in unique],
                "name": [name for _, name, _, _ in unique],
                "language": [language for _, _, language, _ in unique],
                "kind": [kind for _, _, _, kind in unique],
            },
        )
    if keys:
        unique_keys = list(dict.fromkeys(keys))
        await session.execute(
            _LEARN_KEYS,
            {"key": [k for k, _ in unique_keys], "actor_id": [a for _, a in unique_keys]},
        )
