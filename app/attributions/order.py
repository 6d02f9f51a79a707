"""``?sort=`` of the attribution lists: ``GET /v1/attributions`` and an
actor's statements (``GET /v1/actors/{id}/statements``).

- ``time`` / ``-time``: by the earliest possible day a record was said
  (its time range's first day; a time open at the start before every day),
  earliest or latest first, then by id the same way; **unknown times last
  either way**. Each way has its key (``earliest_day``, ``earliest_day_desc``)
  and its indexes (migrations 0003 and 0012), so a page reads its rows in
  index order whatever the list's size.
- ``created`` / ``-created``: by id (UUIDv7: creation order), oldest or
  newest first.

A page's cursor carries the sort key and the id of its last row (and, as
every cursor, the listing it belongs to: ``app.pagination``).
"""

import re
from datetime import date
from typing import Any, Literal
from uuid import UUID

from fastapi import Query
from sqlalchemy import Date, Text, bindparam, cast, tuple_
from sqlalchemy.sql.elements import ColumnElement

from app import sqlcompile
from app.attributions.models import OPEN_START, earliest_day, earliest_day_desc

AttributionSort = Literal["time", "-time", "created", "-created"]

AFTER_KEY = "after_key"
AFTER_ID = "after_id"


def sort_query(default: str) -> Any:
    return Query(
        description="`time`: by the earliest possible day said, earliest first; `-time`: "
        "latest first (unknown times last either way); `created` / `-created`: by creation, "
        f"oldest / newest first. Default: `{default}`.",
    )


def descending(sort: str) -> bool:
    return sort.startswith("-")


def sort_key(sort: str, time_range: Any) -> ColumnElement[Any] | None:
    """The key a ``sort`` orders by before the id; None for the creation orders (the id alone)."""
    if sort == "time":
        return earliest_day(time_range)  # type: ignore[no-any-return]
    if sort == "-time":
        return earliest_day_desc(time_range)  # type: ignore[no-any-return]
    return None


def after(sort: str, key: ColumnElement[Any] | None, id_column: Any) -> ColumnElement[bool]:
    """Rows past the cursor's ``(AFTER_KEY, AFTER_ID)`` in ``sort`` order."""
    last_id = sqlcompile.uuid_param(AFTER_ID)
    if key is None:
        return id_column < last_id if descending(sort) else id_column > last_id  # type: ignore[no-any-return]
    position = tuple_(key, id_column)
    bound = tuple_(cast(bindparam(AFTER_KEY, type_=Text), Date), last_id)
    return position < bound if descending(sort) else position > bound


def order_by(sort: str, key: ColumnElement[Any] | None, id_column: Any) -> list[Any]:
    parts = [id_column] if key is None else [key, id_column]
    return [part.desc() for part in parts] if descending(sort) else parts


def key_text(key: ColumnElement[Any] | None, id_column: Any) -> ColumnElement[Any]:
    """The key as the cursor carries it (the id's text for the creation orders)."""
    return cast(id_column if key is None else key, Text)


def parse_key(sort: str, value: str) -> str:
    """A cursor's sort key, checked before its statement casts it
    (``ValueError`` if it is not one): a day (``YYYY-MM-DD``), ``infinity``,
    ``-infinity`` or ``OPEN_START`` for the time orders, an id for the others."""
    if sort not in ("time", "-time"):
        return str(UUID(value))
    if value not in ("infinity", "-infinity", OPEN_START):
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
            raise ValueError(f"not a day: {value!r}")
        date.fromisoformat(value)
    return value
