"""What kind of speaker a Source mention names (person, organisation, media,
group, anonymous, or an unresolved pronoun), decided from its words alone:
the kind is the actor's kind, and anonymous and pronoun mentions are counted
apart because they name nobody in particular."""

import re
from typing import Literal

from app.identity.names import HEAD_END, bare_mention, person_name, words

SpeakerClass = Literal["person", "organisation", "media", "group", "anonymous", "pronoun"]

PRONOUNS: dict[str, str] = {
    # Personal, possessive and relative pronouns ("Trump, who said"), and the
    # actor kind their unresolved mention gets.
    **dict.fromkeys(
        words("he she i me him her hers his himself herself my myself you your who whom whose"),
        "person",
    ),
    **dict.fromkeys(words("they them their theirs themselves we us our ourselves"), "group"),
    **dict.fromkeys(words("it its itself which that"), "organisation"),
    **dict.fromkeys(words("il elle lui celui celle qui"), "person"),
    **dict.fromkeys(words("ils elles eux nous on"), "group"),
}
# "Keith Scott's wife", "la femme de Keith Scott": a person named through a spouse.
SPOUSE_NOUNS: dict[str, Literal["male", "female"]] = {
    **dict.fromkeys(words("wife widow femme épouse veuve"), "female"),
    **dict.fromkeys(words("husband widower mari époux"), "male"),
}
SPOUSE = re.compile(
    r"^(?:the\s+)?(?P<owner>[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*)*)(?:'s|’s)\s+"
    r"(?P<noun>wife|husband|widow|widower)$"
    r"|^(?:the\s+|la\s+|le\s+|l['’]\s*)?(?P<noun2>wife|husband|widow|widower|femme|épouse|"
    r"veuve|mari|époux)\s+(?:of|de|d['’])\s*(?P<owner2>[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*)*)$",
    re.IGNORECASE,
)
ANONYMOUS_NOUNS = words(
    "source sources official officials aide aides insider insiders adviser advisers "
    "advisor advisors people person someone somebody spokesman spokeswoman spokesperson "
    "spokesmen spokeswomen spokespeople diplomat diplomats staffer staffers operative "
    "operatives strategist strategists analyst analysts expert experts observers "
    "critic critics witness witnesses "
    # French
    "responsable responsables diplomate diplomates proche proches conseiller conseillers "
    "porte-parole officiel officiels expert experts analyste analystes témoin témoins "
    "interlocuteur interlocuteurs"
)
# "officials familiar with", "a source close to": the noun still heads the mention.
QUALIFIERS = words(
    "familiar close with who in at for from of on inside within involved briefed "
    "knowledgeable speaking"
)
MEDIA_WORDS = words(
    "times post journal news press tribune herald gazette observer magazine newspaper "
    "network cnn msnbc fox nbc abc cbs npr pbs bbc reuters ap afp upi politico breitbart "
    "buzzfeed axios bloomberg"
)
ORGANISATION_WORDS = words(
    "campaign committee party department agency administration government court office "
    "council commission association union university institute foundation company "
    "corporation corp inc group organization organisation coalition board bank fund "
    "center centre bureau senate congress house pentagon ministry police poll polls "
    "survey study report statement website team service services"
)
GROUP_WORDS = words(
    "republicans democrats voters conservatives liberals progressives protesters "
    "supporters residents americans members leaders lawmakers senators delegates "
    "activists donors citizens students workers evangelicals independents"
)


def one_organisation(head: str) -> bool:
    """ "the Central and East European Coalition": an "and" inside one
    organisation's name (every word capitalised, the last an organisation's,
    none before the "and"), not two bodies ("the FBI and the CIA", "Clinton
    Foundation and State Department")."""
    tokens = re.findall(r"[^\W\d_][\w'’.-]*|&", head)
    if tokens and tokens[0].casefold() == "the":
        tokens = tokens[1:]
    joined = [i for i, t in enumerate(tokens) if t.casefold() in {"and", "&"}]
    if len(joined) != 1 or not tokens or tokens[-1].casefold() not in ORGANISATION_WORDS:
        return False
    if any(t.casefold() in ORGANISATION_WORDS | MEDIA_WORDS for t in tokens[: joined[0]]):
        return False
    return all(t[:1].isupper() or t.casefold() in {"and", "&", "of", "for"} for t in tokens)


