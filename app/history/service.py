"""History of records, their state at a past time, and the changes feed.

Revisions are written by database triggers (migration 0006), so every way a
record changes (API, bundles, imports, the command line) is kept, in the
transaction of the change: a write that rolls back leaves no revision.

The changes feed is ordered by ``(txid, id)`` and only hands out revisions
of transactions older than the oldest one still running
(``pg_snapshot_xmin(pg_current_snapshot())``). Revision ids are assigned when
a row is written, not when its transaction commits: a long transaction can
commit revision 10 after revision 11 was handed out, and a feed ordered by id
alone would skip it forever. Every transaction that commits later has a txid
at or above that horizon, so nothing can appear below a position once handed
out: a client that stores ``next`` and polls sees every change exactly once.
A change becomes visible in the feed once every transaction that started
before it has ended.
"""

import functools
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import (
    CTE,
    BigInteger,
    DateTime,
    FromClause,
    Text,
    bindparam,
    case,
    cast,
    column,
    func,
    literal,
    literal_column,
    select,
    tuple_,
)
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from app import pagination, sqlcompile
from app.errors import BadCursor, NotFound
from app.history.models import Revision
from app.keys.models import ApiKey
from app.provenance.chains import ATTRIBUTIONS, CLAIMS, same_as_groups
from app.provenance.corroboration import group_counts

REVISIONS = Revision.__table__
KEYS = ApiKey.__table__

RESOURCES: dict[str, str] = {
    "actors": "actors",
    "sources": "sources",
    "events": "events",
    "claims": "claims",
    "attributions": "attributions",
    "claim-relations": "claim_relations",
}
"""Path name of a resource -> its table."""
TABLE_RESOURCES = {table: resource for resource, table in RESOURCES.items()}

AS_OF = "as_of"


def revision_document(revision: FromClause, key: FromClause | None) -> ColumnElement[Any]:
    """A revision as JSON; ``key`` (the API keys, joined) names who made it,
    for admins only: without it ``key`` is null."""
    r = revision.c
    who: Any = None
    if key is not None:
        who = case(
            (key.c.id.is_(None), None),
            else_=func.json_build_object("id", key.c.id, "name", key.c.name),
        )
    return func.json_build_object(
        "id",
        r.id,
        "resource",
        case(TABLE_RESOURCES, value=r.table_name, else_=r.table_name),
        "record_id",
        r.record_id,
        "action",
        r.action,
        "at",
        r.at,
        "key",
        who,
        "reason",
        r.reason,
        "before",
        r.before,
        "after",
        r.after,
    )


def _revisions(*columns: Any, show_keys: bool) -> Any:
    """``SELECT columns..., document`` from the revisions, with the API keys
    joined when ``show_keys`` (an admin reads)."""
    revision = REVISIONS.alias("revision")
    if not show_keys:
        document = revision_document(revision, None)
        return revision, select(*(revision.c[c] for c in columns), cast(document, Text))
    key = KEYS.alias("key")
    document = revision_document(revision, key)
    return revision, select(*(revision.c[c] for c in columns), cast(document, Text)).select_from(
        revision.outerjoin(key, key.c.id == revision.c.key_id)
    )


async def record_history(
    session: AsyncSession,
    *,
    resource: str,
    record_id: UUID,
    limit: int,
    cursor: str | None,
    show_keys: bool = False,
) -> str:
    """The record's revisions, newest first; 404 when it never existed.
    ``show_keys``: name the API key of each (for admins)."""
    revision, selected = _revisions("id", show_keys=show_keys)
    statement = (
        selected.where(
            revision.c.table_name == RESOURCES[resource],
            revision.c.record_id == record_id,
        )
        .order_by(revision.c.id.desc())
        .limit(limit + 1)
    )
    if cursor:
        statement = statement.where(revision.c.id < _int_cursor(cursor))
    rows = (await session.execute(statement)).all()
    if not rows and not cursor:
        raise NotFound(f"no history for {resource} {record_id}: it never existed")
    page = rows[:limit]
    next_cursor = pagination.encode_cursor(page[-1][0]) if len(rows) > limit else None
    return pagination.page_json([row[1] for row in page], next_cursor)


def _int_cursor(cursor: str, parts: int = 1) -> Any:
    values = pagination.decode_cursor(cursor, parts=parts)
    try:
        numbers = [int(value) for value in values]
    except ValueError as exc:
        raise BadCursor() from exc
    if not all(0 <= number < 2**63 for number in numbers):
        raise BadCursor()
    return numbers[0] if parts == 1 else numbers


