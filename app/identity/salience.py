"""The people a document is mostly about: whom a description may mean
when the text spells out no role that fits it ("the New York businessman",
"The GOP candidate")."""

from collections import Counter
from collections.abc import Sequence

from app.identity.entities import Entity, Occurrence, Resolution
from app.identity.genders import NOUN_GENDERS, noun_gender
from app.identity.names import words
from app.identity.people import DOMINANCE, SALIENT_ROLES, PeopleInText, other_party, role_words

REFERRING = frozenset({"description", "pronoun"})
OCCUPATIONS = words("investor admiral pope neurosurgeon veteran")
"""What a profile calls its one main person ("the investor" of a story about
Mark Cuban); not "the actor", "the lawyer" or "the professor", often someone
else the story quotes (tried: "the Lincoln actor" went to Gary Johnson), nor
"the general" ("the inspector general")."""
GENDERED = frozenset(NOUN_GENDERS)
"""Nouns that say only whether a person is a man or a woman ("woman", "mother")."""


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
    if not wanted & (SALIENT_ROLES | OCCUPATIONS):
        return None
    ranked = Counter(
        occurrence.entity
        for occurrence in occurrences
        if (entity := entities[occurrence.entity]).kind == "person"
        and entity.person is not None
        and not other_party(wanted, roles.get(entity.key, set()))
    ).most_common()
    if not ranked or (len(ranked) > 1 and ranked[0][1] < DOMINANCE * ranked[1][1]):
        return None
    return ranked[0][0]


def most_named(
    entities: Sequence[Entity], occurrences: Sequence[Occurrence], count: int
) -> set[int]:
    """The ``count`` people the document names most often."""
    named = Counter(o.entity for o in occurrences if entities[o.entity].person is not None)
    return {entity for entity, _ in named.most_common(count)}


def introduced_later(
    start: int,
    description: str,
    entities: Sequence[Entity],
    occurrences: Sequence[Occurrence],
    resolutions: dict[int, Resolution],
    people: PeopleInText,
) -> Occurrence | None:
    """ "A New York judge has rejected …" before the text names anyone:
    the person the article quotes most (1.5 times as often as anyone else),
    named later, if nothing the text says of them contradicts it."""
    gendered = noun_gender(description) is not None and not role_words(description) - GENDERED
    quoted = Counter(
        r.entity
        for r in resolutions.values()
        if (person := entities[r.entity].person) is not None
        # "Woman Reveals …": the woman the article quotes most
        and (not gendered or people.may_be(person, description))
    ).most_common(2)
    if not quoted or (len(quoted) > 1 and 2 * quoted[0][1] < 3 * quoted[1][1]):
        return None
    top = quoted[0][0]
    main = entities[top]
    first = min(
        o.start
        for o in occurrences
        if o.entity == top and (o.mention is None or resolutions[o.mention].method not in REFERRING)
    )
    if first < start or main.person is None:
        return None
    if not people.may_be(main.person, description, titled=True):
        return None
    return Occurrence(first, first, top, None)
