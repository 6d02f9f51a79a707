"""Search terms by how many claims they match, chosen from the data.

Search costs by how often its term occurs: a rare term is found through the
GIN index and all its matches are ranked; a frequent one is ranked among its
most recent matches (``app.search.service.CANDIDATES``). The benchmark times
each class apart (``search rare``, ``search common``, ``search very common``),
with terms picked from the loaded data: each candidate query's share of the
claims it finds (by their wording or a translation, as the search matches
them) is counted, and each class takes the candidates nearest its target
share. The chosen terms and their shares go into the results.

    .venv/bin/python -m bench.search_terms --database-url postgresql://.../onrecord_bench_100000 \
        [--plans DIR]

prints the chosen terms and, for each, the search statement's own cost on
one connection (``EXPLAIN (ANALYZE, BUFFERS)``, median of ``--runs``: the
execution and planning times and the claims rows it read); ``--plans`` writes
each plan to ``DIR/search-<class>.txt``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import re
import statistics
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import asyncpg
from sqlalchemy.engine import make_url

from app.db import SERVER_SETTINGS
from app.embedded import _asyncpg_params
from app.search import service
from app.search.matching import matches
from app.search.schemas import SEARCH_TYPES
from bench.explain import explain_prepared, plan_cache_mode

TARGET_SHARES = {"rare": 0.0001, "common": 0.10, "very common": 0.50}
"""Share of the claims a class's terms match (issue 16: rare, about 10%, about 50%)."""

# Words of bench/generate.py's lists and of PolNeAR's political news; ``or``
# joins words where no single one reaches a class's share.
CANDIDATES = {
    "rare": ["Pyongyang", "Gaddafi", "Kremlin", "Benghazi", "diplomats", "Tripoli"],
    "common": [
        "Trump or Clinton",
        "sanctions or budget or embargo",
        "Trump",
        "ceasefire or pipeline or sanctions",
    ],
    "very common": ["dossier or file", "dossier", "file"],
}
TERMS_PER_CLASS = 2
"""Terms each class's endpoint cycles over (the nearest to its share)."""

_COUNT = f"""
SELECT count(*) FROM (
    SELECT claims.id FROM claims WHERE {matches("claims.search_vector", "claims.language")}
    UNION
    SELECT translations.claim_id FROM claim_translations AS translations
    WHERE {matches("translations.search_vector", "translations.language")}
) AS matched
""".replace(":q", "$1")


async def shares(connection: asyncpg.Connection) -> dict[str, float]:
    """Each candidate query's share of the claims it matches."""
    claims = await connection.fetchval("SELECT count(*) FROM claims")
    found = {}
    for terms in CANDIDATES.values():
        for q in terms:
            found[q] = await connection.fetchval(_COUNT, q) / max(claims, 1)
    return found


def choose(found: dict[str, float]) -> dict[str, list[dict[str, Any]]]:
    """Per class, the matching candidates nearest its target share (log scale)."""
    chosen = {}
    for name, target in TARGET_SHARES.items():
        matching = [q for q in CANDIDATES[name] if found[q] > 0]
        nearest = sorted(matching, key=lambda q: abs(math.log(found[q] / target)))
        chosen[name] = [{"q": q, "share": round(found[q], 5)} for q in nearest[:TERMS_PER_CLASS]]
    return chosen


async def terms(url: Any) -> dict[str, list[dict[str, Any]]]:
    connection = await asyncpg.connect(**_asyncpg_params(url))
    try:
        return choose(await shares(connection))
    finally:
        await connection.close()


