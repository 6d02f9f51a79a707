"""Speakers the text names after the words that refer to them, or right
before a relative pronoun without being a speaker themselves: "When he
took office, Obama said", "In his speech, Trump …", "Connecticut's tax
commissioner says … Kevin Sullivan says he …", "the senator … Elizabeth
Warren said". Read only where looking back found no one, or where the
sentence's own shape ties the pronoun to the name after it."""

import functools
import re
from collections.abc import Callable, Sequence

from app.identity.entities import Occurrence
from app.identity.names import words
from app.identity.subjects import opens_sentence, sentence_start

PREPOSED_REACH = 150
"""At most this many code points from a pronoun to the comma that closes
the clause it opens ("When he took office in 2009, …")."""
DESCRIBED_REACH = 300
"""A description and the name after it: the same or the next sentence."""
_SUBORDINATORS = words(
    "when after before while as although though if since until once in at during despite "
    "asked speaking writing lorsque quand après avant alors dans"
)
_QUOTES = frozenset('"“”«»')
_SPEECH_VERB = re.compile(r"\s*(?:said|says|told|added|wrote|argued|explained|declared)\b")
_SUBJECT_SLACK = 40
"""Title words allowed between the comma and the name ("…, Sen. Elizabeth Warren")."""


def preposed_subject(
    text: str, start: int, end: int, occurrences: Sequence[Occurrence], fits: Callable[[int], bool]
) -> Occurrence | None:
    """A pronoun in a clause that opens its sentence is the subject named
    right after that clause's comma: "When he took office, Obama said" (the
    sentence's first word a subordinator or preposition, no quote before
    the comma); ``fits``: whether an entity may be the pronoun's."""
    opening = text[sentence_start(text, start) : start]
    first = re.match(r"\s*([^\W\d_][\w'’-]*)", opening)
    if first is None or first.group(1).casefold() not in _SUBORDINATORS:
        return None
    if any(c in _QUOTES or c == "," for c in opening):
        return None
    comma = text.find(",", end, end + PREPOSED_REACH)
    if comma < 0 or any(c in _QUOTES or c in ".;!?" for c in text[end:comma]):
        return None
    after = [
        o
        for o in occurrences
        if comma < o.start <= comma + _SUBJECT_SLACK
        and "," not in text[comma + 1 : o.start]
        and opens_clause(text, comma + 1, o.start)
    ]
    if not after:
        return None
    subject = min(after, key=lambda o: o.start)
    return subject if fits(subject.entity) else None


_AGENT = re.compile(
    r"\b(?:[a-z]+ed\s+by|told\s+by|shown\s+by|given\s+by|taken\s+by|\w+(?:é|ée|és|ées)\s+par)"
    r"\s+(?:[\w.’'-]+\s+){0,3}$"
)
"""A passive's agent: "pressed by (moderator) ", "interrogé par "."""


def passive_agent(text: str, name: int, start: int) -> bool:
    """ "When pressed by Holt about how he would …, his best response": the
    name at ``name`` is the agent of a passive in the clause that opens the
    sentence, and the pronoun at ``start`` opens the main clause right
    after that clause's comma; the passive's unstated subject, not its
    agent, is the main clause's subject."""
    opening = sentence_start(text, start)
    comma = text.rfind(",", opening, start)
    if not opening <= name < comma or text[comma + 1 : start].strip():
        return False
    return _AGENT.search(text, opening, name) is not None and "," not in text[opening:name]


def opens_clause(text: str, clause: int, at: int) -> bool:
    """Only capitalised words (titles, a first name) between a clause's start and ``at``."""
    return all(word[:1].isupper() for word in re.findall(r"[^\W\d_][\w'’.-]*", text[clause:at]))


