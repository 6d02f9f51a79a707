"""Keyset pages: the ``Page`` envelope, opaque cursors, and the statement of
one page ordered by id (or by another key, then id), built as JSON text by
PostgreSQL.

A cursor carries the listing it was issued for: the request's path and
every query parameter but ``limit`` (which may change from page to page)
and the cursor itself (``cursor``, or the changes feed's ``since``), that
is its filters, ``sort``, ``expand`` and whatever a route declares later.
The API's routes bind each request to its listing (``bind_listing``, from
``app.routing``); a cursor sent with other parameters is refused (400
``cursor-mismatch``), never read as a position in another list. One format
everywhere: ``{"after": [key parts...], "for": "<listing digest>"}``, JSON
in URL-safe base64.
"""

import base64
import binascii
import hashlib
from collections.abc import Callable, Sequence
from contextvars import ContextVar
from typing import Annotated, Any, Generic, TypeVar
from uuid import UUID

import orjson
from fastapi import Query
from pydantic import BaseModel, Field
from sqlalchemy import Integer, Select, Text, bindparam, cast, literal, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import BindParameter, ColumnElement

from app.errors import BadCursor, CursorMismatch

ItemT = TypeVar("ItemT")
KeyT = TypeVar("KeyT")

DEFAULT_LIMIT = 50
MAX_LIMIT = 200


class Page(BaseModel, Generic[ItemT]):
    items: list[ItemT]
    next: str | None = Field(
        description="Cursor of the next page (pass as `cursor`); null on the last page."
    )


CURSOR_PARAMETERS = frozenset({"cursor", "since"})
"""Query parameters that carry a cursor: not part of the listing."""
PAGE_SIZE_PARAMETERS = frozenset({"limit"})
"""Query parameters that may change from page to page."""

_listing: ContextVar[tuple[str, Any] | None] = ContextVar("onrecord_listing", default=None)


def bind_listing(path: str, query: Any) -> None:
    """The listing the cursors of this request belong to: its ``path`` and
    ``query`` (a multi-dict, as ``request.query_params``). Outside a request
    (the command line) there is none: cursors name no listing."""
    _listing.set((path, query))


def _listing_digest() -> str:
    listing = _listing.get()
    if listing is None:
        return ""
    path, query = listing
    ignored = CURSOR_PARAMETERS | PAGE_SIZE_PARAMETERS
    kept = sorted((k, v) for k, v in query.multi_items() if k not in ignored)
    canonical = orjson.dumps([path, kept])
    return base64.urlsafe_b64encode(hashlib.blake2b(canonical, digest_size=9).digest()).decode()


def listing_digest() -> str:
    """The ``for`` of this request's cursors (for a cursor built by SQL)."""
    return _listing_digest()


def _listing_parameters() -> str:
    listing = _listing.get()
    if listing is None:
        return "none"
    ignored = CURSOR_PARAMETERS | PAGE_SIZE_PARAMETERS
    kept = sorted(f"{k}={v}" for k, v in listing[1].multi_items() if k not in ignored)
    return ", ".join(kept) or "none"


def encode_cursor(*key: Any) -> str:
    raw = orjson.dumps({"after": [str(part) for part in key], "for": _listing_digest()})
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, *, parts: int = 1) -> list[str]:
    """The key parts of ``cursor``; 422 ``bad-cursor`` if it is not one of
    ours, 400 ``cursor-mismatch`` if it continues another listing."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        decoded = orjson.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
    except (ValueError, binascii.Error, UnicodeEncodeError) as exc:
        raise BadCursor() from exc
    if isinstance(decoded, list) and _listing_parameters() == "none":
        # Issued before cursors named their listing (a changes feed position
        # a client stored): only where no parameter could differ.
        decoded = {"after": decoded, "for": _listing_digest()}
    if not isinstance(decoded, dict) or decoded.keys() != {"after", "for"}:
        raise BadCursor()
    key, listing = decoded["after"], decoded["for"]
    if listing != _listing_digest():
        raise CursorMismatch(
            "this cursor continues a listing with other parameters; send the same path and "
            "parameters as the request that gave it (only `limit` may change). This request "
            f"has: {_listing_parameters()}"
        )
    if not isinstance(key, list) or len(key) != parts or not all(isinstance(p, str) for p in key):
        raise BadCursor()
    return key


def cursor_id(cursor: str) -> UUID:
    (value,) = decode_cursor(cursor)
    try:
        return UUID(value)
    except ValueError as exc:
        raise BadCursor() from exc


def decode_keyset_cursor(
    cursor: str, parse_key: Callable[[str], KeyT], *, sort: str | None = None
) -> tuple[KeyT, UUID]:
    """The ``(key, id)`` of the last row of a page ordered by a key, then id:
    a cursor ``encode_cursor(key, id)``, or ``encode_cursor(sort, key, id)``
    when it names its sort, refused under another. ``parse_key`` raises
    ``ValueError`` on a key it does not take."""
    parts = decode_cursor(cursor, parts=2 if sort is None else 3)
    if sort is not None and parts.pop(0) != sort:
        raise BadCursor()
    key, last = parts
    try:
        return parse_key(key), UUID(last)
    except ValueError as exc:
        raise BadCursor() from exc


Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Page size (max 200).")]
CURSOR_PATTERN = "^[A-Za-z0-9_-]*$"
"""What a cursor is made of (URL-safe base64, unpadded): stated in the
schema; any other cursor is refused as not one of ours (422 ``bad-cursor``)."""

Cursor = Annotated[
    str | None,
    Query(
        max_length=512,
        description="`next` of the previous page, to continue.",
        json_schema_extra={"pattern": CURSOR_PATTERN},
    ),
]


AFTER_ID = "after_id"
PAGE_SIZE = "page_size"


def page_size_param() -> BindParameter[int]:
    """The ``LIMIT`` of a page's statement, bound per call (``PAGE_SIZE``: limit + 1)."""
    return bindparam(PAGE_SIZE, type_=Integer)


