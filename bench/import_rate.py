"""``python -m bench import``: the bulk import against raw COPY, in one run.

    .venv/bin/python -m bench import --claims 20000 [--database-url URL] [--no-write]

The import part of the harness alone (``bench/load.py``): generated bundles
through ``onrecord import`` into an empty database, the same rows by raw
binary COPY into a new database with the same tables, indexes and triggers
(``bench/raw_copy.py``), then the last bundles appended to the live database.
Prints both rates and their ratio (issue 16: ≥ 0.5) and writes
``bench/results/import-<date>.{json,md}``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url

from app.embedded import drop_database
from bench import load
from bench.machine import write_result


def _commit() -> str:
    found = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607
        cwd=Path(__file__).resolve().parent,
        capture_output=True,
        text=True,
        check=False,
    )
    return found.stdout.strip() or "unknown"


def markdown(result: dict[str, Any]) -> str:
    run = result["run"]
    return "\n".join(
        [
            f"# Bulk import against raw COPY — {result['date']}",
            "",
            f"`{result['command']}` at commit {result['commit']}; PostgreSQL {run['postgres']};"
            f" load average at start {result['load_average_at_start']},"
            f" at end {result['load_average_at_end']}.",
            "",
            "| measure | rows | seconds | attributions/s |",
            "|---|---|---|---|",
            f"| `onrecord import` into an empty database | {run['import_attributions']:,}"
            f" | {run['import_seconds']} | **{run['import_attributions_per_second']:,}** |",
            f"| raw binary `COPY` of the same rows (same tables, indexes, triggers)"
            f" | {run['import_attributions']:,} | {run['raw_copy_seconds']}"
            f" | {run['raw_copy_attributions_per_second']:,} |",
            f"| `onrecord import` appended to the live database | {run['append_attributions']:,}"
            f" | {run['append_seconds']} | **{run['append_attributions_per_second']:,}** |",
            "",
            f"Import ÷ raw COPY: **{run['import_to_raw_copy']}** (goal ≥ 0.5; ≥ 20,000/s)."
            f" The import's time includes starting the `onrecord` process.",
            "",
        ]
    )


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench import")
    parser.add_argument("--claims", type=int, default=20_000)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("ONRECORD_DATABASE_URL"),
        help="A PostgreSQL server (any database on it); unset: embedded PostgreSQL 18.",
    )
    parser.add_argument("--cache-dir", type=Path, default=load.DEFAULT_CACHE)
    parser.add_argument("--no-write", action="store_true", help="Print only.")
    args = parser.parse_args(argv)
    from bench.__main__ import database_server

    started_load = round(os.getloadavg()[0], 2)
    when = datetime.now(UTC)
    name = f"onrecord_bench_import_{args.claims}"
    with database_server(args.database_url) as server:
        try:
            run = load.load(server, name, args.claims, cache_dir=args.cache_dir)
        finally:
            asyncio.run(drop_database(server, name))
    command = ["python", "-m", "bench", "import", "--claims", str(args.claims)]
    if args.database_url:
        command += ["--database-url", make_url(args.database_url).render_as_string()]
    result = {
        "date": when.strftime("%Y-%m-%d %H:%M UTC"),
        "command": " ".join(command),
        "commit": _commit(),
        "load_average_at_start": started_load,
        "load_average_at_end": round(os.getloadavg()[0], 2),
        "run": run,
    }
    text = markdown(result)
    print(text)
    if not args.no_write:
        write_result("import", when, result, text)
