"""The bulk import benchmark: generated bundles through ``onrecord import``.

    python -m bench.load --claims 100000 [--database-url postgresql://.../postgres]

Writes the NDJSON of ``bench/generate.py`` once (cached in ``--cache-dir``),
creates a fresh database, and times ``onrecord import FILE`` in a process of
its own, as a user runs it (the bulk path: ``app.bundles.importer`` and
``app.bundles.bulk``: COPY into staging tables, set-based inserts, the
corroboration refresh), in three steps:

1. the first import: all but the last bundles (``APPEND_SHARE`` of the
   attributions), into the empty database;
2. its ceiling: the rows it stored, by raw binary COPY into a new database
   with the same tables, indexes and triggers (``bench/raw_copy.py``);
3. the append: the last bundles, into the database the first import filled.

Then ``VACUUM (ANALYZE)``, timed apart, and the database's size. Prints one
JSON document; ``python -m bench`` uses the same functions before it
measures the endpoints.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import asyncpg
import orjson
from sqlalchemy.engine import URL

from app.embedded import _asyncpg_params, drop_database, ensure_database
from app.migrate import upgrade
from bench import generate, raw_copy

ONRECORD = Path(sys.executable).parent / "onrecord"
DEFAULT_CACHE = Path(tempfile.gettempdir()) / "onrecord-bench-data"
TABLES = (
    "actors",
    "actor_names",
    "sources",
    "source_authors",
    "events",
    "event_participants",
    "event_relations",
    "claims",
    "claim_translations",
    "claim_events",
    "claim_relations",
    "attributions",
)


async def _stats(url: URL) -> dict[str, Any]:
    connection = await asyncpg.connect(**_asyncpg_params(url))
    try:
        rows = {t: await connection.fetchval(f"SELECT count(*) FROM {t}") for t in TABLES}
        size = await connection.fetchval("SELECT pg_database_size(current_database())")
        tables = {
            t: await connection.fetchval("SELECT pg_total_relation_size($1::regclass)", t)
            for t in (
                "attributions",
                "claims",
                "claim_translations",
                "actors",
                "actor_names",
                "sources",
            )
        }
        depth = await connection.fetchval(
            """
            WITH RECURSIVE chain(id, depth) AS (
              SELECT id, 1 FROM attributions WHERE relayed_through_id IS NULL
              UNION ALL
              SELECT a.id, chain.depth + 1 FROM attributions AS a JOIN chain
                ON a.relayed_through_id = chain.id
            ) SELECT max(depth) FROM chain
            """
        )
        version = await connection.fetchval("SHOW server_version")
    finally:
        await connection.close()
    attributions = rows["attributions"] or 1
    return {
        "rows": rows,
        "max_relay_depth": depth,
        "database_bytes": size,
        "table_bytes": tables,
        "database_bytes_per_million_attributions": round(size * 1_000_000 / attributions),
        "postgres": version,
    }


async def _url_indexed(url: URL) -> bool:
    """Whether an index can serve the bulk path's lookup of sources by URL."""
    connection = await asyncpg.connect(**_asyncpg_params(url))
    try:
        found = await connection.fetchval(
            "SELECT count(*) FROM pg_indexes WHERE tablename = 'sources' AND indexdef ~ '\\(url\\)'"
        )
        return bool(found)
    finally:
        await connection.close()


async def _vacuum(url: URL) -> float:
    connection = await asyncpg.connect(**_asyncpg_params(url))
    try:
        started = time.perf_counter()
        # VACUUM sets the visibility map (index-only scans), as autovacuum
        # would on a live database; ANALYZE gives the planner statistics.
        await connection.execute("VACUUM (ANALYZE)")
        return round(time.perf_counter() - started, 2)
    finally:
        await connection.close()


BENCHMARK_SOURCE = "Benchmark article"
"""The title of the source every bundle posted by the benchmark is in."""


