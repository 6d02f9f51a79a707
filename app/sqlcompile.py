"""Statements compiled once to the SQL asyncpg receives, and the read of one
document by id that every ``GET /v1/<things>/{id}`` runs."""

import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Text, bindparam, cast, literal_column, select
from sqlalchemy.dialects.postgresql import UUID as PG_UUID
from sqlalchemy.dialects.postgresql.asyncpg import dialect as asyncpg_dialect
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import BindParameter, ColumnElement

from app.db import Reader as Reader  # the services name it here, with the SQL it runs
from app.db import fetcher
from app.documents import Document
from app.errors import NotFound


def sql_literal(value: Any) -> str:
    """A value as an SQL literal, for a text that takes no bind parameters
    (``EXECUTE``, ``DriverSQL.inlined``)."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return f"({value!r})"  # "- -1", never "--1" (a comment)
    if isinstance(value, list | tuple):
        inner = ",".join(
            '"' + str(v).replace("\\", "\\\\").replace('"', '\\"') + '"' for v in value
        )
        return "'{" + inner.replace("'", "''") + "}'"
    if isinstance(value, UUID | date | datetime | str):
        return "'" + str(value).replace("'", "''") + "'"
    raise TypeError(f"cannot write {value!r} ({type(value).__name__}) into SQL")


ROW_ID = "row_id"
"""Name of the bind parameter that stands for the id in a by-id document."""


def uuid_param(name: str) -> BindParameter[UUID]:
    """A bind parameter that takes a UUID (``ROW_ID``, a keyset page's last id...)."""
    return bindparam(name, type_=PG_UUID(as_uuid=True))


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
    generic_plan: bool = False
    """Its plan is right whatever the parameters: it may be planned once
    per connection (``app.db.GENERIC_PLANS``)."""

    @classmethod
    def compile(
        cls, statement: Any, names: Iterable[str], *, generic_plan: bool = False
    ) -> "DriverSQL":
        per_call = frozenset(names)
        compiled = statement.compile(dialect=_ASYNCPG)
        slots = tuple(
            _Named(name) if name in per_call else compiled.params[name]
            for name in compiled.positiontup or ()
        )
        return cls(str(compiled), slots, generic_plan)

    def arguments(self, values: Mapping[str, Any]) -> tuple[Any, ...]:
        return tuple(values[slot.name] if isinstance(slot, _Named) else slot for slot in self.slots)

    def inlined(self, names: Sequence[str]) -> str:
        """The SQL with its constants written out and its named parameters
        numbered as in ``names`` (``$1`` the first, however often each
        appears): the text a SQL function runs with ``EXECUTE ... USING``."""

        def slot(match: re.Match[str]) -> str:
            value = self.slots[int(match.group(1)) - 1]
            if isinstance(value, _Named):
                return f"${names.index(value.name) + 1}"
            return sql_literal(value)

        return re.sub(r"\$(\d+)", slot, self.sql)

    async def rows(self, reader: Reader, values: Mapping[str, Any]) -> Sequence[Any]:
        fetch = fetcher(reader)
        return await fetch(self.sql, self.arguments(values), generic_plan=self.generic_plan)

    async def execute(self, session: AsyncSession, values: Mapping[str, Any]) -> None:
        """Runs a statement that returns no rows (an ``UPDATE``) in the session's
        transaction."""
        connection = await session.connection()
        await connection.exec_driver_sql(self.sql, self.arguments(values))


@functools.lru_cache(maxsize=1024)
def _by_id_sql(
    document: ColumnElement[Any],
    id_column: Any,
    etag: bool = False,
    names: frozenset[str] = frozenset(),
    alongside: ColumnElement[Any] | None = None,
    generic_plan: bool = False,
) -> DriverSQL:
    """ "The document of the row with id ``ROW_ID``", compiled once per
    document (a document may use ``bindparam(ROW_ID)`` itself, as provenance
    does). Documents must be built once per shape (``functools.cache`` on
    their builders) for this cache to hit; it is bounded all the same."""
    columns: list[Any] = [cast(document, Text)]
    if etag:  # the row's version (app/concurrency/preconditions.py), same statement
        columns.append(literal_column(f'"{id_column.table.name}".xmin::text'))
    if alongside is not None:
        columns.append(alongside)
    statement = select(*columns).where(id_column == bindparam(ROW_ID))
    return DriverSQL.compile(statement, names | {ROW_ID}, generic_plan=generic_plan)


async def fetch_one(
    reader: Reader,
    document: ColumnElement[Any],
    id_column: Any,
    *,
    what: str,
    id: UUID,
    etag: bool = False,
    values: dict[str, Any] | None = None,
    alongside: ColumnElement[Any] | None = None,
    generic_plan: bool = False,
) -> str:
    """The JSON text of the row whose ``id_column`` is ``id``; 404 when there is none.

    ``etag``: the document carries the row's version (its ``xmin``), sent as
    the ``ETag`` of a single resource. ``values``: of the document's own bind
    parameters (``bindparam(name)``), and of ``alongside``'s, given per call.
    ``alongside``: a call the same statement makes, its value unread (a
    write's recount, one round trip fewer); built once, as documents are.
    ``generic_plan``: one plan fits every id (``DriverSQL.generic_plan``):
    the document's reads are all by the row's id and the ids it holds, and
    none of ``values`` changes which index is right."""
    given = values or {}
    statement = _by_id_sql(document, id_column, etag, frozenset(given), alongside, generic_plan)
    rows = await statement.rows(reader, {**given, ROW_ID: id})
    if not rows or rows[0][0] is None:
        raise NotFound(f"no {what} with id {id}")
    row = rows[0]
    if not etag:
        return str(row[0])  # a plain str: orjson refuses subclasses
    found = Document(row[0])
    found.etag = f'"{row[1]}"'
    return found
