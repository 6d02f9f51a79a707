from datetime import datetime
from typing import Annotated, Literal, Self
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, model_validator

from app import examples
from app.actors.schemas import ActorKind
from app.errors import FieldValueError
from app.fields import LongText, Name, Offset
from app.fuzzytime import FuzzyTime, FuzzyTimeRead
from app.schemas import Input, Patch, Stored

Mode = Literal["direct_quote", "partial_quote", "paraphrase", "own_voice"]
Certainty = Literal["asserted", "alleged", "denied", "hypothetical", "unknown"]
SpanRole = Literal["content", "cue", "speaker"]
ResolutionMethod = Literal[
    "id",
    "exact",
    "alias",
    "name_variant",
    "surname",
    "description",
    "pronoun",
    "same_sources",
    "new",
    "manual",
]
Review = Literal["accepted", "corrected"]
REVIEW_DESCRIPTION = (
    "Whether a person reviewed a proposed attribution before it was stored: `accepted` as "
    "proposed, `corrected` first; null when nobody did (entered by hand, imported, or stored "
    "as proposed without a look)."
)
RESOLUTION_DESCRIPTION = (
    "How the speaker was resolved: `id` (given by id), `exact` (the actor's name), `alias` "
    "(one of its stored names), `name_variant` (the same name with a title, initial, "
    "possessive or other spelling), `surname` (a surname alone, unambiguous in its document or "
    'through a known alias), `description` ("the senator"), `pronoun`, `same_sources` '
    '("the same sources": the earlier anonymous group of the document), `new` (an actor '
    "created for this mention), `manual` (a curator's decision)."
)

MAX_SPANS = 200
"""Annotated spans per attribution: a discontinuous content, cue and speaker
mention rarely have more than a handful of fragments between them."""

SPANS_DESCRIPTION = (
    "Annotated mentions (from annotation tools): every fragment of the content, the cue and "
    "the speaker mention, in text order. `span` stays the claim's wording when it is one "
    "contiguous stretch. Each is checked against the source's `full_text`; a list sent "
    "replaces the attribution's spans whole, read back grouped by role (content, cue, "
    "speaker), each role in the order sent."
)


class Span(Input):
    """Where the claim's wording stands in the source's full text: code-point
    offsets (as Python and PostgreSQL count characters), end exclusive."""

    start: Offset
    end: Offset
    text: LongText = Field(min_length=1, description="Exactly the text between the offsets.")

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.end <= self.start:
            raise FieldValueError("end", "end must be greater than start")
        if len(self.text) != self.end - self.start:
            raise FieldValueError(
                "text",
                f"text has {len(self.text)} code points "
                f"but the span covers {self.end - self.start}",
            )
        return self


class AnnotatedSpan(Span):
    """One fragment of an annotated mention: the content (what was said), the
    cue (says, told, according to) or the speaker mention, with the same
    code-point offsets and exact text as ``Span``."""

    role: SpanRole


class SpeakerByName(Input):
    """A speaker given by name: the resolver (app/identity) picks the stored
    actor of that name or alias, or creates one; when several fit, it creates
    one and records a duplicate candidate for a curator."""

    name: Name = Field(examples=["Mike Pompeo"])
    kind: ActorKind = "person"


class ExtractionProvenance(Input):
    """The model that proposed an attribution (``POST /v1/extractions``)."""

    model: Name = Field(examples=["onrecord-fr-rules"])
    version: Name = Field(examples=["1"])
    confidence: float = Field(ge=0, le=1, allow_inf_nan=False)


# What an attribution is written with: each field's type, limits, description and
# examples, declared once for POST and PATCH. A PATCH field is the same
# declaration made optional (`| None = None`; left out, it stays as it is); a
# declaration that holds None already (POST may leave it null) reads alike in both.
SpeakerId = Annotated[
    UUID | None,
    Field(
        description="Who said it; null only for the source's own voice (or with `speaker`). "
        "A merged actor's id means its survivor."
    ),
]
SourceId = Annotated[UUID, Field(description="The document that records it.")]
OccasionEventId = Annotated[UUID | None, Field(description="Where it was said.")]
RelayedThroughId = Annotated[
    UUID | None, Field(description="The attribution this one relays (on whose report).")
]
Cue = Annotated[Name | None, Field(examples=["ont confié"])]
ReportedCertainty = Annotated[
    Certainty, Field(description='As reported: `alleged` for a conditional ("aurait").')
]
Spans = Annotated[list[AnnotatedSpan], Field(max_length=MAX_SPANS, description=SPANS_DESCRIPTION)]
SaidAt = Annotated[FuzzyTime, Field(description="When it was said.")]
Extraction = Annotated[
    ExtractionProvenance | None, Field(description="The model that proposed it, if one did.")
]
HumanReview = Annotated[Review | None, Field(description=REVIEW_DESCRIPTION)]


