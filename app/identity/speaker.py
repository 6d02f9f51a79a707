"""A speaker given by name through the API (``POST /v1/attributions`` with
``speaker: {name, kind}``): the stored actor it is, or a new one.

The same decision as every import (``app.identity.matching.decide``), for
one name: one candidate is that actor; none creates one; a tie creates one
and records it as a duplicate candidate of each (precision first).
"""

from dataclasses import dataclass
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from app.actors.schemas import ActorCreate
from app.actors.service import create_actor
from app.identity.duplicates import SURNAME_SCORE, TIE_SCORE, record_duplicates
from app.identity.matching import Wanted, decide, mention_method, stored_candidates

TIED_CONFIDENCE = 0.5
"""A new actor made because several fitted: worth a curator's look."""


@dataclass(frozen=True)
class SpeakerResolution:
    actor_id: UUID
    method: str
    confidence: float


async def resolve_named_speaker(
    session: AsyncSession, *, name: str, kind: str
) -> SpeakerResolution:
    wanted = Wanted(kind, name)
    found = await stored_candidates(session, [*wanted.lookup_keys(), *wanted.suggestion_keys()])
    match = decide(wanted, found)
    if match.actor is not None:
        method = mention_method(name, match, fallback="exact")
        return SpeakerResolution(match.actor.id, method, 1.0 if method == "exact" else 0.9)
    created = await create_actor(session, data=ActorCreate(kind=kind, name=name))
    actor_id = created.id
    assert actor_id is not None
    pairs = [
        (actor_id, c.id, TIE_SCORE, f"tie: “{name}” matches “{c.name}” and others")
        for c in match.tied
    ] + [
        (actor_id, c.id, SURNAME_SCORE, f"surname match: “{name}” and “{c.name}”")
        for c in match.similar
    ]
    await record_duplicates(session, pairs)
    return SpeakerResolution(actor_id, "new", TIED_CONFIDENCE if match.tied else 1.0)
