"""Phrasings ``app.identity.wording`` reads before anything else, each
stated for any English news text: two people joined by "and" ("Sen. Bernie
Sanders (Vt.) and former Maryland governor Martin O'Malley"), a person's
share of something they said ("Much of Beck's ire"), a common noun for a
person written with a capital ("Woman Reveals …", a headline's), a
newspaper's editorial board; and a full name after a title and a role
("Former Secretary of State and Democratic presidential frontrunner
Hillary Clinton", "former secretary of state Hillary Clinton, who …")."""

import re
from collections.abc import Sequence

from app.identity.entities import Entity, Occurrence
from app.identity.names import name_key, person_name, words
from app.identity.readings import MEDIA_NOUNS, SPEECH_NOUNS, Reading, read_mention, unqualified
from app.identity.variants import trailing_name

_AND = re.compile(r"\s+(?:and|&)\s+")
_SHARE_OF = re.compile(
    r"^(?i:much|most|some|part|all|many|one|few)\s+of\s+"
    r"(?P<name>[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3})(?:'s|’s)\s+(?P<noun>[a-z][\w-]*)$"
)
_SAID_NOUNS = SPEECH_NOUNS | words(
    "ire anger criticism criticisms praise rhetoric argument arguments attack attacks case "
    "message response answer answers"
)
COMMON_PEOPLE = words(
    "woman man mother father mom dad widow widower wife husband son daughter girl boy "
    "teen teenager grandmother grandfather veteran soldier student doctor nurse pastor "
    "mayor sheriff cop officer judge"
)
"""Nouns that, alone and capitalised ("Woman Reveals …"), describe a person
and name no one."""
_EDITORIAL_BOARD = re.compile(
    r"^(?i:the)\s+(?:(?:paper|newspaper)(?:'s|’s)\s+)?editorial\s+(?:board|page|writers)$", re.I
)
_OUTLET_APPOSED = re.compile(
    r"^(?P<name>(?:[Tt]he\s+)?(?:[a-z][\w-]*\s+){0,2}[A-Z][\w.&'’-]*(?:\s+[A-Z][\w.&'’-]*)*),\s+"
    r"(?:the|an?|[A-Z][\w.]*(?:\s+[A-Z][\w.]*)*(?:'s|’s))\s+(?:[\w-]+\s+){0,3}"
    r"(?:newspaper|paper|tabloid|daily|magazine|network|channel|broadcaster|website|outlet|"
    r"news\s+agency|news\s+service|wire\s+service)$"
)
_NEWS_REPORT = re.compile(
    r"^(?i:an?|one)\s+(?:new\s+|recent\s+)?(?:news|newspaper|press|media)\s+"
    r"(?:report|story|article)(?:\s+(?:published|released)\b.*)?$"
)
OUTLET_REACH = 600
_OWN_CAMPAIGN = re.compile(r"^(?P<pronoun>his|her)\s+(?:[a-z-]+\s+)?(?P<noun>campaign|team|camp)$")
_ANSWER = re.compile(
    r"^(?P<pronoun>his|her|His|Her)\s+(?:[a-z-]+\s+)?(?:response|reply|answer|retort)$"
)
_FUNCTION_WORDS = words(
    "of to for with by from at in on about like including than as against versus and or but "
    "between among after before under over whom whose told called named said says them him "
    "us such"
)
_NO_ROLE = frozenset({"pronoun", "person", "conjunction", "organisation", "group", "anonymous"})
_CLAUSE = re.compile(r",|\s(?:who|which|that|whose|whom)\s")


def read_first(flat: str) -> Reading | None:
    """What these phrasings say, or None for any other mention."""
    if _two_people(flat):
        parts = _AND.split(_first_part(flat), maxsplit=1)
        names = [person_name(part) for part in parts]
        key = " & ".join(sorted(name.surname for name in names if name is not None))
        return Reading("conjunction", kind="group", key=key, display=flat)
    share = _SHARE_OF.match(flat)
    if share and share["noun"].casefold() in _SAID_NOUNS:
        owner = read_mention(share["name"])
        if owner.what == "person":
            return owner
    if flat.casefold() in COMMON_PEOPLE and flat[:1].isupper():
        return Reading("person_description", word=flat.casefold())
    own = _OWN_CAMPAIGN.match(flat)
    if own:  # "his campaign shelled out": his
        return Reading("campaign", kind="organisation", owner=own["pronoun"], word=own["noun"])
    answer = _ANSWER.match(flat)
    if answer:  # "his response": his
        return read_mention(answer["pronoun"])
    if flat.casefold() in MEDIA_NOUNS or _NEWS_REPORT.match(flat):
        # "Newspaper: Defense secretary used …", "A news report published Wednesday"
        return Reading("thing_description", kind="media", word="newspaper", display=flat)
    if _EDITORIAL_BOARD.match(flat):
        return read_mention("the newspaper")
    outlet = _OUTLET_APPOSED.match(flat)
    if outlet:  # "The pro-Christie Union Leader, New Hampshire's largest newspaper,"
        name = unqualified(outlet["name"])
        return Reading("organisation", kind="media", key=name_key(name), display=name)
    return None


