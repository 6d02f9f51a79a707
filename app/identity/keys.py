"""The keys an actor is found by across documents, and the keys a mention looks up.

Keys are normalised names with a class prefix:

- ``name:<name key>``: the actor's display name and each stored alias,
  spelling, abbreviation or primary name ("name:washington post", "name:mbz");
- ``person:<first last>``: a person's name reduced to first and last name
  ("Hillary Rodham Clinton" → "person:hillary clinton");
- ``surname:<surname>``: a person's surname, only to suggest duplicates
  (a surname alone never resolves across documents: ../shared/design/
  speaker-identity.md).

Epithets, descriptions and every name of a ``document``-scope actor are
never keys: "the same sources" in another article are other people.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from uuid import UUID

from sqlalchemy import delete, insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.identity.models import ActorKey
from app.identity.names import PersonName, name_key, person_name, spelled_out_key

NOT_KEYS = frozenset({"epithet", "description"})
"""Name kinds that only ever resolve inside the document that says them."""

ORGANISATION_KINDS = frozenset({"organisation", "government", "media"})


def kind_family(kind: str) -> str:
    """Kinds a mention's words cannot tell apart ("the White House" is a
    government or an organisation) compare as one."""
    return "organisation" if kind in ORGANISATION_KINDS else kind


@dataclass(frozen=True)
class StoredName:
    name: str
    kind: str = "alias"


def name_keys(kind: str, name: str) -> set[str]:
    """The keys one name of an actor of ``kind`` gives."""
    keys: set[str] = set()
    key = name_key(name)
    if key:
        keys.add(f"name:{key}")
        keys.add(f"name:{spelled_out_key(name)}")
    if kind == "person":
        person = person_name(name)
        if person is not None and len(person.tokens) >= 2:
            keys.add(f"person:{person.short_key}")
            keys.add(f"person:{person.formal_key}")  # "Len Burman" finds Leonard Burman
            keys.add(f"surname:{person.surname}")
    return keys


def actor_keys(
    *, kind: str, scope: str, name: str, names: Iterable[StoredName] = ()
) -> dict[str, str]:
    """Key → ``name`` or ``alias`` (where it comes from; the name wins) for
    the ``actor_keys`` table; empty for a document-scope actor."""
    if scope != "global":
        return {}
    keys: dict[str, str] = {}
    for stored in names:
        if stored.kind not in NOT_KEYS:
            keys.update(dict.fromkeys(name_keys(kind, stored.name), "alias"))
    keys.update(dict.fromkeys(name_keys(kind, name), "name"))
    return keys


def lookup_keys(kind: str, name: str, person: PersonName | None = None) -> list[str]:
    """The keys to look a global mention up by, most specific first: a full
    person name by ``person:`` and ``name:``, a lone surname by ``name:``
    only (an actor called just that, or with that alias), anything else by
    ``name:``."""
    keys: list[str] = []
    if kind == "person" and person is not None and len(person.tokens) >= 2:
        keys.append(f"person:{person.short_key}")
        if person.formal_key != person.short_key:
            keys.append(f"person:{person.formal_key}")
    key = name_key(name)
    if key:
        keys.append(f"name:{key}")
        if spelled_out_key(name) != key:
            keys.append(f"name:{spelled_out_key(name)}")
    return keys


async def replace_actor_keys(
    session: AsyncSession,
    actor_id: UUID,
    *,
    kind: str,
    scope: str,
    name: str,
    names: Iterable[StoredName],
) -> None:
    """Make the actor's ``actor_keys`` rows those of its current names."""
    keys = actor_keys(kind=kind, scope=scope, name=name, names=names)
    await session.execute(delete(ActorKey).where(ActorKey.actor_id == actor_id))
    if keys:
        await session.execute(
            insert(ActorKey),
            [{"key": key, "actor_id": actor_id, "via": via} for key, via in keys.items()],
        )