async def _forget_benchmark_bundles(url: URL) -> None:
    """Delete what the bundles posted by earlier runs stored (their source,
    claims and attributions), so that a kept database can be measured again
    as loaded: those claims count against ``--reuse-databases``' check, and
    they all say "sanctions", a term the search benchmark times."""
    try:
        connection = await asyncpg.connect(**_asyncpg_params(url))
    except asyncpg.InvalidCatalogNameError:
        return
    try:
        async with connection.transaction():
            posted = await connection.fetch(
                "SELECT id FROM sources WHERE title = $1", BENCHMARK_SOURCE
            )
            ids = [row["id"] for row in posted]
            claims = await connection.fetch(
                "SELECT DISTINCT claim_id FROM attributions WHERE source_id = ANY($1)", ids
            )
            await connection.execute("DELETE FROM attributions WHERE source_id = ANY($1)", ids)
            await connection.execute(
                "DELETE FROM claims WHERE id = ANY($1)"
                " AND NOT EXISTS (SELECT 1 FROM attributions WHERE claim_id = claims.id)",
                [row["claim_id"] for row in claims],
            )
            await connection.execute("DELETE FROM sources WHERE id = ANY($1)", ids)
        if ids:
            # The deleted rows are the newest: until a vacuum, every walk
            # newest first (search's) steps over their dead index entries
            # and heap tuples. Rare-term searches at 1M, 8 connections on the
            # driver: 123-140/s right after the delete, 211-225/s after this.
            await connection.execute("VACUUM (ANALYZE) attributions, claims, sources")
    except asyncpg.UndefinedTableError:
        return
    finally:
        await connection.close()


async def _loaded_claims(url: URL) -> int | None:
    """Claims in the database at ``url``; None when there is no such database."""
    try:
        connection = await asyncpg.connect(**_asyncpg_params(url))
    except asyncpg.InvalidCatalogNameError:
        return None
    try:
        found: int = await connection.fetchval("SELECT count(*) FROM claims")
        return found
    except asyncpg.UndefinedTableError:
        return None
    finally:
        await connection.close()


APPEND_SHARE = 0.05
"""The last bundles of a dataset, about this share of its attributions, are
imported apart, into the database the rest was loaded into: the rate of an
import appended to a live database (history and change feed written), next to
the first import's (into an empty database: ``app.bundles.bulk.fresh``)."""


def split_for_append(path: Path) -> tuple[Path, Path]:
    """``path``'s lines as two files (kept beside it): the head, and the tail
    holding ``APPEND_SHARE`` of its attributions (whole article bundles)."""
    head, tail = path.with_suffix(".head.ndjson"), path.with_suffix(".tail.ndjson")
    if head.exists() and tail.exists():
        return head, tail
    lines = path.read_bytes().splitlines(keepends=True)
    counts = [len(orjson.loads(line).get("attributions", [])) for line in lines]
    wanted, at = sum(counts) * APPEND_SHARE, len(lines)
    while at > 1 and sum(counts[at - 1 :]) < wanted:
        at -= 1
    head.write_bytes(b"".join(lines[:at]))
    tail.write_bytes(b"".join(lines[at:]))
    return head, tail


