"""English: a CRF (crfsuite) tags each token speaker, cue or content (BIO);
the tagged stretches are then grouped into attributions, one per cue."""

import functools
import threading
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from app.extraction.english_features import paragraph_features
from app.extraction.models import model_path
from app.extraction.proposals import Fragment, ModelInfo, Proposal
from app.extraction.spans import balanced, certainty_from, mode_of
from app.extraction.time_expressions import time_near
from app.extraction.tokens import Paragraph, Token, paragraphs

MODEL = ModelInfo(name="onrecord-en-crf", version="1")
ROLES = {"S": "speaker", "C": "cue", "T": "content"}
DENIED = ["den(?:y|ies|ied|ying)", "dismiss(?:ed|es)?", "reject(?:ed|s)?", "refut(?:ed|es)"]
ALLEGED = ["reportedly", "allegedly", "purportedly", "supposedly", "claim(?:ed|s)?"]
HYPOTHETICAL = ["would", "could", "might", "may"]

_lock = threading.Lock()
_tagger: Any = None


def use_model(path: Path) -> None:
    """Tag with another model file from now on (the trainer's candidates)."""
    global _tagger
    import pycrfsuite  # a worker's import: the API process never loads it

    loaded = pycrfsuite.Tagger()
    loaded.open(str(path))
    with _lock:
        _tagger = loaded


def tagger() -> Any:
    """The crfsuite tagger, opened on first use and kept for the process."""
    if _tagger is None:
        use_model(model_path())
    return _tagger


@dataclass
class Tagged:
    role: str  # speaker, cue, content
    first: int  # token indices in the paragraph, inclusive
    last: int
    confidence: float


def decode(labels: list[str], marginals: list[float]) -> list[Tagged]:
    spans: list[Tagged] = []
    for index, label in enumerate(labels):
        if label == "O":
            continue
        prefix, role = label.split("-", 1)
        current = spans[-1] if spans else None
        if (
            prefix == "I"
            and current is not None
            and current.last == index - 1
            and current.role == ROLES[role]
        ):
            current.last = index
            current.confidence += marginals[index]
        else:
            spans.append(Tagged(ROLES[role], index, index, marginals[index]))
    for span in spans:
        span.confidence /= span.last - span.first + 1
    return spans


def tag_paragraph(paragraph: Paragraph) -> list[Tagged]:
    model = tagger()
    labels: list[str] = model.tag(paragraph_features(paragraph))
    marginals = [model.marginal(label, index) for index, label in enumerate(labels)]
    return decode(labels, marginals)


def _distance(a: Tagged, b: Tagged) -> int:
    if a.last < b.first:
        return b.first - a.last
    if b.last < a.first:
        return a.first - b.last
    return 0


def group(
    paragraph: Paragraph, spans: list[Tagged]
) -> list[tuple[Tagged | None, list[Tagged], list[Tagged]]]:
    """(cue, speakers, contents) per attribution: each content and speaker goes
    to the nearest cue (a speaker only within its sentence); contents with no
    cue in the paragraph stand alone."""
    sentence = paragraph.sentence
    cues = [s for s in spans if s.role == "cue"]
    groups: dict[int, tuple[list[Tagged], list[Tagged]]] = {i: ([], []) for i in range(len(cues))}
    orphans: list[Tagged] = []
    for span in spans:
        if span.role == "cue":
            continue
        candidates = list(range(len(cues)))
        if span.role == "speaker":
            candidates = [
                i
                for i in candidates
                if sentence[cues[i].first] in {sentence[span.first], sentence[span.last]}
            ]
        if not candidates:
            if span.role == "content":
                orphans.append(span)
            continue
        nearest = min(candidates, key=lambda i: _distance(cues[i], span))
        groups[nearest][0 if span.role == "speaker" else 1].append(span)
    result: list[tuple[Tagged | None, list[Tagged], list[Tagged]]] = []
    for index, cue in enumerate(cues):
        speakers, contents = groups[index]
        if speakers:
            speakers = [min(speakers, key=lambda s: _distance(cue, s))]
        result.append((cue, speakers, contents))
    result.extend((None, [], [orphan]) for orphan in orphans)
    return result


def backoff_content(
    paragraph: Paragraph, cue: Tagged | None, speakers: list[Tagged]
) -> list[Tagged]:
    """When the tagger marked a cue but no content: what follows "that" right
    after the cue (or its speaker), else the rest of the sentence after
    "according to X," (rules; confidence halved)."""
    if cue is None:
        return []
    tokens = paragraph.tokens
    sentence = paragraph.sentence
    in_sentence = [i for i, s in enumerate(sentence) if s == sentence[cue.first]]
    last = in_sentence[-1]
    while last > cue.last and tokens[last].text in {".", "!", "?", "”", '"'}:
        last -= 1
    after = max([cue.last, *(s.last for s in speakers if s.first > cue.last)]) + 1
    for index in range(after, min(after + 4, last)):
        if tokens[index].text.lower() == "that":
            return [Tagged("content", index + 1, last, cue.confidence / 2)]
    if tokens[cue.first].text.lower() == "according":
        commas = [i for i in range(after, last) if tokens[i].text == ","]
        if commas and commas[0] + 1 <= last:
            return [Tagged("content", commas[0] + 1, last, cue.confidence / 2)]
    return []


def _fragment(text: str, tokens: list[Token], span: Tagged) -> Fragment:
    """The tagged tokens, without the quotation marks and punctuation at their
    ends (a quotation mark whose pair is inside stays)."""
    start, end = tokens[span.first].start, tokens[span.last].end
    return balanced(text, start, end) or Fragment(start, end)


def extract_english(text: str, published: date | None) -> list[Proposal]:
    proposals: list[Proposal] = []
    for paragraph in paragraphs(text):
        tokens = paragraph.tokens
        fragment = functools.partial(_fragment, text, tokens)
        for cue, speakers, found in group(paragraph, tag_paragraph(paragraph)):
            contents = found or backoff_content(paragraph, cue, speakers)
            cue_fragments = [fragment(cue)] if cue else []
            content = [fragment(s) for s in sorted(contents, key=lambda s: s.first)]
            scored = ([cue] if cue else []) + contents
            confidence = sum(s.confidence for s in scored) / len(scored)
            anchor = cue or contents[0]
            sentence_id = paragraph.sentence[anchor.first]
            in_sentence = [
                t for t, s in zip(tokens, paragraph.sentence, strict=True) if s == sentence_id
            ]
            sentence_text = text[in_sentence[0].start : in_sentence[-1].end]
            cue_text = " ".join(text[f.start : f.end] for f in cue_fragments)
            certainty, certainty_cue = certainty_from(
                cue_text, sentence_text, denied=DENIED, alleged=ALLEGED, hypothetical=HYPOTHETICAL
            )
            proposals.append(
                Proposal(
                    speaker=[fragment(s) for s in speakers],
                    cue=cue_fragments,
                    content=content,
                    mode=mode_of(text, content),
                    certainty=certainty,
                    certainty_cue=certainty_cue,
                    confidence=round(confidence, 3),
                    time=time_near(
                        text,
                        in_sentence[0].start,
                        in_sentence[-1].end,
                        language="en",
                        anchor=published,
                    ),
                )
            )
    return proposals
