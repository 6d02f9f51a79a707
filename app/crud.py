"""Shared plumbing of the CRUD endpoints: PostgreSQL-built JSON, keyset pages,
row writes that report a missing row as a 404.

Reads return the bytes PostgreSQL produced (``json_build_object``) instead of
loading ORM objects and re-serialising them: per-row Python objects are what
costs most on this stack (see docs/performance.md). The Pydantic ``*Read``
models still document the shape, and tests check real responses against it.
"""

import base64
import binascii
import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Generic, TypeVar
from uuid import UUID

import orjson
from fastapi import Query, Response
from pydantic import BaseModel, Field
from sqlalchemy import Text, bindparam, cast, delete, func, insert, literal_column, select, update
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.dialects.postgresql.asyncpg import dialect as asyncpg_dialect
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from app.concurrency.preconditions import refuse_stale, version_condition
from app.db import Entity, Fetch, session_fetch
from app.errors import BadCursor, InvalidField, NotFound

ItemT = TypeVar("ItemT")

DEFAULT_LIMIT = 50
MAX_LIMIT = 200


class Page(BaseModel, Generic[ItemT]):
    items: list[ItemT]
    next: str | None = Field(
        description="Cursor of the next page (pass as `cursor`); null on the last page."
    )


class Document(str):
    """JSON text of one record, with its ``etag`` (``fetch_one(..., etag=True)``)."""

    etag: str | None = None


class JSONText(Response):
    """A response whose body is JSON text already built by PostgreSQL; a
    ``Document`` with an ETag sends it (``ETag`` header)."""

    media_type = "application/json"

    def __init__(self, content: Any = None, status_code: int = 200, **kwargs: Any) -> None:
        super().__init__(content, status_code, **kwargs)
        if isinstance(content, Document) and content.etag and "etag" not in self.headers:
            self.headers["ETag"] = content.etag


def encode_cursor(*key: Any) -> str:
    raw = orjson.dumps([str(part) for part in key])
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, *, parts: int = 1) -> list[str]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        key = orjson.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
    except (ValueError, binascii.Error, UnicodeEncodeError) as exc:
        raise BadCursor() from exc
    if not isinstance(key, list) or len(key) != parts or not all(isinstance(p, str) for p in key):
        raise BadCursor()
    return key


def cursor_id(cursor: str) -> UUID:
    (value,) = decode_cursor(cursor)
    try:
        return UUID(value)
    except ValueError as exc:
        raise BadCursor() from exc


Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Page size (max 200).")]
Cursor = Annotated[
    str | None, Query(max_length=512, description="`next` of the previous page, to continue.")
]


def parse_expand(raw: str | None, allowed: Iterable[str]) -> frozenset[str]:
    """``?expand=speaker,source`` → {"speaker", "source"}, refusing unknown names."""
    if not raw:
        return frozenset()
    names = {part.strip() for part in raw.split(",") if part.strip()}
    allowed_set = set(allowed)
    unknown = sorted(names - allowed_set)
    if unknown:
        raise InvalidField(
            f"cannot expand {', '.join(unknown)}; expandable: {', '.join(sorted(allowed_set))}",
            field="expand",
            location="query",
        )
    return frozenset(names)


def expand_query(allowed: Sequence[str]) -> Any:
    return Query(
        max_length=200,
        description="Comma-separated references to embed: " + ", ".join(f"`{a}`" for a in allowed),
    )


def json_array(
    element: ColumnElement[Any], *where: ColumnElement[bool], order_by: Any
) -> ColumnElement[Any]:
    """A correlated subquery giving the JSON array of ``element`` (``[]`` when empty)."""
    keys = order_by if isinstance(order_by, tuple) else (order_by,)
    aggregated = func.json_agg(aggregate_order_by(element, *keys))
    return (
        select(func.coalesce(aggregated, literal_column("'[]'::json")))
        .where(*where)
        .scalar_subquery()
    )


ROW_ID = "row_id"
"""Name of the bind parameter that stands for the id in a by-id document."""

Reader = AsyncSession | Fetch
"""Where a hot read runs: the request's session, or a ``Fetch`` (the fast
path's pool, ``app/fastpath.py``)."""


def fetcher(reader: Reader) -> Fetch:
    return session_fetch(reader) if isinstance(reader, AsyncSession) else reader


@dataclass(frozen=True)
class _Named:
    """A parameter whose value comes with each call."""

    name: str


_ASYNCPG = asyncpg_dialect()  # type: ignore[no-untyped-call]


