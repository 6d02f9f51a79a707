"""A first import into an empty database, loaded the way PostgreSQL's
"Populating a Database" advises: the biggest tables' secondary indexes and
foreign keys are set aside, the rows are written, then the indexes are built
in one pass each and the foreign keys checked in one query each.

Maintaining a dozen indexes, eight foreign-key checks and the history rows'
indexes row by row made the load of attributions 20 times slower than COPY
into bare tables (bench/raw_copy.py). Setting them aside is only safe when
nothing else reads or writes these tables meanwhile, so it is done for an
empty database only, in ONE transaction: the DDL is transactional, an
interrupted import leaves the database as it found it (empty, its indexes
whole), and readers wait for the commit instead of seeing a table without
its indexes.

What stays in place: primary keys and unique indexes (the load relies on
them to refuse a duplicate), check constraints, the history triggers (every
row still gets its revision), and every index of the tables the load looks
rows up in while it runs (actors, actor keys, sources by URL and by text).
"""

from dataclasses import dataclass, field

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from app.bundles.bulk.tables import CHILDREN

SET_ASIDE_TABLES = (
    "claims",
    "attributions",
    *(child for child, (_, parent, _) in CHILDREN.items() if parent in ("claims", "attributions")),
    "revisions",
)
"""The tables whose secondary indexes and foreign keys wait for the end of a
fresh load: the bulk of its rows, and none the load looks up by an index
while it runs but by primary key."""

RECORD_TABLES = ("actors", "sources", "events", "claims", "attributions", "revisions")

INDEX_MEMORY = "256MB"
"""``maintenance_work_mem`` for the index builds at the end (the default, 64MB,
spills a large sort to disk)."""


@dataclass
class SetAside:
    """What ``set_aside`` dropped, as the statements that make it again."""

    indexes: list[str] = field(default_factory=list)
    foreign_keys: list[str] = field(default_factory=list)


async def database_is_empty(session: AsyncSession) -> bool:
    """No record and no history: nothing a fresh load could slow down or hide."""
    exists = " OR ".join(f"EXISTS (SELECT FROM {table})" for table in RECORD_TABLES)
    holds = await session.scalar(text(f"SELECT {exists}"))
    return not holds


async def set_aside(session: AsyncSession) -> SetAside:
    """Drop the secondary indexes and foreign keys of ``SET_ASIDE_TABLES``
    (in the session's transaction); returns what ``restore`` makes again."""
    tables = list(SET_ASIDE_TABLES)
    indexes = await session.execute(
        text(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)"
            " FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid"
            " WHERE t.relname = ANY(:tables) AND t.relnamespace = current_schema()::regnamespace"
            " AND NOT i.indisunique AND NOT i.indisprimary"
            " AND NOT EXISTS (SELECT FROM pg_constraint c WHERE c.conindid = i.indexrelid)"
            " ORDER BY 1"
        ),
        {"tables": tables},
    )
    keys = await session.execute(
        text(
            "SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid)"
            " FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid"
            " WHERE c.contype = 'f' AND t.relname = ANY(:tables)"
            " AND t.relnamespace = current_schema()::regnamespace ORDER BY 1, 2"
        ),
        {"tables": tables},
    )
    aside = SetAside()
    for table, name, definition in keys.all():
        await session.execute(text(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"'))
        aside.foreign_keys.append(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
    for name, definition in indexes.all():
        await session.execute(text(f"DROP INDEX {name}"))
        aside.indexes.append(definition)
    return aside


async def restore(session: AsyncSession, aside: SetAside) -> None:
    """Build the indexes and check the foreign keys ``set_aside`` dropped."""
    await session.execute(text(f"SET LOCAL maintenance_work_mem = '{INDEX_MEMORY}'"))
    for statement in (*aside.indexes, *aside.foreign_keys):
        await session.execute(text(statement))
