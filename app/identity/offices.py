"""Who held an office on the day a document was published: "the president"
in an article of 2016 is Barack Obama, "the administration" his
administration, "President Obama" the Barack Obama of every other article.

Shipped knowledge, like an alias table: a few United States offices that
news names without the holder's name, with their holders and their dates.
It is read only when the document's date is known, the words are the
office's and nothing else ("the former president", "the French president"
and "the president of NDN" are not), and the text gives no one else that
title (``app.identity.people.PeopleInText.roles``). A holder's surname alone
("Obama") is the holder only for the offices whose holder news calls so
(``by_surname``), and only where the document names no one else of that
surname.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from app.identity.names import PersonName, person_name


@dataclass(frozen=True)
class Office:
    title: str
    words: re.Pattern[str]
    """The whole description, casefolded, without its article."""
    role: frozenset[str]
    """The title words a text puts before a holder's name ("President Obama")."""
    by_surname: bool
    holders: tuple[tuple[str, date, date | None], ...]
    """(full name, first day, day after the last), in order."""

    def holder(self, on: date) -> str | None:
        for name, first, until in self.holders:
            if first <= on and (until is None or on < until):
                return name
        return None


_US = r"(?:u\.?\s?s\.?|united states|american|america's)\s"
# One row an office: its title; the words that are its whole description
# (casefolded, without the article); the title words a text puts before a
# holder's name; whether news calls its holder by surname alone.
_OFFICES: tuple[tuple[str, str, str, bool], ...] = (
    (
        "President of the United States",
        rf"(?:{_US})?president(?: of the united states)?|commander[- ]in[- ]chief",
        "president",
        True,
    ),
    (
        "Vice President of the United States",
        rf"(?:{_US})?vice[- ]president(?: of the united states)?",
        "vice president",
        True,
    ),
    ("Secretary of State", rf"(?:{_US})?secretary of state", "secretary state", False),
    ("Attorney General", rf"(?:{_US})?attorney general", "attorney general", False),
    ("White House press secretary", r"white house press secretary", "press secretary", False),
    (
        "Director of the FBI",
        r"(?:fbi|f\.b\.i\.) director|director of the (?:fbi|f\.b\.i\.)",
        "director",
        False,
    ),
    (
        "Speaker of the House",
        r"house speaker|speaker of the house(?: of representatives)?",
        "speaker",
        False,
    ),
    ("Senate Majority Leader", r"senate majority leader", "majority leader", False),
    (
        "First Lady of the United States",
        r"first lady(?: of the united states)?",
        "first lady",
        False,
    ),
)
# One row a term, in order within an office: the office's title words (as
# above: they name one office, as a text's "President Obama" must), the
# holder, the first day, the day after the last ("" while in office).
_TERMS: tuple[tuple[str, str, str, str], ...] = (
    ("president", "George W. Bush", "2001-01-20", "2009-01-20"),
    ("president", "Barack Obama", "2009-01-20", "2017-01-20"),
    ("president", "Donald Trump", "2017-01-20", "2021-01-20"),
    ("president", "Joe Biden", "2021-01-20", "2025-01-20"),
    ("president", "Donald Trump", "2025-01-20", ""),
    ("vice president", "Dick Cheney", "2001-01-20", "2009-01-20"),
    ("vice president", "Joe Biden", "2009-01-20", "2017-01-20"),
    ("vice president", "Mike Pence", "2017-01-20", "2021-01-20"),
    ("vice president", "Kamala Harris", "2021-01-20", "2025-01-20"),
    ("secretary state", "Hillary Clinton", "2009-01-21", "2013-02-01"),
    ("secretary state", "John Kerry", "2013-02-01", "2017-02-01"),
    ("attorney general", "Eric Holder", "2009-02-03", "2015-04-27"),
    ("attorney general", "Loretta Lynch", "2015-04-27", "2017-01-20"),
    ("press secretary", "Jay Carney", "2011-02-11", "2014-06-20"),
    ("press secretary", "Josh Earnest", "2014-06-20", "2017-01-20"),
    ("director", "James Comey", "2013-09-04", "2017-05-09"),
    ("speaker", "John Boehner", "2011-01-05", "2015-10-29"),
    ("speaker", "Paul Ryan", "2015-10-29", "2019-01-03"),
    ("majority leader", "Harry Reid", "2007-01-03", "2015-01-03"),
    ("majority leader", "Mitch McConnell", "2015-01-03", "2021-01-20"),
    ("first lady", "Michelle Obama", "2009-01-20", "2017-01-20"),
)


