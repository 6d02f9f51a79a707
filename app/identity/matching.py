"""Across documents: which stored actor a global speaker is.

A document's global entity (a person, an organisation, an outlet) is looked
up by its keys (``app.identity.keys``) among the stored actors and among
those an import created earlier in the same load. One compatible candidate:
that actor. None: a new actor. Several: a new actor too, and a duplicate
candidate for a curator with each of them (precision first: a wrong merge
corrupts every answer about two people, a missed one costs a click).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from uuid import UUID

from sqlalchemy import bindparam, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.types import Text

from app.actors.models import Actor
from app.identity.keys import kind_family, lookup_keys
from app.identity.models import ActorKey
from app.identity.names import PersonName, name_key, person_name

ACTORS = Actor.__table__
KEYS = ActorKey.__table__


@dataclass(frozen=True)
class Candidate:
    """A stored (or earlier staged) actor found by one of its keys."""

    id: UUID
    kind: str
    name: str
    via: str  # "name" or "alias": the key it was found by; "surname": the one of that surname


@dataclass(frozen=True)
class Wanted:
    """A global entity of a document: what the resolver looks up."""

    kind: str
    name: str

    @property
    def person(self) -> PersonName | None:
        return person_name(self.name) if self.kind == "person" else None

    def lookup_keys(self) -> list[str]:
        return lookup_keys(self.kind, self.name, self.person)

    def suggestion_keys(self) -> list[str]:
        """Keys of actors worth a curator's look if this one is new: for a
        lone surname the full names that end in it, and the other way round."""
        person = self.person
        if person is None:
            return []
        if len(person.tokens) == 1:
            return [f"surname:{person.surname}"]
        return [f"name:{person.surname}"]


@dataclass
class Match:
    actor: Candidate | None
    """The actor the entity is; None: create one."""
    tied: list[Candidate] = field(default_factory=list)
    """Several candidates fitted: the new actor is a duplicate candidate of each."""
    similar: list[Candidate] = field(default_factory=list)
    """Others a curator may want to compare with the new actor (surname match)."""

    @property
    def method_for_exact(self) -> str:
        """How a mention written as the entity's own name was matched."""
        if self.actor is None:
            return "new"
        return "alias" if self.actor.via == "alias" else "exact"


@dataclass
class StagedKeys:
    """Actors created earlier in the same load (not yet in ``actor_keys``)."""

    by_key: dict[str, list[Candidate]] = field(default_factory=dict)

    def add(self, actor_id: UUID, kind: str, name: str, keys: dict[str, str]) -> None:
        for key, via in keys.items():
            found = self.by_key.setdefault(key, [])
            if all(candidate.id != actor_id for candidate in found):
                found.append(Candidate(actor_id, kind, name, via))


_LOOKUP = (
    select(KEYS.c.key, KEYS.c.via, ACTORS.c.id, ACTORS.c.kind, ACTORS.c.name)
    .join(ACTORS, ACTORS.c.id == KEYS.c.actor_id)
    .where(KEYS.c.key == bindparam("keys", type_=ARRAY(Text)).any_())
    .where(ACTORS.c.status == "active")
)


async def stored_candidates(
    session: AsyncSession, keys: Iterable[str], staged: StagedKeys | None = None
) -> dict[str, list[Candidate]]:
    """Key → the actors having it, stored (one indexed query) or staged."""
    wanted = sorted(set(keys))
    found: dict[str, list[Candidate]] = {}
    if wanted:
        rows = await session.execute(_LOOKUP, {"keys": wanted})
        for key, via, actor_id, kind, name in rows:
            found.setdefault(key, []).append(Candidate(actor_id, kind, name, via))
    if staged is not None:
        for key in wanted:
            for candidate in staged.by_key.get(key, []):
                known = found.setdefault(key, [])
                if all(c.id != candidate.id for c in known):
                    known.append(candidate)
    return found


def _compatible(wanted: Wanted, candidate: Candidate) -> bool:
    if kind_family(candidate.kind) != kind_family(wanted.kind):
        return False
    mine = wanted.person
    if mine is None or len(mine.tokens) < 2:
        return True
    theirs = person_name(candidate.name)
    if theirs is None or len(theirs.tokens) < 2:
        return True  # found by an alias: the alias is the evidence
    return mine.compatible(theirs) or candidate.via == "alias"


def _distinct(candidates: Sequence[Candidate]) -> list[Candidate]:
    by_id: dict[UUID, Candidate] = {}
    for candidate in candidates:
        known = by_id.get(candidate.id)
        if known is None or (known.via == "alias" and candidate.via == "name"):
            by_id[candidate.id] = candidate
    return list(by_id.values())


def decide(wanted: Wanted, found: dict[str, list[Candidate]]) -> Match:
    """The actor ``wanted`` is, from the candidates its keys found: the most
    specific key with any compatible candidate decides."""
    lone = wanted.person is not None and len(wanted.person.tokens) == 1
    for key in wanted.lookup_keys():
        candidates = _distinct([c for c in found.get(key, []) if _compatible(wanted, c)])
        if lone and len(candidates) > 1:
            # "Obama" is the alias of Barack Obama and the name of an actor
            # known only as "Obama": the full name is the evidence.
            full = [c for c in candidates if _full_name(c)]
            candidates = full if len(full) == 1 else candidates
        if len(candidates) == 1:
            return Match(candidates[0])
        if len(candidates) > 1:
            return Match(None, tied=sorted(candidates, key=lambda c: str(c.id)))
    similar = _distinct(
        [
            c
            for key in wanted.suggestion_keys()
            for c in found.get(key, [])
            if kind_family(c.kind) == kind_family(wanted.kind)
        ]
    )
    if lone and len(similar) == 1 and _full_name(similar[0]):
        # A surname alone, and one person of that surname in the database: a
        # unique match (../shared/design/speaker-identity.md).
        return Match(Candidate(similar[0].id, similar[0].kind, similar[0].name, "surname"))
    return Match(None, similar=similar)


def _full_name(candidate: Candidate) -> bool:
    name = person_name(candidate.name) if candidate.kind == "person" else None
    return name is not None and len(name.tokens) >= 2


def mention_method(mention: str, match: Match, *, fallback: str) -> str:
    """The method of a named mention of a matched actor: ``exact`` when it
    is the actor's name, ``alias`` when the actor was found by one of its
    stored names, else ``fallback`` (``name_variant``, ``surname``)."""
    if match.actor is None:
        return fallback
    if match.actor.via == "surname":
        return "surname"
    if name_key(mention) == name_key(match.actor.name):
        return "exact"
    if match.actor.via == "alias" and fallback in {"exact", "name_variant"}:
        return "alias"
    return fallback if fallback != "exact" else "name_variant"
