"""From raw English or French news text to proposed attributions (issue 15).

``extract(text, language=..., published=...)`` is pure and deterministic.
Models load on first use per language and stay for the process (the API
runs extraction in worker processes): importing this package loads none of
them, nor spaCy or crfsuite.
"""

from datetime import date
from typing import Literal

from app.extraction.language import detect_language
from app.extraction.proposals import (
    Certainty,
    Extraction,
    Fragment,
    Language,
    Mode,
    ModelInfo,
    Proposal,
    ProposedSource,
    TimeProposal,
)
from app.extraction.time_expressions import find_times, parse_time

__all__ = [
    "Certainty",
    "Extraction",
    "Fragment",
    "Language",
    "Mode",
    "ModelInfo",
    "Proposal",
    "ProposedSource",
    "TimeProposal",
    "detect_language",
    "extract",
    "find_times",
    "model_info",
    "parse_time",
]


def model_info(language: Language) -> ModelInfo:
    if language == "en":
        from app.extraction.english import MODEL
    else:
        from app.extraction.french import MODEL
    return MODEL


def load_model(language: Language) -> None:
    """Open the model of ``language`` now rather than on first use (the
    extraction worker opens it before it starts resting between slices)."""
    if language == "en":
        from app.extraction.english import tagger

        tagger()
    else:
        from app.extraction.french import pipeline

        pipeline()


def extract(
    text: str, *, language: Literal["en", "fr", "auto"], published: date | None
) -> Extraction:
    """The attributions a text holds, as proposals to review. ``published``
    (the text's publication day) resolves relative times ("vendredi
    dernier"); without it they keep their offset and no range."""
    chosen: Language = detect_language(text) if language == "auto" else language
    if not text.strip():
        return Extraction(language=chosen, model=model_info(chosen))
    if chosen == "en":
        from app.extraction.english import extract_english
        from app.extraction.relays import english_sources

        proposals = extract_english(text, published)
        proposals, sources = english_sources(text, proposals, published)
    else:
        from app.extraction.french import extract_french

        proposals, sources = extract_french(text, published)
    return Extraction(
        language=chosen, model=model_info(chosen), attributions=proposals, sources=sources
    )
