"""Where a text names someone as the subject of a sentence: the person a
later "he" or "she" most likely refers to, even when someone else spoke last."""

import re

from app.identity.mentions import PRONOUNS
from app.identity.names import unaccented, words
from app.identity.people import TITLE_WORDS

SUBJECT_WORDS = 4
"""At most this many words before the name in its sentence, each capitalised
or a title's ("Finally,", "Libertarian presidential candidate")."""
_SENTENCE_END = re.compile(r"([\w’']+)[.!?]['\"”’]?\s+|\n")
_QUOTES = frozenset('"“”«»')


def opens_sentence(text: str, start: int) -> bool:
    """The name at ``start`` comes first in its sentence: no quote, pronoun,
    verb or more than ``SUBJECT_WORDS`` words before it ("Scott bristles at
    …", "Finally, Trump was …"; not "He added that Obama …", "Clinton has
    not mentioned Machado", "Larry King and Ed Schultz" or "“Obama failed,”")."""
    window = text[max(0, start - 200) : start]
    ends = [m for m in _SENTENCE_END.finditer(window) if _ends(m)]
    before = window[ends[-1].end() :] if ends else window
    if any(c in _QUOTES for c in before):
        return False
    # "Soon afterward, Clinton strode out": an opening phrase before its comma
    before = re.sub(r"^\s*[A-Z][a-z]+(?:\s+[a-z]+){0,3},\s+", "", before)
    found = re.findall(r"[^\W\d_][\w'’-]*", before)
    if len(found) > SUBJECT_WORDS:
        return False
    # "The economist Robert J. Shapiro found": a descriptive title after "The"
    described = bool(found) and found[0] in {"The", "A", "An", "One"}
    return not any(
        word.casefold() in PRONOUNS
        or word in _NOT_TITLE  # lowercase: "The report by"
        or not (word[:1].isupper() or described or unaccented(word.casefold()) in TITLE_WORDS)
        for word in found
    )


_NOT_TITLE = words(
    "by of for with to from in on at about and or but that said says told asked than"
)


def _ends(match: re.Match[str]) -> bool:
    """A sentence ends here: not after "Mr." or "Gov.", but always at a line's
    end ("… a speech at the DNC.⏎Hollande denounced")."""
    return "\n" in match.group(0) or not _abbreviation(match.group(1))


def _abbreviation(word: str | None) -> bool:
    """ "Mr.", "Gov.", "Sen." end no sentence."""
    return word is not None and len(word) <= 3 and word[:1].isupper()


def said_after(text: str, name_end: int, pronoun_start: int) -> bool:
    """ "People like Scott, he said": the name is in what the pronoun's
    speaker says, in the same sentence, not its subject."""
    between = text[name_end:pronoun_start]
    ends = [m for m in _SENTENCE_END.finditer(between) if _ends(m)]
    return not ends and re.search(r"[,\"”’']\s*$", between) is not None


def sentence_start(text: str, at: int) -> int:
    """Where the sentence holding ``at`` starts (within 300 code points)."""
    origin = max(0, at - 300)
    ends = [m for m in _SENTENCE_END.finditer(text, origin, at) if _ends(m)]
    return ends[-1].end() if ends else origin


def next_sentence(text: str, at: int) -> tuple[int, int] | None:
    """Where the sentence after the one holding ``at`` starts and ends ("U.S." ends none)."""
    ends = [m for m in _SENTENCE_END.finditer(text, at) if _ends(m)]
    if not ends:
        return None
    return ends[0].end(), ends[1].end() if len(ends) > 1 else len(text)
