"""The FastAPI application: ``create_app`` and its lifespan."""

import asyncio
import importlib.metadata
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi_offline import FastAPIOffline
from sqlalchemy.ext.asyncio import AsyncEngine

from app.actors.router import router as actors_router
from app.attributions.router import router as attributions_router
from app.bundles.router import export_router
from app.bundles.router import router as bundles_router
from app.claims.router import relations_router as claim_relations_router
from app.claims.router import router as claims_router
from app.config import get_settings
from app.conflicts.router import router as conflicts_router
from app.db import (
    create_engine,
    install_sessions,
    read_only_factory,
    session_factory,
    snapshot_factory,
)
from app.errors import RefuseLargeBodies, install_error_handlers
from app.events.router import router as events_router
from app.provenance.router import router as provenance_router
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
"""The largest legitimate body is a source's full text (5M characters at most,
up to 4 bytes each in UTF-8, JSON-escaped): past this a request gets a 413
problem before it is read."""


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


def create_app(*, database_url: str | None = None, engine: AsyncEngine | None = None) -> FastAPI:
    """Build the app. ``engine`` wins over ``database_url``; with neither, the
    settings decide (and the embedded server is started, migrated, if needed)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned = engine is None
        active = engine
        if active is None:
            url = database_url
            if url is None:
                url = await asyncio.to_thread(_prepare_database)
            active = create_engine(url, pool_size=get_settings().pool_size)
        app.state.engine = active
        install_sessions(
            app,
            write=session_factory(active),
            read=read_only_factory(active),
            snapshot=snapshot_factory(active),
        )
        try:
            yield
        finally:
            if owned:
                await active.dispose()

    # FastAPIOffline serves Swagger UI and ReDoc from the package, not a CDN:
    # /docs works on a machine with no internet, as newsroom networks may be.
    app = FastAPIOffline(
        title="OnRecord",
        version=_version(),
        summary="Who said what, when, and on whose report.",
        description=DESCRIPTION,
        lifespan=lifespan,
        # Backstop for bodies sent without a Content-Length: FastAPI cuts them
        # off (in plain text); declared ones meet RefuseLargeBodies first.
        max_body_size=2 * MAX_BODY_BYTES,
    )
    install_error_handlers(app)
    app.add_middleware(RefuseLargeBodies, max_body_size=MAX_BODY_BYTES)
    for router in (
        actors_router,
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
    ):
        app.include_router(router)

    @app.get("/health", tags=["meta"], summary="Liveness and database check")
    async def health() -> dict[str, str]:
        from sqlalchemy import text

        async with app.state.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
        return {"status": "ok"}

    return app
