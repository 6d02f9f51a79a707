from datetime import date
from typing import get_args
from uuid import UUID

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.actors.schemas import ActorKind, NameKind
from app.db import Entity
from app.search.indexes import trigram_index

ACTOR_KINDS: tuple[str, ...] = get_args(ActorKind)
NAME_KINDS: tuple[str, ...] = get_args(NameKind)


class Actor(Entity):
    """Anyone or anything that can say something, including unnamed groups
    known only by description ("des diplomates américains")."""

    __tablename__ = "actors"
    __table_args__ = (
        CheckConstraint("kind IN (" + ", ".join(f"'{k}'" for k in ACTOR_KINDS) + ")", name="kind"),
        CheckConstraint("wikidata_id ~ '^Q[1-9][0-9]*$'", name="wikidata_id"),
        UniqueConstraint("wikidata_id"),
        trigram_index("ix_actors_name_trgm", "onrecord_unaccent(name)"),
    )

    kind: Mapped[str] = mapped_column(Text)
    name: Mapped[str] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    # For anonymous actors these two are the identity: "US" + "diplomats".
    nationality: Mapped[str | None] = mapped_column(Text)
    role_description: Mapped[str | None] = mapped_column(Text)
    wikidata_id: Mapped[str | None] = mapped_column(Text)


class ActorName(Entity):
    """One spelling, alias or epithet of an actor, in one language."""

    __tablename__ = "actor_names"
    __table_args__ = (
        UniqueConstraint("actor_id", "name", "language", postgresql_nulls_not_distinct=True),
        CheckConstraint("kind IN (" + ", ".join(f"'{k}'" for k in NAME_KINDS) + ")", name="kind"),
        trigram_index("ix_actor_names_name_trgm", "onrecord_unaccent(name)"),
    )

    actor_id: Mapped[UUID] = mapped_column(ForeignKey("actors.id", ondelete="CASCADE"))
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
