"""JSON documents as PostgreSQL builds them: the text and its response.

Reads return the bytes PostgreSQL produced (``json_build_object``) instead of
loading ORM objects and re-serialising them: per-row Python objects are what
costs most on this stack (see docs/performance.md). The Pydantic ``*Read``
models document the shape, and tests check the SQL's documents against them.
"""

from collections.abc import Awaitable
from typing import Any
from uuid import UUID

from fastapi import Response
from sqlalchemy import func, literal_column, select
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.sql.elements import ColumnElement


class Document(str):
    """JSON text of one record, with its ``etag`` (``fetch_one(..., etag=True)``)
    and its ``id`` (``Records.get``)."""

    etag: str | None = None
    id: UUID | None = None


class JSONText(Response):
    """A response whose body is JSON text already built by PostgreSQL; a
    ``Document`` with an ETag sends it (``ETag`` header)."""

    media_type = "application/json"

    def __init__(self, content: Any = None, status_code: int = 200, **kwargs: Any) -> None:
        super().__init__(content, status_code, **kwargs)
        if isinstance(content, Document) and content.etag and "etag" not in self.headers:
            self.headers["ETag"] = content.etag


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


def linked_ids(
    value: ColumnElement[Any], link: ColumnElement[Any], parent_id: Any, *, order_by: Any = None
) -> ColumnElement[Any]:
    """The ids a link table holds for one parent (a claim's ``event_ids``):
    ``value`` of its rows whose ``link`` is ``parent_id``, in ``order_by``
    (by default the order the links were written: the rows' ids)."""
    rows = value.table
    return json_array(
        value, link == parent_id, order_by=rows.c.id if order_by is None else order_by
    )


def created(document: Document, *, under: str) -> JSONText:
    """201: the document of a record just stored, with its ``Location``: its id
    under the path of its collection (``/v1/actors``)."""
    if document.id is None:  # a document not read by Records.get: no Location to give
        raise TypeError("created() takes the document of a stored record (Records.get)")
    location = f"{under}/{document.id}"
    return JSONText(document, status_code=201, headers={"Location": location})


async def deleted(deletion: Awaitable[None]) -> Response:
    """204, once ``deletion`` (a service's delete) has run."""
    await deletion
    return Response(status_code=204)
