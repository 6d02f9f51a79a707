from datetime import date, datetime
from uuid import UUID

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Text,
    UniqueConstraint,
    literal_column,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.actors.schemas import ActorKind, ActorScope, ActorStatus, NameKind
from app.db import Entity, one_of, part_of
from app.search.indexes import trigram_gate_index, trigram_index


class Actor(Entity):
    """Anyone or anything that can say something, including unnamed groups
    known only by description ("des diplomates américains")."""

    __tablename__ = "actors"
    __table_args__ = (
        one_of("kind", ActorKind),
        CheckConstraint("wikidata_id ~ '^Q[1-9][0-9]*$'", name="wikidata_id"),
        UniqueConstraint("wikidata_id"),
        trigram_index("ix_actors_name_trgm", "onrecord_unaccent(name)"),
        trigram_gate_index("ix_actors_name_trgm_gate", "onrecord_unaccent(name)"),
        one_of("scope", ActorScope),
        one_of("status", ActorStatus),
        CheckConstraint(
            "(status = 'merged') = (merged_into_id IS NOT NULL)"
            " AND (merged_into_id IS NULL) = (merged_at IS NULL)",
            name="merge_complete",
        ),
        CheckConstraint("merged_into_id <> id", name="not_self_merge"),
        Index(
            None,
            "merged_into_id",
            postgresql_where=literal_column("merged_into_id IS NOT NULL"),
        ),
    )

    kind: Mapped[str] = mapped_column(Text)
    name: Mapped[str] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    # For anonymous actors these two are the identity: "US" + "diplomats".
    nationality: Mapped[str | None] = mapped_column(Text)
    role_description: Mapped[str | None] = mapped_column(Text)
    wikidata_id: Mapped[str | None] = mapped_column(Text)
    # Identity (migration 0008): how far the actor's names reach, and a curator's merge.
    scope: Mapped[str] = mapped_column(Text, default="global", server_default="global")
    status: Mapped[str] = mapped_column(Text, default="active", server_default="active")
    merged_into_id: Mapped[UUID | None] = mapped_column(
        ForeignKey("actors.id", ondelete="RESTRICT")
    )
    merged_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ActorName(Entity):
    """One spelling, alias or epithet of an actor, in one language."""

    __tablename__ = "actor_names"
    __table_args__ = (
        UniqueConstraint("actor_id", "name", "language", postgresql_nulls_not_distinct=True),
        one_of("kind", NameKind),
        trigram_index("ix_actor_names_name_trgm", "onrecord_unaccent(name)"),
        trigram_gate_index("ix_actor_names_name_trgm_gate", "onrecord_unaccent(name)"),
    )

    actor_id: Mapped[UUID] = part_of("actors")
    name: Mapped[str] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(Text, default="alias", server_default="alias")


class ActorRole(Entity):
    """A position held over a period: Pompeo, secretary of state, from–to."""

    __tablename__ = "actor_roles"
    __table_args__ = (
        CheckConstraint(
            "ended_on IS NULL OR started_on IS NULL OR started_on <= ended_on", name="period"
        ),
        Index(None, "organisation_id"),
    )

    actor_id: Mapped[UUID] = mapped_column(ForeignKey("actors.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(Text)
    organisation_id: Mapped[UUID | None] = mapped_column(
        ForeignKey("actors.id", ondelete="RESTRICT")
    )
    started_on: Mapped[date | None] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)
