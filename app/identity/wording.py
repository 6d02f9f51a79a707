"""What a mention's words say where ``app.identity.readings`` reads them
too literally: what follows a thing's noun ("a survey released last
Thursday"), an organisation's possessive before a name ("Purple PAC's
Crane") or before its reporting ("Fox News's reporting"), a name with the
noun "group" after it ("The Future45 group"), a description's hyphenated
word in a headline ("Oscar-winner Sarandon"), two roles joined before one
name ("columnist and Fox News contributor George Will"), and a list ending
"and other libertarians". ``reading_of`` is ``read_mention`` with these
read first; each is stated for any English news text."""

import re

from app.identity import phrasing
from app.identity.genders import gender_of_name
from app.identity.names import name_key, person_name, words
from app.identity.readings import ORGANISATION_NOUNS, PERSON_NOUNS, Reading, read_mention
from app.identity.variants import trailing_name

_PARTICIPLE = re.compile(
    r"^(?P<thing>.+?\b(?:survey|poll|study|report|statement|analysis|memo|letter))\s+"
    r"(?:released|published|conducted|taken|issued|made public|out)\b.*$",
    re.IGNORECASE,
)
DATE_WORDS = words(
    "monday tuesday wednesday thursday friday saturday sunday january february march "
    "april june july august september october november december"
)
"""A day or a month is no one's name ("… released last Thursday"); "May" is a name."""
_OTHERS = re.compile(r"\b(?:and|or)\s+(?:other|fellow)\s+[a-z][\w-]*s\b")
_POSSESSIVE_NAME = re.compile(
    r"^(?P<owner>.+?)(?:'s|’s)\s+(?P<name>[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,2})$"
)
_OUTLET_WORK = re.compile(
    r"^(?P<owner>.+?)(?:'s|’s|')\s+(?:[a-z-]+\s+)?(?:reporting|coverage|reports?|analysis|"
    r"stories|story|articles?|editorials?|investigation|review)$"
)
_NAMED_GROUP = re.compile(
    r"^(?:[Tt]he\s+)?(?P<name>[A-Z][\w.&'’-]*(?:\s+[A-Z][\w.&'’-]*){0,3})\s+"
    r"(?:group|organization|organisation|committee|coalition)\b"
)
_TWO_ROLES = re.compile(r"^(?P<first>[^,]+?)\s+and\s+(?P<second>.+)$")
_ALONG_WITH = re.compile(r",?\s+(?:along|together)\s+with\s+[A-Z]")
_NUMBERED = re.compile(
    r"^(?:the|these|those)\s+(?:two|three|four|five|six|seven|eight|nine|ten|\d+)\s+", re.I
)
_OWN_THING = re.compile(
    r"^(?i:an?|another|the|this|that|one)\s+(?P<name>[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,2})\s+"
    r"(?:email|e-mail|letter|memo|tweet|op-ed|column|note)$"
)
_COLLECTION = re.compile(
    r"(?:^(?:the|these|those)\s+|\b(?:pages|batch|batches|trove|cache|set|sets|collection)\s+of\s+"
    r".*|(?:'s|’s)\s+(?:[a-z-]+\s+)?)(?P<noun>emails|e-mails|documents|records|files|cables)$",
    re.I,
)
_TRAILING_PERSON = re.compile(r"^(?:one|a|an)\s.*,\s+(?P<name>[^,]+)$", re.I)
_TITLE_CASE_NOUNS = words("winner veteran hero activist voter")
OUTLET_WORDS = words(
    "journalism news times post journal herald tribune gazette daily magazine radio press media "
    "chronicle examiner inquirer globe sun telegraph"
)
"""The last word of an outlet's name ("Western Journalism", "The Las Vegas Sun")."""
_DESCRIPTIVE = re.compile(r"^[A-Z][\w'’]*-[a-z]")  # "Oscar-winner", "Texas-based"


