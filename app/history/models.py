from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Identity,
    Index,
    Text,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base

ACTIONS = ("create", "update", "delete")


class Revision(Base):
    """One change of one record of the six main tables (migration 0006).

    Written by statement-level triggers (``onrecord_record_revisions``) in the
    transaction of the change: ``before``/``after`` are the row itself
    (``to_jsonb``, derived columns left out), not the API document; a
    record's parts (names, translations, spans...) are rows of other tables
    and are not in it. ``key_id`` and ``reason`` come from the
    transaction-local settings ``onrecord.key_id`` and ``onrecord.reason``;
    ``txid`` is the writing transaction (the changes feed's order).
    """

    __tablename__ = "revisions"
    __table_args__ = (
        CheckConstraint("action IN ('create', 'update', 'delete')", name="action"),
        Index("ix_revisions_record", "table_name", "record_id", "id"),
        Index("ix_revisions_txid_id", "txid", "id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(always=True), primary_key=True)
    table_name: Mapped[str] = mapped_column(Text)
    record_id: Mapped[UUID] = mapped_column()
    action: Mapped[str] = mapped_column(Text)
    key_id: Mapped[UUID | None] = mapped_column(ForeignKey("api_keys.id"))
    at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=text("clock_timestamp()")
    )
    before: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    reason: Mapped[str | None] = mapped_column(Text)
    txid: Mapped[int] = mapped_column(BigInteger)