async def changes(
    session: AsyncSession, *, since: str | None, limit: int, show_keys: bool = False
) -> str:
    """The revisions after position ``since``, in ``(txid, id)`` order, of
    transactions older than every running one (see the module's notes).
    ``show_keys``: name the API key of each (for admins)."""
    revision, selected = _revisions("txid", "id", show_keys=show_keys)
    horizon = cast(cast(func.pg_snapshot_xmin(func.pg_current_snapshot()), Text), BigInteger)
    statement = (
        selected.where(revision.c.txid < horizon)
        .order_by(revision.c.txid, revision.c.id)
        .limit(limit + 1)
    )
    if since:
        txid, last_id = _int_cursor(since, parts=2)
        statement = statement.where(
            tuple_(revision.c.txid, revision.c.id)
            > tuple_(literal(txid, BigInteger), literal(last_id, BigInteger))
        )
    rows = (await session.execute(statement)).all()
    page = rows[:limit]
    position = pagination.encode_cursor(page[-1][0], page[-1][1]) if page else since
    return (
        '{"items":['
        + ",".join(row[2] for row in page)
        + '],"next":'
        + ('"' + position + '"' if position else "null")
        + ',"more":'
        + ("true" if len(rows) > limit else "false")
        + "}"
    )


DERIVED_COLUMNS = frozenset({"search_vector", "independent_origins", "on_record"})
"""Columns history leaves out (migration 0006): ``as_of`` documents show today's."""


@functools.cache  # one per table: the documents built on it are cached by identity
def as_of_table(table: Any) -> FromClause:
    """``table`` as it was at ``:as_of`` for the row ``:row_id``: the ``after``
    of its last revision at or before then (no row if it did not exist)."""
    after = (
        select(REVISIONS.c.after)
        .where(
            REVISIONS.c.table_name == table.name,
            REVISIONS.c.record_id == sqlcompile.uuid_param(sqlcompile.ROW_ID),
            REVISIONS.c.at <= bindparam(AS_OF, type_=DateTime(timezone=True)),
        )
        .order_by(REVISIONS.c.at.desc(), REVISIONS.c.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    stored = [c for c in table.columns if c.name not in DERIVED_COLUMNS]
    then = _corroboration_then() if table is CLAIMS else {}
    record = func.jsonb_populate_record(literal_column(f"NULL::{table.name}"), after).table_valued(
        *(column(c.name, c.type) for c in stored)
    )
    live = table.alias(f"{table.name}_now")
    columns: list[Any] = []
    for c in table.columns:
        if c.name in then:
            columns.append(then[c.name].label(c.name))
        elif c.name in DERIVED_COLUMNS:
            value = select(live.c[c.name]).where(live.c.id == record.c.id).scalar_subquery()
            columns.append(value.label(c.name))
        else:
            columns.append(record.c[c.name].label(c.name))
    return select(*columns).where(record.c.id.is_not(None)).subquery(f"{table.name}_as_of")


def _corroboration_then() -> dict[str, ColumnElement[Any]]:
    """The claim ``:row_id``'s corroboration counts at ``:as_of``: recounted
    over the attributions as they were then (history keeps no derived
    column, and today's counts of a claim since deleted are gone). Actors,
    sources and ``same_as`` links are today's, as for provenance."""
    seed = select(sqlcompile.uuid_param(sqlcompile.ROW_ID).label("claim_id")).cte(
        "claim_as_of_seed"
    )
    groups = same_as_groups(seed, name="claim_as_of_group")
    return group_counts(groups, attributions=all_as_of(ATTRIBUTIONS), name="claim_as_of")


async def document_as_of(
    reader: sqlcompile.Reader,
    *,
    document: ColumnElement[Any],
    as_of_rows: FromClause,
    record_id: UUID,
    as_of: datetime,
    what: str,
) -> str:
    """The API document of the record as it was at ``as_of`` (built on
    ``as_of_rows``, an ``as_of_table``); 404 if it did not exist then (not yet
    created, or already deleted). Its parts (translations, spans...) are not
    versioned: they are today's."""
    try:
        found = await sqlcompile.fetch_one(
            reader, document, as_of_rows.c.id, what=what, id=record_id, values={AS_OF: as_of}
        )
    except NotFound:
        raise NotFound(f"no {what} with id {record_id} existed at {as_of.isoformat()}") from None
    return str(found)


@functools.cache  # one per table: the statements built on it are cached by identity
def all_as_of(table: Any) -> CTE:
    """Every row of ``table`` as it was at ``:as_of``: the ``after`` of each
    record's last revision at or before then, deleted ones left out. Reads
    every revision of the table up to then: for ``as_of`` reads only."""
    last = (
        select(REVISIONS.c.after)
        .ext(distinct_on(REVISIONS.c.record_id))
        .where(
            REVISIONS.c.table_name == table.name,
            REVISIONS.c.at <= bindparam(AS_OF, type_=DateTime(timezone=True)),
        )
        .order_by(REVISIONS.c.record_id, REVISIONS.c.at.desc(), REVISIONS.c.id.desc())
        .subquery("last_revision")
    )
    columns = [
        cast(last.c.after[c.name].astext, c.type).label(c.name)
        for c in table.columns
        if c.name not in DERIVED_COLUMNS
    ]
    return (
        select(*columns)
        .where(last.c.after.is_not(None))
        .cte(f"{table.name}_as_of")
        .prefix_with("MATERIALIZED")
    )