@dataclass(frozen=True)
class DriverSQL:
    """A statement compiled once to the SQL asyncpg receives, with the order of
    its parameters: constants of the statement, and the named ones given per
    call. Running it skips SQLAlchemy's per-call statement cache lookup,
    which walks the whole expression tree: a third of the Python time of a
    read by id. The same text runs on a session or on a bare asyncpg pool, so
    the fast path and the framework's path send the same SQL."""

    sql: str
    slots: tuple[Any, ...]

    @classmethod
    def compile(cls, statement: Any, names: Iterable[str]) -> "DriverSQL":
        per_call = frozenset(names)
        compiled = statement.compile(dialect=_ASYNCPG)
        slots = tuple(
            _Named(name) if name in per_call else compiled.params[name]
            for name in compiled.positiontup or ()
        )
        return cls(str(compiled), slots)

    def arguments(self, values: Mapping[str, Any]) -> tuple[Any, ...]:
        return tuple(values[slot.name] if isinstance(slot, _Named) else slot for slot in self.slots)

    async def rows(self, reader: Reader, values: Mapping[str, Any]) -> Sequence[Any]:
        return await fetcher(reader)(self.sql, self.arguments(values))


@functools.lru_cache(maxsize=1024)
def _by_id_sql(
    document: ColumnElement[Any],
    id_column: Any,
    etag: bool = False,
    names: frozenset[str] = frozenset(),
) -> DriverSQL:
    """ "The document of the row with id ``ROW_ID``", compiled once per
    document (a document may use ``bindparam(ROW_ID)`` itself, as provenance
    does). Documents must be built once per shape (``functools.cache`` on
    their builders) for this cache to hit; it is bounded all the same."""
    columns: list[Any] = [cast(document, Text)]
    if etag:  # the row's version (app/concurrency/preconditions.py), same statement
        columns.append(literal_column(f'"{id_column.table.name}".xmin::text'))
    statement = select(*columns).where(id_column == bindparam(ROW_ID))
    return DriverSQL.compile(statement, names | {ROW_ID})


async def fetch_one(
    reader: Reader,
    document: ColumnElement[Any],
    id_column: Any,
    *,
    what: str,
    id: UUID,
    etag: bool = False,
    values: dict[str, Any] | None = None,
) -> str:
    """The JSON text of the row whose ``id_column`` is ``id``; 404 when there is none.

    ``etag``: the document carries the row's version (its ``xmin``), sent as
    the ``ETag`` of a single resource. ``values``: of the document's own bind
    parameters (``bindparam(name)``), given per call."""
    given = values or {}
    statement = _by_id_sql(document, id_column, etag, frozenset(given))
    rows = await statement.rows(reader, {**given, ROW_ID: id})
    if not rows or rows[0][0] is None:
        raise NotFound(f"no {what} with id {id}")
    row = rows[0]
    if not etag:
        return str(row[0])  # a plain str: orjson refuses subclasses
    found = Document(row[0])
    found.etag = f'"{row[1]}"'
    return found


AFTER_ID = "after_id"
PAGE_SIZE = "page_size"


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


def page_json(items: Sequence[str], next_cursor: str | None) -> str:
    return '{"items":[' + ",".join(items) + '],"next":' + orjson.dumps(next_cursor).decode() + "}"


async def insert_row(
    session: AsyncSession, model: type[Entity], values: dict[str, Any], *, id: UUID | None = None
) -> UUID:
    """Insert one row; ``id`` fixes its id (bundles use deterministic ids), else UUIDv7."""
    if id is not None:
        values = {**values, "id": id}
    row_id: UUID = (
        await session.execute(insert(model).values(**values).returning(model.id))
    ).scalar_one()
    return row_id


async def update_row(
    session: AsyncSession, model: type[Entity], row_id: UUID, values: dict[str, Any], *, what: str
) -> None:
    """Update the given columns (and ``updated_at``); 404 when the row is missing,
    412 when the request's If-Match names another version of it."""
    table = model.__table__
    expected, condition = version_condition(session, table, row_id)
    statement = update(model).where(model.id == row_id)
    if condition is not None:
        statement = statement.where(condition)
    statement = statement.values(**values, updated_at=func.now()).returning(model.id)
    if (await session.execute(statement)).scalar_one_or_none() is None:
        if expected is not None:
            await refuse_stale(session, table, row_id, what)
        raise NotFound(f"no {what} with id {row_id}")


async def delete_row(
    session: AsyncSession, model: type[Entity], row_id: UUID, *, what: str
) -> None:
    """Delete the row; 404 when it is missing, 412 on a stale If-Match."""
    table = model.__table__
    expected, condition = version_condition(session, table, row_id)
    statement = delete(model).where(model.id == row_id)
    if condition is not None:
        statement = statement.where(condition)
    if (await session.execute(statement.returning(model.id))).scalar_one_or_none() is None:
        if expected is not None:
            await refuse_stale(session, table, row_id, what)
        raise NotFound(f"no {what} with id {row_id}")


async def replace_children(
    session: AsyncSession,
    model: type[Entity],
    parent_column: Any,
    parent_id: UUID,
    rows: Sequence[dict[str, Any]],
) -> None:
    """Make the parent's children exactly ``rows`` (PATCH replaces a list whole)."""
    await session.execute(delete(model).where(parent_column == parent_id))
    if rows:
        await session.execute(insert(model), [{**row} for row in rows])


def created(document: str, location: str) -> JSONText:
    return JSONText(document, status_code=201, headers={"Location": location})
