from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import (
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    Text,
    func,
    literal_column,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.attributions.schemas import Certainty, Mode, ResolutionMethod, Review, SpanRole
from app.db import Base, Entity, one_of, refers_to
from app.fuzzytime import FuzzyTimeColumns, fuzzy_time_checks


def earliest_day(time_range: Any) -> Any:
    """Sort key "earliest possible day": the range's first day, ``-infinity``
    when it has no lower bound, ``infinity`` when the time is unknown (sorts
    last). An immutable SQL function (migration 0003), so it can be indexed."""
    return func.onrecord_earliest_day(time_range)


OPEN_START = "4000-01-01 BC"
"""``earliest_day_desc`` of a time with no lower bound: below every day a
time can be given (from 0001-01-02), above ``-infinity`` (unknown)."""


def earliest_day_desc(time_range: Any) -> Any:
    """Sort key of ``?sort=-time`` (descending): the range's first day,
    ``OPEN_START`` when it has no lower bound, ``-infinity`` when the time is
    unknown, so that, latest first, unknown times still come last. An
    immutable SQL function (migration 0012), indexed."""
    return func.onrecord_earliest_day_desc(time_range)


class Attribution(Entity, FuzzyTimeColumns):
    """This speaker said this claim, as recorded in this source, then, thus.

    ``relayed_through_id`` makes "on whose report" data: the S0 attribution of
    the green-light claim relays Bloomberg's, whose speaker is the anonymous
    diplomats. ``speaker_id`` is NULL only for the source's own voice.
    """

    __tablename__ = "attributions"
    __table_args__ = (
        one_of("mode", Mode),
        one_of("certainty", Certainty),
        CheckConstraint(
            "speaker_id IS NOT NULL OR mode = 'own_voice'", name="speaker_or_own_voice"
        ),
        CheckConstraint(
            "(span_start IS NULL) = (span_end IS NULL)"
            " AND (span_start IS NULL) = (span_text IS NULL)",
            name="span_complete",
        ),
        CheckConstraint("span_start >= 0 AND span_end > span_start", name="span_order"),
        CheckConstraint("relayed_through_id <> id", name="not_self_relay"),
        CheckConstraint(
            "(retracted_at IS NULL) = (retraction_reason IS NULL)", name="retraction_complete"
        ),
        *fuzzy_time_checks(),
        Index(None, "time_range", postgresql_using="gist"),
        # An actor's statements in time order (app/provenance: /actors/{id}/statements).
        Index(
            "ix_attributions_speaker_id_earliest_day",
            "speaker_id",
            earliest_day(literal_column("time_range")),
            "id",
        ),
        # ?sort=-time of the same (migration 0012).
        Index(
            "ix_attributions_speaker_id_earliest_day_desc",
            "speaker_id",
            earliest_day_desc(literal_column("time_range")),
            "id",
        ),
        # GET /v1/attributions?sort=time and ?sort=-time (migration 0012).
        Index("ix_attributions_earliest_day", earliest_day(literal_column("time_range")), "id"),
        Index(
            "ix_attributions_earliest_day_desc",
            earliest_day_desc(literal_column("time_range")),
            "id",
        ),
        # The distinct claims of a source, in claim order (/sources/{id}/claims).
        Index(None, "source_id", "claim_id"),
        one_of("resolution_method", ResolutionMethod),
        CheckConstraint(
            "(speaker_id IS NULL) = (resolution_method IS NULL)"
            " AND (resolution_method IS NULL) = (resolution_confidence IS NULL)",
            name="resolution_complete",
        ),
        CheckConstraint(
            "resolution_confidence >= 0 AND resolution_confidence <= 1",
            name="resolution_confidence",
        ),
        # ?resolution_method= and the curation queue, in id order.
        Index(None, "resolution_method", "id"),
        CheckConstraint(
            "(extraction_model IS NULL) = (extraction_version IS NULL)"
            " AND (extraction_model IS NULL) = (extraction_confidence IS NULL)",
            name="extraction_complete",
        ),
        CheckConstraint(
            "extraction_confidence >= 0 AND extraction_confidence <= 1",
            name="extraction_confidence",
        ),
        one_of("review", Review),
        # ?reviewed=true: the few a person looked at, in id order.
        Index(
            "ix_attributions_reviewed_id",
            "id",
            postgresql_where=literal_column("review IS NOT NULL"),
        ),
        Index(
            None,
            "resolution_through_id",
            postgresql_where=literal_column("resolution_through_id IS NOT NULL"),
        ),
    )

    claim_id: Mapped[UUID] = refers_to("claims")
    speaker_id: Mapped[UUID | None] = refers_to("actors")
    source_id: Mapped[UUID] = refers_to("sources")
    occasion_event_id: Mapped[UUID | None] = refers_to("events")
    relayed_through_id: Mapped[UUID | None] = refers_to("attributions")
    mode: Mapped[str] = mapped_column(Text)
    cue: Mapped[str | None] = mapped_column(Text)
    certainty: Mapped[str] = mapped_column(Text, default="unknown", server_default="unknown")
    span_start: Mapped[int | None] = mapped_column(Integer)
    span_end: Mapped[int | None] = mapped_column(Integer)
    span_text: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    # Retracted (migration 0006): kept, hidden from default lists and chains.
    retracted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    retraction_reason: Mapped[str | None] = mapped_column(Text)
    # How the speaker was resolved (migration 0008, app/identity): the mention
    # as written, the method, a confidence, and for a pronoun, a description
    # or "the same sources" the attribution it was resolved through.
    speaker_mention: Mapped[str | None] = mapped_column(Text)
    resolution_method: Mapped[str | None] = mapped_column(Text)
    resolution_confidence: Mapped[float | None] = mapped_column(Float)
    resolution_through_id: Mapped[UUID | None] = mapped_column(
        ForeignKey("attributions.id", ondelete="SET NULL")
    )
    # Proposed by an extraction model (migration 0010), and whether a person
    # reviewed it before it was stored.
    extraction_model: Mapped[str | None] = mapped_column(Text)
    extraction_version: Mapped[str | None] = mapped_column(Text)
    extraction_confidence: Mapped[float | None] = mapped_column(Float)
    review: Mapped[str | None] = mapped_column(Text)


class AttributionSpan(Base):
    """One fragment of an annotated mention of an attribution (migration 0005).

    Annotation tools (brat) mark every fragment of the content, the cue and
    the speaker mention, each possibly discontinuous; ``Attribution.span``
    holds one contiguous stretch only. Rows are the attribution's own parts
    (no id, no timestamps: PATCH replaces them whole) and go with it on delete.
    ``ordinal`` orders the fragments of one role.
    """

    __tablename__ = "attribution_spans"
    __table_args__ = (
        one_of("role", SpanRole),
        CheckConstraint(
            'start >= 0 AND "end" > start AND char_length(text) = "end" - start', name="bounds"
        ),
    )

    attribution_id: Mapped[UUID] = mapped_column(
        ForeignKey("attributions.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[str] = mapped_column(Text, primary_key=True)
    ordinal: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
