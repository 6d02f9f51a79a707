"""What the words around a mention say of it, for any English news text:

- a pronoun in a sentence that names one person it may be, outside a
  quotation and with no other speaker between, is that person ("The
  images have not prompted Mr. Obama to abandon his reluctance"; "while
  Mr. Carson, the retired neurosurgeon, has struggled before, his
  inability"), whoever spoke last; a name used as a noun's modifier ("a
  Clinton supporter") is no such person;
- a definite description right after a person's name and a comma is that
  person ("than Clinton, the 68-year-old former secretary of state");
- a kinship noun with a first name in apposition ("Her father, Brad, 39,")
  is one person of the document, of the noun's gender;
- a country's name the text uses only as the surname of one person it
  names ("Rep. Steve Israel … Israel said") is that person;
- an outlet's one-word name ("the Times") is the one outlet of that last
  word the text writes out ("The New York Times reported"), even when that
  outlet is no speaker.
"""

import itertools
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence

from app.identity.entities import Entity, Mention, Occurrence
from app.identity.genders import Gender, noun_gender
from app.identity.names import PersonName
from app.identity.people import PeopleInText
from app.identity.readings import Reading
from app.identity.subjects import opens_sentence, said_after, sentence_start

_QUOTES = frozenset('"“”«»')
_INDEFINITE = re.compile(r"^\s*(?:an?|another|one)\s", re.IGNORECASE)


def introduces(text: str, start: int, description: str) -> bool:
    """ "overheard by a reporter": an indefinite description introduces
    someone, who is no one named before; not one in apposition ("the Trump
    of the primaries, a rough-hewed candidate")."""
    return bool(_INDEFINITE.match(description)) and not re.search(
        r"[,(—–-]\s*$", text[max(0, start - 5) : start]
    )


_PRONOUN = re.compile(r"\b(?:he|she|him|his|her|hers)\b", re.IGNORECASE)
_SPEAKS = re.compile(r"\w+\s+(?:said|says|added|adds|told|tells|wrote|writes)\b")
_MODIFIER_BEFORE = re.compile(r"\b(?:[Aa]n?|[Tt]he|[Tt]his|[Tt]hat)\s+(?:[a-z-]+\s+){0,2}$")
_MODIFIER_AFTER = re.compile(r"^(?:\s+[a-z][\w-]*)")


_OWNS_NAMED = re.compile(r"(?:'s|’s)\s+[A-Z][a-z]+(?:\s+[A-Z][a-z]+)*(?=[.,;:!?)])")
"""A possessive before a named thing that ends a clause ("Putin's Russia,",
"Obama's Affordable Care Act."; not "Trump's RT appearance", nor a headline's
capitals: "Schlafly's Final Column Explains Why She …")."""


def attributive(text: str, o: Occurrence) -> bool:
    """ "a Clinton supporter", "a possible Trump administration": a name the
    text uses as a noun's modifier, where no "he" or "she" finds its person."""
    modifier = _MODIFIER_BEFORE.search(text[max(0, o.start - 30) : o.start]) and (
        _MODIFIER_AFTER.match(text[o.end : o.end + 20])
    )
    return (o.mention is None and bool(modifier)) or owns_named(text, o)


def owns_named(text: str, o: Occurrence) -> bool:
    """ "President Obama's Affordable Care Act.", "Putin's Russia,": a named
    thing's owner, the text's name for the thing, not for the person."""
    return o.mention is None and _OWNS_NAMED.match(text, o.end) is not None


def named_in_paragraph(
    text: str,
    start: int,
    found: Occurrence,
    occurrences: Sequence[Occurrence],
    fits: Callable[[int], bool],
) -> Occurrence | None:
    """ "“…,” said Mr. Gunnels.⏎But when it comes to Mr. Sanders's proudest
    moments, it is the losses that stand out. He was among 25 senators": a
    "he" opening a sentence of a new paragraph is the person that paragraph
    named in an earlier sentence, not the last speaker of the one before,
    when the document names that person at least as often."""
    paragraph = text.rfind("\n", 0, start) + 1
    sentence = sentence_start(text, start)
    if found.end > paragraph or text[sentence:start].strip() or sentence <= paragraph:
        return None
    named = [
        o
        for o in occurrences
        if paragraph <= o.start < sentence and o.entity != found.entity and fits(o.entity)
    ]
    if len({o.entity for o in named}) != 1:
        return None
    times = Counter(o.entity for o in occurrences)
    return named[-1] if times[named[-1].entity] >= times[found.entity] else None


_SOMEONE = re.compile(
    r"(?:^|[.!?]\s+|\b(?:when|after|as|while|because|before|until|if|then|but|But)\s+)"
    r"(?:[Oo]ne|[Aa]n?|[Aa]nother)\s+(?:[a-z][\w-]*\s+){0,2}(?:voter|woman|man|reporter|"
    r"supporter|resident|student|worker|protester|activist|veteran|mother|father|questioner|"
    r"attendee|caller|viewer|listener|participant|delegate|member|girl|boy|teenager)\b(?!['’])"
)


