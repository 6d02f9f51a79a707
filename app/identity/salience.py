"""The people a document is mostly about: whom a description may mean
when the text spells out no role that fits it ("the New York businessman",
"The GOP candidate")."""

from collections.abc import Sequence

from app.identity.entities import Entity, Occurrence
from app.identity.people import DOMINANCE, SALIENT_ROLES, other_party, role_words


def salient_person(
    description: str,
    entities: Sequence[Entity],
    occurrences: Sequence[Occurrence],
    roles: dict[str, set[str]],
) -> int | None:
    """ "The New York businessman", "the president" where the text spells
    out no such role: the person it names far more than anyone else (not
    one the text gives another party); ``roles``: the text's role words
    of each person (``PeopleInText.roles``)."""
    wanted = role_words(description)
    if not wanted & SALIENT_ROLES:
        return None
    counts: dict[int, int] = {}
    for occurrence in occurrences:
        entity = entities[occurrence.entity]
        if entity.kind != "person" or entity.person is None:
            continue
        if other_party(wanted, roles.get(entity.key, set())):
            continue
        counts[occurrence.entity] = counts.get(occurrence.entity, 0) + 1
    ranked = sorted(counts.items(), key=lambda item: -item[1])
    if not ranked or (len(ranked) > 1 and ranked[0][1] < DOMINANCE * ranked[1][1]):
        return None
    return ranked[0][0]


def most_named(
    entities: Sequence[Entity], occurrences: Sequence[Occurrence], count: int
) -> set[int]:
    """The ``count`` people the document names most often."""
    counts: dict[int, int] = {}
    for occurrence in occurrences:
        if entities[occurrence.entity].person is not None:
            counts[occurrence.entity] = counts.get(occurrence.entity, 0) + 1
    return set(sorted(counts, key=lambda entity: -counts[entity])[:count])
