"""What the search results' who/where/when costs: the search statement with
and without the summaries added for the explorer (a claim's first records
and their count, a source's publisher and date), on the bench's generated
data, back to back on one connection.

    python -m bench.search_summaries --claims 100000 [--database-url URL] [--rounds 30]

Loads (or reuses, ``--keep``) the generated data as ``bench.load`` does, then
runs the bench's search terms through both statements in turns (default
limit, 20 results) and prints the median and p95 time per statement, and the
same for ``limit=100``. The statement "without" is today's with the summary
fragments taken out, so the two differ in nothing else.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time
from typing import Any

import asyncpg
import orjson
from sqlalchemy import text

from app.embedded import _asyncpg_params, drop_database
from app.search import service
from app.search.router import DEFAULT_LIMIT
from app.search.schemas import SEARCH_TYPES
from app.search.summaries import claim_records_sql, source_published_sql
from app.sqlcompile import DriverSQL
from bench.__main__ import SEARCH_TERMS, database_server
from bench.load import DEFAULT_CACHE, load


def statements() -> dict[str, str]:
    """The search SQL as served (``with``) and with the summaries taken out (``without``)."""
    served = service.search_statement(SEARCH_TYPES)
    bare = served.replace(f",\n                             {claim_records_sql('claims.id')}", "")
    bare = bare.replace(f", {source_published_sql()}", "")
    assert bare != served, "the summary fragments were not found in the statement"
    assert "record_count" not in bare
    assert "'published'" not in bare
    return {"without": bare, "with": served}


def _driver_sql(sql: str) -> tuple[str, list[str]]:
    """The SQL asyncpg receives, and the names of its parameters in order."""
    compiled = DriverSQL.compile(text(sql), service.SEARCH_VALUES)
    return compiled.sql, [slot.name for slot in compiled.slots]


async def measure(url: Any, rounds: int) -> dict[str, Any]:
    connection = await asyncpg.connect(**_asyncpg_params(url))
    try:
        prepared = {}
        for name, sql in statements().items():
            text, order = _driver_sql(sql)
            prepared[name] = (await connection.prepare(text), order)
        results: dict[str, Any] = {}
        for limit in (DEFAULT_LIMIT, 100):
            timings: dict[str, list[float]] = {name: [] for name in prepared}
            for round_number in range(rounds + 1):  # the first round warms the caches
                for term in SEARCH_TERMS:
                    values = {
                        "q": term,
                        "types": orjson.dumps(list(SEARCH_TYPES)).decode(),
                        "limit": limit,
                        "name_candidates": max(limit, service.NAME_CANDIDATES),
                        "min_similarity": service.MIN_NAME_SIMILARITY,
                        "claim_options": service._HEADLINE_OPTIONS["claim"],
                        "source_options": service._HEADLINE_OPTIONS["source"],
                    }
                    for name, (statement, order) in prepared.items():
                        started = time.perf_counter()
                        await statement.fetch(*[values[key] for key in order])
                        if round_number:
                            timings[name].append((time.perf_counter() - started) * 1000)
            results[f"limit={limit}"] = {
                name: {
                    "median_ms": round(statistics.median(values), 2),
                    "p95_ms": round(statistics.quantiles(values, n=20)[-1], 2),
                    "queries": len(values),
                }
                for name, values in timings.items()
            }
        return results
    finally:
        await connection.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--keep", action="store_true", help="Keep the database afterwards.")
    args = parser.parse_args(argv)
    name = f"onrecord_bench_search_summaries_{args.claims}"
    with database_server(args.database_url) as server:
        try:
            loaded = load(server, name, args.claims, cache_dir=DEFAULT_CACHE, reuse=True)
            figures = asyncio.run(measure(server.set(database=name), args.rounds))
        finally:
            if not args.keep:
                asyncio.run(drop_database(server, name))
    print(json.dumps({"claims": args.claims, "rows": loaded.get("rows"), **figures}, indent=2))


if __name__ == "__main__":
    main()
