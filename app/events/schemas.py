from typing import Annotated, Literal
from uuid import UUID

from fastapi import Query
from pydantic import BaseModel, ConfigDict, Field

from app import examples, expansion, pagination
from app.fields import LongText, Name, NameKey, OffsetDays
from app.fuzzytime import FuzzyTime, FuzzyTimeRead
from app.schemas import Input, Patch, Stored
from app.time_window import HappenedFrom, HappenedTo

EventRelationKind = Literal["before", "after", "during", "same_time"]


EXPANDABLE = ("participants",)


class EventListQuery(expansion.ExpandingQuery):
    """The query of ``GET /v1/events``: its filters, what to embed, the page."""

    expandable = EXPANDABLE

    kind: Annotated[NameKey | None, Query(max_length=500)] = None
    participant_id: UUID | None = None
    time_from: HappenedFrom = None
    time_to: HappenedTo = None
    expand: Annotated[str | None, expansion.expand_query(EXPANDABLE)] = None
    limit: pagination.Limit = pagination.DEFAULT_LIMIT
    cursor: pagination.Cursor = None


class ParticipantIn(Input):
    actor_id: UUID
    role: Name = Field(default="participant", examples=["caller", "host", "target"])


class EventRelationIn(Input):
    relation: EventRelationKind = Field(description="This event is `relation` the other one.")
    event_id: UUID = Field(description="The other event.")
    offset_days: OffsetDays | None = Field(default=None, examples=[6])
    expression: Name | None = Field(default=None, examples=["6 jours après"])


# What an event is written with: each field's type, limits, description and
# examples, declared once for POST and PATCH. A PATCH field is the same
# declaration made optional (`| None = None`; left out, it stays as it is); a
# declaration that holds None already (POST may leave it null) reads alike in both.
EventKind = Annotated[Name, Field(examples=["phone_call", "visit", "statement", "meeting"])]
Place = Annotated[Name | None, Field(examples=["Abou Dhabi"])]
Participants = Annotated[list[ParticipantIn], Field(max_length=500)]
Relations = Annotated[list[EventRelationIn], Field(max_length=500)]


class EventCreate(Input):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.EVENT_CREATE]})

    kind: EventKind
    title: Name
    description: LongText | None = None
    place: Place = None
    time: FuzzyTime = Field(default_factory=FuzzyTime)
    participants: Participants = Field(default_factory=list)
    relations: Relations = Field(default_factory=list)


class EventUpdate(Patch):
    required_fields = frozenset({"kind", "title", "time", "participants", "relations"})

    kind: EventKind | None = None
    title: Name | None = None
    description: LongText | None = None
    place: Place = None
    time: FuzzyTime | None = None
    participants: Participants | None = None
    relations: Relations | None = None


class Participant(BaseModel):
    actor_id: UUID
    role: str
    actor: dict[str, object] | None = Field(
        default=None, description="With `?expand=participants`: the actor."
    )


class EventRelation(BaseModel):
    relation: EventRelationKind
    event_id: UUID
    offset_days: int | None
    expression: str | None


class EventRead(Stored):
    kind: str
    title: str
    description: str | None
    place: str | None
    time: FuzzyTimeRead
    participants: list[Participant]
    relations: list[EventRelation]
