from datetime import date
from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel, Field

from app.actors.schemas import ActorKind, ActorScope
from app.attributions.schemas import (
    RESOLUTION_DESCRIPTION,
    Certainty,
    Mode,
    ResolutionMethod,
    SpanRole,
)
from app.fields import Day, Language, Name, TextBody, Url
from app.fuzzytime import Precision, RelativeTo
from app.schemas import Input
from app.sources.schemas import SourceKind

MAX_TEXT = 200_000
"""Code points of one text, at most (413 beyond)."""


class StoredSourceRef(Input):
    id: UUID = Field(description="A stored source: `text` must be its `full_text`, exactly.")


class NewSourceFields(Input):
    """The article the text is, if it is to be stored as a new source."""

    kind: SourceKind = "article"
    title: Name | None = Field(default=None, description="Default: the text's first line.")
    url: Url | None = None
    publisher: Name | None = Field(
        default=None, description="The publisher by name (the resolver finds or proposes it)."
    )
    language: Language | None = Field(default=None, description="Default: the text's.")


class ExtractionRequest(Input):
    text: TextBody = Field(
        description=f"The article, at most {MAX_TEXT:,} code points (413 beyond).",
        examples=["Le président Trump aurait donné son feu vert, ont confié des diplomates."],
    )
    language: Literal["en", "fr", "auto"] = Field(
        default="auto", description="`auto`: told from the text."
    )
    published: Day | None = Field(
        default=None,
        description='The text\'s publication day: relative times ("vendredi dernier") are '
        "resolved against it; without it they keep their offset and no range.",
    )
    source: StoredSourceRef | NewSourceFields | None = Field(
        default=None,
        description='`{"id": ...}`: the text is this stored source\'s; else the fields of a '
        "new source (title, url, publisher...).",
    )


class ExtractionModelRead(BaseModel):
    name: str
    version: str


class ProposedSourceRead(BaseModel):
    ref: str = Field(description="`S0`: the submitted text; `S1`...: sources it relays.")
    proposed: bool = Field(description="A source the text names, not stored yet.")
    id: UUID | None = Field(description="The stored source, when the text is one.")
    kind: SourceKind
    title: str | None
    publisher: str | None = Field(description="The publisher as named (an actor ref below).")
    url: str | None
    language: str | None
    published: "ProposedTimeRead | None"


class ProposedActorRead(BaseModel):
    ref: str
    kind: ActorKind
    name: str
    scope: ActorScope
    actor_id: UUID | None = Field(
        description="The stored actor the resolver found; null: a new actor is proposed."
    )


class ProposedSpanRead(BaseModel):
    role: SpanRole
    start: int = Field(description="Code point of the submitted text (inclusive).")
    end: int = Field(description="Code point of the submitted text (exclusive).")
    text: str = Field(description="Exactly `text[start:end]`.")


class ProposedResolutionRead(BaseModel):
    mention: str | None
    method: ResolutionMethod = Field(description=RESOLUTION_DESCRIPTION)
    confidence: float
    through: int | None = Field(
        description='Index in `attributions` of the one a pronoun, a description or "the '
        'same sources" was resolved through.'
    )


class ProposedTimeRead(BaseModel):
    """FuzzyTime's fields; `relative_to: source` means the text's publication day."""

    expression: str | None
    relative_to: RelativeTo
    offset_days: int | None
    earliest: date | None
    latest: date | None
    precision: Precision


class ProposedAttributionRead(BaseModel):
    ref: str
    source: str = Field(description="A ref into `sources`.")
    speaker: str | None = Field(description="A ref into `actors`; null: the source's own voice.")
    spans: list[ProposedSpanRead] = Field(
        description="Every fragment of the speaker, cue and content in the submitted text; "
        "none for an attribution recorded in a proposed source."
    )
    speaker_resolution: ProposedResolutionRead | None
    mode: Mode
    certainty: Certainty
    certainty_cue: str | None = Field(description="The words that decided the certainty.")
    relayed_through: int | None = Field(
        description="Index in `attributions` of the attribution this one passes on."
    )
    time: ProposedTimeRead | None
    confidence: float


class ExtractionRead(BaseModel):
    language: Literal["en", "fr"]
    model: ExtractionModelRead
    sources: list[ProposedSourceRead]
    actors: list[ProposedActorRead]
    attributions: list[ProposedAttributionRead]
    bundle: dict[str, Any] = Field(
        description="The same proposal as a bundle for `POST /v1/bundles` (its id derived from "
        "the text and the model version: storing it twice creates nothing new)."
    )


ProposedSourceRead.model_rebuild()
