"""``python -m bench.ab_post``: ``POST /v1/attributions`` before and after a
change, in turns on one database (issue 16).

Two servers as ``python -m bench`` starts them (2 workers, pool of 10), one
on each checkout (``--before``, ``--after``: worktrees; each imports its own
``app``), both on ``--database-url`` (a bench database already loaded, at the
head revision of the newer checkout). Runs ``wrk -t1`` at ``--connections``
in turns A B B A A B ... (``--rounds`` pairs), so that a change in the
machine's load touches both alike; after each run the attributions it posted
are deleted, so every run starts from the same data. Prints one line per
run (requests/s, p50/p95/p99, the server's CPU per request) and the JSON of
every run last.

    .venv/bin/python -m bench.ab_post --database-url postgresql://.../post1_bench_10000 \\
        --before /work/wt-base --after . --rounds 3 --duration 10s
"""

import argparse
import asyncio
import json
import os
from datetime import datetime
from pathlib import Path
from typing import Any

import asyncpg
from sqlalchemy.engine import make_url

from bench import __main__ as harness


def _server(root: Path, url: str, workers: int) -> harness.Server:
    harness.ROOT = root  # the server's working directory: its ``app`` comes first
    environment = {
        "ONRECORD_DATABASE_URL": url,
        "ONRECORD_POOL_SIZE": str(harness.POOL_SIZE),
        "PYTHONPATH": str(root),
    }
    server = harness.Server("app.main:create_app", workers, environment, factory=True)
    server.wait("/health")
    return server


async def _now(url: str) -> datetime:
    connection = await asyncpg.connect(url)
    try:
        now: datetime = await connection.fetchval("SELECT clock_timestamp()")
        return now
    finally:
        await connection.close()


async def _forget(url: str, since: datetime) -> str:
    """Delete the attributions posted since ``since``."""
    connection = await asyncpg.connect(url)
    try:
        deleted: str = await connection.execute(
            "DELETE FROM attributions WHERE created_at >= $1", since
        )
        return deleted
    finally:
        await connection.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--before", type=Path, required=True)
    parser.add_argument("--after", type=Path, required=True)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--duration", default="10s")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    url = args.database_url
    ids = asyncio.run(harness._sample(make_url(url)))
    (case,) = [c for c in harness.endpoints(ids) if c.name == "POST attribution"]
    case.headers = asyncio.run(harness.write_key(url))
    servers: dict[str, harness.Server] = {}
    runs: dict[str, list[dict[str, Any]]] = {"A": [], "B": []}
    try:
        for label, root in (("A", args.before), ("B", args.after)):
            servers[label] = server = _server(root.resolve(), url, args.workers)
            since = asyncio.run(_now(url))
            harness.wrk(server.base, case, duration="2s", connections=1)  # warm-up
            server.settle()
            asyncio.run(_forget(url, since))
        for index in range(args.rounds):
            for label in ("A", "B") if index % 2 == 0 else ("B", "A"):
                server = servers[label]
                since = asyncio.run(_now(url))
                cpu = server.cpu_seconds()
                row = harness.wrk(
                    server.base, case, duration=args.duration, connections=args.connections
                )
                cpu = server.cpu_seconds() - cpu
                row["server_cpu_ms_per_request"] = (
                    round(cpu * 1000 / row["requests"], 3) if row["requests"] else None
                )
                row["load_average_after"] = round(os.getloadavg()[0], 2)
                server.settle()
                row["deleted"] = asyncio.run(_forget(url, since))
                runs[label].append(row)
                print(
                    f"{label}: {row['requests_per_second']:.0f}/s p50 {row['p50_ms']:.1f}"
                    f" p95 {row['p95_ms']:.1f} p99 {row['p99_ms']:.1f} ms, server CPU"
                    f" {row['server_cpu_ms_per_request']} ms/req, errors {row['errors']}"
                    f" {row['refused_statuses']}, load {row['load_average_after']}",
                    flush=True,
                )
    finally:
        for server in servers.values():
            server.stop()
    print(json.dumps(runs))


if __name__ == "__main__":
    main()
