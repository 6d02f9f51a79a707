"""What every kind of record shares on its way in and out: the frame of its
JSON document, the read of one by id, its embedding in another record's
document (``?expand=``), the keyset page of a filtered list, and the
writing of its child rows (names, participants, linked ids).

Each service keeps its own functions (``get_actor``, ``list_sources``...);
they say what differs, these say what is the same.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol, cast
from uuid import UUID

from sqlalchemy import FromClause, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from app import documents, pagination, sqlcompile, writes
from app.db import Entity
from app.documents import Document
from app.fuzzytime import overlaps


def columns(table: FromClause, *names: str, prefix: str = "") -> list[Any]:
    """``json_build_object`` arguments for plain columns: each name, then the
    table's column of that name (``prefix`` before it: ``time_``)."""
    pairs: list[Any] = []
    for name in names:
        pairs += [name, table.c[prefix + name]]
    return pairs


def stored(table: FromClause, *fields: Any) -> list[Any]:
    """The fields of a stored row's document (``app.schemas.Stored``): its
    ``id``, then ``fields``, then when it was created and last updated."""
    return [*columns(table, "id"), *fields, *columns(table, "created_at", "updated_at")]


class PageQuery(Protocol):
    """A list's query (``...ListQuery`` in each package's schemas): the page it asks for."""

    @property
    def limit(self) -> int: ...

    @property
    def cursor(self) -> str | None: ...


class WindowedPageQuery(PageQuery, Protocol):
    """A list's query that also bounds the rows' time (``time_from``, ``time_to``)."""

    @property
    def time_from(self) -> date | None: ...

    @property
    def time_to(self) -> date | None: ...


@dataclass(frozen=True)
class Records:
    """The rows of one table as the API reads them."""

    table: FromClause
    document: Callable[..., ColumnElement[Any]]
    """The JSON document of a row of ``table`` (or of an alias of it, given
    first); keywords choose its shape (``expand``). Built once per shape
    (``functools.cache``): the compiled statements are cached on it."""
    what: str
    """What a problem calls one: ``no {what} with id ...``."""

    def embedded(self, record_id: ColumnElement[Any]) -> ColumnElement[Any]:
        """The document of the row ``record_id`` points at, for ``?expand=``."""
        rows = self.table.alias()
        return select(self.document(rows)).where(rows.c.id == record_id).scalar_subquery()

    def embedded_through(
        self,
        links: FromClause,
        *,
        link: str,
        parent: str,
        parent_id: ColumnElement[Any],
        order_by: str = "id",
    ) -> ColumnElement[Any]:
        """The JSON array of the documents that one parent's rows of ``links``
        point at through their column ``link``, in ``order_by`` order: the
        ``?expand=`` of a list of ids (a claim's events, a source's authors)."""
        rows = links.alias()
        return documents.json_array(
            self.embedded(rows.c[link]), rows.c[parent] == parent_id, order_by=rows.c[order_by]
        )

    async def get(
        self,
        reader: sqlcompile.Reader,
        record_id: UUID,
        *,
        alongside: tuple[ColumnElement[Any], dict[str, Any]] | None = None,
        **shape: Any,
    ) -> Document:
        """The document of one row, with its ``ETag`` and id; 404 when there is
        none. ``alongside``: a call the same statement makes, and its values
        (``sqlcompile.fetch_one``). Planned once where the reader can: every
        read of a document is by its id and the ids it holds, so one plan
        fits every row (planning a claim's was most of its database time)."""
        call, values = alongside if alongside is not None else (None, None)
        found = await sqlcompile.fetch_one(
            reader,
            self.document(**shape),
            self.table.c.id,
            what=self.what,
            id=record_id,
            generic_plan=True,
            etag=True,
            values=values,
            alongside=call,
        )
        document = cast(Document, found)  # etag=True: a Document
        document.id = record_id
        return document

    async def page(
        self,
        session: AsyncSession,
        where: Sequence[ColumnElement[bool]],
        query: PageQuery,
        *,
        window: ColumnElement[bool] | None = None,
        **shape: Any,
    ) -> str:
        """One keyset page (``pagination.fetch_page``) of the rows matching
        ``where``, the page a list's ``query`` asks for."""
        return await pagination.fetch_page(
            session,
            id_column=self.table.c.id,
            document=self.document(**shape),
            where=where,
            limit=query.limit,
            cursor=query.cursor,
            window=window,
        )

    async def page_in_window(
        self,
        session: AsyncSession,
        where: Sequence[ColumnElement[bool]],
        query: WindowedPageQuery,
        **shape: Any,
    ) -> str:
        """``page`` of the rows whose possible days meet the query's window."""
        window = overlaps(self.table, query.time_from, query.time_to)
        return await self.page(session, where, query, window=window, **shape)

    def matching(self, **values: Any) -> list[ColumnElement[bool]]:
        """List filters: ``column = value`` for each value given (query
        parameters left out or empty filter nothing), in the order given."""
        return [self.table.c[name] == value for name, value in values.items() if value]

    def linked(self, link: ColumnElement[Any], *where: ColumnElement[bool]) -> ColumnElement[bool]:
        """A list filter on another table: the rows that a row of it matching
        ``where`` links to through ``link`` (``id IN (SELECT link ...)``)."""
        return self.table.c.id.in_(select(link).where(*where))


def dumped(item: Any) -> dict[str, Any]:
    """A child row's values: the request model's fields as they are."""
    values: dict[str, Any] = item.model_dump()
    return values


async def write_children(
    session: AsyncSession,
    model: type[Entity],
    parent: str,
    parent_id: UUID,
    items: Sequence[Any] | None,
    row: Callable[[Any], dict[str, Any]] = dumped,
) -> None:
    """Make the parent's rows of ``model`` exactly one per item, ``row(item)``
    and the parent's id in the column ``parent``. ``None`` leaves them as
    they are (a PATCH that does not send the list); a list replaces them
    whole."""
    if items is None:
        return
    rows = [{parent: parent_id, **row(item)} for item in items]
    await writes.replace_children(session, model, model.__table__.c[parent], parent_id, rows)
