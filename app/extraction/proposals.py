"""What an extraction proposes: attributions found in a text, as plain frozen
data (no model, no I/O), so the API process can import the shapes without
loading anything."""

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from app.sources.schemas import SourceKind as SourceKind  # re-exported: a proposed source's kind

Language = Literal["en", "fr"]
Mode = Literal["direct_quote", "partial_quote", "paraphrase", "own_voice"]
Certainty = Literal["asserted", "alleged", "denied", "hypothetical", "unknown"]
RelativeTo = Literal["none", "source", "event"]
Precision = Literal["day", "week", "month", "year", "range", "unknown"]


@dataclass(frozen=True, slots=True)
class Fragment:
    """``text[start:end]``: code points, end exclusive."""

    start: int
    end: int


@dataclass(frozen=True, slots=True)
class ModelInfo:
    name: str
    version: str


@dataclass(frozen=True, slots=True)
class TimeProposal:
    """FuzzyTime's fields (app/fuzzytime.py); ``relative_to="source"`` means
    relative to the submitted text's publication date."""

    expression: str | None
    relative_to: RelativeTo = "none"
    offset_days: int | None = None
    earliest: date | None = None
    latest: date | None = None
    precision: Precision = "unknown"
    fragment: Fragment | None = None
    """Where the expression is in the text, when it was found there."""


@dataclass(frozen=True, slots=True)
class ProposedSource:
    """A document the text says it relays ("told Reuters", "au média
    Bloomberg", "Dans une déclaration, publiée le 7 avril")."""

    publisher: str | None
    kind: SourceKind
    time: TimeProposal | None = None
    mention: Fragment | None = None
    """The words that name it in the text (the outlet's name, "une déclaration")."""


@dataclass(frozen=True, slots=True)
class Proposal:
    speaker: list[Fragment]
    cue: list[Fragment]
    content: list[Fragment]
    mode: Mode
    certainty: Certainty
    certainty_cue: str | None
    confidence: float
    relayed_through: int | None = None
    """Index in ``Extraction.attributions`` of the attribution this one passes on."""
    in_source: int | None = None
    """None: said in the submitted text; else an index into ``Extraction.sources``
    (an attribution recorded in a proposed source, with no spans)."""
    time: TimeProposal | None = None


@dataclass(frozen=True, slots=True)
class Extraction:
    language: Language
    model: ModelInfo
    attributions: list[Proposal] = field(default_factory=list)
    sources: list[ProposedSource] = field(default_factory=list)
