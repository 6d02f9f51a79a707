"""A bundle's fuzzy time: the API's ``FuzzyTime`` with refs for anchors."""

from collections.abc import Iterator
from typing import Any

from pydantic import Field

from app.bundles.format.refs import Ref, Resolve, resolve_optional
from app.fields import Day, LongText, OffsetDays
from app.fuzzytime import FuzzyTime, Precision, RelativeTo, consistent_precision, time_columns
from app.schemas import Input


class BundleTime(Input):
    """``FuzzyTime`` with refs: ``anchor_source`` / ``anchor_event``."""

    expression: LongText | None = Field(default=None, max_length=500)
    relative_to: RelativeTo = "none"
    anchor_source: Ref | None = None
    anchor_event: Ref | None = None
    offset_days: OffsetDays | None = None
    earliest: Day | None = None
    latest: Day | None = None
    precision: Precision = "unknown"

    def _api_fields(self, resolve: Resolve) -> dict[str, Any]:
        return {
            "expression": self.expression,
            "relative_to": self.relative_to,
            "anchor_source_id": resolve_optional(resolve, self.anchor_source),
            "anchor_event_id": resolve_optional(resolve, self.anchor_event),
            "offset_days": self.offset_days,
            "earliest": self.earliest,
            "latest": self.latest,
            "precision": self.precision,
        }

    def to_api(self, resolve: Resolve) -> FuzzyTime:
        return FuzzyTime(**self._api_fields(resolve))

    def columns(self, resolve: Resolve) -> dict[str, Any]:
        """``to_api(resolve).to_columns()`` without building the time again
        (the bulk path: the record was checked when parsed)."""
        has_range = self.earliest is not None or self.latest is not None
        return time_columns(
            expression=self.expression,
            relative_to=self.relative_to,
            anchor_source_id=resolve_optional(resolve, self.anchor_source),
            anchor_event_id=resolve_optional(resolve, self.anchor_event),
            offset_days=self.offset_days,
            earliest=self.earliest,
            latest=self.latest,
            precision="range" if has_range and self.precision == "unknown" else self.precision,
        )

    def check_rules(self) -> None:
        """``FuzzyTime``'s rules across fields, without building one; raises
        ``FieldValueError`` as it would."""
        consistent_precision(
            earliest=self.earliest,
            latest=self.latest,
            precision=self.precision,
            relative_to=self.relative_to,
            anchors={"source": self.anchor_source, "event": self.anchor_event},
        )

    def to_api_unchecked(self, resolve: Resolve) -> FuzzyTime:
        """``to_api(resolve)`` without validating again (the bulk path: the
        record was checked when parsed)."""
        fields = self._api_fields(resolve)
        if fields["precision"] == "unknown" and (
            self.earliest is not None or self.latest is not None
        ):
            fields["precision"] = "range"  # as FuzzyTime normalises it
        return FuzzyTime.model_construct(**fields)

    def references(self, prefix: str) -> Iterator[tuple[str, str, str]]:
        if self.anchor_source is not None:
            yield f"{prefix}.anchor_source", "sources", self.anchor_source
        if self.anchor_event is not None:
            yield f"{prefix}.anchor_event", "events", self.anchor_event