def keyset_page(
    *,
    id_column: Any,
    document: ColumnElement[Any],
    where: Sequence[ColumnElement[bool]],
    after: Any = None,
    page_size: Any,
    window: ColumnElement[bool] | None = None,
) -> Any:
    """The statement of one keyset page ordered by id (UUIDv7: creation order):
    rows ``(id, document)``, ``page_size`` of them, after the id ``after``
    (none: from the start).

    Rows inserted while a client walks the pages land after its cursor or
    before it, never twice.

    ``window`` (a time-range ``&&``) is matched through its GiST index first,
    in a materialized CTE, and only then ordered by id: left to itself the
    planner walks the primary key in id order and filters, betting matches
    are spread evenly over ids, when ids follow creation time and a window
    of days picks one stretch of them (measured at 100k attributions: 90k
    rows read and thrown away for a one-day window).
    """
    if window is None:
        statement = select(id_column, cast(document, Text)).where(*where)
        if after is not None:
            statement = statement.where(id_column > after)
        return statement.order_by(id_column).limit(page_size)
    matching = (
        select(id_column.label("id"))
        .where(window, *where)
        .cte("in_window")
        .prefix_with("MATERIALIZED")
    )
    page_ids = select(matching.c.id)
    if after is not None:
        page_ids = page_ids.where(matching.c.id > after)
    window_page = page_ids.order_by(matching.c.id).limit(page_size).subquery("page_ids")
    return (
        select(window_page.c.id, cast(document, Text))
        .select_from(window_page.join(id_column.table, id_column == window_page.c.id))
        .order_by(window_page.c.id)
    )


def page_of(rows: Sequence[Any], limit: int) -> str:
    """The page's JSON from up to ``limit + 1`` rows ``(id, document)``."""
    page = rows[:limit]
    next_cursor = encode_cursor(page[-1][0]) if len(rows) > limit else None
    return page_json([row[1] for row in page], next_cursor)


async def fetch_page(
    session: AsyncSession,
    *,
    id_column: Any,
    document: ColumnElement[Any],
    where: Sequence[ColumnElement[bool]],
    limit: int,
    cursor: str | None,
    window: ColumnElement[bool] | None = None,
) -> str:
    """One keyset page (``keyset_page``) as JSON text."""
    statement = keyset_page(
        id_column=id_column,
        document=document,
        where=where,
        after=cursor_id(cursor) if cursor else None,
        page_size=limit + 1,
        window=window,
    )
    return page_of((await session.execute(statement)).all(), limit)


def sorted_keyset_page(
    *,
    key: ColumnElement[Any],
    id_column: Any,
    document: ColumnElement[Any],
    where: Sequence[ColumnElement[bool]],
    after: tuple[Any, UUID] | None,
    page_size: Any,
    descending: bool = False,
) -> Select[Any]:
    """The statement of one keyset page ordered by ``(key, id)``, one way or
    the other (an index on both serves it): rows ``(key, id, document)``,
    ``page_size`` of them, after the ``(key, id)`` ``after`` (none: from the
    start)."""
    statement = select(key, id_column, cast(document, Text)).where(*where)
    if after is not None:
        position = tuple_(key, id_column)
        bound = tuple_(literal(after[0], key.type), literal(after[1], id_column.type))
        statement = statement.where(position < bound if descending else position > bound)
    order = (key.desc(), id_column.desc()) if descending else (key.asc(), id_column.asc())
    return statement.order_by(*order).limit(page_size)


async def fetch_sorted_page(
    session: AsyncSession,
    *,
    sort: str,
    key: ColumnElement[Any],
    parse_key: Callable[[str], Any],
    id_column: Any,
    document: ColumnElement[Any],
    where: Sequence[ColumnElement[bool]],
    limit: int,
    cursor: str | None,
    descending: bool = False,
) -> str:
    """One page of ``sorted_keyset_page`` as JSON text. Its cursor carries
    ``sort`` (the ``?sort=`` value), the key and the id of the last row."""
    statement = sorted_keyset_page(
        key=key,
        id_column=id_column,
        document=document,
        where=where,
        after=decode_keyset_cursor(cursor, parse_key, sort=sort) if cursor else None,
        page_size=limit + 1,
        descending=descending,
    )
    rows = (await session.execute(statement)).all()
    return rows_page(rows, limit, lambda row: (sort, row[0], row[1]))


def rows_page(rows: Sequence[Any], limit: int, cursor_of: Callable[[Any], Sequence[Any]]) -> str:
    """The page's JSON from up to ``limit + 1`` rows, each with its document
    last; the next cursor carries ``cursor_of`` the page's last row."""
    page = rows[:limit]
    next_cursor = encode_cursor(*cursor_of(page[-1])) if len(rows) > limit else None
    return page_json([row[-1] for row in page], next_cursor)


def page_json(items: Sequence[str], next_cursor: str | None) -> str:
    return '{"items":[' + ",".join(items) + '],"next":' + orjson.dumps(next_cursor).decode() + "}"
