"""What a speaker mention says, read from its words alone: a pronoun, a
person's name, an organisation or outlet, an anonymous source, a group, a
description that points back at someone named before ("the candidate",
"the campaign", "ces mêmes sources"), or nothing a reader could place.

``app.identity.document`` then places each reading in its document.
"""

import re
from dataclasses import dataclass

from app.identity.genders import Gender, honorific_gender
from app.identity.mentions import (
    PRONOUNS,
    SPOUSE,
    SpeakerClass,
    classify_speaker,
    is_same_sources,
    one_organisation,
)
from app.identity.names import (
    HEAD_END,
    PersonName,
    bare_mention,
    name_key,
    person_name,
    unaccented,
    words,
)

# "the candidate", "the Republican nominee", "the former secretary of state",
# "le chef de la diplomatie américaine": a person described, not named.
PERSON_NOUNS = words(
    "candidate nominee president senator governor congressman congresswoman lawmaker "
    "secretary director spokesman spokeswoman spokesperson businessman businesswoman "
    "billionaire mogul chairman chairwoman chair mayor minister premier ambassador "
    "attorney judge justice commissioner leader speaker chief officer administrator "
    "representative rep sen gov vice-president vp author writer columnist reporter host "
    "anchor founder owner executive ceo manager adviser advisor aide strategist "
    "candidat président présidente ministre sénateur chef secrétaire porte-parole "
    "ambassadeur ambassadrice dirigeant maire juge émissaire envoyé émir roi prince "
    "maréchal général wife husband widow widower actress actor singer comedian economist "
    "admiral investor neurosurgeon surgeon pope veteran professor lawyer activist pollster"
)
PERSON_NOUNS = frozenset(unaccented(noun) for noun in PERSON_NOUNS)
# "the campaign", "the commission", "the newspaper": an organisation named before.
ORGANISATION_NOUNS = words(
    "campaign team commission committee council agency department administration "
    "newspaper paper network alliance bloc organization organisation group foundation "
    "center centre institute party government city state county office ministry board "
    "court union company firm bank fund station channel outlet magazine service "
    "gouvernement ministère journal agence parti"
)
MEDIA_NOUNS = words("newspaper paper network channel outlet magazine station journal")
PARTY_MEMBERS = words("republican democrat libertarian républicain démocrate")
# Collectives that are the same group in every document.
GLOBAL_GROUPS = words("republicans democrats")
COUNTRIES = words(
    "russia china japan germany france britain england italy spain iran iraq syria israel "
    "egypt libya turkey mexico canada cuba india pakistan afghanistan ukraine poland "
    "lithuania latvia estonia belarus georgia brazil venezuela argentina colombia "
    "saudi-arabia qatar jordan lebanon yemen somalia nigeria kenya ethiopia sudan "
    "korea vietnam taiwan australia sweden norway denmark finland greece hungary "
    "romania bulgaria serbia croatia belgium netherlands switzerland austria ireland "
    "portugal algeria morocco tunisia emirates washington moscow beijing tokyo paris "
    "berlin london pyongyang seoul tehran damascus tripoli kiev kyiv cairo ankara "
    "russie chine allemagne royaume-uni italie espagne égypte libye turquie "
    "etats-unis états-unis amérique"
)
DEMONYMS = frozenset(
    unaccented(word)
    for word in words(
        "american european russian chinese british french german mexican canadian israeli "
        "iranian syrian ukrainian japanese korean italian spanish turkish egyptian african "
        "asian arab palestinian iraqi afghan pakistani indian cuban polish greek "
        "américain européen russe chinois britannique allemand mexicain israélien iranien syrien"
    )
)
"""A people's adjective alone ("European", "Russian") names no person."""
CONJUNCTION = re.compile(r"\s(?:and|et|&|or|ou)\s|,\s*(?:others|and)\b", re.IGNORECASE)
TWO_ROLES = re.compile(
    r"^(?:the|le|la)\s+(?P<first>[^,]+?)\s+(?:and|et)\s+"
    r"(?!(?:the|a|an|his|her|their|its|le|la|les|un|une|son|sa|ses)\s)(?P<second>[^,]+)$",
    re.IGNORECASE,
)
POSSESSIVE_OWNER = re.compile(
    r"^(?:the\s+)?(?P<owner>.+?)(?:'s|’s|')\s+(?:\w+\s+)?(?P<noun>campaign|team|camp|office)$",
    re.IGNORECASE,
)
OWNER_BEFORE = re.compile(
    r"^(?:[Tt]he\s+)?(?!(?:The|A|An|This|That|Its)\s)"
    r"(?P<owner>[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*)*)\s+(?P<noun>campaign|team|camp)$"
)
# What someone says through: "a Donald Trump tweet", "A web video by the RNC".
SPEECH_NOUNS = words(
    "ad ads video videos spot spots clip clips statement statements tweet tweets release "
    "letter memo email emails report complaint commercial message post remarks comments "
    "speech interview op-ed column book website account filing lawsuit brief submission "
    "motion testimony form"
)
# "Ivana Trump's brief", "Her submission to the court": the owner speaks.
SPOKEN_THROUGH = re.compile(
    r"^(?P<owner>[^,]+?)(?:'s|’s|')\s+(?:(?:[a-z][\w-]*|[A-Z]{2,6})\s+){0,3}(?:"
    + "|".join(sorted(SPEECH_NOUNS))
    + r")\b.*$"
    r"|^(?P<pronoun>his|her|their|its)\s+(?:[\w-]+\s+)?(?:"
    + "|".join(sorted(SPEECH_NOUNS))
    + r")\b.*$",
    re.IGNORECASE,
)
SPOKEN_BY = re.compile(
    r"^(?:an?|the|this|that)?\s*(?:[\w-]+\s+){0,3}?(?:"
    + "|".join(sorted(SPEECH_NOUNS))
    + r")\s+(?:from|by|of)\s+(?P<owner>.+)$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Reading:
    """What a mention says. ``what`` is one of:

    - ``person``: ``person`` is the name;
    - ``organisation``: ``kind`` (organisation, media, government) and ``key``;
    - ``campaign``: the campaign (or team, office) of ``owner`` (a name, or a
      pronoun to resolve);
    - ``anonymous``, ``group``, ``conjunction``: a document's own group, ``key``;
    - ``pronoun``: ``word``, with ``gender`` for he/she;
    - ``same_sources``: "the same sources", "ces sources diplomatiques";
    - ``person_description``: "the candidate" (``word``: its noun);
    - ``thing_description``: "the commission", "the newspaper" (``word``);
    - ``unplaced``: nothing a reader could place from the words alone.
    """

    what: str
    kind: str = "person"
    key: str = ""
    display: str = ""
    person: PersonName | None = None
    owner: str | None = None
    word: str = ""
    gender: Gender | None = None


FRENCH_DESCRIPTION = re.compile(r"^(?:le|la|les|l'|l’|un|une|des|ce|cette|ces)\s", re.IGNORECASE)
FRENCH_HEAD_END = re.compile(r" (?:de |du |des |d'|d’|en |à |au |aux )")


def _head(mention: str) -> str:
    """What a mention names, before what qualifies it; in French a
    description ends at its complement ("le chef | de la diplomatie")."""
    flat = " ".join(mention.split())
    head = HEAD_END.split(flat, maxsplit=1)[0]
    if FRENCH_DESCRIPTION.match(head):
        head = FRENCH_HEAD_END.split(head, maxsplit=1)[0]
    return head.strip(" ,.;:\"'“”‘’«»")


def _nouns(text: str) -> list[str]:
    return re.findall(r"[^\W\d_][\w'’-]*", unaccented(text.casefold()))


def _last_lowercase_noun(head: str) -> str | None:
    """The head's last word when it is not capitalised ("The New York
    businessman": businessman), the noun that decides what it names."""
    tokens = re.findall(r"[^\W\d_][\w'’-]*", head)
    if tokens and tokens[-1][:1].islower():
        return unaccented(tokens[-1].casefold())
    return None


def read_mention(mention: str) -> Reading:
    key = bare_mention(mention)
    flat = " ".join(mention.split()).strip(' ,.;:"“”«»')
    if key in PRONOUNS:
        return Reading("pronoun", word=key, gender=_pronoun_gender(key))
    spouse = SPOUSE.match(flat)
    if spouse:  # "Keith Scott's wife", "l'épouse de Keith Scott": not Keith Scott
        return Reading("person_description", word=(spouse["noun"] or spouse["noun2"]).casefold())
    if is_same_sources(mention):
        return Reading("same_sources", kind="anonymous", key=key, display=flat)
    spoken = SPOKEN_BY.match(flat) or SPOKEN_THROUGH.match(flat)
    if spoken:
        owner = spoken.groupdict().get("owner") or spoken.groupdict().get("pronoun")
        if owner:
            return read_mention(owner)
    published = _published_by(flat)
    if published is not None:
        return published
    head = _head(mention)
    roles = TWO_ROLES.match(head)
    if roles and person_name(roles["first"]) is None and person_name(roles["second"]) is None:
        second = _nouns(roles["second"])[-1:]
        if second and second[0] in PERSON_NOUNS:
            # "The former first lady and U.S. senator": one person, two roles
            return Reading("person_description", word=second[0])
    if (CONJUNCTION.search(head) and not one_organisation(head)) or re.search(
        r",\s*(?:and\s+)?others\b", flat
    ):
        # "Obama, others vow consequences": a group, not Obama
        return Reading("conjunction", kind="group", key=_conjunction_key(flat), display=flat)
    owned = POSSESSIVE_OWNER.match(head) or OWNER_BEFORE.match(head)
    if owned:
        return Reading(
            "campaign", kind="organisation", owner=owned["owner"], word=owned["noun"].casefold()
        )
    kind: SpeakerClass = classify_speaker(mention)
    nouns = _nouns(head)
    if kind == "anonymous":
        return Reading("anonymous", kind="anonymous", key=_group_key(flat), display=flat)
    if kind == "group":
        last = nouns[-1] if nouns else ""
        if len(nouns) == 1 and last in GLOBAL_GROUPS:
            return Reading("organisation", kind="group", key=last, display=head)
        return Reading("group", kind="group", key=_group_key(flat), display=flat)
    if kind in {"organisation", "media"} or (nouns and nouns[-1] in SPEECH_NOUNS):
        if not _capitalised_beyond_article(head):
            if nouns and _is_the(head):
                # "the commission", "the newspaper", "the statement"
                return Reading("thing_description", kind=kind, word=nouns[-1], display=head)
            # "police", "government": a generic body of this document
            return Reading("group", kind="organisation", key=_group_key(flat), display=flat)
        if kind in {"organisation", "media"}:
            head = unqualified(head)
            return Reading("organisation", kind=kind, key=name_key(head), display=head)
    if (nouns and "-".join(nouns) in COUNTRIES) or (
        nouns and nouns[-1] in COUNTRIES and len(nouns) <= 2
    ):
        return Reading("organisation", kind="government", key=name_key(head), display=head)
    people = [n.removesuffix("s") for n in nouns if n not in {"the", "les", "le", "la", "l"}]
    if len(people) == 1 and people[0] in DEMONYMS:
        # "the European reluctance", "the Russians": a people, no person so called
        return Reading("group", kind="group", key=people[0], display=flat)
    letters = re.sub(r"(?:'s|’s)$", "", head.removeprefix("the ").removeprefix("The "))
    if re.fullmatch(r"(?:[A-Z]\.){1,5}[A-Z]\.?|[A-Z]{2,6}", letters):
        return Reading("organisation", kind="organisation", key=name_key(head), display=head)
    noun = _last_lowercase_noun(head)
    name = person_name(mention)
    after_comma = flat.split(",", 1)[1] if "," in flat else ""
    if noun is not None and after_comma:
        # "le secrétaire d'Etat, Mike Pompeo", "Trump's running mate, Indiana Gov.
        # Mike Pence": the description, then the name
        named = person_name(after_comma)
        if (
            named is not None
            and len(named.tokens) >= 2
            and (noun in PERSON_NOUNS or _owner_like(named, "statement"))
        ):
            return Reading("person", key=named.short_key, display=named.display, person=named)
    if noun is not None and noun in ORGANISATION_NOUNS and len(nouns) <= 3:
        return Reading("thing_description", kind="organisation", word=noun, display=head)
    if name is not None and noun is None and _institution(head, name):
        return Reading("organisation", kind="organisation", key=name_key(head), display=head)
    if name is not None and noun in ADS and _owner_like(name, noun):
        # "a Hillary Clinton ad in 2008": her campaign's (that year's)
        year = _AD_YEAR.search(flat)
        owner = name.display
        return Reading("campaign", "organisation", year[1] or year[2] if year else "", owner=owner)
    if name is not None and (noun is None or _owner_like(name, noun)):
        return Reading(
            "person",
            key=name.short_key,
            display=name.display,
            person=name,
            gender=honorific_gender(mention.split(",")[0]),  # not "…, Miss Universe"
        )
    if noun is not None and noun in PERSON_NOUNS:
        return Reading("person_description", word=noun)
    if len(nouns) == 2 and _is_the(head) and nouns[-1] in PARTY_MEMBERS:
        # "The Republican": a person of that party, the document's main one
        return Reading("person_description", word=nouns[-1])
    if nouns and nouns[-1] in PERSON_NOUNS and (_is_the(head) or len(nouns) == 1):
        # "the senator"; "Senator from Texas", "Judge" (a headline's)
        return Reading("person_description", word=nouns[-1])
    return Reading("unplaced", key=key, display=flat)


ADS = words("ad ads advertisement spot spots commercial commercials")
_AD_YEAR = re.compile(
    r"\b((?:19|20)\d\d)\s+(?:campaign\s+)?ad\b|\bad\s+(?:in|from|of)\s+((?:19|20)\d\d)\b"
)
_QUALIFIED_NAME = re.compile(
    r"^[Tt]he\s+(?:[a-z][\w-]*\s+){1,3}(?P<name>[A-Z][\w.&'’-]*(?:\s+[A-Z][\w.&'’-]*)+)$"
)


def unqualified(head: str) -> str:
    """ "the nonpartisan Congressional Budget Office", "the conservative-leaning
    Tax Foundation": the name without the writer's qualifiers, one key with
    "The Tax Foundation" (a name of two capitalised words or more, all
    capitalised: "the state Department" keeps its word)."""
    match = _QUALIFIED_NAME.match(head)
    if match is None:
        return head
    return "The " + match["name"]


_DOCUMENT_NOUNS = words(
    "plan act law bill agreement accord treaty deal program programme rule rules amendment "
    "order initiative policy strategy budget report study"
)


def _institution(head: str, name: PersonName) -> bool:
    """ "the Kremlin", "the United Nations", "the Brookings Institution": a
    name after "the" with no title and no first name is no person's ("the
    Clintons", a family, and "The Donald" are)."""
    from app.identity.genders import gender_of_name

    if not head.startswith(("the ", "The ")) or name.suffix:
        return False
    rest = head.split()[1:]
    if [token.rstrip(".") for token in rest] != list(name.tokens):
        return False  # a title went: "the Rev. Al Sharpton"
    if len(rest) == 1 and rest[0].endswith("s"):
        return False
    if rest[-1].casefold() in _DOCUMENT_NOUNS:
        return False  # "the Clean Power Plan", "the Affordable Care Act": a text
    return gender_of_name(rest[0]) is None


# "a New York Times report", "an RNC statement", "a USA TODAY analysis of …":
# what an organisation published speaks for it (an outlet's reporting too; a
# poll or a study stays a source of its own).
OWNER_THING = re.compile(
    r"^(?:[Aa]n?|[Tt]he|[Tt]his|[Tt]hat)?\s*(?P<owner>[A-Z][\w.&/'’-]*(?:\s+[A-Z][\w.&/'’-]*)*(?:\s+campaign)?)"
    r"(?:'s|’s|’|')?\s+(?:new|recent|latest|first|second|another|\d{4})?\s*"
    r"(?P<noun>[a-z][\w-]*)(?:\s+(?:of|on|about|released|published|from|in|last|this)\b.*)?$"
)
OUTLET_WORK = words("report reports analysis story article editorial investigation review")


def _published_by(flat: str) -> Reading | None:
    match = OWNER_THING.match(flat)
    if match is None:
        return None
    noun = match["noun"].casefold()
    if noun not in SPEECH_NOUNS and noun not in OUTLET_WORK:
        return None
    owner = read_mention(match["owner"])
    speaks = owner.what == "campaign" or (owner.what == "organisation" and owner.kind != "group")
    said = noun in SPEECH_NOUNS - OUTLET_WORK or owner.kind == "media"
    return owner if speaks and said else None


def _is_the(head: str) -> bool:
    return head.casefold().startswith(("the ", "this ", "that ", "le ", "la ", "l'", "l’"))


def _owner_like(name: PersonName, noun: str | None) -> bool:
    """ "a Donald Trump tweet": a person's full name before a thing said is
    the owner speaking through it; "The New York businessman" and "Keith
    Scott's wife" are not."""
    from app.identity.genders import gender_of_name

    return noun in SPEECH_NOUNS and len(name.tokens) >= 2 and gender_of_name(name.first) is not None


def _capitalised_beyond_article(head: str) -> bool:
    tokens = re.findall(r"[^\W\d_][\w'’.-]*", head)
    if tokens and tokens[0].casefold() in {
        "the",
        "a",
        "an",
        "this",
        "that",
        "le",
        "la",
        "les",
        "l'",
    }:
        tokens = tokens[1:]
    return any(token[:1].isupper() for token in tokens)


def _conjunction_key(text: str) -> str:
    """ "President Obama and Hillary Clinton", "Obama and Clinton": one
    group of the document, keyed by its people's surnames in any order,
    when every part names a person."""
    parts = [p for p in re.split(r"\s+(?:and|et|&)\s+|,\s*", text) if p.strip()]
    names = [person_name(part) for part in parts]
    if len(names) < 2 or any(n is None for n in names) or re.search(r"['’]s\b(?!\W*$)", text):
        return _group_key(text)
    return " & ".join(sorted(name.surname for name in names if name is not None))


def _group_key(text: str) -> str:
    key = name_key(text)
    return key or bare_mention(text)


def _pronoun_gender(word: str) -> Gender | None:
    if word in {"he", "him", "his", "himself", "il", "lui"}:
        return "male"
    if word in {"she", "her", "hers", "herself", "elle"}:
        return "female"
    return None


def specific(description: str) -> bool:
    """A description with a proper name in it beyond its first word (not
    the country of every office: "the U.S. senator")."""
    return any(
        word[:1].isupper() and word.strip(",.") not in NATIONAL for word in description.split()[1:]
    )


NATIONAL = frozenset({"U.S", "US", "American"})


def fits_noun(kind: str, key: str, noun: str, name: str = "") -> bool:
    """ "The commission" is the document's Commission on Presidential Debates
    (an organisation of that ``kind`` and name ``key``); "the newspaper" its outlet."""
    if kind not in {"organisation", "media", "government"}:
        return False
    if noun in SPEECH_NOUNS:
        return True  # "the ad", "the statement": the body that spoke through it
    if noun in MEDIA_NOUNS:
        return kind == "media"
    if noun in {"team", "camp"}:
        noun = "campaign"
    if noun in PUBLIC_BODIES and kind != "media":
        # "the Congressional Budget Office … the agency said"; not "a 46-page
        # analysis released by the Department": a body's name, every word capitalised
        return key.rsplit(" ", 1)[-1] in PUBLIC_BODIES and _BODY_NAME.match(name) is not None
    return noun in key.split()


_BODY_NAME = re.compile(
    r"^(?:(?:[Tt]he|[Aa]n?)\s+)?(?:[a-z][\w-]*\s+){0,2}[A-Z][\w.&'’-]*"
    r"(?:\s+(?:of|for|and|on|the|[A-Z][\w.&'’-]*))*$"
)
"""A body's name, after at most two qualifiers ("The nonpartisan Commission")."""
PUBLIC_BODIES = words("agency office bureau department administration service commission")
"""Nouns a writer uses for one another's public body: "the agency" is the
document's Congressional Budget Office, "the department" its Federal Bureau
of Prisons."""


def outlet_key(reading: Reading, outlets: set[str]) -> str:
    """ "the Post", "the Times": the document's one outlet of that name
    (``outlets``: the keys of those it names or comes from)."""
    words = reading.key.split()
    if reading.kind == "media" and len(words) == 1:
        matches = [o for o in outlets if o.split()[-1:] == words and o != reading.key]
        if len(matches) == 1:
            return matches[0]
    return reading.key
