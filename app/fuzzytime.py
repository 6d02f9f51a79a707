"""Fuzzy time: what the text says ("vendredi dernier"), what it is relative to,
and the resolved range of days it can denote.

Sources (publication), events and attributions (when it was said) share these
columns. The range is a PostgreSQL ``daterange`` so "overlaps this window" is
one GiST-indexed ``&&``; NULL means nothing is known, and stays NULL rather
than being guessed.
"""

from datetime import date, timedelta
from typing import Any, Literal, Self
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, model_validator
from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, Text, bindparam, func
from sqlalchemy.dialects.postgresql import DATERANGE, Range
from sqlalchemy.orm import Mapped, declared_attr, mapped_column
from sqlalchemy.sql.elements import ColumnElement

from app.errors import FieldValueError, InvalidField
from app.fields import Day, OffsetDays, StorableText

RelativeTo = Literal["none", "source", "event"]
Precision = Literal["day", "week", "month", "year", "range", "unknown"]
RELATIVE_TO: tuple[str, ...] = ("none", "source", "event")
PRECISIONS: tuple[str, ...] = ("day", "week", "month", "year", "range", "unknown")


class FuzzyTimeColumns:
    """Mixin for the ``time_*`` columns of a table."""

    time_expression: Mapped[str | None] = mapped_column(Text)
    time_relative_to: Mapped[str] = mapped_column(Text, default="none", server_default="none")
    time_offset_days: Mapped[int | None] = mapped_column(Integer)
    time_range: Mapped[Range[date] | None] = mapped_column(DATERANGE)
    time_precision: Mapped[str] = mapped_column(Text, default="unknown", server_default="unknown")
    # How the days were known (migration 0010): given by the client, parsed
    # from the expression against its anchor when written, or unparsed.
    time_resolution: Mapped[str] = mapped_column(Text, default="given", server_default="given")

    @declared_attr
    def time_anchor_source_id(self) -> Mapped[UUID | None]:
        return mapped_column(ForeignKey("sources.id", ondelete="RESTRICT", use_alter=True))

    @declared_attr
    def time_anchor_event_id(self) -> Mapped[UUID | None]:
        return mapped_column(ForeignKey("events.id", ondelete="RESTRICT", use_alter=True))


def fuzzy_time_checks() -> tuple[CheckConstraint, ...]:
    relative = ", ".join(f"'{value}'" for value in RELATIVE_TO)
    precisions = ", ".join(f"'{value}'" for value in PRECISIONS)
    return (
        CheckConstraint(f"time_relative_to IN ({relative})", name="time_relative_to"),
        CheckConstraint(f"time_precision IN ({precisions})", name="time_precision"),
        CheckConstraint(
            "time_resolution IN ('given', 'parsed', 'unparsed')", name="time_resolution"
        ),
        CheckConstraint(
            "(time_relative_to = 'none' AND time_anchor_source_id IS NULL"
            " AND time_anchor_event_id IS NULL)"
            " OR (time_relative_to = 'source' AND time_anchor_source_id IS NOT NULL"
            " AND time_anchor_event_id IS NULL)"
            " OR (time_relative_to = 'event' AND time_anchor_event_id IS NOT NULL"
            " AND time_anchor_source_id IS NULL)",
            name="time_anchor",
        ),
        CheckConstraint(
            "(time_range IS NULL) = (time_precision = 'unknown')", name="time_range_known"
        ),
        CheckConstraint("NOT isempty(time_range)", name="time_range_not_empty"),
    )


def time_columns(
    *,
    expression: str | None,
    relative_to: RelativeTo,
    anchor_source_id: UUID | None,
    anchor_event_id: UUID | None,
    offset_days: int | None,
    earliest: date | None,
    latest: date | None,
    precision: Precision,
) -> dict[str, Any]:
    """The ``time_*`` columns of a consistent time (``consistent_precision``)."""
    time_range: Range[date] | None = None
    if earliest is not None or latest is not None:
        upper = latest + timedelta(days=1) if latest else None
        time_range = Range(earliest, upper, bounds="[)")
    return {
        "time_expression": expression,
        "time_relative_to": relative_to,
        "time_anchor_source_id": anchor_source_id,
        "time_anchor_event_id": anchor_event_id,
        "time_offset_days": offset_days,
        "time_range": time_range,
        "time_precision": precision,
        "time_resolution": "given",
    }


