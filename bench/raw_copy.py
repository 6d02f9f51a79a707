"""The ceiling of a bulk import: the same rows sent with raw ``COPY``.

    python -m bench.raw_copy --from postgresql://.../imported [--into postgresql://.../scratch]

Reads every table a bundle writes, row for row as the import stored them
(binary ``COPY ... TO STDOUT``, into memory), migrates a scratch database and
times binary ``COPY ... FROM STDIN`` of those rows into the same tables, with
the same indexes, constraints and history triggers, in one transaction, in
the import's table order. No parsing, no checks, no identity resolution: the
fastest PostgreSQL takes these rows, against which the import's rate is
reported as a ratio (issue 16). Prints one JSON document.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import time
from typing import Any

import asyncpg
from sqlalchemy.engine import URL, make_url

from app.bundles.bulk import COLUMNS, INSERT_ORDER
from app.embedded import _asyncpg_params, drop_database, ensure_database
from app.migrate import upgrade

# The rows a load writes besides its records: the duplicate candidates of
# the identity resolver (``app.identity.duplicates``); history rows come from
# the triggers, as in the import.
EXTRA_TABLES = ("actor_duplicates",)


async def _columns(connection: asyncpg.Connection, table: str) -> list[str]:
    rows = await connection.fetch(
        "SELECT attname FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0"
        " AND NOT attisdropped AND attgenerated = '' ORDER BY attnum",
        table,
    )
    return [row["attname"] for row in rows]


async def read_rows(url: URL) -> dict[str, tuple[list[str], bytes]]:
    """Each table's columns and its rows in binary COPY format."""
    connection = await asyncpg.connect(**_asyncpg_params(url))
    try:
        dumped: dict[str, tuple[list[str], bytes]] = {}
        for table in (*INSERT_ORDER, *EXTRA_TABLES):
            columns = await _columns(connection, table) if table in EXTRA_TABLES else None
            # The import's own columns and the server's timestamps: every stored value.
            columns = columns or [*COLUMNS[table], *_timestamps(table)]
            buffer = io.BytesIO()
            quoted = ", ".join(f'"{c}"' for c in columns)
            await connection.copy_from_query(
                f"SELECT {quoted} FROM {table}", output=buffer, format="binary"
            )
            dumped[table] = (columns, buffer.getvalue())
        return dumped
    finally:
        await connection.close()


def _timestamps(table: str) -> list[str]:
    from app.bundles.bulk import table_of

    names = {c.name for c in table_of(table).columns}
    kept = ("created_at", "updated_at", "independent_origins", "on_record")
    return [c for c in kept if c in names]


async def copy_rows(url: URL, dumped: dict[str, tuple[list[str], bytes]]) -> float:
    """Seconds to COPY every table's rows in one transaction, committed."""
    connection = await asyncpg.connect(**_asyncpg_params(url))
    try:
        started = time.perf_counter()
        async with connection.transaction():
            for table, (columns, data) in dumped.items():
                await connection.copy_to_table(
                    table, source=io.BytesIO(data), columns=columns, format="binary"
                )
        return time.perf_counter() - started
    finally:
        await connection.close()


def measure(source: URL, scratch: URL) -> dict[str, Any]:
    """Raw COPY of ``source``'s rows into a new database ``scratch`` (dropped after)."""
    dumped = asyncio.run(read_rows(source))
    name = scratch.database
    assert name is not None
    asyncio.run(drop_database(scratch, name))
    asyncio.run(ensure_database(scratch, name))
    try:
        upgrade(scratch.render_as_string(hide_password=False))
        seconds = asyncio.run(copy_rows(scratch, dumped))
    finally:
        asyncio.run(drop_database(scratch, name))
    attributions = _row_count(dumped["attributions"][1])
    return {
        "raw_copy_seconds": round(seconds, 2),
        "raw_copy_attributions": attributions,
        "raw_copy_attributions_per_second": round(attributions / seconds),
        "raw_copy_bytes": sum(len(data) for _, data in dumped.values()),
    }


def _row_count(binary: bytes) -> int:
    """Rows in a binary COPY stream: each starts with its field count (int16)."""
    view = memoryview(binary)
    at, rows = 19, 0  # signature (11), flags (4), header extension length (4)
    at += int.from_bytes(view[15:19], "big")
    while True:
        fields = int.from_bytes(view[at : at + 2], "big", signed=True)
        at += 2
        if fields == -1:
            return rows
        rows += 1
        for _ in range(fields):
            length = int.from_bytes(view[at : at + 4], "big", signed=True)
            at += 4 + max(length, 0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--from", dest="source", required=True, help="An imported database.")
    parser.add_argument(
        "--into",
        help="A scratch database to create, fill and drop (default: <source>_raw_copy).",
    )
    args = parser.parse_args()
    source = make_url(args.source)
    scratch = make_url(args.into) if args.into else source.set(database=f"{source.database}_raw")
    print(json.dumps(measure(source, scratch), indent=2))


if __name__ == "__main__":
    main()
