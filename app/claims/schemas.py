from typing import Annotated, Literal
from uuid import UUID

from fastapi import Query
from pydantic import BaseModel, ConfigDict, Field

from app import examples, expansion, pagination, sparse
from app.fields import Ids, Language, LongText, StorableText
from app.schemas import Input, Patch, Stored
from app.time_window import SaidFrom, SaidTo

ClaimRelationKind = Literal["contradicts", "supports", "refines", "same_as", "follows_from"]
ClaimSort = Literal["id", "independent_origins", "-independent_origins"]
EXPANDABLE = ("attributions", "events")
RELATION_EXPANDABLE = ("from_claim", "to_claim", "asserted_by")


class TranslationIn(Input):
    language: Language
    text: LongText = Field(min_length=1)
    note: LongText | None = Field(default=None, examples=["editorial translation"])


# What a claim is written with: each field's type, limits, description and
# examples, declared once for POST and PATCH. A PATCH field is the same
# declaration made optional (`| None = None`; left out, it stays as it is); a
# declaration that holds None already (POST may leave it null) reads alike in both.
ClaimText = Annotated[
    LongText,
    Field(
        description="The claim in its original wording.",
        examples=["Le président Trump aurait donné son feu vert à Khalifa Haftar"],
    ),
]
Translations = Annotated[list[TranslationIn], Field(max_length=100)]
EventIds = Annotated[Ids, Field(description="Events the claim is about.")]
ReferencedSourceIds = Annotated[Ids, Field(description="Sources the claim refers to.")]
# The text's and the id lists' limits stay on each field: inside a shared type
# they would be checked after the text's and the ids' own checks, and POST's 422
# would change.


class ClaimCreate(Input):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.CLAIM_CREATE]})

    text: ClaimText = Field(min_length=1)
    language: Language
    translations: Translations = Field(default_factory=list)
    event_ids: EventIds = Field(default_factory=list, max_length=500)
    referenced_source_ids: ReferencedSourceIds = Field(default_factory=list, max_length=500)


class ClaimUpdate(Patch):
    required_fields = frozenset(
        {"text", "language", "translations", "event_ids", "referenced_source_ids"}
    )

    text: ClaimText | None = Field(default=None, min_length=1)
    language: Language | None = None
    translations: Translations | None = None
    event_ids: EventIds | None = Field(default=None, max_length=500)
    referenced_source_ids: ReferencedSourceIds | None = Field(default=None, max_length=500)


class Translation(BaseModel):
    language: str
    text: str
    note: str | None


class ClaimRead(Stored):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.CLAIM_READ]})

    text: str
    language: str
    translations: list[Translation]
    event_ids: list[UUID]
    referenced_source_ids: list[UUID]
    independent_origins: int = Field(
        description="Distinct origins over the claim's relay chains (and those of the claims"
        " it is `same_as`): ten outlets relaying the same anonymous diplomats count once."
        " See `/v1/claims/{claim_id}/provenance`."
    )
    on_record: bool | None = Field(
        description="True when one chain has no anonymous speaker; null when no source"
        " records the claim."
    )
    attributions: list[dict[str, object]] | None = Field(
        default=None, description="With `?expand=attributions`: who said it, where."
    )
    events: list[dict[str, object]] | None = Field(
        default=None, description="With `?expand=events`: the events it is about."
    )


class ClaimListQuery(expansion.ExpandingQuery):
    """The query of ``GET /v1/claims``: its filters, order, shape and page."""

    expandable = EXPANDABLE

    language: Annotated[StorableText | None, Query(max_length=35)] = None
    event_id: Annotated[UUID | None, Query(description="About this event.")] = None
    speaker_id: Annotated[UUID | None, Query(description="Attributed to this actor.")] = None
    source_id: Annotated[UUID | None, Query(description="Recorded in this source.")] = None
    time_from: SaidFrom = None
    time_to: SaidTo = None
    min_origins: Annotated[
        int | None,
        Query(ge=0, le=1_000_000, description="At least this many independent origins."),
    ] = None
    on_record: Annotated[
        bool | None,
        Query(description="`false`: only claims resting on anonymous sources alone."),
    ] = None
    sort: Annotated[
        ClaimSort,
        Query(description="`id` (creation order) or `[-]independent_origins`."),
    ] = "id"
    expand: Annotated[str | None, expansion.expand_query(EXPANDABLE)] = None
    fields: Annotated[str | None, sparse.fields_query(ClaimRead)] = None
    limit: pagination.Limit = pagination.DEFAULT_LIMIT
    cursor: pagination.Cursor = None


AssertedByActorId = Annotated[
    UUID | None,
    Field(description="Who says the claims are so related (null: OnRecord's editors)."),
]


class ClaimRelationCreate(Input):
    kind: ClaimRelationKind
    from_claim_id: UUID
    to_claim_id: UUID
    asserted_by_actor_id: AssertedByActorId = None
    asserted_in_source_id: UUID | None = None
    note: LongText | None = None


class ClaimRelationUpdate(Patch):
    required_fields = frozenset({"kind", "from_claim_id", "to_claim_id"})

    kind: ClaimRelationKind | None = None
    from_claim_id: UUID | None = None
    to_claim_id: UUID | None = None
    asserted_by_actor_id: AssertedByActorId = None
    asserted_in_source_id: UUID | None = None
    note: LongText | None = None


class ClaimRelationListQuery(expansion.ExpandingQuery):
    """The query of ``GET /v1/claim-relations``: its filters, what to embed, the page."""

    expandable = RELATION_EXPANDABLE

    claim_id: Annotated[UUID | None, Query(description="Either side is this claim.")] = None
    kind: ClaimRelationKind | None = None
    expand: Annotated[str | None, expansion.expand_query(RELATION_EXPANDABLE)] = None
    limit: pagination.Limit = pagination.DEFAULT_LIMIT
    cursor: pagination.Cursor = None


class ClaimRelationRead(Stored):
    kind: ClaimRelationKind
    from_claim_id: UUID
    to_claim_id: UUID
    asserted_by_actor_id: UUID | None
    asserted_in_source_id: UUID | None
    note: str | None
    from_claim: dict[str, object] | None = None
    to_claim: dict[str, object] | None = None
    asserted_by: dict[str, object] | None = None
