"""What still refers to a record: the records a refused delete names.

Read off the foreign keys of the tables (``Base.metadata``), so a reference
added later is covered: every key that keeps a row from going away (``ON
DELETE RESTRICT`` or no action) names a referrer. A main record's row is
that record (an attribution naming its speaker); a part's row stands for
the record it belongs to, through its ``ON DELETE CASCADE`` key (a source
whose author list names the actor, a claim about the event).
"""

import functools
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from sqlalchemy import Table, func, literal, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from app import sqlcompile
from app.db import Base

RECORD_TYPES = {
    "actors": "actor",
    "sources": "source",
    "events": "event",
    "claims": "claim",
    "attributions": "attribution",
    "claim_relations": "claim-relation",
}
"""A main table -> the type a referrer of it is named by."""

BLOCKING = frozenset({None, "RESTRICT", "NO ACTION"})
"""``ON DELETE`` actions that keep the referred row from going away."""

MAX_LISTED = 20
"""Referrers listed in a problem, at most (all are counted)."""

_ID = "referred_id"


@dataclass(frozen=True)
class Referrers:
    listed: list[dict[str, str]]
    """``{"type": ..., "id": ...}``, in type then id order."""
    count: int


def _owner(table: Table) -> tuple[str, Any] | None:
    """The record type a row of ``table`` stands for, and its id column."""
    if table.name in RECORD_TYPES:
        return RECORD_TYPES[table.name], table.c.id
    for key in table.foreign_keys:
        target = key.column.table.name
        if key.ondelete == "CASCADE" and target in RECORD_TYPES:
            return RECORD_TYPES[target], key.parent
    return None


@functools.cache
def _statement(table_name: str) -> Any:
    """Referrers of one row of ``table_name``: ``(type, id, count of all)``."""
    referred = sqlcompile.uuid_param(_ID)
    parts = []
    for table in Base.metadata.sorted_tables:
        owner = _owner(table)
        if owner is None:
            continue
        kind, owner_id = owner
        for key in table.foreign_keys:
            if key.column.table.name != table_name or key.ondelete not in BLOCKING:
                continue
            where = [key.parent == referred]
            if table.name == table_name:
                where.append(owner_id != referred)  # not the record itself
            parts.append(select(literal(kind).label("type"), owner_id.label("id")).where(*where))
    found = union_all(*parts).subquery("referrer")
    distinct = select(found.c.type, found.c.id).distinct().subquery("distinct_referrer")
    return (
        select(distinct.c.type, distinct.c.id, func.count().over())
        .order_by(distinct.c.type, distinct.c.id)
        .limit(MAX_LISTED)
    )


async def referrers_of(session: AsyncSession, table_name: str, record_id: UUID) -> Referrers:
    rows = (await session.execute(_statement(table_name), {_ID: record_id})).all()
    return Referrers(
        [{"type": kind, "id": str(referrer)} for kind, referrer, _ in rows],
        rows[0][2] if rows else 0,
    )
