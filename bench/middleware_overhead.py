"""What the middleware costs a request: the app against its own router.

    .venv/bin/python -m bench.middleware_overhead --label after

Drives ``create_app()`` in-process, no server and no socket: each request is
one call of the ASGI app with a minimal ``GET /health`` scope (``/health``
never touches the database), a ``receive`` that gives an empty body and a
``send`` that drops the messages. The same requests then go to the app's
router alone (``app.router``: routing, the endpoint and its response, no
middleware at all); the difference is what the middleware layers cost a
request, the framework's own and the app's. The two take turns, ``--chunk``
requests at a time, ``--requests`` each in all, so a burst of load from
other jobs touches both alike; the figures are the best chunk of each (the
one least disturbed), and the difference of their medians, in microseconds
of CPU time (of this process: what other jobs take is not counted) per
request.

Variants: ``/health`` as configured by default (no CORS), and with
``ONRECORD_CORS_ORIGINS`` set and an allowed ``Origin`` sent (the CORS work
on every response). Logging is left unconfigured, so the access log line is
not written (``onrecord serve`` writes it: the same cost before and after).

The figures go to ``bench/results/middleware-overhead.md``, one row per
``--label`` and variant; running again with a label replaces its rows, so
``--label before`` (on the old code) and ``--label after`` sit side by side.
To measure an old checkout, run this file from here with the checkout first
on the path (the results still go to this checkout's ``bench/results``)::

    git worktree add /tmp/before COMMIT
    cd /tmp/before && PYTHONPATH=/tmp/before /path/to/checkout/.venv/bin/python \
        /path/to/checkout/bench/middleware_overhead.py --label before
"""

import argparse
import asyncio
import os
import platform
import re
import statistics
import sys
import time
from collections.abc import Iterator
from contextlib import AsyncExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from starlette.types import ASGIApp, Message, Scope

from app.config import get_settings
from app.main import create_app

RESULTS = Path(__file__).parent / "results" / "middleware-overhead.md"
URL = "postgresql://bench@127.0.0.1:1/none"
"""Never connected to: the lifespan does not run, and ``/health`` needs no database."""
ORIGIN = "https://desk.example"
HEADER = (
    "| label | variant | layers | app µs/req | router µs/req | middleware µs/req"
    " | middleware, medians | load |\n"
    "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: |\n"
)
ASTACK = "fastapi_middleware_astack"
ROW = re.compile(r"^\| (?P<label>[^|]+) \| (?P<variant>[^|]+) \|")


@dataclass(frozen=True)
class Figures:
    label: str
    variant: str
    layers: list[str]
    app_us: float
    router_us: float
    median_difference_us: float
    load: float
    """The 1-minute load average when measured."""

    def row(self) -> str:
        return (
            f"| {self.label} | {self.variant} | {len(self.layers)}: {' → '.join(self.layers)} "
            f"| {self.app_us:.1f} | {self.router_us:.1f} | {self.app_us - self.router_us:.1f} "
            f"| {self.median_difference_us:.1f} | {self.load:.2f} |"
        )


def scope_for(path: str, headers: list[tuple[bytes, bytes]]) -> Scope:
    return {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.4"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"bench"), *headers],
        "client": ("127.0.0.1", 50000),
        "server": ("bench", 80),
        "state": {},
    }


async def _receive() -> Message:
    return {"type": "http.request", "body": b"", "more_body": False}


async def _drive(app: ASGIApp, scope: Scope, requests: int) -> float:
    """CPU seconds of this process for ``requests`` requests of ``scope`` (a
    fresh copy each: apps write to it); CPU time, not wall time, so that the
    time other jobs hold the CPU is not counted.
    A request to the router alone carries the exit stack its routes expect
    (``AsyncExitStackMiddleware`` puts one in the scope; never entered here)."""
    statuses: list[int] = []
    bare = "app" in scope

    async def send(message: Message) -> None:
        if message["type"] == "http.response.start":
            statuses.append(message["status"])

    started = time.process_time()
    for _ in range(requests):
        request = dict(scope)
        if bare:
            request[ASTACK] = AsyncExitStack()
        await app(request, _receive, send)
    elapsed = time.process_time() - started
    if set(statuses) != {200}:
        raise SystemExit(f"{scope['path']} answered {sorted(set(statuses))}, not 200")
    return elapsed


