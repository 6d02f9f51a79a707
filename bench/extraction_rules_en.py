"""The English rules baseline the CRF was chosen against (not shipped): a
reporting verb of the lexicon is a cue; the speaker is the capitalised run
or pronoun right before it (or right after: "said Smith"); the content is
the sentence's quotation, else what follows "that", else the sentence up to
the comma before the speaker ("..., he said.")."""

from __future__ import annotations

from app.extraction.english_features import PRONOUNS, REPORTING_VERBS
from app.extraction.proposals import Fragment, Proposal
from app.extraction.spans import trimmed
from app.extraction.tokens import Token, paragraphs, quote_roles


def _run(tokens: list[Token], index: int, step: int) -> list[Token]:
    """A pronoun or a run of capitalised words starting at ``index``, walking by ``step``."""
    if not 0 <= index < len(tokens):
        return []
    if tokens[index].text.lower() in PRONOUNS:
        return [tokens[index]]
    run: list[Token] = []
    while 0 <= index < len(tokens) and tokens[index].text[:1].isupper():
        run.append(tokens[index])
        index += step
    return sorted(run, key=lambda t: t.start)


def extract_rules(text: str) -> list[Proposal]:
    proposals: list[Proposal] = []
    for paragraph in paragraphs(text):
        tokens = paragraph.tokens
        roles = quote_roles(tokens)
        for index, token in enumerate(tokens):
            word = token.text.lower()
            if word not in REPORTING_VERBS:
                continue
            sentence = [
                i for i, s in enumerate(paragraph.sentence) if s == paragraph.sentence[index]
            ]
            cue = [Fragment(token.start, token.end)]
            if word == "according" and index + 1 < len(tokens) and tokens[index + 1].text == "to":
                cue = [Fragment(token.start, tokens[index + 1].end)]
                speaker = _run(tokens, index + 2, 1)
            else:
                speaker = _run(tokens, index - 1, -1) or _run(tokens, index + 1, 1)
            opens = [i for i in sentence if roles[i] == "open"]
            closes = [i for i in sentence if roles[i] == "close"]
            that = [i for i in sentence if i > index and tokens[i].text.lower() == "that"]
            if opens and closes and closes[-1] > opens[0]:
                start, end = tokens[opens[0]].end, tokens[closes[-1]].start
            elif that:
                start, end = tokens[that[0]].end, tokens[sentence[-1]].end
            elif speaker and speaker[0].start > tokens[sentence[0]].start:
                start, end = tokens[sentence[0]].start, min(speaker[0].start, token.start)
            else:
                continue
            content = trimmed(text, start, end)
            if content is None:
                continue
            proposals.append(
                Proposal(
                    speaker=[Fragment(speaker[0].start, speaker[-1].end)] if speaker else [],
                    cue=cue,
                    content=[content],
                    mode="paraphrase",
                    certainty="asserted",
                    certainty_cue=None,
                    confidence=0.5,
                )
            )
    return proposals
