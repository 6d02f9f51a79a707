"""Other ways a document names someone it names in full, or an anonymous
source it introduced: read by ``app.identity.document`` where a mention's
words alone would make it someone new.

- a first name alone ("Melanie" after "Melanie Gedrich") is the one person
  of the document with that first name, when it names one;
- a surname that is also a people's word ("Cuban" after "Mark Cuban") is
  that person, not Cubans;
- an organisation's letters after a possessive ("President Barack Obama's
  DOJ") are the organisation, not a person called "Obama DOJ";
- "the aide", "the official" repeat the anonymous source the document just
  introduced with "a White House official", "a senior aide".
"""

import re
from collections.abc import Sequence

from app.identity.entities import Entity, Occurrence
from app.identity.names import NICKNAMES, PersonName, name_key, person_name, words
from app.identity.people import PeopleInText

ANONYMOUS_REACH = 800
"""From "a White House official" to "the aide" that repeats them."""
ANONYMOUS_NOUNS = words(
    "official aide source adviser advisor staffer spokesman spokeswoman spokesperson "
    "strategist operative insider diplomat officer person assistant"
)
_GENDERED = {"spokesman": "spokeswoman", "spokeswoman": "spokesman"}
_DEFINITE = re.compile(
    r"^(?:the|that|this)\s+(?:(?:senior|same|white house|administration|campaign|"
    r"former|top)\s+)*(?P<noun>[a-z]+)$",
    re.IGNORECASE,
)
_POSSESSED_LETTERS = re.compile(
    r"^(?:the\s+)?[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*)*(?:'s|’s)\s+(?P<letters>(?:[A-Z]\.?){2,6})$"
)


def by_first_name(name: PersonName, people: PeopleInText) -> PersonName | None:
    """ "Melanie", where the document names one Melanie in full: her."""
    if len(name.tokens) != 1:
        return None
    first = _formal(name.tokens[0])
    found = {
        n.short_key: n
        for n in people.full.values()
        if len(n.tokens) >= 2 and _formal(n.tokens[0]) == first
    }
    return next(iter(found.values())) if len(found) == 1 else None


def _formal(first: str) -> str:
    key = name_key(first)
    return NICKNAMES.get(key, key)


def people_word_surname(mention: str, people: PeopleInText, at: int) -> PersonName | None:
    """ "Cuban said", where the document names Mark Cuban: he, not the Cubans."""
    flat = mention.strip(" ,.;:")
    if not re.fullmatch(r"[A-Z][a-z]+", flat):
        return None
    name = person_name(flat)
    if name is None or people.ambiguous(name, at=at):
        return None
    return people.holder(name, at=at)


def possessed_letters(mention: str) -> str | None:
    """ "President Barack Obama's DOJ": "the DOJ"."""
    found = _POSSESSED_LETTERS.match(" ".join(mention.split()))
    return f"the {found['letters']}" if found else None


def repeated_anonymous(
    mention: str,
    start: int,
    occurrences: Sequence[Occurrence],
    entities: Sequence[Entity],
) -> Occurrence | None:
    """ "… a White House official said … The aide declined to say": the
    nearest anonymous source before, introduced as one ("a", "an", "one"),
    whose noun is of the same kind and the same gender."""
    found = _DEFINITE.match(" ".join(mention.split()))
    noun = found["noun"].casefold() if found else ""
    if noun not in ANONYMOUS_NOUNS:
        return None
    for o in sorted(occurrences, key=lambda o: -o.start):
        if o.start >= start or o.mention is None:
            continue
        if start - o.end > ANONYMOUS_REACH:
            return None
        entity = entities[o.entity]
        if entity.kind == "person":
            return None  # someone named spoke in between: not clear any more
        if entity.kind != "anonymous":
            continue
        said = " ".join(entity.name.split()).casefold()
        nouns = set(re.findall(r"[a-z]+", said))
        if not re.match(r"(?:an?|one)\s", said) or not nouns & ANONYMOUS_NOUNS:
            return None
        if _GENDERED.get(noun) in nouns:
            return None
        return o
    return None
