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
from app.identity.genders import gender_of_name
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
    names = list(people.full.values())
    found = {
        n.short_key: n
        for n in names
        if len(n.tokens) >= 2
        and _formal(n.tokens[0]) == first
        # not "Guajardo Villarreal", the end of "Ildefonso Guajardo Villarreal"
        and not any(
            len(m.tokens) > len(n.tokens) and m.tokens[-len(n.tokens) :] == n.tokens for m in names
        )
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


POLL_NOUNS = words("poll polls survey surveys study studies")
"""A poll, a survey, a study: a source of one document, never merged across
documents however it is named ("A new Quinnipiac poll")."""
_COMPANY_NOUNS = (
    r"app|application|company|firm|website|site|service|platform|network|start-?up|"
    r"retailer|chain|maker|manufacturer|bank|group|organi[sz]ation|agency|newspaper|"
    r"magazine|channel|outlet|charity|nonprofit|non-profit|union|association|foundation"
)


def is_poll(display: str) -> bool:
    nouns = re.findall(r"[a-z]+", display.casefold())
    return bool(nouns) and nouns[-1] in POLL_NOUNS


def called_organisation(name: str, text: str) -> bool:
    """ "Tinder, the mobile dating application, …", "a Tinder spokeswoman":
    a one-word name the text itself calls an organisation."""
    if not re.fullmatch(r"[A-Z][\w-]+", name):
        return False
    word = re.escape(name)
    apposed = re.search(
        rf"\b{word},\s+(?:the|an?)\s+(?:[\w-]+\s+){{0,3}}(?:{_COMPANY_NOUNS})\b", text
    )
    spoken_for = re.search(
        rf"\b(?:an?|the)\s+{word}\s+(?:spokesman|spokeswoman|spokesperson|executive|employee)\b",
        text,
    )
    return bool(apposed or spoken_for)


_EXAMPLES = re.compile(
    r"^(?P<group>[^,]+?)(?:,\s+|\s+)(?P<how>like|such as|including|led by|headed by)\s+[A-Z]"
)
_COLLECTIVES = words("group coalition team delegation panel bloc caucus band handful")


def example_group(mention: str) -> str | None:
    """ "Some staunch defenders of globalization, like Gary Clyde Hufbauer, …":
    the group the person is an example of, not the person."""
    found = _EXAMPLES.match(" ".join(mention.split()))
    if found is None:
        return None
    nouns = re.findall(r"[a-z]+", found["group"].casefold())
    if found["how"] in {"led by", "headed by"}:  # "a small group led by Bob Corker"
        return found["group"] if nouns and nouns[-1] in _COLLECTIVES else None
    # a lowercase plural ("defenders", "critics like Huffman"); not a name's
    # letters ("Rep. Lois Frankel — like Reid, a supporter")
    written = re.findall(r"[^\W\d_]+", found["group"])
    plural = [w for w in written if w.endswith("s") and len(w) > 3 and w[1:].islower()]
    if len(written) == 1 and plural:  # "Critics like Huffman"
        return found["group"]
    return found["group"] if any(w.islower() for w in plural) and len(nouns) > 1 else None


_DEFINITE_PLURAL = re.compile(r"^(?:the|these|those)\s+(?:[a-z-]+\s+){0,2}[a-z-]+s$")


def said_again(mention: str, what: str) -> str | None:
    """The key of a description no one could be found for, that the document
    may say again of the same ones: a definite plural ("the researchers",
    "these voters"), or a definite thing ("the commission")."""
    if what == "unplaced":
        return definite_plural(mention)
    flat = " ".join(mention.split()).casefold()
    return flat if what == "thing_description" and re.fullmatch(r"the\s+[a-z]+", flat) else None


def definite_plural(mention: str) -> str | None:
    """ "the researchers" twice in one document: the same researchers (the
    key of the group), unlike "experts" twice."""
    flat = " ".join(mention.split()).casefold()
    return flat if _DEFINITE_PLURAL.match(flat) else None


_NAME_ITEM = r"[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*)+"
_NAME_LIST = re.compile(rf"^{_NAME_ITEM}(?:,\s+{_NAME_ITEM})+,?\s+(?:and|&)\s+{_NAME_ITEM}$")


def name_list(mention: str) -> bool:
    """ "Donald Trump, Mike Huckabee and Chris Christie": three people, a
    group (not the first of them, as an apposition after a comma would be)."""
    return bool(_NAME_LIST.match(" ".join(mention.split()).strip(" ,.;:")))


def second_of_pair(text: str, start: int) -> bool:
    """ "Bernie Sanders and Martin O’Malley, who both back": the name a
    relative pronoun follows is the second of two, so it is not clear the
    pronoun is that one person."""
    found = _PAIR_BEFORE.search(text[max(0, start - 60) : start])
    if found is None:
        return False
    # "Mr. Carson, who claimed …, and Donald J. Trump, who": a clause before
    # the comma, no name: the pronoun is Trump's
    return not found["comma"] or re.fullmatch(_NAME_WORDS, found["before"].strip()) is not None


_PAIR_BEFORE = re.compile(r"(?P<before>[^,.;]*?)(?P<comma>,?)\s(?:and|&)\s+$")
_NAME_WORDS = r"(?:[A-Z][\w.'’-]*\s*){1,4}"


_PLURAL_BEFORE = re.compile(
    r"(?:^|[\s(])(?P<phrase>(?:(?:a lot of|many|some|most|few|all)\s+)?"
    r"(?:(?!(?:with|out|of|for|to|by|from|in|on|at|and|or|than|that|the|a|an)\s)"
    r"[A-Za-z-]+\s+){0,2}(?P<noun>[A-Za-z-]{3,}s))\s*$",
    re.IGNORECASE,
)
_NOT_PEOPLE = words("this thus has was is its his as us yes news series species")


def plural_before(text: str, start: int) -> str | None:
    """ "a lot of Republican partisans who prefer", "voters who identify":
    the plural a relative pronoun follows, a group the document names."""
    found = _PLURAL_BEFORE.search(text[max(0, start - 60) : start])
    noun = found["noun"].casefold() if found else ""
    if found is None or noun in _NOT_PEOPLE or noun.endswith("ss"):
        return None
    if found["noun"][0].isupper() and not noun.endswith(("ans", "ats", "ists")):
        return None  # "Williams who": a name; "Democrats who": a people
    return found["phrase"]


_TRAILING_NAME = re.compile(r"(?:^|\s)(?P<name>[A-Z][\w'’-]+(?:\s+[A-Z]\.)?\s+[A-Z][\w'’-]+)$")


def trailing_name(mention: str) -> PersonName | None:
    """ "former secretary of state Hillary Clinton": the full name a
    description ends with (a known first name and a surname)."""
    found = _TRAILING_NAME.search(" ".join(mention.split()).strip(" ,.;:"))
    name = person_name(found["name"]) if found else None
    if name is None or len(name.tokens) < 2 or gender_of_name(name.tokens[0]) is None:
        return None
    return name


def from_first_name(name: PersonName) -> PersonName:
    """ "Benghazi Widow Dorothy Woods" (a headline's capitals): Dorothy Woods,
    the name from its first known first name on, when the words before are
    none."""
    if len(name.tokens) < 3 or gender_of_name(name.tokens[0]) is not None:
        return name
    for i, token in enumerate(name.tokens[1:-1], start=1):
        if gender_of_name(token) is not None:
            return person_name(" ".join(name.tokens[i:])) or name
    return name


_OUTLET_CALLED = re.compile(
    r"^(?:[Tt]he\s+)?(?:[a-z-]+\s+){0,3}(?P<name>(?:[A-Z][\w.&'’-]*\s+){0,4}[A-Z][\w.&'’-]*)\s+"
    r"(?:[a-z-]+\s+)?(?:newspaper|paper|tabloid|daily|network|channel|magazine|broadcaster)$"
)


def outlet_called(mention: str) -> str | None:
    """ "the nationalist Global Times tabloid", "the conservative Washington
    Times newspaper": the outlet's name ("Global Times"), whatever the writer
    calls it around its name."""
    found = _OUTLET_CALLED.match(" ".join(mention.split()).strip(" ,.;:"))
    return found["name"] if found else None


def inner_surname(name: PersonName, people: PeopleInText) -> PersonName | None:
    """ "Guajardo" after "Ildefonso Guajardo Villarreal", "Peña" after
    "Enrique Peña Nieto": the first of two surnames, of the one person the
    document names with it (not a middle name that is a first name)."""
    if len(name.tokens) != 1 or gender_of_name(name.tokens[0]) is not None:
        return None
    key = name_key(name.tokens[0])
    found = {
        n.short_key: n
        for n in people.full.values()
        if len(n.tokens) >= 3 and key in {name_key(t) for t in n.tokens[1:-1]}
    }
    return next(iter(found.values())) if len(found) == 1 else None


def fuller_name(name: PersonName, people: PeopleInText) -> PersonName:
    """ "Peña Nieto" after "Enrique Peña Nieto": the one longer name of the
    document that ends with these names, when they do not start with a first
    name ("Dorothy Woods" is no part of "Benghazi Widow Dorothy Woods")."""
    if gender_of_name(name.tokens[0]) is not None:
        return name
    longer = {
        n.short_key: n
        for n in people.full.values()
        if len(n.tokens) > len(name.tokens) >= 2 and n.tokens[-len(name.tokens) :] == name.tokens
    }
    return next(iter(longer.values())) if len(longer) == 1 else name