def someone_since(text: str, found: Occurrence, start: int) -> bool:
    """ "But that changed when one voter brought up immigration. She asked
    Sanders": someone the text does not name, in the pronoun's sentence or
    the one before, after the person the pronoun would otherwise be, opening
    its clause ("… told a voter" does not); who the pronoun is stays open
    (precision first)."""
    before = sentence_start(text, max(0, sentence_start(text, start) - 1))
    someone = _SOMEONE.search(text, max(found.end, before), start)
    # not inside a quotation ("“I don't take that as a man who …,” he said")
    return someone is not None and not any(c in _QUOTES for c in text[someone.start() : start])


def coordinate_relative(
    text: str, start: int, occurrences: Sequence[Occurrence], mentions: Sequence[Mention]
) -> Occurrence | None:
    """ "People in Mr. Hannity's audience who are inclined …, and who
    believe": the "who" after "and" is what the "who" before it was, in one
    sentence."""
    if not re.search(r",?\s+and\s+$", text[max(0, start - 10) : start]):
        return None
    begin = sentence_start(text, start)
    earlier = [
        o
        for o in occurrences
        if o.mention is not None
        and begin <= o.start < start
        and mentions[o.mention].text.strip().casefold() in {"who", "which", "that"}
    ]
    return max(earlier, key=lambda o: o.start) if earlier else None


def bound_in_sentence(
    text: str,
    start: int,
    occurrences: Sequence[Occurrence],
    entities: Sequence[Entity],
    fits: Callable[[int], bool],
    excluded: Callable[[Occurrence], bool],
) -> Occurrence | None:
    """The one person a pronoun at ``start`` may be that its own sentence
    names before it, when no quotation opens before the pronoun in that
    sentence and no other speaker is quoted there."""
    begin = sentence_start(text, start)
    if any(c in _QUOTES for c in text[begin:start]):
        return None
    speaks = _SPEAKS.match(text, start) is not None  # "Scott, he said, is one"
    inside = [o for o in occurrences if begin <= o.start and o.end <= start]
    named = [
        o
        for o in inside
        if fits(o.entity) and not excluded(o) and not (speaks and said_after(text, o.end, start))
    ]
    first = min(named, key=lambda o: o.start, default=None)
    if first is None or _PRONOUN.search(text[begin : first.start]):
        return None  # "… he seemed to be in line with Mr. Ailes, based on how he": not Ailes
    if len({o.entity for o in named}) > 1:
        # "Mr. Trump has trampled …, from his treatment of Mr. Rubio and Mr. Bush to
        # his coarseness": the subject the sentence opens with
        if not opens_sentence(text, first.start):
            return None
        named = [o for o in named if o.entity == first.entity]
    others = [
        o
        for o in inside
        if o.mention is not None
        and o.entity != first.entity
        and entities[o.entity].kind in {"person", "anonymous", "group"}
    ]
    if others:  # "A spokesman for Trump said he": not Trump
        return None
    return max(named, key=lambda o: o.start)


def apposed(
    text: str,
    start: int,
    description: str,
    occurrences: Iterable[Occurrence],
    entities: Sequence[Entity],
) -> Occurrence | None:
    """ "Clinton, the 68-year-old former secretary of state": the person
    named right before the comma, if the noun's gender allows."""
    if not re.match(r"^[Tt]he\s", description):
        return None
    gender = noun_gender(description)
    for o in occurrences:
        person = entities[o.entity]
        if person.kind != "person" or (person.gender not in {gender, None} and gender):
            continue
        if o.end < start and re.fullmatch(r"\s*,\s*", text[o.end : start]):
            return o
    return None


_KIN = re.compile(
    r"^(?:[Hh]is|[Hh]er|[Tt]heir)\s+(?P<noun>father|mother|son|daughter|husband|wife|"
    r"brother|sister|uncle|aunt|grandfather|grandmother|grandson|granddaughter)\s*,\s*"
    r"(?P<name>[A-Z][a-z]+)\s*(?:,.*)?$"
)


def kin_named(mention: str) -> tuple[str, Gender | None] | None:
    """ "Her father, Brad, 39,": the first name, and the gender the noun gives."""
    found = _KIN.match(" ".join(mention.split()).strip())
    return (found["name"], noun_gender(found["noun"])) if found else None


