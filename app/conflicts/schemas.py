from datetime import date
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, Field


class ActorSummary(BaseModel):
    id: UUID
    name: str
    kind: str


class SourceSummary(BaseModel):
    id: UUID
    title: str


class Speaker(BaseModel):
    """One attribution of the claim: who, where, how sure, how said."""

    attribution_id: UUID
    speaker: ActorSummary | None = Field(description="Null for a source's own voice.")
    source: SourceSummary
    certainty: Literal["asserted", "alleged", "denied", "hypothetical", "unknown"]
    mode: Literal["direct_quote", "partial_quote", "paraphrase", "own_voice"]
    relayed_through_id: UUID | None
    earliest: date | None = Field(description="First possible day it was said.")
    latest: date | None = Field(description="Last possible day it was said.")


class ConflictTranslation(BaseModel):
    language: str
    text: str


class ConflictSide(BaseModel):
    id: UUID
    text: str
    language: str
    translations: list[ConflictTranslation]
    speakers: list[Speaker]


class ConflictRelation(BaseModel):
    relation_id: UUID
    note: str | None
    asserted_by: ActorSummary | None = Field(description="Who says the two claims conflict.")
    asserted_in_source: SourceSummary | None
    self_conflict: bool = Field(
        description="The two claims share a speaker in their own voice (relaying someone "
        "else's words does not count): an actor contradicting itself, possibly over time."
    )
    self_conflict_actors: list[ActorSummary] = Field(
        description="The speakers of both claims (empty unless `self_conflict`)."
    )


class ClaimConflict(ConflictRelation):
    direction: Literal["contradicts", "contradicted_by"] = Field(
        description="`contradicts`: the relation was recorded from this claim to the other; "
        "`contradicted_by`: from the other to this one. Either way they conflict."
    )
    claim: ConflictSide = Field(description="The other claim.")


class ClaimConflicts(BaseModel):
    claim: ConflictSide
    conflicts: list[ClaimConflict]


class Conflict(ConflictRelation):
    from_claim: ConflictSide
    to_claim: ConflictSide


class ConflictPage(BaseModel):
    items: list[Conflict]
    next: str | None = Field(description="Cursor of the next page; null on the last page.")
