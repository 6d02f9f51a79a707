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
    """A mention's tokens: the subtree without relative clauses; for a relative
    pronoun ("qui"), its antecedent."""
    if token.lower_ in RELATIVE_PRONOUNS and token.head.dep_.startswith("acl"):
        token = token.head.head
    cut = {t.i for child in token.children if child.dep_.startswith("acl") for t in child.subtree}
    cut |= {t.i for child in token.children if child.dep_ == "appos" for t in child.subtree}
    words = [t for t in token.subtree if t.i not in cut and token.i - 12 <= t.i <= token.i + 12]
    # An appositive after a comma ("Peter Bode, le chargé d'affaires") is not the mention.
    commas = [t.i for t in words if t.text in {",", "(", "—", "–"} and t.i > words[0].i]
    if commas:
        words = [t for t in words if t.i < commas[0]]
    return words


def cue_tokens(verb: Any) -> list[Any]:
    """The verb group: auxiliaries, reflexive and negation clitics, adverbs
    and an inverted "-t-il" between them, and "en" before a gerund."""
    doc = verb.doc
    start = verb.i
    helpers = [
        c
        for c in verb.children
        if c.i < verb.i
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
    return before.text in {",", "»", "”", '"'} and first.i - sentence.start >= 3


def conditional(tokens: list[Any]) -> Any | None:
    for token in tokens:
        if "Cnd" in token.morph.get("Mood"):
            return token
    return None


def tokens_in(tokens: Any, start: int, end: int) -> list[Any]:
    return [t for t in tokens if t.idx >= start and t.idx + len(t.text) <= end]
