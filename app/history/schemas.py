from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel, Field

from app.attributions.schemas import AttributionUpdate
from app.fields import LongText
from app.schemas import Input

Resource = Literal["actors", "sources", "events", "claims", "attributions", "claim-relations"]


class KeyBrief(BaseModel):
    id: UUID
    name: str


class RevisionRead(BaseModel):
    """One change of one record. ``before``/``after`` are the stored row (its
    columns, not the API document; derived columns left out): ``before`` is
    null for a creation, ``after`` for a deletion (the tombstone)."""

    id: int = Field(description="Revision number (assigned when written, not when committed).")
    resource: Resource
    record_id: UUID
    action: Literal["create", "update", "delete"]
    at: datetime
    key: KeyBrief | None = Field(
        description="The API key that made the change, shown to admin keys only; null for "
        "anyone else, and for a change written outside the API (command line, migration)."
    )
    reason: str | None = Field(description="Why, for corrections and retractions.")
    before: dict[str, Any] | None
    after: dict[str, Any] | None


class ChangesPage(BaseModel):
    items: list[RevisionRead]
    next: str | None = Field(
        description="Position after the last item: pass it as `since` to continue (also when "
        "`more` is false, to poll for later changes). Null only when there is no change yet."
    )
    more: bool = Field(description="More changes are ready now.")


class Correction(Input):
    reason: LongText = Field(
        min_length=1, max_length=10_000, description="Why the record is corrected."
    )
    changes: AttributionUpdate = Field(
        description="The fields corrected, as for PATCH: at least one.",
        json_schema_extra={"minProperties": 1},
    )


class Retraction(Input):
    reason: LongText = Field(
        min_length=1, max_length=10_000, description="Why the attribution is retracted."
    )