def reading_of(mention: str) -> Reading:
    """What ``mention`` names (``app.identity.readings.Reading``)."""
    flat = " ".join(mention.split()).strip(" ,.;:")
    flat = re.sub(r"^[Bb]y\s+(?=\S)", "", flat)  # "Named By Police": the police
    phrased = phrasing.read_first(flat)
    if phrased is not None:
        return phrased
    thing = _PARTICIPLE.match(flat)
    if thing:  # "a New York Times/CBS News survey released last Thursday": the survey
        return read_mention(thing["thing"])
    flat = re.sub(r"\s*\([^)]*\)$", "", flat)  # "… McDonough (then deputy adviser)"
    flat = re.sub(r"\b(?:Deputy\s+)?Chief\s+of\s+Staff\s+", "", flat)  # no "Staff Denis"
    collection = _COLLECTION.search(flat)
    if collection:  # "1,100 pages of Hillary Clinton's emails", "The emails": a collection
        key = f"doc:{collection['noun'].casefold()}"
        return Reading("group", kind="group", key=key, display=flat)
    own = _OWN_THING.match(flat)
    if own:  # "Another Slaughter email": Slaughter's; "a White House memo": its
        owner = read_mention(own["name"])
        if owner.what in {"person", "organisation"}:
            return owner
    if _OTHERS.search(flat) or _ALONG_WITH.search(flat) or _NUMBERED.match(flat):
        # "Crane, Kibbe and other libertarians"; "Ms. Epstein, along with Judge
        # Richard A. Posner and …"; "The three scholars - Mr. Tribe, …": a group
        return Reading("conjunction", kind="group", key=name_key(flat), display=flat)
    work = _OUTLET_WORK.match(flat)
    if work:  # "Fox News's reporting": the outlet
        owner = read_mention(work["owner"])
        if owner.what == "organisation" and owner.kind in {"media", "organisation"}:
            return owner
    owned = _POSSESSIVE_NAME.match(flat)
    if owned:  # "Purple PAC's Crane": Crane, of Purple PAC
        owner, name = read_mention(owned["owner"]), person_name(owned["name"])
        acronym = re.fullmatch(r"[A-Z]{2,6}", owned["owner"].split()[-1])  # "PAC"
        if (owner.what == "organisation" or acronym) and name is not None:
            return _person(owned["name"])
    group = _NAMED_GROUP.match(flat)
    if group and reading_of(group["name"]).what == "organisation":
        # "The Future45 group, funded by …": Future45
        return Reading(
            "organisation", kind="organisation", key=name_key(group["name"]), display=group["name"]
        )
    trailing = _TRAILING_PERSON.match(flat)
    last = read_mention(trailing["name"]) if trailing else None
    if (
        last is not None
        and last.person is not None
        and len(last.person.tokens) >= 2
        and read_mention(flat.rsplit(",", 1)[0]).what != "person"
    ):  # "One of Grayson's former supporters …, former Colorado Rep. Pat Schroeder"
        return last
    reading = read_mention(flat if flat != " ".join(mention.split()).strip(" ,.;:") else mention)
    if reading.what == "conjunction":
        roles = _TWO_ROLES.match(flat)
        named = trailing_name(flat)
        first = roles["first"].split()[-1] if roles else ""
        if named and first.islower() and first in PERSON_NOUNS:
            # "Conservative columnist and Fox News contributor George Will": one person
            return _person(named.display)
    titled = phrasing.titled_name(flat)
    if (
        titled is not None
        and reading.what in {"person", "person_description", "unplaced", "conjunction"}
        and (reading.person is None or reading.person.tokens[-1] not in titled.split())
    ):  # "former secretary of state Hillary Clinton, who praised George W. Bush"
        return _person(titled)
    if reading.what == "person" and reading.person is not None:
        tokens = reading.person.tokens
        if any(any(c.isdigit() for c in t) for t in tokens):
            # "Future45": a name with a digit is no person's
            return Reading(
                "organisation", kind="organisation", key=reading.key, display=reading.display
            )
        if any(t.casefold() in DATE_WORDS for t in tokens):
            return Reading("unplaced", key=reading.key, display=flat)
        final = tokens[-1].casefold()
        outlet = final in OUTLET_WORDS and len(tokens) > 1
        if (outlet or final in ORGANISATION_NOUNS | {"district"}) and not (
            len(tokens) > 1 and gender_of_name(tokens[0])
        ):  # "Islamic State", "New York's 19th District", "Western Journalism": no one's name
            display = " ".join(tokens)
            kind = "media" if outlet else "organisation"
            return Reading("organisation", kind=kind, key=name_key(display), display=display)
        noun = tokens[-1].casefold()
        nouns = PERSON_NOUNS | _TITLE_CASE_NOUNS
        if len(tokens) >= 2 and noun in nouns and gender_of_name(tokens[0]) is None:
            # "Republican Medal Of Honor Winner" (a headline's capitals): a description
            return Reading("person_description", word=noun)
        if len(tokens) >= 3 and tokens[0].casefold() in PERSON_NOUNS:
            return _person(" ".join(tokens[1:]))  # "Actress Amandla Stenberg"
        described = [i for i, t in enumerate(tokens) if _DESCRIPTIVE.match(t)]
        if described and described[-1] < len(tokens) - 1:
            # "Liberal Oscar-winner Sarandon": Sarandon
            return _person(" ".join(tokens[described[-1] + 1 :]))
    return reading


def _person(name: str) -> Reading:
    reading = read_mention(name)
    return reading if reading.what == "person" else Reading("unplaced", display=name)