def in_sentence_after(
    text: str, end: int, occurrences: Sequence[Occurrence], fits: Callable[[int], bool]
) -> Occurrence | None:
    """A pronoun no one before it can be: the first fitting person named
    later in its own sentence ("Before he spoke, the crowd cheered Obama"),
    not in a quotation ("she added the words, “Hillary Clinton”")."""
    stop = re.search(r"[.!?]['\"”’]?\s|\n|''|[\"“”«»]", text[end:])
    limit = end + (stop.start() if stop else len(text) - end)
    after = sorted((o for o in occurrences if end <= o.start < limit), key=lambda o: o.start)
    return next((o for o in after if fits(o.entity)), None)


def described_after(
    text: str,
    end: int,
    occurrences: Sequence[Occurrence],
    titled: Callable[[int], bool],
    fits: Callable[[int], bool],
) -> Occurrence | None:
    """A description no one before it fits, then a name: "The New York
    state attorney general is confirming … But Attorney General Eric
    Schneiderman isn't saying", "Connecticut's tax commissioner says …
    Kevin Sullivan says". The first person named within
    ``DESCRIBED_REACH`` who carries the description's title (``titled``),
    opens a sentence or is followed by "said", if nothing the text says of
    them contradicts the description (``fits``); a name in the middle of a
    sentence ("… Donald Trump's returns") is passed over."""
    after = sorted(
        (o for o in occurrences if end <= o.start <= end + DESCRIBED_REACH), key=lambda o: o.start
    )
    for occurrence in after:
        if (
            titled(occurrence.entity)
            or opens_sentence(text, occurrence.start)
            or _SPEECH_VERB.match(text, occurrence.end)
        ):
            return occurrence if fits(occurrence.entity) else None
    return None


# A capitalised name, with "the" and "of"/"for"/"on" inside it allowed.
_NAME = r"((?:[Tt]he\s+)?[A-Z][\w.&'’-]*(?:\s+(?:of\s+|for\s+|on\s+)?[A-Z][\w.&'’-]*)*)"
_NAMED_BEFORE = re.compile(r"(?:(?<=\s)|^)" + _NAME + r"\s*,?\s*$")


def named_before(text: str, start: int) -> str | None:
    """The name right before a relative pronoun at ``start``: "the Chicago
    Police Department which reported", "the General Assembly, which"."""
    match = _NAMED_BEFORE.search(text[max(0, start - 120) : start])
    return match.group(1) if match else None


_NAMED_FIRST = re.compile(r"\s*" + _NAME)


def sentence_subject(text: str, start: int) -> str | None:
    """The name that opens the sentence of a pronoun at ``start``: "The FBI
    needs to stay out … unless it wants"."""
    match = _NAMED_FIRST.match(text, sentence_start(text, start), start)
    return match.group(1) if match else None


_ITEM = re.compile(r"\b\d{1,2}:\d{2}\s*[ap]\.\s?m\.|^\s*_{3,}", re.MULTILINE)


def new_item(text: str, start: int, end: int) -> bool:
    """A live blog's next item begins between ``start`` and ``end`` (a time
    stamp, "11:50 a.m.", or a "___" rule): what it says opens afresh."""
    return _ITEM.search(text, start, end) is not None


FIRST_PERSON = words("i me my mine myself")
PAIR = re.compile(
    r"^\s*(?:each|both|the two|(?:the|both|the two)\s+(?:candidates|nominees|men|women|"
    r"rivals|contenders|leaders|pair|duo))\s*$",
    re.IGNORECASE,
)
"""Words for two people the text named together ("Trump and Clinton")."""
WRITERS_KIN = re.compile(
    r"^\s*(?:[Mm]y|[Oo]ur)\s+(?:late\s+)?(?P<noun>father|mother|dad|mom|husband|wife|son|"
    r"daughter|brother|sister|grandfather|grandmother)\s*$"
)
WRITER = "writer"
"""The key of the entity a document's own "I" is (``records`` gives it the
byline's one author, when there is one)."""
_SIGNATURE = re.compile(
    r"^[ \t]*[A-Z][\w.'’-]*(?:[ \t]+[A-Z][\w.'’-]*){1,4}(?:,[ \t]*[A-Z][\w .'’-]*)?\.?[ \t]*$",
    re.MULTILINE,
)