class AttributionCreate(Input):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.ATTRIBUTION_CREATE]})

    claim_id: UUID
    speaker_id: SpeakerId = None
    speaker: SpeakerByName | None = Field(
        default=None,
        description="The speaker by name instead of by id: resolved to an actor "
        "(`speaker_resolution` in the response says how).",
    )
    source_id: SourceId
    occasion_event_id: OccasionEventId = None
    relayed_through_id: RelayedThroughId = None
    mode: Mode
    cue: Cue = None
    certainty: ReportedCertainty = "unknown"
    span: Span | None = None
    spans: Spans = Field(default_factory=list)
    time: SaidAt = Field(default_factory=FuzzyTime)
    note: LongText | None = None
    extraction: Extraction = None
    review: HumanReview = None

    @model_validator(mode="after")
    def _speaker_or_own_voice(self) -> Self:
        if self.speaker_id is not None and self.speaker is not None:
            raise FieldValueError("speaker", "give speaker_id or speaker, not both")
        if self.speaker_id is None and self.speaker is None and self.mode != "own_voice":
            raise FieldValueError(
                "speaker_id", "speaker_id (or speaker) is required unless mode is 'own_voice'"
            )
        return self


class AttributionUpdate(Patch):
    required_fields = frozenset({"claim_id", "source_id", "mode", "certainty", "time", "spans"})

    claim_id: UUID | None = None
    speaker_id: SpeakerId = None
    source_id: SourceId | None = None
    occasion_event_id: OccasionEventId = None
    relayed_through_id: RelayedThroughId = None
    mode: Mode | None = None
    cue: Cue = None
    certainty: ReportedCertainty | None = None
    span: Span | None = None
    spans: Spans | None = None
    time: SaidAt | None = None
    note: LongText | None = None
    extraction: Extraction = None
    review: HumanReview = None


class SpanRead(BaseModel):
    start: int
    end: int
    text: str


class AnnotatedSpanRead(BaseModel):
    role: SpanRole
    start: int
    end: int
    text: str


class SpeakerResolutionRead(BaseModel):
    mention: str | None = Field(description="The speaker mention as written, if known.")
    method: ResolutionMethod = Field(description=RESOLUTION_DESCRIPTION)
    confidence: float = Field(ge=0, le=1)
    through_attribution_id: UUID | None = Field(
        description="For `pronoun`, `description` and `same_sources`: the attribution whose "
        "speaker this one was resolved to (null when none or for other methods)."
    )


class ExtractionProvenanceRead(BaseModel):
    model: str
    version: str
    confidence: float


class RetractionRead(BaseModel):
    at: datetime
    reason: str


class AttributionRead(Stored):
    claim_id: UUID
    speaker_id: UUID | None
    source_id: UUID
    occasion_event_id: UUID | None
    relayed_through_id: UUID | None
    mode: Mode
    cue: str | None
    certainty: Certainty
    span: SpanRead | None
    spans: list[AnnotatedSpanRead] = Field(description=SPANS_DESCRIPTION)
    time: FuzzyTimeRead
    note: str | None
    retraction: RetractionRead | None = Field(
        default=None,
        description="When and why it was retracted (`POST .../retraction`); null if it stands.",
    )
    speaker_resolution: SpeakerResolutionRead | None = Field(
        description="How the speaker was resolved; null for the source's own voice."
    )
    extraction: ExtractionProvenanceRead | None = Field(
        description="The model that proposed it (`POST /v1/extractions`), if one did."
    )
    review: Review | None = Field(description=REVIEW_DESCRIPTION)
    claim: dict[str, object] | None = None
    speaker: dict[str, object] | None = None
    source: dict[str, object] | None = None
    occasion_event: dict[str, object] | None = None
    relayed_through: dict[str, object] | None = None
