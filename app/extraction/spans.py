"""Span helpers both languages share: trimming, quotation mode, and the
certainty words an attribution's sentence carries."""

import re

from app.extraction.proposals import Certainty, Fragment, Mode

TRIM = " \t\r\n\"“”‘’«»'.,;:!?()[]—–-…"
_QUOTE_CHARS = '"“”«»'


def trimmed(text: str, start: int, end: int) -> Fragment | None:
    """The fragment without whitespace, quotation marks and punctuation at
    either end (None when nothing is left)."""
    while start < end and text[start] in TRIM:
        start += 1
    while end > start and text[end - 1] in TRIM:
        end -= 1
    return Fragment(start, end) if start < end else None


_PAIRED = {"«": "»", "“": "”"}
SPACES = " \u00a0\u202f"


def balanced(text: str, start: int, end: int) -> Fragment | None:
    """``trimmed``, then a quotation mark cut off at one end put back when the
    other mark of its pair is inside ("était « une ligne rouge »")."""
    fragment = trimmed(text, start, end)
    if fragment is None:
        return None
    start, end = fragment.start, fragment.end
    inner = text[start:end]
    for opening, closing in [*_PAIRED.items(), ('"', '"')]:
        opens, closes = inner.count(opening), inner.count(closing)
        if opening == closing:
            opens, closes = opens % 2, 0
        after = len(text[end:]) - len(text[end:].lstrip(SPACES))
        before = len(text[:start]) - len(text[:start].rstrip(SPACES))
        if opens > closes and text[end + after : end + after + 1] == closing:
            end += after + 1
        elif closes > opens and start - before > 0 and text[start - before - 1] == opening:
            start -= before + 1
    return Fragment(start, end)


def key(text: str, fragments: list[Fragment]) -> tuple[tuple[int, int], ...]:
    """A span as the scorers compare it: its trimmed fragments, in text order."""
    kept = [trimmed(text, f.start, f.end) for f in sorted(fragments, key=lambda f: f.start)]
    return tuple((f.start, f.end) for f in kept if f is not None)


def mode_of(text: str, content: list[Fragment]) -> Mode:
    """``direct_quote`` when every fragment is wrapped in quotation marks (on
    the page, just outside or at its ends), ``partial_quote`` when it holds
    some, else ``paraphrase``."""
    if not content:
        return "paraphrase"
    wrapped = True
    holds = False
    for fragment in content:
        inner = text[fragment.start : fragment.end]
        before = text[max(0, fragment.start - 2) : fragment.start + 1]
        after = text[max(0, fragment.end - 2) : fragment.end + 2]
        opens = any(q in before for q in _QUOTE_CHARS)
        closes = any(q in after for q in _QUOTE_CHARS)
        if not (opens and closes):
            wrapped = False
        if any(q in inner for q in _QUOTE_CHARS):
            holds = True
    if wrapped:
        inner_quotes = sum(
            text[f.start + 1 : f.end - 1].count(q) for f in content for q in _QUOTE_CHARS
        )
        if inner_quotes <= 1:
            return "direct_quote"
    return "partial_quote" if holds or wrapped else "paraphrase"


_WORD = r"(?<![\w])({})(?![\w])"


def first_word(pattern_words: list[str], text: str) -> re.Match[str] | None:
    return re.search(_WORD.format("|".join(pattern_words)), text, re.IGNORECASE)


def certainty_from(
    cue_text: str,
    sentence: str,
    *,
    denied: list[str],
    alleged: list[str],
    hypothetical: list[str],
) -> tuple[Certainty, str | None]:
    """Denied by the cue; else alleged or hypothetical by the sentence's words
    (regular expressions, as found); else asserted."""
    match = first_word(denied, cue_text)
    if match:
        return "denied", match.group(0)
    match = first_word(alleged, sentence)
    if match:
        return "alleged", match.group(0)
    match = first_word(hypothetical, cue_text)
    if match:
        return "hypothetical", match.group(0)
    return "asserted", None