def _acronym(mention: str) -> bool:
    """ "the FBI", "GOP", "CNN", not a name in capitals ("PENCE", "TRUMP")."""
    flat = re.sub(r"(?:'s|’s)$", "", " ".join(mention.split()))
    if re.fullmatch(r"(?:[Tt]he )?(?:[A-Z]\.){2,6}", flat):
        return True  # "the F.B.I.", "The N.A.A.C.P.'s"
    if re.fullmatch(r"[Tt]he [A-Z]{2,6}", flat):
        return True
    return re.fullmatch(r"[A-Z]{2,4}", flat) is not None and sum(c in "AEIOU" for c in flat) <= 1


def classify_speaker(mention: str) -> SpeakerClass:
    """What kind of speaker a Source mention names. Simple on purpose, and
    decided on the mention's head (what comes before a comma, a parenthesis
    or "of/for/at/from/with/who/which/that/in/on/to"):

    - a pronoun alone (He, they, who, which) → ``pronoun``: left unresolved;
    - a noun of ANONYMOUS_NOUNS heading the head (its last word, or followed
      by a qualifier: "officials familiar with ...", "a source close to ...")
      → ``anonymous``: "sources", "Clinton aides", "a senior official";
      "Spokeswoman Haley Morris" and "Bruce Haynes, a GOP strategist" are not;
    - last word an outlet word (Times, Post, News, CNN) → ``media``;
    - last word an organisation word ("O'Malley's campaign", "the White
      House") or an acronym ("the FBI", "GOP") → ``organisation``;
    - last word a plural collective (Republicans, voters) → ``group``;
    - anything else → ``person``.
    """
    key = bare_mention(mention)
    if key in PRONOUNS:
        return "pronoun"
    head = HEAD_END.split(key, maxsplit=1)[0]
    words = re.findall(r"[^\W_]+(?:'[^\W_]+)?", head)
    if not words:
        return "person"
    tokens = re.findall(r"[^\W\d_][\w'’-]*", HEAD_END.split(" ".join(mention.split()), 1)[0])
    for index, word in enumerate(words):
        if word not in ANONYMOUS_NOUNS:
            continue
        after = tokens[index + 1 :] if len(tokens) == len(words) else []
        # "sources familiar with", "des diplomates américains": qualifiers and
        # adjectives after the noun; "Spokeswoman Haley Morris" names someone.
        if (
            index == len(words) - 1
            or words[index + 1] in QUALIFIERS
            or (after and all(t[:1].islower() for t in after))
        ):
            return "anonymous"
    last = words[-1].removesuffix("'s")
    if last in MEDIA_WORDS or (last == "today" and words[-2:-1] == ["usa"]):
        return "media"
    if last in ORGANISATION_WORDS or _acronym(mention):
        return "organisation"
    if last in GROUP_WORDS:
        return "group"
    return "person"


SAME_SOURCES = re.compile(
    r"^(?:the|those|these|ces|les)\s+(?:same|mêmes?)\s+\w+"
    r"|^(?:ces|those|these)\s+(?:sources|officials|diplomates|responsables|people|aides)\b"
)


def is_same_sources(mention: str) -> bool:
    """ "The same sources", "ces mêmes sources", "ces sources diplomatiques",
    "those officials": the text points back at a group it named before."""
    return SAME_SOURCES.match(bare_mention(mention)) is not None


def is_description(mention: str) -> bool:
    """A person mention that names nobody: "the senator", "the Republican
    nominee", "le chef de la diplomatie américaine"."""
    key = bare_mention(mention)
    return key not in PRONOUNS and person_name(mention) is None and bool(key)
