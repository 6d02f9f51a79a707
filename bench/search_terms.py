"""Search terms by how many claims they match, chosen from the data.

Search costs by how often its term occurs: a rare term is found through the
GIN index and all its matches are ranked; a frequent one is ranked among its
most recent matches (``app.search.service.CANDIDATES``). The benchmark times
each class apart (``search rare``, ``search common``, ``search very common``),
with terms picked from the loaded data: each candidate query's share of the
claims it finds (by their wording or a translation, as the search matches
them) is counted, and each class takes the candidates nearest its target
share. The chosen terms and their shares go into the results.

    .venv/bin/python -m bench.search_terms --database-url postgresql://.../onrecord_bench_100000
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
from typing import Any

import asyncpg
from sqlalchemy.engine import make_url

from app.embedded import _asyncpg_params
from app.search.service import _matches

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
    SELECT claims.id FROM claims WHERE {_matches("claims.search_vector", "claims.language")}
    UNION
    SELECT translations.claim_id FROM claim_translations AS translations
    WHERE {_matches("translations.search_vector", "translations.language")}
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    args = parser.parse_args()
    print(json.dumps(asyncio.run(terms(make_url(args.database_url))), indent=2))


if __name__ == "__main__":
    main()
