from typing import Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from app import examples
from app.fields import LongText, Name, OffsetDays
from app.fuzzytime import FuzzyTime, FuzzyTimeRead
from app.schemas import Input, Patch, Stored

EventRelationKind = Literal["before", "after", "during", "same_time"]


class ParticipantIn(Input):
    actor_id: UUID
    role: Name = Field(default="participant", examples=["caller", "host", "target"])


class EventRelationIn(Input):
    relation: EventRelationKind = Field(description="This event is `relation` the other one.")
    event_id: UUID = Field(description="The other event.")
    offset_days: OffsetDays | None = Field(default=None, examples=[6])
    expression: Name | None = Field(default=None, examples=["6 jours après"])


class EventCreate(Input):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.EVENT_CREATE]})

    kind: Name = Field(examples=["phone_call", "visit", "statement", "meeting"])
    title: Name
    description: LongText | None = None
    place: Name | None = Field(default=None, examples=["Abou Dhabi"])
    time: FuzzyTime = Field(default_factory=FuzzyTime)
    participants: list[ParticipantIn] = Field(default_factory=list, max_length=500)
    relations: list[EventRelationIn] = Field(default_factory=list, max_length=500)


class EventUpdate(Patch):
    required_fields = frozenset({"kind", "title", "time", "participants", "relations"})

    kind: Name | None = None
    title: Name | None = None
    description: LongText | None = None
    place: Name | None = None
    time: FuzzyTime | None = None
    participants: list[ParticipantIn] | None = Field(default=None, max_length=500)
    relations: list[EventRelationIn] | None = Field(default=None, max_length=500)


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
