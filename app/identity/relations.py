"""Descriptions that name someone through another: a spouse ("Keith
Scott's wife", "la femme de Keith Scott"), an unnamed spokesperson the
next sentence names ("A spokeswoman for Hillary Clinton says … Clinton
communications director Jennifer Palmieri spoke")."""

import re
from collections.abc import Callable, Sequence

from app.identity.entities import Occurrence
from app.identity.genders import Gender
from app.identity.mentions import SPOUSE, SPOUSE_NOUNS
from app.identity.names import PersonName, person_name
from app.identity.people import PeopleInText
from app.identity.subjects import next_sentence


def spouse(description: str, people: PeopleInText) -> PersonName | None:
    """ "Keith Lamont Scott's wife", "the widow of John Smith", "l'épouse de
    Keith Scott": the one other person the document names with that
    person's surname, if the noun's gender does not rule them out (two
    such people, or none: no one)."""
    match = SPOUSE.match(" ".join(description.split()).strip(" ,.;:"))
    if match is None:
        return None
    owner = person_name(match["owner"] or match["owner2"] or "")
    if owner is None or len(owner.tokens) < 2:
        return None
    gender = SPOUSE_NOUNS[(match["noun"] or match["noun2"]).casefold()]
    names = set(owner.tokens) | set(people.full.get(owner.short_key, owner).tokens)
    others = {
        n.short_key: n
        for n in people.full.values()
        if n.surname == owner.surname
        and n.tokens[0] not in names  # not "Lamont Scott" of "Keith Lamont Scott"
        and people.gender(n) in {gender, None}
    }
    return next(iter(others.values())) if len(others) == 1 else None


SPOKESPERSON = re.compile(
    r"^[Aa]\s+(?:(?P<before>[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*)*)(?:'s|’s)?\s+)?"
    r"(?:campaign\s+)?(?P<noun>spokeswoman|spokesman|spokesperson)"
    r"(?:\s+(?:for|to)\s+(?:the\s+)?(?P<after>[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*)*))?$"
)
"""An unnamed spokesperson of someone named: "A spokeswoman for Hillary
Clinton", "a Clinton campaign spokesman" (English word order: the title
before the name)."""
_SPOKES_GENDER: dict[str, Gender] = {"spokeswoman": "female", "spokesman": "male"}


def spokesperson_named_next(
    text: str,
    mention: str,
    end: int,
    occurrences: Sequence[Occurrence],
    fits: Callable[[int, Gender | None], bool],
) -> Occurrence | None:
    """ "A spokeswoman for Hillary Clinton says … Clinton communications
    director Jennifer Palmieri spoke to reporters": an unnamed spokesperson
    is the person the next sentence opens with under a title that names
    the same principal (their surname, then at most three title words),
    if they may be the spokesperson (``fits``: a person of a gender the
    noun allows)."""
    match = SPOKESPERSON.match(" ".join(mention.split()).strip(" ,.;:"))
    if match is None or not (match["before"] or match["after"]):
        return None
    principal = (match["after"] or match["before"]).split()[-1]
    gender = _SPOKES_GENDER.get(match["noun"])
    sentence = next_sentence(text, end)
    if sentence is None:
        return None
    begin, limit = sentence
    title = re.compile(
        r"\s*(?:[A-Z][\w'’-]*\s+)?" + re.escape(principal) + r"(?:'s|’s)?(?:\s+[\w-]+){1,3}\s+$"
    )
    for occurrence in sorted(occurrences, key=lambda o: o.start):
        if not begin <= occurrence.start < limit:
            continue
        if title.fullmatch(text, begin, occurrence.start) is None:
            continue
        return occurrence if fits(occurrence.entity, gender) else None
    return None
