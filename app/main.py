"""The FastAPI application: ``create_app`` and its lifespan."""

import asyncio
import gc
import importlib.metadata
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI
from fastapi.telemetry import TelemetryConfig
from fastapi_offline import FastAPIOffline
from sqlalchemy.ext.asyncio import AsyncEngine

from app import fastpath, sparse
from app.actors.router import router as actors_router
from app.attributions.router import router as attributions_router
from app.budgets import Budget
from app.bundles.brat_router import router as brat_import_router
from app.bundles.router import export_router
from app.bundles.router import router as bundles_router
from app.claims.router import relations_router as claim_relations_router
from app.claims.router import router as claims_router
from app.concurrency.idempotency import install_idempotency
from app.config import get_settings
from app.conflicts.router import router as conflicts_router
from app.curation.router import router as curation_router
from app.db import (
    Sessions,
    create_engine,
    read_only_factory,
    session_factory,
    snapshot_factory,
)
from app.error_handlers import install_error_handlers
from app.errors import document_problems
from app.events.router import router as events_router
from app.explorer.router import install_explorer
from app.extractions.router import router as extractions_router
from app.health import router as health_router
from app.history.router import router as history_router
from app.keys.auth import authorize, document_security, metrics_reader
from app.middleware import RefuseLargeBodies, install_cors
from app.observability import install_observability, serve_metrics
from app.openapi import OPENAPI_TAGS, install_openapi, operation_id
from app.provenance.router import router as provenance_router
from app.ratelimit import RateLimits
from app.readiness import ReadinessMonitor
from app.redaction.router import router as redaction_router
from app.replication import ReadYourWrites
from app.routing import fixed_paths
from app.search.router import router as search_router
from app.sources.router import router as sources_router

DESCRIPTION = """
OnRecord stores *claims* (what was said), the *actors* who said them, the
*sources* that record them, the *events* they are about, and *attributions*
tying these together: speaker, source, fuzzy time, mode (quote, paraphrase,
own voice), cue, certainty as reported, a code-point span of the source text,
and the attribution each one *relays*, so "on whose report" is a chain.

Every error is an RFC 9457 `application/problem+json` document with a stable
`type`; validation errors point at each bad field with a JSON Pointer. Lists
use keyset pagination: pass `next` back as `cursor`.
"""


MAX_BODY_BYTES = 32 * 1024 * 1024
"""Default of ``ONRECORD_MAX_BODY_BYTES``. The largest legitimate body is a
source's full text (5M characters at most, up to 4 bytes each in UTF-8,
JSON-escaped): past this a request gets a 413 problem before it is read.
``POST /v1/bundles`` has its own limit, ``ONRECORD_MAX_BUNDLE_BYTES``."""

BUNDLE_PATH = "/v1/bundles"

NO_TELEMETRY: TelemetryConfig = {"tracing": False, "metrics": False, "logs": False}


def _version() -> str:
    try:
        return importlib.metadata.version("onrecord")
    except importlib.metadata.PackageNotFoundError:  # running from a bare checkout
        return "0.0.0+source"


def _prepare_database() -> str:
    from app.migrate import prepare_server, upgrade

    url = prepare_server(get_settings())
    upgrade(url)
    return url


def _engine(url: str, *, read_only: bool) -> AsyncEngine:
    settings = get_settings()
    return create_engine(
        url,
        pool_size=settings.pool_size,
        read_only=read_only,
        statement_timeout_ms=settings.statement_timeout_ms,
        pool_timeout_s=settings.pool_timeout_s,
        connect_timeout_s=settings.connect_timeout_s,
    )


API_ROUTERS = (
    actors_router,
    curation_router,
    sources_router,
    events_router,
    claims_router,
    claim_relations_router,
    attributions_router,
    conflicts_router,
    search_router,
    provenance_router,
    bundles_router,
    export_router,
    brat_import_router,
    extractions_router,
    history_router,
    redaction_router,
)
"""The API's routers, each behind ``authorize``, in the schema's order."""


