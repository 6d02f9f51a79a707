"""What someone put out, named again: "Hillary Clinton has a new campaign
ad … The 30-second spot", "The Republican National Committee is filing a
complaint … The GOP's complaint". A definite description repeats a thing
the text just introduced; it speaks for whoever the text said put it out."""

import re
from collections.abc import Sequence
from dataclasses import dataclass

from app.identity.cataphora import new_item
from app.identity.entities import Occurrence
from app.identity.names import words
from app.identity.people import role_words
from app.identity.readings import SPEECH_NOUNS

INTRODUCED_REACH = 600
"""From the sentence that introduces a thing to the description that repeats it."""
ADVERTISING = words(
    "ad ads advertisement advertisements spot spots commercial commercials video videos clip clips"
)
"""Words a writer uses in turn for one advertisement ("a new ad … The 30-second spot")."""
_NOUNS = "|".join(sorted(SPEECH_NOUNS | ADVERTISING, key=len, reverse=True))
_INTRODUCED = re.compile(
    r"\s(?:has|have|had|released|releases|is releasing|unveiled|unveils|launched|launches|"
    r"is launching|is airing|aired|airs|began airing|put out|puts out|rolled out|issued|"
    r"issues|is issuing|filed|files|is filing|has filed|sent|sends|published|publishes|"
    r"posted|posts|provided|provides|gave|gives)\s+an?\s+(?P<words>(?:[\w’'-]+\s+){0,3}?)(?P<noun>"
    + _NOUNS
    + r")\b"
)
_DONE_NOUNS = {
    "emailed": words("email emails e-mail message"),
    "tweeted": words("tweet tweets post message"),
    "texted": words("text message"),
    "wrote": words("letter memo note column op-ed essay post email"),
}
"""What a verb puts out, named again as a noun ("emailed … The email")."""
_DONE = re.compile(r"\s(?P<verb>" + "|".join(_DONE_NOUNS) + r")\b")
_POSSESSED = re.compile(
    r"^(?P<owner>(?:[Tt]he\s+)?[A-Z][\w.&'’-]*(?:\s+[A-Z][\w.&'’-]*)*)(?:'s|’s)\s+"
    r"(?:[\w-]+\s+)?(?P<noun>" + _NOUNS + r")\b"
)


@dataclass(frozen=True)
class Introduced:
    by: Occurrence
    """Who the text said put the thing out: the speaker or name right before the verb."""
    campaign: bool
    """ "a new campaign ad": the campaign of the person who has it."""


def same_thing(noun: str, other: str) -> bool:
    """ "the complaint" repeats "a complaint"; "the spot" repeats "an ad"."""
    singular = noun.removesuffix("s"), other.removesuffix("s")
    return singular[0] == singular[1] or (noun in ADVERTISING and other in ADVERTISING)


def introduced(
    text: str, start: int, noun: str, occurrences: Sequence[Occurrence]
) -> Introduced | None:
    """The last thing of ``noun``'s kind the text introduced before
    ``start``, in the same live blog item, and who put it out: "Hillary
    Clinton has a new campaign ad hitting …" (the name right before the verb)."""
    last: tuple[int, int, bool] | None = None  # where the verb starts, ends; "campaign"
    origin = max(0, start - INTRODUCED_REACH)
    for match in _INTRODUCED.finditer(text, origin, start):
        if same_thing(noun.casefold(), match["noun"].casefold()):
            last = match.start(), match.end(), "campaign" in match["words"].split()
    for match in _DONE.finditer(text, origin, start):
        # "Huma Abedin, vice chairwoman …, emailed supporters … The email": hers
        if noun.casefold() in _DONE_NOUNS[match["verb"]] and (
            last is None or match.start() > last[0]
        ):
            last = match.start(), match.end(), False
    if last is None or new_item(text, last[1], start):
        return None
    before = [o for o in occurrences if o.end <= last[0] and not text[o.end : last[0]].strip()]
    if not before:
        return None
    by = max(before, key=lambda o: o.end)
    return Introduced(by, last[2])


def possessed(mention: str) -> tuple[str, str] | None:
    """ "The GOP's complaint to the D.C. Court of Appeals": its owner and noun."""
    match = _POSSESSED.match(" ".join(mention.split()))
    return (match["owner"], match["noun"]) if match else None


def may_name(owner: str, name: str) -> bool:
    """ "The GOP" may name the Republican National Committee: its words
    (abbreviations folded) are all the other's."""
    wanted = role_words(owner)
    return bool(wanted) and wanted <= role_words(name)
