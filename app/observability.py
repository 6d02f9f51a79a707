"""Operations: Prometheus metrics, request ids and one JSON log line per request.

``RequestTelemetry`` is pure ASGI middleware (no ``BaseHTTPMiddleware``: no
extra task, no body buffering), the outermost of the app's own layers: per
request it reads or makes a request id, echoes it in ``X-Request-ID``, and
when the response is done counts it, times it, and logs it. It also adds the
security headers (``app.middleware.add_security_headers``): one layer, one
wrapped ``send``, for the two things every response gets. Labels are the
route *template* (``/v1/claims/{claim_id}``), never the raw path, so the
number of series stays bounded.

``GET /metrics`` (not in the OpenAPI document) serves the app's own registry in
the Prometheus text format: on the API's address to admin keys only, or with
``ONRECORD_METRICS_ADDRESS`` on a listener of its own, without a key (and not
on the API's address). With several uvicorn workers each process counts its
own requests; scrape each worker, or run one worker per container.
"""

import contextvars
import itertools
import json
import logging
import os
import re
import sys
from bisect import bisect_left
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from time import perf_counter
from typing import Any

from fastapi import FastAPI
from fastapi.responses import Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    generate_latest,
    start_http_server,
)
from prometheus_client.metrics_core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
    Metric,
)
from prometheus_client.registry import Collector
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.middleware import HttpLayer, add_security_headers

REQUEST_ID_HEADER = b"x-request-id"
# A client's id is kept when it is short and plain (no spaces, quotes or
# control characters that would spoil a log line or a header); else a new one.
_SANE_REQUEST_ID = re.compile(rb"[A-Za-z0-9][A-Za-z0-9._:/+=@-]{0,127}")
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
UNMATCHED = "unmatched"

request_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "onrecord_request_id", default=None
)
access_logger = logging.getLogger("onrecord.access")

# Latency buckets (seconds): the API answers most reads in 1-5 ms.
LATENCY_BUCKETS = (
    0.001,
    0.0025,
    0.005,
    0.01,
    0.025,
    0.05,
    0.1,
    0.25,
    0.5,
    1.0,
    2.5,
    5.0,
    10.0,
)


# Request ids made here: a random prefix per process, then a counter (unique
# without a system call per request; they need not be unguessable).
_ID_PREFIX = os.urandom(8).hex()
_id_counter = itertools.count(1)


def new_request_id() -> str:
    return f"{_ID_PREFIX}{next(_id_counter):016x}"


def request_id_from(headers: Iterable[tuple[bytes, bytes]]) -> str:
    """The client's ``X-Request-ID`` if it is sane, else a new id."""
    for name, value in headers:
        if name == REQUEST_ID_HEADER:
            if _SANE_REQUEST_ID.fullmatch(value):
                return value.decode("ascii")
            break
    return new_request_id()


def route_template(scope: Scope) -> str:
    route = scope.get("route")
    path = getattr(route, "path", None)
    return path if isinstance(path, str) else UNMATCHED


class PoolCollector(Collector):
    """Database pool use, read from the app's engine at scrape time."""

    def __init__(self, app: FastAPI) -> None:
        self.app = app

    def collect(self) -> Iterable[Metric]:
        checked_out = GaugeMetricFamily(
            "onrecord_db_pool_checked_out", "Database connections in use by requests."
        )
        size = GaugeMetricFamily("onrecord_db_pool_size", "Database connections the pool keeps.")
        engine = getattr(self.app.state, "engine", None)
        pool = getattr(engine, "pool", None)
        for family, method in ((checked_out, "checkedout"), (size, "size")):
            read = getattr(pool, method, None)
            if callable(read):
                family.add_metric([], float(read()))
        return [checked_out, size]


class RequestStats(Collector):
    """Request counts and latency histograms, kept in plain dicts.

    prometheus-client's own Counter and Histogram take a lock per update
    (about 5 us a request together); here every update happens on the event
    loop's thread, so a dict increment is enough, and the Prometheus families
    are built only when ``/metrics`` is scraped."""

    def __init__(self) -> None:
        self.counts: dict[tuple[str, str, int], int] = {}
        # Per (method, route): a count per bucket, then +Inf, then the sum.
        self.latency: dict[tuple[str, str], list[float]] = {}

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        key = (method, route, status)
        counts = self.counts
        counts[key] = counts.get(key, 0) + 1
        histogram = self.latency.get((method, route))
        if histogram is None:
            histogram = self.latency[(method, route)] = [0.0] * (len(LATENCY_BUCKETS) + 2)
        histogram[bisect_left(LATENCY_BUCKETS, seconds)] += 1
        histogram[-1] += seconds

    def collect(self) -> Iterable[Metric]:
        requests = CounterMetricFamily(
            "onrecord_http_requests",
            "HTTP requests answered, by method, route template and status.",
            labels=["method", "route", "status"],
        )
        for (method, route, status), count in sorted(self.counts.items()):
            requests.add_metric([method, route, str(status)], count)
        latency = HistogramMetricFamily(
            "onrecord_http_request_duration_seconds",
            "Time to answer an HTTP request (until its last byte was sent), by route template.",
            labels=["method", "route"],
        )
        for (method, route), histogram in sorted(self.latency.items()):
            buckets: list[tuple[str, float]] = []
            cumulative = 0.0
            for bound, observed in zip(LATENCY_BUCKETS, histogram, strict=False):
                cumulative += observed
                buckets.append((repr(float(bound)), cumulative))
            cumulative += histogram[len(LATENCY_BUCKETS)]
            buckets.append(("+Inf", cumulative))
            latency.add_metric([method, route], buckets, sum_value=histogram[-1])
        return [requests, latency]