def create_app(*, database_url: str | None = None, sessions: Sessions | None = None) -> FastAPI:
    """Build the app. Its lifespan makes its engines and pools on
    ``database_url``, or as the settings say (starting the embedded server,
    migrated, if needed) and closes them at shutdown; unless ``sessions``
    are given, which the caller owns (a test, on its transaction)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if sessions is not None:
            yield
            return
        settings = get_settings()
        url: str = (
            database_url if database_url is not None else await asyncio.to_thread(_prepare_database)
        )
        writer = _engine(url, read_only=False)
        # GETs get their own pool, whose every statement runs read-only;
        # on the read replica (ONRECORD_DATABASE_READ_URL) when there is one.
        read_url = settings.database_read_url or url
        reader = _engine(read_url, read_only=True)
        # Reads that must see a write the replica has not replayed yet
        # (app/replication.py): read-only, on the primary.
        primary_reader = _engine(url, read_only=True) if read_url != url else reader
        # The hot reads' bare asyncpg pool (app/fastpath.py), on the same database.
        fast_pool = await fastpath.open_pool(read_url, pool_size=settings.pool_size)
        # ... and its connections for statements planned once (search).
        generic_pool = await fastpath.open_pool(
            read_url, pool_size=settings.pool_size, generic_plans=True
        )
        fast = fastpath.pool_fetch(
            fast_pool, generic=generic_pool, acquire_timeout_s=settings.pool_timeout_s
        )
        Sessions(
            engine=writer,
            write=session_factory(writer),
            read=read_only_factory(reader),
            snapshot=snapshot_factory(writer),
            fast=fast,
            primary_read=read_only_factory(primary_reader),
            replica=fast if read_url != url else None,
        ).install(app)
        # /ready answers from this probe of the primary (app/readiness.py).
        app.state.readiness = ReadinessMonitor(url)
        app.state.readiness.start()
        metrics_at = settings.metrics_host_port()
        stop_metrics = serve_metrics(app.state.metrics, *metrics_at) if metrics_at else None
        # What start-up built (modules, models, routes: ~170,000 objects) lives
        # as long as the process: out of the collector's sight, a full
        # collection no longer walks it, which took 120-160 ms a time and
        # stalled every request of the worker (claim by id p99 60-75 ms at 8
        # connections, 5-7 ms frozen: docs/scaling.md). No collection first: it
        # took 80 ms of every start and found 13 objects to free.
        gc.freeze()
        try:
            yield
        finally:
            gc.unfreeze()
            if stop_metrics is not None:
                await asyncio.to_thread(stop_metrics)
            await app.state.readiness.stop()
            await fast_pool.close()
            await generic_pool.close()
            await writer.dispose()
            await reader.dispose()
            await primary_reader.dispose()

    settings = get_settings()
    # FastAPIOffline serves Swagger UI and ReDoc from the package, not a CDN:
    # /docs works on a machine with no internet, as newsroom networks may be.
    app = FastAPIOffline(
        title="OnRecord",
        version=_version(),
        summary="Who said what, when, and on whose report.",
        description=DESCRIPTION,
        lifespan=lifespan,
        # RefuseLargeBodies limits every body, declared or streamed, per path.
        max_body_size=None,
        openapi_tags=OPENAPI_TAGS,
        generate_unique_id_function=operation_id,
        # Off by default: we export Prometheus metrics and JSON logs, and the
        # native telemetry looks the global providers up on every request.
        telemetry=None if settings.opentelemetry else NO_TELEMETRY,
    )
    cors_origins = settings.cors_origin_list()
    install_error_handlers(app, cors_origins=cors_origins)
    # The Problem schema, bearer API keys (app/keys/auth.py) and sparse answers
    # (?fields=, app/sparse.py) in /openapi.json.
    install_openapi(app, document_problems, document_security, sparse.document_sparse_responses)
    # Layers, innermost first (each add_middleware wraps the ones before):
    install_idempotency(app)  # Idempotency-Key on POST (app/concurrency/idempotency.py)
    # The hot reads, answered by their own routes before the framework's routing.
    app.add_middleware(
        fastpath.HotReads, routes=[r for router in API_ROUTERS for r in router.routes]
    )
    # Read-your-writes on a replica: X-OnRecord-LSN / X-OnRecord-Min-LSN (app/replication.py).
    app.add_middleware(ReadYourWrites, wait_s=settings.read_your_writes_wait_ms / 1000)
    app.add_middleware(
        RefuseLargeBodies,
        max_body_size=settings.max_body_bytes,
        limits={BUNDLE_PATH: settings.max_bundle_bytes},
    )
    # Budgets per key and per address (app/ratelimit.py), before a body is read;
    # inside CORS, so that a browser can read a 429.
    if settings.rate_limit_key or settings.rate_limit_anonymous:
        app.add_middleware(
            RateLimits,
            per_key=Budget.parse(settings.rate_limit_key) if settings.rate_limit_key else None,
            anonymous=Budget.parse(settings.rate_limit_anonymous)
            if settings.rate_limit_anonymous
            else None,
        )
    # Inside RequestTelemetry, so that preflights get the security headers.
    install_cors(app, cors_origins)
    # Outermost of ours: sees every answer (413s and preflights included), adds
    # X-Request-ID and the security headers. The 500s of ServerErrorMiddleware,
    # which pass no layer of ours, get them from their handler (app/error_handlers.py).
    install_observability(
        app, metrics_route=None if settings.metrics_address else [Depends(metrics_reader)]
    )
    for router in API_ROUTERS:
        # Writes need an API key, reads too when not public (app/keys/auth.py).
        app.include_router(router, dependencies=[Depends(authorize)])

    app.state.fixed_paths = fixed_paths(API_ROUTERS)
    app.include_router(health_router)
    # The read-only web explorer (/explore, and / redirecting to it); not in the schema.
    install_explorer(app)
    if sessions is not None:
        sessions.install(app)
    return app