async def per_request_us(
    sides: list[tuple[ASGIApp, Scope]], requests: int, chunk: int
) -> list[tuple[float, float]]:
    """Per side, (best, median) µs per request over chunks of ``chunk``
    requests, ``requests`` in all; the sides take turns chunk by chunk, so
    a burst of load from other jobs touches them alike."""
    for app, scope in sides:
        await _drive(app, scope, chunk)  # warm up: the stack is built on first use
    runs: list[list[float]] = [[] for _ in sides]
    for _ in range(max(1, requests // chunk)):
        for (app, scope), side in zip(sides, runs, strict=True):
            side.append(await _drive(app, scope, chunk) / chunk * 1e6)
    return [(min(side), statistics.median(side)) for side in runs]


def layers(app: ASGIApp, router: ASGIApp) -> list[str]:
    """The middleware the stack is made of, outermost first (each holds the next as ``app``)."""
    names: list[str] = []
    layer: object = app
    while layer is not router and layer is not None:
        names.append(type(layer).__name__)
        layer = getattr(layer, "app", None)
    return names


@contextmanager
def environment(**values: str) -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    get_settings.cache_clear()
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        get_settings.cache_clear()


async def measure(label: str, variant: str, requests: int, chunk: int) -> Figures:
    cors = variant != "/health"
    with environment(**({"ONRECORD_CORS_ORIGINS": ORIGIN} if cors else {})):
        app = create_app(database_url=URL)
    headers = [(b"origin", ORIGIN.encode())] if cors else []
    scope = scope_for("/health", headers)
    (app_best, app_median), (router_best, router_median) = await per_request_us(
        [(app, scope), (app.router, {**scope, "app": app})], requests, chunk
    )
    assert app.middleware_stack is not None
    stack = layers(app.middleware_stack, app.router)
    difference = app_median - router_median
    load = os.getloadavg()[0]
    return Figures(label, variant, stack, app_best, router_best, difference, load)


def write(figures: list[Figures], requests: int, chunk: int, out: Path) -> None:
    replaced = {(f.label, f.variant) for f in figures}
    kept: list[str] = []
    if out.exists():
        for line in out.read_text().splitlines():
            match = ROW.match(line)
            if (
                match
                and match["label"].strip() not in {"label", "---"}
                and (match["label"].strip(), match["variant"].strip()) not in replaced
            ):
                kept.append(line)
    rows = "\n".join([*kept, *(f.row() for f in figures)])
    out.write_text(
        "# Middleware overhead per request\n\n"
        "Written by `bench/middleware_overhead.py` (see its docstring):\n\n"
        f"    .venv/bin/python -m bench.middleware_overhead --label LABEL"
        f" --requests {requests} --chunk {chunk}\n\n"
        "`GET /health` driven in-process straight into the ASGI app (no server, no\n"
        "socket, no database): *app* is the whole app, *router* the app's router\n"
        "alone, *middleware* the difference, the cost of every layer listed\n"
        "(outermost first; the framework's own included). App and router take turns\n"
        "chunk by chunk; figures in µs of the process's CPU time per request: the\n"
        "best chunk of each, their difference, and the difference of the medians.\n"
        "`/health + CORS`: `ONRECORD_CORS_ORIGINS` set and an allowed `Origin` sent.\n\n"
        f"Python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} CPUs;"
        " *load*: the 1-minute load average after the row's run (the machine is shared).\n\n"
        f"{HEADER}{rows}\n"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--label", required=True, help="the row's name (before, after...)")
    parser.add_argument("--requests", type=int, default=20_000)
    parser.add_argument("--chunk", type=int, default=500, help="requests a turn")
    parser.add_argument("--out", type=Path, default=RESULTS, help="the Markdown file to update")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)
    figures = [
        asyncio.run(measure(args.label, variant, args.requests, args.chunk))
        for variant in ("/health", "/health + CORS")
    ]
    for figure in figures:
        print(figure.row())
    if not args.no_write:
        write(figures, args.requests, args.chunk, args.out)
        print(f"written to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
