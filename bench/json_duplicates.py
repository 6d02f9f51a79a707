"""What refusing duplicate JSON keys costs a bundle import (issue 17).

    .venv/bin/python -m bench json-duplicates --claims 2000,20000,50000 \\
        --database-url postgresql://postgres@127.0.0.1:5432/postgres

The API parses request bodies with the standard library's parser and an
``object_pairs_hook`` that counts each object's members (``app.jsonbody``).
For bundles of ``--claims`` claims (``bench/generate.py``'s data, its
NDJSON bundles merged into one), this measures:

- the parse alone: ``json.loads`` as FastAPI calls it, against
  ``app.jsonbody.loads``, turn about, best of ``--repeat`` each (CPU time
  of this process);
- ``POST /v1/bundles`` of the same body through the app, in process, on a
  fresh database each time, with the check and without it (the check
  switched off by putting the plain parser back), turn about: wall time.

Results go to ``bench/results/json-duplicates.md`` (replaced on each run).
A 50,000-claim bundle's recount ran past the default 30 s statement timeout
on the busy 2-core machine: set ``ONRECORD_STATEMENT_TIMEOUT_MS=300000``
for sizes that large (the header records the value used).
"""

import argparse
import asyncio
import json
import os
import platform
import time
from pathlib import Path
from typing import Any

import httpx
import orjson
from sqlalchemy.engine import make_url

from app import jsonbody
from app.embedded import drop_database, ensure_database
from app.main import create_app
from app.migrate import upgrade
from bench.generate import Generator

RESULTS = Path(__file__).parent / "results" / "json-duplicates.md"
KINDS = ("actors", "sources", "events", "claims", "attributions", "claim_relations")


def merged_bundle(claims: int) -> bytes:
    """The generated bundles of ``claims`` claims as one bundle's body."""
    merged: dict[str, Any] = {"format": "onrecord-bundle", "version": 1, "id": f"bench-{claims}"}
    for bundle in Generator(claims).bundles():
        for kind in KINDS:
            merged.setdefault(kind, []).extend(bundle.get(kind, []))
    return orjson.dumps(merged)


def cpu_best(parse: Any, body: bytes, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.process_time()
        parse(body)
        best = min(best, time.process_time() - started)
    return best


def parse_times(body: bytes, repeat: int) -> tuple[float, float]:
    plain, checked = float("inf"), float("inf")
    for _ in range(repeat):  # turn about: a burst of other jobs touches both
        plain = min(plain, cpu_best(json.loads, body, 1))
        checked = min(checked, cpu_best(jsonbody.loads, body, 1))
    return plain, checked


async def post_once(server: str, body: bytes, *, checked: bool) -> float:
    """Wall time of ``POST /v1/bundles`` on a fresh database."""
    name = "onrecord_bench_json_duplicates"
    url = make_url(server).set(database=name)
    await drop_database(url, name)
    await ensure_database(url, name)
    rendered = url.render_as_string(hide_password=False)
    await asyncio.to_thread(upgrade, rendered)
    headers = await _write_key(rendered)
    original = jsonbody.JSONBodyRequest.json
    if not checked:

        async def plain(self: jsonbody.JSONBodyRequest) -> Any:
            if not hasattr(self, "_json"):
                self._json = json.loads(await self.body())
            return self._json

        jsonbody.JSONBodyRequest.json = plain  # type: ignore[method-assign]
    try:
        app = create_app(database_url=rendered)
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(
                transport=transport, base_url="http://bench", headers=headers, timeout=3600
            ) as client:
                started = time.perf_counter()
                response = await client.post(
                    "/v1/bundles", content=body, headers={"content-type": "application/json"}
                )
                elapsed = time.perf_counter() - started
        assert response.status_code == 201, response.text[:500]
        return elapsed
    finally:
        jsonbody.JSONBodyRequest.json = original  # type: ignore[method-assign]
        await drop_database(url, name)


async def _write_key(url: str) -> dict[str, str]:
    from app.db import create_engine, session_factory
    from app.keys.service import create_key

    engine = create_engine(url, pool_size=1)
    try:
        async with session_factory(engine)() as session:
            _, token = await create_key(session, name="bench-json", scope="write")
            await session.commit()
    finally:
        await engine.dispose()
    return {"Authorization": f"Bearer {token}"}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", default="2000,20000,50000")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--posts", type=int, default=2, help="POSTs per side and size")
    parser.add_argument("--database-url", required=True, help="a server to create databases on")
    args = parser.parse_args(argv)
    rows = []
    for claims in (int(n) for n in args.claims.split(",")):
        body = merged_bundle(claims)
        plain, checked = parse_times(body, args.repeat)
        posts: dict[bool, list[float]] = {True: [], False: []}
        for _ in range(args.posts):
            for side in (False, True):
                posts[side].append(asyncio.run(post_once(args.database_url, body, checked=side)))
        row = (
            f"| {claims:,} | {len(body) / 2**20:.1f} | {plain * 1000:.0f} | {checked * 1000:.0f} "
            f"| {checked / plain:.2f} | {min(posts[False]):.2f} | {min(posts[True]):.2f} "
            f"| {(min(posts[True]) - min(posts[False])) / min(posts[False]) * 100:+.1f}% |"
        )
        print(row, flush=True)
        rows.append(row)
    RESULTS.write_text(
        "# Duplicate JSON keys refused: what it costs a bundle import\n\n"
        f"`python -m bench json-duplicates --claims {args.claims} --repeat {args.repeat} "
        f"--posts {args.posts}` (ONRECORD_STATEMENT_TIMEOUT_MS="
        f"{os.environ.get('ONRECORD_STATEMENT_TIMEOUT_MS', 'default')}) "
        f"on {platform.node()} ({platform.python_implementation()} "
        f"{platform.python_version()}), PostgreSQL at the given URL. Parse: CPU ms, best of "
        f"{args.repeat}. POST: wall seconds of `POST /v1/bundles` of the same body on a fresh "
        f"database, best of {args.posts} per side, the two sides taking turns.\n\n"
        "| claims | body MiB | parse ms, json.loads | parse ms, duplicates refused | ratio "
        "| POST s, unchecked | POST s, checked | POST difference |\n"
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n" + "\n".join(rows) + "\n"
    )
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