def _first_part(flat: str) -> str:
    """The mention before its first comma, without what is in parentheses;
    after it when what comes first names no one ("Trump's leading Republican
    rivals, Sens. Ted Cruz of Texas and Marco Rubio of Florida")."""
    parts = re.sub(r"\s*\([^)]*\)", "", flat).split(",")
    first = parts[0].strip()
    if len(parts) > 1 and _AND.search(parts[1]) and read_mention(first).person is None:
        return parts[1].strip()
    return first


def _two_people(flat: str) -> bool:
    """ "Sens. Mark Kirk of Illinois and Susan Collins of Maine": each side of
    the "and" names a person, one of them in full ("Secretary of Health and
    Human Services Alex Azar" does not: no one is named before its "and")."""
    parts = _AND.split(_first_part(flat), maxsplit=1)
    return len(parts) == 2 and all(_one_named(part) for part in parts)


def _one_named(part: str) -> bool:
    """The part names a person and ends with the name (or where they are
    from): "former Maryland governor Martin O'Malley", "Sen. Warren", not
    "Michael R. Bloomberg's super PAC" nor "groups such as Emily's List"."""
    name = read_mention(part).person
    if name is None:
        return False
    bare = re.sub(r"\s+of\s+[A-Z][\w.]*(?:\s+[A-Z][\w.]*)*$", "", part.strip())
    last = re.escape(name.tokens[-1])
    if len(name.tokens) == 1:
        return re.search(rf"\b(?:Sens?|Reps?|Gov|Mr|Mrs|Ms|Dr)\.?\s+{last}$", bare) is not None
    return re.search(rf"\b{last}\.?$", bare) is not None


def titled_name(flat: str) -> str | None:
    """The full name a mention's first part ends with, after a title or a
    role ("Former Secretary of State and Democratic presidential frontrunner
    Hillary Clinton"), not after a word that relates it to someone else
    ("the ex-wife of Alan Grayson", "a spokesman for Bernie Sanders")."""
    head = _CLAUSE.split(re.sub(r"\s*\([^)]*\)", "", flat), maxsplit=1)[0].strip()
    named = trailing_name(head)
    if named is None:
        return None
    at = head.rfind(named.tokens[0])
    before = head[:at].split()
    if not before:
        return None
    joined = " ".join(before)
    if _AND.search(joined) and read_mention(_AND.split(joined)[0]).what in _NO_ROLE:
        return None  # "He and House Judiciary Committee Chairman Bob Goodlatte": two people
    last = before[-1].rstrip(".")
    if last.casefold() in _FUNCTION_WORDS or not re.fullmatch(r"[^\W\d_][\w-]*", last):
        return None
    if last[:1].isupper() and person_name(last) is not None and read_mention(last).what == "person":
        return None  # "President Obama Hillary Clinton": no role before the name
    return head[at:]


def outlet_named_next(text: str, start: int, entities: Sequence[Entity]) -> Occurrence | None:
    """ "Newspaper: Defense secretary used …", a headline's unnamed outlet:
    the one outlet of the document the text names next, within ``OUTLET_REACH``."""
    found: dict[int, Occurrence] = {}
    for index, entity in enumerate(entities):
        name = re.sub(r"^[Tt]he\s+", "", entity.name)
        at = text.find(name, start, start + OUTLET_REACH) if entity.kind == "media" else -1
        if at >= 0:
            found[index] = Occurrence(at, at + len(name), index, None)
    return next(iter(found.values())) if len(found) == 1 else None


def said_twice(mention: str) -> str | None:
    """The key of a phrase of three words or more, up to a dash, a comma or a
    "who" ("The old lions of the conservative movement—leaders with …"): a
    document's unplaced mentions with one such key are one speaker; not a
    share ("One in five") nor an indefinite ("a voter"), each time new."""
    head = re.split(r"\s*(?:—|–|--|,|\bwho\b|\bwhich\b)", " ".join(mention.split()))[0]
    words_ = re.findall(r"[\w'’-]+", head.casefold())
    if len(words_) < 3 or words_[0] in _QUANTITIES or words_[0][:1].isdigit():
        return None  # "One in five", "two-thirds": each time another share of a poll
    return "said:" + " ".join(words_)


_QUANTITIES = words(
    "one two three four five six seven eight nine ten half most some many few several all "
    "a an another nearly almost about more less majority"
)