def country_surname(
    text: str, reading: Reading, people: PeopleInText, mentions: Sequence[Mention]
) -> PersonName | None:
    """ "Israel said", where the text names Rep. Steve Israel and uses the
    word nowhere else: that person."""
    if reading.what != "organisation" or reading.kind != "government":
        return None
    word = reading.display.strip()
    if not re.fullmatch(r"[A-Z][a-z]+", word):
        return None
    holders = {n.short_key: n for n in people.full.values() if n.surname == word.casefold()}
    holders |= {n.short_key: n for n in people.full.values() if n.tokens[-1] == word}
    if len(holders) != 1:
        return None
    (holder,) = holders.values()
    named = [(s, e) for key, s, e in people.positions if key == holder.short_key]
    said = {(m.start, m.end) for m in mentions if m.text.strip() == word}
    for match in re.finditer(r"\b" + word + r"\b", text):
        if any(s <= match.start() < e for s, e in named):
            continue
        if (match.start(), match.end()) in said:
            continue
        return None  # the country, somewhere: not clear
    return holder


def outlets_in_text(text: str, readings: Iterable[Reading]) -> list[str]:
    """ "The New York Times reported …" and later "the Times" as a speaker:
    the full names of outlets the text writes whose last word is a one-word
    outlet speaker's, one per word."""
    found = []
    for reading in readings:
        if reading.what != "organisation" or reading.kind != "media":
            continue
        words = reading.display.split()
        if len(words) > 2 or not words or (words[0] not in {"the", "The"} and len(words) == 2):
            continue
        last = words[-1]
        if not re.fullmatch(r"[A-Z][a-z]+", last):
            continue
        names = {
            " ".join(m.group(0).split())
            for m in re.finditer(r"\b[Tt]he(?:\s+[A-Z][\w.&'’-]*){1,3}\s+" + last + r"\b", text)
        }
        names = {re.sub(r"^the", "The", n) for n in names}
        if len(names) == 1:
            found.append(next(iter(names)))
    return found


_SAID_BEFORE = re.compile(r"(?:said|says|told|according to|asked|added|wrote)\s*$")


def sentence_subject_instead(
    text: str,
    found: Occurrence,
    occurrences: Sequence[Occurrence],
    fits: Callable[[int], bool],
) -> Occurrence | None:
    """ "She appeared to imply that …, than Clinton, the former secretary of
    state bidding … “…,” she said": when the latest speaker a pronoun may be
    stands inside a sentence another speaker of the document opens (its
    subject), and is not that sentence's "said X", the pronoun is the
    subject's."""
    if found.mention is None or _SAID_BEFORE.search(text[max(0, found.start - 20) : found.start]):
        return None
    begin = sentence_start(text, found.start)
    if begin >= found.start or any(c in _QUOTES for c in text[begin : found.start]):
        return None
    openers = [
        o
        for o in occurrences
        if o.mention is not None
        and begin <= o.start < found.start
        and not text[begin : o.start].strip()
        and o.entity != found.entity
        and fits(o.entity)
    ]
    return openers[0] if openers else None


def pair_in_sentence(
    text: str, start: int, occurrences: Sequence[Occurrence], entities: Sequence[Entity]
) -> str | None:
    """ "As Johnson and Weld stumped across New England, they were
    recognized": the two people its sentence names joined by "and" before
    a "they", as the text writes them ("Johnson and Weld"), when nothing
    else that speaks stands between them and the pronoun."""
    begin = sentence_start(text, start)
    if any(c in _QUOTES for c in text[begin:start]):
        return None
    people = sorted(
        (o for o in occurrences if begin <= o.start and o.end <= start),
        key=lambda o: o.start,
    )
    for first, second in itertools.pairwise(people):
        if (
            entities[first.entity].kind == "person"
            and entities[second.entity].kind == "person"
            and first.entity != second.entity
            and re.fullmatch(r"\s+and\s+", text[first.end : second.start])
            and not [o for o in people if o.start > second.start]
        ):
            return f"{text[first.start : first.end]} and {text[second.start : second.end]}"
    return None


def named_since_speaker(
    start: int,
    occurrences: Sequence[Occurrence],
    entities: Sequence[Entity],
    fits: Callable[[int], bool],
    excluded: Callable[[Occurrence], bool] = lambda o: False,
) -> Occurrence | None:
    """ "McDonough was responding to a message from Wendy Sherman … “…,” she
    wrote": when the last speaker before a pronoun is a person it cannot be
    (a "she" after a man), the one person the text names since who it can be
    (not a named thing's owner: "President Obama's Affordable Care Act")."""
    speakers = [o for o in occurrences if o.mention is not None and o.end <= start]
    if not speakers:
        return None
    last = max(speakers, key=lambda o: o.start)
    if entities[last.entity].kind != "person" or fits(last.entity):
        return None
    since = [
        o
        for o in occurrences
        if last.end <= o.start and o.end <= start and fits(o.entity) and not excluded(o)
    ]
    return max(since, key=lambda o: o.start) if len({o.entity for o in since}) == 1 else None
