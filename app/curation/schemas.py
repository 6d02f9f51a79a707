from datetime import datetime
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from app.actors.schemas import ActorCreate, ActorRead
from app.attributions.schemas import RESOLUTION_DESCRIPTION, ResolutionMethod
from app.schemas import Input

MAX_SPLIT = 10_000
"""Attributions one split moves, at most."""

CurationKind = Literal["duplicate", "unresolved", "low_confidence"]


class MergeRequest(Input):
    into: UUID = Field(description="The actor that stays (the survivor).")


class SplitRequest(Input):
    attribution_ids: list[UUID] = Field(
        min_length=1,
        max_length=MAX_SPLIT,
        description="Attributions of this actor that are another person's.",
    )
    actor: ActorCreate = Field(description="The other person, created by the split.")


class DistinctRequest(Input):
    model_config = ConfigDict(populate_by_name=True)

    other: UUID = Field(alias="from", description="An actor that is not the same person.")


class DuplicateCandidateRead(BaseModel):
    actor: ActorRead
    score: float = Field(ge=0, le=1, description="How likely the two are one (1: surely).")
    reasons: list[str] = Field(
        description="Why: a shared name or alias, a surname that matches a full name, the "
        "same role and affiliation, or a tie the resolver would not break at import."
    )


class DuplicatesRead(BaseModel):
    items: list[DuplicateCandidateRead]


class DistinctionRead(BaseModel):
    actor_id: UUID
    other_id: UUID
    created_at: datetime


class CurationItemRead(BaseModel):
    kind: CurationKind = Field(
        description="`duplicate`: two actors that may be one; `unresolved`: a speaker the "
        "resolver could not place (a pronoun, a description), an actor of its own; "
        "`low_confidence`: a resolution it was unsure of."
    )
    score: float | None = Field(description="`duplicate`: how likely the two are one.")
    reason: str | None
    actor_id: UUID | None = Field(description="`duplicate`: one of the pair; else the speaker.")
    candidate_id: UUID | None = Field(description="`duplicate`: the other of the pair.")
    attribution_id: UUID | None = Field(description="`unresolved`, `low_confidence`.")
    mention: str | None
    method: ResolutionMethod | None = Field(description=RESOLUTION_DESCRIPTION)
    confidence: float | None
