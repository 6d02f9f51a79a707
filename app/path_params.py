"""A record's id where a URL path names it (``/v1/actors/{actor_id}``):
one declaration a kind of record, so that every route naming one documents
it alike."""

from typing import Annotated
from uuid import UUID

from fastapi import Path

ActorId = Annotated[UUID, Path(description="Actor id.")]
SourceId = Annotated[UUID, Path(description="Source id.")]
EventId = Annotated[UUID, Path(description="Event id.")]
ClaimId = Annotated[UUID, Path(description="Claim id.")]
RelationId = Annotated[UUID, Path(description="Claim relation id.")]
AttributionId = Annotated[UUID, Path(description="Attribution id.")]
RecordId = Annotated[UUID, Path(description="Record id.")]
