"""The tables of speaker identity (migration 0008): the names the resolver
matches on, the pairs a curator should look at, the pairs a curator said are
different people, and what each merge moved."""

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import CheckConstraint, DateTime, Float, ForeignKey, Index, Text, func, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.dialects.postgresql import UUID as PG_UUID
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, new_id


class ActorKey(Base):
    """A normalised name an actor is found by (``app.identity.keys``):
    ``person:donald trump``, ``surname:trump``, ``name:washington post``.
    Written with the actor's names; only for global actors, never for
    epithets or descriptions."""

    __tablename__ = "actor_keys"
    __table_args__ = (CheckConstraint("via IN ('name', 'alias')", name="via"),)

    key: Mapped[str] = mapped_column(Text, primary_key=True)
    actor_id: Mapped[UUID] = mapped_column(
        ForeignKey("actors.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    via: Mapped[str] = mapped_column(Text)
    """``name``: from the actor's display name; ``alias``: from one of its stored names."""


def _created_at() -> Mapped[datetime]:
    return mapped_column(DateTime(timezone=True), server_default=func.now(), nullable=False)


class ActorDuplicate(Base):
    """Two actors that may be one: the pair (in id order), a score in (0, 1]
    and why. Written by the resolver when it would not decide."""

    __tablename__ = "actor_duplicates"
    __table_args__ = (
        CheckConstraint("actor_id < candidate_id", name="ordered"),
        CheckConstraint("score > 0 AND score <= 1", name="score"),
        Index("ix_actor_duplicates_score", text("score DESC"), "actor_id"),
    )

    actor_id: Mapped[UUID] = mapped_column(
        ForeignKey("actors.id", ondelete="CASCADE"), primary_key=True
    )
    candidate_id: Mapped[UUID] = mapped_column(
        ForeignKey("actors.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    score: Mapped[float] = mapped_column(Float)
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = _created_at()


class ActorDistinction(Base):
    """A curator's "not the same person": never merged by the resolver,
    never listed as duplicates."""

    __tablename__ = "actor_distinctions"
    __table_args__ = (CheckConstraint("actor_id < other_id", name="ordered"),)

    actor_id: Mapped[UUID] = mapped_column(
        ForeignKey("actors.id", ondelete="CASCADE"), primary_key=True
    )
    other_id: Mapped[UUID] = mapped_column(
        ForeignKey("actors.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    created_at: Mapped[datetime] = _created_at()


class ActorMerge(Base):
    """One merge: which rows it moved from ``actor_id`` to ``into_id`` (by
    table, their ids) and what it copied, so that an unmerge undoes exactly
    that; ``undone_at`` once it has."""

    __tablename__ = "actor_merges"

    id: Mapped[UUID] = mapped_column(PG_UUID(as_uuid=True), primary_key=True, default=new_id)
    actor_id: Mapped[UUID] = mapped_column(ForeignKey("actors.id", ondelete="CASCADE"), index=True)
    into_id: Mapped[UUID] = mapped_column(ForeignKey("actors.id", ondelete="CASCADE"), index=True)
    moved: Mapped[dict[str, Any]] = mapped_column(JSONB)
    undone_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = _created_at()
