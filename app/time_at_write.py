"""Fuzzy times read when they are written: a client that sends an expression
and its anchor but no days ("on Thursday", relative to a source) gets the
days the expression means from the anchor's date, by the same parser
extraction uses (``app.extraction.time_expressions``). What cannot be read
stays unknown, and the stored time says so (``resolution: unparsed``)."""

from datetime import date, timedelta
from typing import Any, Protocol
from uuid import UUID

from sqlalchemy import func, null
from sqlalchemy.ext.asyncio import AsyncSession

from app.db import row_by_id
from app.fuzzytime import FuzzyTime


class Unread(Protocol):
    """What ``needs_reading`` looks at: a ``FuzzyTime``, or a bundle's time."""

    expression: str | None
    offset_days: int | None
    earliest: date | None
    latest: date | None


def needs_reading(time: Unread | None) -> bool:
    """An expression with nothing read from it yet: no offset, no day."""
    return (
        time is not None
        and bool(time.expression)
        and time.offset_days is None
        and time.earliest is None
        and time.latest is None
    )


def read_against(time: FuzzyTime, anchor: date | None, language: str | None) -> dict[str, Any]:
    """The columns of ``time`` with what its expression says against
    ``anchor`` (the day of its source or event), and how it was read."""
    from app.extraction.time_expressions import parse_time

    assert time.expression is not None
    parsed = parse_time(time.expression, language=language or "en", anchor=anchor)
    columns = time.to_columns()
    if parsed.earliest is None and parsed.latest is None and parsed.offset_days is None:
        return {**columns, "time_resolution": "unparsed"}
    offset = parsed.offset_days if time.relative_to != "none" else None
    earliest, latest, precision = parsed.earliest, parsed.latest, parsed.precision
    if earliest is None and latest is None and offset is not None and anchor is not None:
        # "two days later", relative to an event: its day, moved
        earliest = latest = anchor + timedelta(days=offset)
        precision = "day"
    read = FuzzyTime(
        expression=time.expression,
        relative_to=time.relative_to,
        anchor_source_id=time.anchor_source_id,
        anchor_event_id=time.anchor_event_id,
        offset_days=offset,
        earliest=earliest,
        latest=latest,
        precision=precision if earliest or latest else "unknown",
    )
    return {**read.to_columns(), "time_resolution": "parsed"}


async def anchor_day(session: AsyncSession, time: FuzzyTime) -> tuple[date | None, str | None]:
    """The day a time is relative to (its anchor's, when that is one known
    day) and the anchor source's language."""
    from app.events.models import Event
    from app.sources.models import Source

    if time.relative_to == "source" and time.anchor_source_id is not None:
        table: Any = Source.__table__
        anchor: UUID = time.anchor_source_id
        language: Any = table.c.language
    elif time.relative_to == "event" and time.anchor_event_id is not None:
        table = Event.__table__
        anchor = time.anchor_event_id
        language = None
    else:
        return None, None
    row = await row_by_id(
        session,
        table,
        anchor,
        func.lower(table.c.time_range),
        func.upper(table.c.time_range),
        language if language is not None else null(),
    )
    if row is None or row[0] is None or row[1] is None:
        return None, row[2] if row is not None else None
    first, after_last, lang = row
    return (first if after_last - first == timedelta(days=1) else None), lang


async def time_columns(
    session: AsyncSession, time: FuzzyTime, *, language: str | None = None
) -> dict[str, Any]:
    """The columns a write stores for ``time``: as sent, or read from its
    expression against its anchor when it came without days."""
    if not needs_reading(time):
        return time.to_columns()
    day, anchor_language = await anchor_day(session, time)
    return read_against(time, day, language or anchor_language)


async def changed_time_columns(session: AsyncSession, time: FuzzyTime | None) -> dict[str, Any]:
    """The columns a PATCH stores for ``time``: none when it leaves the time as it was."""
    return {} if time is None else await time_columns(session, time)
