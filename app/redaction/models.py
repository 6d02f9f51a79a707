from uuid import UUID

from sqlalchemy import ARRAY, CheckConstraint, ForeignKey, Index, Integer, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Entity


class Redaction(Entity):
    """That a record's content was redacted, when, why and which part
    (migration 0009): an actor's ``fields``, or a source's text from
    ``span_start`` to ``span_end`` (code points, end exclusive). The removed
    content itself is stored nowhere."""

    __tablename__ = "redactions"
    __table_args__ = (
        CheckConstraint("table_name IN ('actors', 'sources')", name="table_name"),
        CheckConstraint(
            "(table_name = 'actors' AND fields IS NOT NULL AND span_start IS NULL"
            " AND span_end IS NULL) OR (table_name = 'sources' AND fields IS NULL"
            " AND span_start >= 0 AND span_end > span_start)",
            name="what",
        ),
        Index(None, "table_name", "record_id", "id"),
    )

    table_name: Mapped[str] = mapped_column(Text)
    record_id: Mapped[UUID] = mapped_column()
    fields: Mapped[list[str] | None] = mapped_column(ARRAY(Text))
    span_start: Mapped[int | None] = mapped_column(Integer)
    span_end: Mapped[int | None] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text)
    key_id: Mapped[UUID | None] = mapped_column(ForeignKey("api_keys.id"))