def consistent_precision(
    *,
    earliest: date | None,
    latest: date | None,
    precision: Precision,
    relative_to: RelativeTo,
    anchors: dict[str, object | None],
) -> Precision:
    """A time's rules across its fields; the precision it gets. Raises
    ``FieldValueError`` naming the field at fault; ``anchors``: the anchor
    of each kind (``source``, ``event``), as the caller names them
    (``anchor_source_id``, or a bundle's ``anchor_source``)."""
    if earliest and latest and earliest > latest:
        raise FieldValueError("latest", "latest must not be before earliest")
    has_range = earliest is not None or latest is not None
    if has_range and precision == "unknown":
        # A caller giving bounds but no precision means "somewhere in there".
        precision = "range"
    if not has_range and precision != "unknown":
        raise FieldValueError("precision", f"precision {precision!r} needs earliest and/or latest")
    for kind, anchor in anchors.items():
        if anchor is not None and relative_to != kind:
            raise FieldValueError(
                f"anchor_{kind}_id", f"anchor_{kind}_id is only allowed with relative_to={kind!r}"
            )
    if relative_to != "none" and anchors[relative_to] is None:
        raise FieldValueError(
            f"anchor_{relative_to}_id", f"relative_to={relative_to!r} needs anchor_{relative_to}_id"
        )
    return precision


class FuzzyTime(BaseModel):
    """A time as the text gives it, and the days it can denote."""

    # As for every request body (app.schemas.Input): a misspelt field is an
    # error, not a time silently left unknown.
    model_config = ConfigDict(extra="forbid")

    expression: StorableText | None = Field(
        default=None,
        max_length=500,
        examples=["vendredi dernier"],
        description="The time as written, in the source's language.",
    )
    relative_to: RelativeTo = Field(
        default="none",
        description="`source`: relative to a source's date; `event`: to another event.",
    )
    anchor_source_id: UUID | None = None
    anchor_event_id: UUID | None = None
    offset_days: OffsetDays | None = Field(
        default=None,
        description="Days after (positive) or before the anchor, when the text says so.",
    )
    earliest: Day | None = Field(default=None, description="First possible day (inclusive).")
    latest: Day | None = Field(default=None, description="Last possible day (inclusive).")
    precision: Precision = Field(
        default="unknown",
        description="Granularity of what is known; `unknown` exactly when no day is known.",
    )

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        self.precision = consistent_precision(
            earliest=self.earliest,
            latest=self.latest,
            precision=self.precision,
            relative_to=self.relative_to,
            anchors={"source": self.anchor_source_id, "event": self.anchor_event_id},
        )
        return self

    def to_columns(self) -> dict[str, Any]:
        return time_columns(
            expression=self.expression,
            relative_to=self.relative_to,
            anchor_source_id=self.anchor_source_id,
            anchor_event_id=self.anchor_event_id,
            offset_days=self.offset_days,
            earliest=self.earliest,
            latest=self.latest,
            precision=self.precision,
        )


TimeResolution = Literal["given", "parsed", "unparsed"]


class FuzzyTimeRead(FuzzyTime):
    """A stored fuzzy time, saying how its days were known."""

    resolution: TimeResolution = Field(
        default="given",
        description="`given`: the client gave the days or the offset; `parsed`: the expression "
        'was read against its anchor\'s date when written ("on Thursday", relative to a '
        "source); `unparsed`: nothing could read the expression, so the time stays unknown.",
    )


UNKNOWN_TIME_COLUMNS = FuzzyTime().to_columns()


def changed_time_columns(time: FuzzyTime | None) -> dict[str, Any]:
    """The columns an update writes for a fuzzy time: all of them when it sends
    one (a time is replaced whole), none when it sends none."""
    return {} if time is None else time.to_columns()


def fuzzy_time_json(table: Any) -> ColumnElement[Any]:
    """The FuzzyTime object of a row, built by PostgreSQL."""
    return func.json_build_object(
        "expression",
        table.c.time_expression,
        "relative_to",
        table.c.time_relative_to,
        "anchor_source_id",
        table.c.time_anchor_source_id,
        "anchor_event_id",
        table.c.time_anchor_event_id,
        "offset_days",
        table.c.time_offset_days,
        "earliest",
        func.lower(table.c.time_range),
        "latest",
        func.upper(table.c.time_range) - 1,
        "precision",
        table.c.time_precision,
        "resolution",
        table.c.time_resolution,
    )


def check_window(start: date | None, end: date | None) -> None:
    """Refuse an upside-down ``time_from``/``time_to`` window."""
    if start and end and start > end:
        raise InvalidField(
            "time_from must not be after time_to", field="time_from", location="query"
        )


def overlaps(table: Any, start: date | None, end: date | None) -> ColumnElement[bool] | None:
    """Rows whose possible days meet [start, end] (GiST-indexed ``&&``), or None
    without bounds. Unknown times never match a window."""
    check_window(start, end)
    if start is None and end is None:
        return None
    window = func.daterange(start, end, "[]")
    result: ColumnElement[bool] = table.c.time_range.op("&&")(window)
    return result


WINDOW_FROM, WINDOW_TO = "time_from", "time_to"


def overlaps_bound(table: Any) -> ColumnElement[bool]:
    """``overlaps`` for a statement compiled once: its bounds are the bind
    parameters ``time_from`` and ``time_to`` (NULL: unbounded on that side)."""
    window = func.daterange(
        bindparam(WINDOW_FROM, type_=Date), bindparam(WINDOW_TO, type_=Date), "[]"
    )
    result: ColumnElement[bool] = table.c.time_range.op("&&")(window)
    return result
