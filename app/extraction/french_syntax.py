"""Token helpers for the French rules: spans of tokens, mentions (noun
phrases), verb groups, incises, the conditional."""

from typing import Any

from app.extraction.french_lexicon import RELATIVE_PRONOUNS
from app.extraction.proposals import Fragment
from app.extraction.spans import balanced


def span(text: str, start: int, end: int) -> list[Fragment]:
    fragment = balanced(text, start, end)
    return [fragment] if fragment else []


def tokens_span(text: str, tokens: list[Any]) -> list[Fragment]:
    if not tokens:
        return []
    return span(text, tokens[0].idx, tokens[-1].idx + len(tokens[-1].text))


def noun_phrase(token: Any) -> list[Any]:
    """A mention's tokens: the subtree without relative clauses and without an
    appositive after a comma ("Peter Bode, le chargé d'affaires"); a relative
    pronoun ("qui") is its own mention (the identity resolver reads it)."""
    if token.lower_ in RELATIVE_PRONOUNS:
        return [token]
    cut = {t.i for child in token.children if child.dep_ == "acl:relcl" for t in child.subtree}
    cut |= {t.i for child in token.children if child.dep_ == "appos" for t in child.subtree}
    words = [t for t in token.subtree if t.i not in cut and token.i - 12 <= t.i <= token.i + 12]
    breaks = [t.i for t in words if t.text in {",", "(", "—", "–", "«", "»"} and t.i > words[0].i]
    if breaks:
        words = [t for t in words if t.i < breaks[0]]
    return words


def cue_tokens(verb: Any) -> list[Any]:
    """The verb group: auxiliaries, reflexive and negation clitics, adverbs
    and an inverted "-t-il" between them, and "en" before a gerund."""
    doc = verb.doc
    start = verb.i
    helpers = [
        c
        for c in verb.children
        if verb.i - 5 <= c.i < verb.i
        and (
            c.dep_.startswith(("aux", "expl"))
            or c.lower_ in {"s'", "s’", "se", "en", "ne", "n'", "n’"}
        )
    ]
    if helpers:
        start = min(c.i for c in helpers)
    if start == verb.i and verb.i > 0 and doc[verb.i - 1].lower_ == "en":
        start = verb.i - 1
    return [doc[i] for i in range(start, verb.i + 1)]


def is_incise(cue: list[Any], sentence: Any) -> bool:
    first = cue[0]
    if first.i <= sentence.start:
        return False
    before = first.doc[first.i - 1]
    if before.text not in {",", "»", "”", '"'} or first.i - sentence.start < 3:
        return False
    # "Son adversaire, Hélène Roux, juge ...": before the comma is the subject, not a
    # clause (nor a quotation) that the cue could report.
    ahead = first.doc[sentence.start : first.i]
    return any(t.pos_ in {"VERB", "AUX"} or t.text in {"»", "”", '"'} for t in ahead)


def conditional(tokens: list[Any]) -> Any | None:
    """The first verb in the conditional ("aurait", "seraient"), by its
    morphology or, where the tagger missed it, its ending."""
    for token in tokens:
        if "Cnd" in token.morph.get("Mood"):
            return token
        if token.pos_ in {"VERB", "AUX"} and token.lower_.endswith(("rait", "raient")):
            return token
    return None


def tokens_in(tokens: Any, start: int, end: int) -> list[Any]:
    return [t for t in tokens if t.idx >= start and t.idx + len(t.text) <= end]
