from datetime import date
from uuid import UUID

from sqlalchemy import Index, Integer, Text, UniqueConstraint
from sqlalchemy.dialects.postgresql import DATERANGE, Range
from sqlalchemy.dialects.postgresql import UUID as PG_UUID
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, Entity, directed_relation, part_of, refers_to
from app.events.schemas import EventRelationKind
from app.fuzzytime import FuzzyTimeColumns, fuzzy_time_checks


class Event(Entity, FuzzyTimeColumns):
    """Something that happened; ``time_*`` is when."""

    __tablename__ = "events"
    __table_args__ = (
        *fuzzy_time_checks(),
        Index(None, "time_range", postgresql_using="gist"),
        # The events whose time hangs on a source (migration 0014's trigger,
        # and the foreign key's check when a source is deleted).
        Index(None, "time_anchor_source_id"),
    )

    kind: Mapped[str] = mapped_column(Text)
    title: Mapped[str] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    place: Mapped[str | None] = mapped_column(Text)


class EventParticipant(Entity):
    __tablename__ = "event_participants"
    __table_args__ = (UniqueConstraint("event_id", "actor_id", "role"),)

    event_id: Mapped[UUID] = part_of("events")
    actor_id: Mapped[UUID] = refers_to("actors")
    role: Mapped[str] = mapped_column(Text, default="participant", server_default="participant")


class EventRelation(Entity):
    """``event_id`` is ``relation`` ``related_event_id``: "E2 is 6 days after E1"."""

    __tablename__ = "event_relations"
    __table_args__ = directed_relation(
        "event_id", "related_event_id", "relation", EventRelationKind
    )

    event_id: Mapped[UUID] = part_of("events")
    related_event_id: Mapped[UUID] = refers_to("events")
    relation: Mapped[str] = mapped_column(Text)
    offset_days: Mapped[int | None] = mapped_column(Integer)
    expression: Mapped[str | None] = mapped_column(Text)


class EventDerivedTime(Base):
    """The range an undated event's relative time works out to (through its
    anchor event or source, or a chain of relations). Written only by the
    triggers of migration 0014, which work every one out again after a write
    that can change one; the timeline reads them."""

    __tablename__ = "event_derived_times"
    __table_args__ = (Index(None, "time_range", postgresql_using="gist"),)

    event_id: Mapped[UUID] = mapped_column(PG_UUID(as_uuid=True), primary_key=True)
    time_range: Mapped[Range[date]] = mapped_column(DATERANGE)