async def statement_cost(
    connection: asyncpg.Connection, q: str, runs: int, types: Sequence[str] = SEARCH_TYPES
) -> tuple[dict[str, Any], str]:
    """The search statement the app sends for ``q`` (``types``, a page of
    20), run ``runs`` times under ``EXPLAIN (ANALYZE, BUFFERS)``: median
    execution and planning ms, the claims rows read; and the last plan."""
    sent: list[tuple[str, Sequence[Any], bool]] = []

    async def fetch(
        sql: str, arguments: Sequence[Any], /, *, generic_plan: bool = False
    ) -> Sequence[Any]:
        sent.append((sql, arguments, generic_plan))
        rows: Sequence[Any] = await connection.fetch(sql, *arguments)
        return rows

    await service.search(fetch, q=q, types=service.parse_types(",".join(types)), limit=20)
    sql, arguments, generic_plan = sent[0]
    # Prepared, as the app's connections run it, and in the plan cache mode
    # of the connections it runs on (app.db.GENERIC_PLANS): a plan made once
    # shows its planning on the first run only.
    plans = await explain_prepared(
        connection,
        sql,
        arguments,
        plan_cache_mode=plan_cache_mode(generic_plan),
        options="ANALYZE, BUFFERS",
        runs=runs,
    )
    executions = [float(re.findall(r"Execution Time: ([0-9.]+)", plan)[0]) for plan in plans]
    plannings = [float(re.findall(r"Planning Time: ([0-9.]+)", plan)[0]) for plan in plans]
    plan = plans[-1]
    read = claims_rows_read(plan)
    return {
        "q": q,
        "execution_ms": round(statistics.median(executions), 2),
        "planning_ms": round(statistics.median(plannings), 2),
        "claims_rows_read": read,
    }, plan


def claims_rows_read(plan: str) -> int:
    """Rows the scan for candidate claims looked at: those it returned and
    those its filter or recheck dropped (the statement's first scan of claims
    under an alias; the page's claims are read again by id, under none)."""
    lines = plan.splitlines()
    for i, line in enumerate(lines):
        if re.search(r"(Index Scan|Bitmap Heap Scan).* on claims claims_", line):
            found = re.search(r"actual time=\S+ rows=(\d+) loops=(\d+)", line)
            read = int(found.group(1)) * int(found.group(2)) if found else 0
            for detail in lines[i + 1 : i + 6]:
                dropped = re.search(r"Rows Removed by (?:Filter|Index Recheck): (\d+)", detail)
                if dropped:
                    read += int(dropped.group(1))
            return read
    return 0


async def costs(
    url: Any, runs: int, given: dict[str, str], types: Sequence[str] = SEARCH_TYPES
) -> tuple[dict[str, Any], dict[str, str]]:
    """Per class, its terms (chosen, or ``given``: class → query) with their
    statement's cost; and each class's first plan."""
    connection = await asyncpg.connect(**_asyncpg_params(url), server_settings=SERVER_SETTINGS)
    try:
        if given:
            claims = await connection.fetchval("SELECT count(*) FROM claims")
            chosen = {
                name: [{"q": q, "share": round(await connection.fetchval(_COUNT, q) / claims, 5)}]
                for name, q in given.items()
            }
        else:
            chosen = choose(await shares(connection))
        measured: dict[str, Any] = {}
        plans: dict[str, str] = {}
        for name, chosen_terms in chosen.items():
            measured[name] = []
            for term in chosen_terms:
                cost, plan = await statement_cost(connection, term["q"], runs, types)
                measured[name].append({**term, **cost})
                plans.setdefault(name, f"-- q = {term['q']!r}, share {term['share']}\n{plan}\n")
        claims = await connection.fetchval("SELECT count(*) FROM claims")
        return {"claims": claims, **measured}, plans
    finally:
        await connection.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--plans", type=Path, help="Write each class's plan here.")
    parser.add_argument(
        "--term",
        action="append",
        default=[],
        help="CLASS=QUERY instead of the chosen terms (data without these words: "
        "bench/dataset.py's), e.g. 'common=senator'.",
    )
    parser.add_argument(
        "--types", default=",".join(SEARCH_TYPES), help="What to search (default: all)."
    )
    args = parser.parse_args()
    given = dict(term.split("=", 1) for term in args.term)
    types = args.types.split(",")
    measured, plans = asyncio.run(costs(make_url(args.database_url), args.runs, given, types))
    if args.plans is not None:
        args.plans.mkdir(parents=True, exist_ok=True)
        for name, plan in plans.items():
            (args.plans / f"search-{name.replace(' ', '-')}.txt").write_text(plan)
    print(json.dumps(measured, indent=2))


if __name__ == "__main__":
    main()