def _terms(role: str) -> tuple[tuple[str, date, date | None], ...]:
    return tuple(
        (name, date.fromisoformat(first), date.fromisoformat(until) if until else None)
        for key, name, first, until in _TERMS
        if key == role
    )


OFFICES = tuple(
    Office(title, re.compile(rf"(?:{pattern})"), frozenset(role.split()), by_surname, _terms(role))
    for title, pattern, role, by_surname in _OFFICES
)
PRESIDENT = OFFICES[0]
_ARTICLE = re.compile(r"^(?:the|a)\s+")


def _bare(description: str) -> str:
    text = " ".join(description.replace("’", "'").split()).casefold().rstrip(",.;:")
    return _ARTICLE.sub("", text)


def described(description: str, on: date | None) -> tuple[Office, PersonName] | None:
    """ "the president", "The U.S. attorney general": the office that is
    the whole description and its holder on ``on``."""
    if on is None:
        return None
    bare = _bare(description)
    for office in OFFICES:
        if office.words.fullmatch(bare):
            holder = office.holder(on)
            name = person_name(holder) if holder else None
            return (office, name) if name is not None else None
    return None


def by_surname(mention: str, name: PersonName, on: date | None) -> tuple[PersonName, bool] | None:
    """ "President Obama", "Obama", "Vice President Biden" in an article of
    2016: the holder of an office whose surname this is, if the mention gives
    that office's title (then: ``True``) or the office is one whose holder
    news calls by surname alone. ``name`` is the mention's name (a surname
    alone)."""
    if on is None or len(name.tokens) != 1:
        return None
    said = set(re.findall(r"[a-z]+", _bare(mention)))
    found: dict[str, PersonName] = {}
    for office in OFFICES:
        holder = office.holder(on)
        full = person_name(holder) if holder else None
        if full is None or full.surname != name.surname:
            continue
        if office.role <= said and not said & {"former", "ex"}:
            return full, True  # the title says which: "Vice President Biden"
        if office.by_surname:
            found[full.short_key] = full
    return (next(iter(found.values())), False) if len(found) == 1 else None


def administration(description: str, on: date | None) -> str | None:
    """ "the administration" (of a document of 2016): "the Obama administration"."""
    if on is None or _bare(description) not in {"administration", "u.s. administration"}:
        return None
    holder = PRESIDENT.holder(on)
    name = person_name(holder) if holder else None
    return f"the {name.tokens[-1]} administration" if name is not None else None


def others_titled(office: Office, roles: dict[str, set[str]], holder: PersonName) -> bool:
    """Whether the text gives someone other than ``holder`` that office's
    title ("Mexican President Enrique Peña Nieto"; not "former President
    Bill Clinton" nor "Vice President Joe Biden" for the president)."""
    for key, words in roles.items():
        if key == holder.short_key or not office.role <= words:
            continue
        if words & {"former", "ex", "late"} or (office is PRESIDENT and "vice" in words):
            continue
        return True
    return False


def holder_described(
    description: str, on: date | None, roles: dict[str, set[str]]
) -> PersonName | None:
    """The holder of the office a description is, when no one else in the
    text has its title."""
    found = described(description, on)
    if found is None or others_titled(found[0], roles, found[1]):
        return None
    return found[1]


def titled_in_text(text: str, on: date | None) -> list[tuple[PersonName, int, int]]:
    """ "President Obama", "Vice President Biden" where a text of 2016 says
    so: the holder, and where ("Michelle Obama … President Obama … Obama":
    two Obamas, not one)."""
    if on is None:
        return []
    found = []
    for office in OFFICES:
        holder = office.holder(on)
        name = person_name(holder) if holder else None
        if name is None:
            continue
        title = r"\s+(?:of\s+)?".join(sorted(office.role, key=office.title.casefold().find))
        pattern = rf"\b{title}\s+{re.escape(name.tokens[-1])}\b"
        for match in re.finditer(pattern, text, re.IGNORECASE):
            found.append((name, match.start(), match.end()))
    return found


def former_holder(
    description: str, on: date | None, people: Iterable[PersonName]
) -> PersonName | None:
    """ "The former secretary of State" in an article of 2016 that names
    Hillary Clinton: the one person the document names who held that office
    before ``on`` (the table's holders only: "former" is no one else's)."""
    bare = re.sub(r"^former\s+", "", _bare(description))
    if on is None or bare == _bare(description):
        return None
    office = next((o for o in OFFICES if o.words.fullmatch(bare)), None)
    if office is None:
        return None
    before = {
        name.short_key
        for holder, _, until in office.holders
        if until is not None and until <= on and (name := person_name(holder)) is not None
    }
    named = {p.short_key: p for p in people if p.short_key in before}
    return next(iter(named.values())) if len(named) == 1 else None
