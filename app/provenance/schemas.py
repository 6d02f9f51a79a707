"""Response shapes of the provenance endpoints (documentation: the bodies are
built by PostgreSQL, see service.py; tests check real responses against them)."""

from typing import Literal
from uuid import UUID

from pydantic import BaseModel, Field

from app.actors.schemas import ActorKind
from app.attributions.schemas import Certainty, Mode
from app.claims.schemas import Translation
from app.fuzzytime import FuzzyTimeRead


class SpeakerRef(BaseModel):
    id: UUID
    name: str
    kind: ActorKind
    anonymous: bool = Field(description="An unnamed source known only by description.")


class PublisherRef(BaseModel):
    id: UUID
    name: str


class SourceRef(BaseModel):
    id: UUID
    title: str
    kind: str
    publisher: PublisherRef | None
    published: FuzzyTimeRead


class ClaimBrief(BaseModel):
    id: UUID
    text: str
    language: str
    translations: list[Translation]
    independent_origins: int
    on_record: bool | None


class Origin(BaseModel):
    """Where a chain's words first appear: the origin hop's speaker, or its
    source when the source speaks in its own voice."""

    type: Literal["actor", "source"]
    id: UUID
    name: str = Field(description="The actor's name or the source's title.")
    kind: str = Field(description="The actor's or the source's kind.")
    anonymous: bool
    attribution_id: UUID = Field(description="The origin hop.")


class ChainSummary(BaseModel):
    start_attribution_id: UUID
    depth: int = Field(description="Relays between the start and the origin (0: it is the origin).")
    origin: Origin
    on_record: bool = Field(description="No hop of the chain has an anonymous speaker.")
    weakest_certainty: Certainty = Field(
        description="Weakest certainty of the hops, in the order (strongest to weakest) "
        "asserted, alleged, hypothetical, denied; `unknown` hops are skipped, and a chain "
        "of unknown hops only is `unknown`."
    )
    truncated: bool = Field(description="The chain is longer than the 50 relays followed.")


class Hop(BaseModel):
    attribution_id: UUID
    depth: int = Field(description="0 at the chain's start, growing towards the origin.")
    claim_id: UUID
    speaker: SpeakerRef | None = Field(description="Null for the source's own voice.")
    source: SourceRef
    time: FuzzyTimeRead
    mode: Mode
    cue: str | None
    certainty: Certainty


class Chain(ChainSummary):
    hops: list[Hop] = Field(description="From the chain's start back to its origin.")


class ProvenanceRead(BaseModel):
    claim: ClaimBrief
    chains: list[Chain] = Field(
        description="One chain per record of the claim (or of a claim `same_as` it) that no "
        "record of the same source relays, in creation order of their starts."
    )
    independent_origins: int = Field(description="Distinct origins over all chains.")
    on_record: bool | None = Field(
        description="One chain is on the record; null when no source records the claim."
    )
    same_as_claim_ids: list[UUID] = Field(
        description="Claims linked by `same_as` (either way, transitively), whose chains count."
    )


class StatementRead(BaseModel):
    """One attribution of the actor's words."""

    id: UUID = Field(description="The attribution.")
    claim: ClaimBrief
    source: SourceRef
    time: FuzzyTimeRead
    mode: Mode
    cue: str | None
    certainty: Certainty
    occasion_event_id: UUID | None
    relayed_through_id: UUID | None
    direct: bool = Field(
        description="The record where the words first appear (it relays no other record)."
    )
    chain: ChainSummary = Field(description="From this record back to its origin.")


class RecordRead(BaseModel):
    """One attribution of the claim in the source(s) asked about."""

    id: UUID = Field(description="The attribution.")
    speaker: SpeakerRef | None
    source: SourceRef
    time: FuzzyTimeRead
    mode: Mode
    cue: str | None
    certainty: Certainty
    relayed_through_id: UUID | None
    direct: bool = Field(description="It relays no other record.")
    chain: ChainSummary


class RecordedClaimRead(BaseModel):
    claim: ClaimBrief
    attributions: list[RecordRead] = Field(description="The source's records of the claim.")