def _timed_import(path: Path, url: str) -> tuple[float, list[str]]:
    """``onrecord import`` in a process of its own, as a user runs it: seconds, last line."""
    environment = {**os.environ, "ONRECORD_LOG_LEVEL": "warning"}
    environment.pop("ONRECORD_DATABASE_URL", None)
    started = time.perf_counter()
    result = subprocess.run(  # noqa: S603
        [str(ONRECORD), "import", str(path), "--database-url", url, "--quiet"],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        raise RuntimeError(f"onrecord import failed: {result.stderr[-2000:]}")
    return seconds, result.stderr.strip().splitlines()[-1:]


async def _attributions(url: URL) -> int:
    connection = await asyncpg.connect(**_asyncpg_params(url))
    try:
        found: int = await connection.fetchval("SELECT count(*) FROM attributions")
        return found
    finally:
        await connection.close()


def _import_record(cache_dir: Path, database: str) -> Path:
    return cache_dir / f"{database}.import.json"


def load(
    server: URL,
    database: str,
    claims: int,
    *,
    cache_dir: Path = DEFAULT_CACHE,
    reuse: bool = False,
) -> dict[str, Any]:
    """A fresh ``database`` on ``server`` holding the generated data for
    ``claims``; returns timings, rates, row counts and sizes. ``reuse``: a
    database already holding that data is kept, and its import's figures are
    read from where its load wrote them (``<cache>/<database>.import.json``)."""
    url = server.set(database=database)
    rendered = url.render_as_string(hide_password=False)
    started = time.perf_counter()
    path, generated = generate.cached(claims, cache_dir, polnear=generate.DEFAULT_POLNEAR)
    generate_seconds = round(time.perf_counter() - started, 2)
    record = _import_record(cache_dir, database)
    if reuse:
        asyncio.run(_forget_benchmark_bundles(url))
    if reuse and asyncio.run(_loaded_claims(url)) == generated["counts"]["claims"]:
        imported = orjson.loads(record.read_bytes()) if record.exists() else {}
        return {
            "claims_requested": claims,
            "generated": generated,
            "reused_database": True,
            "import_seconds": None,
            "import_attributions_per_second": None,
            **imported,
            **asyncio.run(_stats(url)),
        }
    asyncio.run(drop_database(url, database))
    asyncio.run(ensure_database(url, database))
    upgrade(rendered)
    url_indexed = asyncio.run(_url_indexed(url))
    if not url_indexed and claims >= 100_000:
        print(
            "warning: sources.url has no index: the bulk path looks every bundle's URLs up"
            " (app.bundles.bulk.resolve.lookup), a scan of sources each, so the import slows"
            " down as the table grows",
            file=sys.stderr,
            flush=True,
        )
    head, tail = split_for_append(path)
    import_seconds, report = _timed_import(head, rendered)
    loaded = asyncio.run(_attributions(url))
    raw = raw_copy.measure(url, url.set(database=f"{database}_raw"))
    append_seconds, append_report = _timed_import(tail, rendered)
    appended = asyncio.run(_attributions(url)) - loaded
    vacuum_seconds = asyncio.run(_vacuum(url))
    stats = asyncio.run(_stats(url))
    imported = {
        "import_seconds": round(import_seconds, 2),
        "import_attributions": loaded,
        "import_attributions_per_second": round(loaded / import_seconds),
        "import_report": report,
        "raw_copy_attributions_per_second": raw["raw_copy_attributions_per_second"],
        "raw_copy_seconds": raw["raw_copy_seconds"],
        "import_to_raw_copy": round(
            loaded / import_seconds / raw["raw_copy_attributions_per_second"], 2
        ),
        "append_seconds": round(append_seconds, 2),
        "append_attributions": appended,
        "append_attributions_per_second": round(appended / append_seconds),
        "append_report": append_report,
        "vacuum_analyze_seconds": vacuum_seconds,
        "sources_url_indexed": url_indexed,
    }
    record.write_bytes(orjson.dumps(imported))
    return {
        "claims_requested": claims,
        "generated": generated,
        "generate_seconds": generate_seconds,
        "ndjson_bytes": path.stat().st_size,
        **imported,
        **stats,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, default=10_000)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("ONRECORD_DATABASE_URL"),
        help="A PostgreSQL server (any database on it); unset: embedded PostgreSQL 18 in a "
        "temporary directory.",
    )
    parser.add_argument("--cache-dir", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--keep", action="store_true", help="Keep the database afterwards.")
    args = parser.parse_args()
    from bench.__main__ import database_server

    name = f"onrecord_bench_load_{args.claims}"
    with database_server(args.database_url) as server:
        try:
            summary = load(server, name, args.claims, cache_dir=args.cache_dir)
        finally:
            if not args.keep:
                asyncio.run(drop_database(server, name))
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