@functools.lru_cache(maxsize=4)  # asked once for every "I" of the same text
def _signatures(text: str) -> tuple[int, ...]:
    return tuple(m.start() for m in _SIGNATURE.finditer(text))


def writer_key(text: str, at: int) -> str:
    """Whose "I" is at ``at``: the document's writer; on a letters page,
    where each letter ends in its writer's name on a line of its own
    ("Toni LeAnn Williams."), the writer of the letter it is in."""
    signatures = _signatures(text)
    if not signatures:
        return WRITER
    return f"{WRITER}:{sum(1 for start in signatures if start < at)}"


def in_quotation(text: str, at: int) -> bool:
    """``at`` is inside a quotation that opened earlier in its paragraph
    (“…”, "…" or ''…'')."""
    paragraph = text[text.rfind("\n", 0, at) + 1 : at]
    return (
        paragraph.count("“") > paragraph.count("”")
        or paragraph.count('"') % 2 == 1
        or paragraph.count("''") % 2 == 1
        or paragraph.count("«") > paragraph.count("»")
    )


_CLOSING = re.compile(r"”|\"|''")
_OPENING = re.compile(r"“|\"|''|«")
QUOTE_REACH = 60
"""From a quotation's end to its speaker (",” Trump said"), or from its
speaker to its start ("Trump told the crowd: “")."""


def quote_speaker(
    text: str, start: int, end: int, speakers: Sequence[Occurrence]
) -> Occurrence | None:
    """Whose quotation the first person at ``start``..``end`` is in: the
    speaker right after it closes ("“I am the law,” Trump said"), else the
    one right before it opens ("Trump told the crowd, “I …"), in its
    sentence and paragraph."""
    paragraph_end = text.find("\n", end)
    paragraph_end = len(text) if paragraph_end < 0 else paragraph_end
    close = _CLOSING.search(text, end, paragraph_end)
    if close is not None:
        after = [
            o
            for o in speakers
            if close.end() <= o.start <= close.end() + QUOTE_REACH
            and not re.search(r"[.!?]\s|[“\"«]", text[close.end() : o.start])
        ]
        if after:
            return min(after, key=lambda o: o.start)
    paragraph = text.rfind("\n", 0, start) + 1
    opening = [m.start() for m in _OPENING.finditer(text, paragraph, start)]
    if not opening:
        return None
    before = [
        o
        for o in speakers
        if opening[-1] - QUOTE_REACH <= o.end <= opening[-1]
        and not re.search(r"[.!?]\s|[”\"»]", text[o.end : opening[-1]])
    ]
    return max(before, key=lambda o: o.end) if before else None


_THING = re.compile(
    r"\b(?:the|a|an|its|his|her|their|this|that|[A-Z][\w.-]*(?:'s|’s))\s+(?:[\w-]+\s+){0,2}?(?:video|recording|footage|plan|"
    r"document|poll|survey|study|bill|law|proposal)\b",
    re.IGNORECASE,
)
_THINGS = re.compile(
    r"\b(?:the|his|her|its|their|these|those)\s+(?:[\w-]+\s+){0,2}?(?:returns|emails|"
    r"documents|records|files|videos|recordings|tapes|polls|surveys|studies|plans|bills|laws)\b",
    re.IGNORECASE,
)


def thing_between(text: str, start: int, end: int, *, plural: bool = False) -> bool:
    """A thing that speaks as a source of its own ("the cellphone video", "a
    plan", a poll; not a letter or an ad, which speak for their author) is
    named between an organisation at ``start`` and an "it" at ``end``: the
    nearer antecedent, which no organisation should take the "it" from;
    ``plural``: things for a "they" ("his tax returns … they would reveal")."""
    return (_THINGS if plural else _THING).search(text, start, end) is not None
