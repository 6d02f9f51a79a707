"""``python -m bench cold-start``: ``onrecord serve --demo`` to its first
``GET /v1/claims`` = 200, in a new data directory (``initdb`` included) and
in the same directory again, a few times; results in ``bench/results/``.

    .venv/bin/python -m bench cold-start [--runs 3] [--no-write]
"""

from __future__ import annotations

import argparse
import os
import statistics
from datetime import UTC, datetime

from bench.machine import cold_start, free_port, write_result

FRESH, AGAIN = "fresh data dir (initdb)", "same data dir again"


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench cold-start")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    load = os.getloadavg()[0]
    runs = [cold_start(free_port()) for _ in range(args.runs)]
    fresh = [run[FRESH] for run in runs]
    again = [run[AGAIN] for run in runs]
    when = datetime.now(UTC)
    result = {
        "date": when.isoformat(timespec="seconds"),
        "command": "python -m bench cold-start",
        "load_average_at_start": round(load, 2),
        "runs": runs,
        "fresh_median_s": statistics.median(fresh),
        "again_median_s": statistics.median(again),
    }
    text = "\n".join(
        [
            f"# `onrecord serve --demo` cold start — {when:%Y-%m-%d %H:%M} UTC",
            "",
            f"`python -m bench cold-start --runs {args.runs}`; load average at start {load:.2f}.",
            "Until `GET /v1/claims` answers 200 (goal < 3 s, new data directory).",
            "",
            "| data directory | runs (s) | median (s) |",
            "|---|---|---|",
            f"| new (initdb) | {', '.join(map(str, fresh))} | **{result['fresh_median_s']}** |",
            f"| same again | {', '.join(map(str, again))} | {result['again_median_s']} |",
            "",
        ]
    )
    print(text)
    if not args.no_write:
        write_result("cold-start", when, result, text)