class Metrics:
    """The app's Prometheus registry (one per app, so several apps in one
    process, as in the tests, do not collide)."""

    def __init__(self, app: FastAPI) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = RequestStats()
        self.registry.register(self.requests)
        self.registry.register(PoolCollector(app))
        self.observe = self.requests.observe

    def exposition(self) -> bytes:
        return generate_latest(self.registry)


class RequestTelemetry(HttpLayer):
    """Pure ASGI middleware: request id in and out, security headers, metrics, access log."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        super().__init__(app)
        self.metrics = metrics

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        request_id = request_id_from(scope["headers"])
        # Set for the rest of this request's task: log records made while
        # handling it (errors included) carry the id.
        request_id_var.set(request_id)
        header = (REQUEST_ID_HEADER, request_id.encode("ascii"))
        status = 500
        started = perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = message.get("headers")
                if not isinstance(headers, list):
                    headers = message["headers"] = list(headers or ())
                headers.append(header)
                add_security_headers(headers)
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            seconds = perf_counter() - started
            method = scope["method"] if scope["method"] in _METHODS else "OTHER"
            route = route_template(scope)
            self.metrics.observe(method, route, status, seconds)
            if access_logger.isEnabledFor(logging.INFO):
                access_logger.info(
                    "%s %s %d",
                    method,
                    route,
                    status,
                    extra={
                        "method": method,
                        "route": route,
                        "path": scope["path"],
                        "status": status,
                        "duration_ms": round(seconds * 1000, 3),
                    },
                )


def install_observability(app: FastAPI, *, metrics_route: Sequence[Any] | None) -> Metrics:
    """Add the telemetry middleware to ``app``, and ``GET /metrics`` behind
    the dependencies ``metrics_route`` (None: no route, the metrics are
    served on an address of their own, ``serve_metrics``)."""
    metrics = Metrics(app)
    app.state.metrics = metrics

    async def prometheus_metrics() -> Response:
        return Response(metrics.exposition(), media_type=CONTENT_TYPE_LATEST)

    if metrics_route is not None:
        app.add_api_route(
            "/metrics",
            prometheus_metrics,
            methods=["GET"],
            include_in_schema=False,
            dependencies=list(metrics_route),
        )
    app.add_middleware(RequestTelemetry, metrics=metrics)
    return metrics


def serve_metrics(metrics: Metrics, host: str, port: int) -> Callable[[], None]:
    """Serve ``metrics`` (any path, no key) on ``host:port`` from a thread of
    prometheus-client's own server; returns what stops it. Its collectors
    copy the request counts in one C-level call, safe while the event loop
    adds to them."""
    server, thread = start_http_server(port, addr=host, registry=metrics.registry)

    def stop() -> None:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)

    return stop


# -- JSON logs ------------------------------------------------------------------

# Attributes every LogRecord has: what is not among them came in ``extra``.
_STANDARD_ATTRIBUTES = frozenset(
    vars(logging.LogRecord("", 0, "", 0, "", None, None)).keys() | {"message", "asctime"}
)


# uvicorn adds an ANSI-coloured copy of its messages: not for JSON.
_IGNORED_ATTRIBUTES = _STANDARD_ATTRIBUTES | {"color_message"}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, the request id
    when there is one, the record's ``extra`` fields, and any exception."""

    def format(self, record: logging.LogRecord) -> str:
        document: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = request_id_var.get()
        if request_id is not None:
            document["request_id"] = request_id
        for key, value in vars(record).items():
            if key not in _IGNORED_ATTRIBUTES and not key.startswith("_"):
                document[key] = value
        if record.exc_info:
            document["exception"] = self.formatException(record.exc_info)
        return json.dumps(document, ensure_ascii=False, default=str)


def configure_logging(level: str, stream: Any = None) -> None:
    """JSON lines on stderr for the whole process (uvicorn's loggers included)."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    for existing in list(root.handlers):
        root.removeHandler(existing)
    root.addHandler(handler)
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logger = logging.getLogger(name)
        logger.handlers.clear()
        logger.propagate = True
    # uvicorn's own access log repeats ours, without the route or the request id.
    logging.getLogger("uvicorn.access").setLevel(logging.WARNING)
