"""The database's part of ``?fields=``: a claim's statement, whole and with
``fields=id,text``, each run alternately on one connection over the founding
article's claims (a scratch database on the given server, dropped after).
Prints the median and mean time of a read and the bytes PostgreSQL returns.

    .venv/bin/python -m bench.narrow_claim --database-url postgresql://postgres@127.0.0.1:5432/postgres

The whole request, framework included, is ``narrow claim by id`` beside
``claim by id`` in ``python -m bench``."""

import argparse
import asyncio
import statistics
import time

import asyncpg
from sqlalchemy.engine import make_url

from app.claim_attribution_documents import CLAIM_RECORDS, claim_document
from app.demo import load_demo
from app.embedded import drop_database, ensure_database
from app.migrate import upgrade
from app.sqlcompile import ROW_ID, DriverSQL, _by_id_sql

DATABASE = "onrecord_narrow_claim"


async def measure(server: str, rounds: int) -> dict[str, tuple[float, float, float]]:
    """``{shape: (median µs, mean µs, mean bytes)}``."""
    url = make_url(server).set(database=DATABASE)
    await ensure_database(server, DATABASE)
    try:
        asyncpg_url = url.set(drivername="postgresql+asyncpg").render_as_string(hide_password=False)
        await asyncio.to_thread(upgrade, asyncpg_url)
        await load_demo(asyncpg_url)
        connection = await asyncpg.connect(url.render_as_string(hide_password=False))
        try:
            return await _alternate(connection, rounds)
        finally:
            await connection.close()
    finally:
        await drop_database(server, DATABASE)


async def _alternate(
    connection: asyncpg.Connection, rounds: int
) -> dict[str, tuple[float, float, float]]:
    claims = [row[0] for row in await connection.fetch("SELECT id FROM claims")]
    id_column = CLAIM_RECORDS.table.c.id
    shapes: dict[str, DriverSQL] = {
        "whole": _by_id_sql(claim_document(), id_column, True),
        "fields=id,text": _by_id_sql(
            claim_document(fields=frozenset({"id", "text"})), id_column, True
        ),
    }
    seconds: dict[str, list[float]] = {name: [] for name in shapes}
    sizes: dict[str, list[int]] = {name: [] for name in shapes}
    for _ in range(rounds):
        for name, statement in shapes.items():
            for claim in claims:
                start = time.perf_counter()
                row = await connection.fetchrow(
                    statement.sql, *statement.arguments({ROW_ID: claim})
                )
                seconds[name].append(time.perf_counter() - start)
                sizes[name].append(len(row[0]))
    return {
        name: (
            statistics.median(seconds[name]) * 1e6,
            statistics.mean(seconds[name]) * 1e6,
            statistics.mean(sizes[name]),
        )
        for name in shapes
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    for name, (median, mean, size) in asyncio.run(measure(args.database_url, args.rounds)).items():
        print(f"{name}: median {median:.0f} µs, mean {mean:.0f} µs, {size:.0f} bytes")


if __name__ == "__main__":
    main()
