"""The ceiling: a bare ASGI app that sends OnRecord's own SQL and returns the same bytes.

No framework, no ORM, no validation: a raw ASGI callable, an asyncpg pool
with the app's connection settings (``app.db.SERVER_SETTINGS``, the same pool
size), and a table from request path to the exact statement and parameters
OnRecord sends for that path (captured from the real app by
:func:`capture`). A request runs that statement and turns its rows into the
body the way OnRecord's endpoint does (a document, a keyset page, the event
timeline's ordering), so the bytes are the same: the benchmark checks it on
a sample of paths before measuring. What separates OnRecord from this is
the cost of FastAPI, Pydantic parameter parsing, SQLAlchemy and the app's
own Python per request.

    BENCH_CEILING_ROUTES=routes.pickle uvicorn bench.ceiling:app --workers 2 ...
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Awaitable, Callable, MutableMapping, Sequence
from dataclasses import dataclass
from typing import Any

import asyncpg
from starlette.datastructures import QueryParams

from app.events import timeline
from app.pagination import bind_listing, page_of, rows_page

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


@dataclass(frozen=True)
class Route:
    """What OnRecord runs for one request path, and how it shapes the rows."""

    shape: str
    """``document`` (one JSON text), ``page`` (rows of id and document, keyset
    on id), ``statements`` (an actor's page, keyset on day and id) or
    ``timeline`` (events ordered in Python) or ``timeline window`` (dated
    events in the statement's order)."""
    statement: str
    parameters: tuple[Any, ...]
    limit: int = 50
    generic_plan: bool = False
    """Run, as OnRecord runs it, on connections that plan it once (search)."""


def body(route: Route, rows: Sequence[Any]) -> bytes | None:
    """The response body OnRecord builds from these rows (None: a 404)."""
    if route.shape == "document":
        return None if not rows or rows[0][0] is None else str(rows[0][0]).encode()
    # The app's own row-to-page functions, with the keys its services give
    # them (app.attributions.service, app.provenance.statements).
    if route.shape == "page":  # in creation order: rows (id, document)
        return page_of(rows, route.limit).encode()
    if route.shape == "statements":  # rows (actor, item id, key, document); none: 404
        if not rows:
            return None
        items = [row for row in rows if row[1] is not None]
        return rows_page(items, route.limit, lambda row: (row[2], row[1])).encode()
    if route.shape in ("timeline", "timeline window"):
        rows_read = [(row[0], row[1]) for row in rows]
        windowed = route.shape == "timeline window"
        return timeline.body(rows_read, route.limit, windowed=windowed).encode()
    raise ValueError(route.shape)


class Ceiling:
    def __init__(self, routes: dict[str, Route], database: dict[str, Any], pool_size: int):
        self.routes = routes
        self.database = database
        self.pool_size = pool_size
        self.pool: Any = None
        self.generic_pool: Any = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        path = scope["path"]
        if scope.get("query_string"):
            path += "?" + scope["query_string"].decode("latin-1")
        route = self.routes.get(path)
        status, payload = 404, b'{"detail":"not a benchmarked path"}'
        if route is not None:
            # Cursors name the listing they continue, as the app's do.
            bind_listing(scope["path"], QueryParams(scope.get("query_string", b"")))
            pool = self.generic_pool if route.generic_plan else self.pool
            async with pool.acquire() as connection:
                rows = await connection.fetch(route.statement, *route.parameters)
            found = body(route, rows)
            if found is not None:
                status, payload = 200, found
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(payload)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": payload})

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        from app.config import get_settings
        from app.db import GENERIC_PLANS, SERVER_SETTINGS
        from app.fastpath import STATEMENT_CACHE_SIZE, keep_session

        # The connection settings of OnRecord's read pools (app.db.create_engine,
        # app.fastpath.open_pool).
        extra = {"default_transaction_read_only": "on"}
        timeout = getattr(get_settings(), "statement_timeout_ms", None)
        if timeout is not None:
            extra["statement_timeout"] = str(timeout)

        async def pool(settings: dict[str, str], min_size: int) -> Any:
            return await asyncpg.create_pool(
                **self.database,
                min_size=min_size,
                max_size=self.pool_size,
                server_settings={**settings, **extra},
                # As the app's fast path: no reset round trip per request,
                # every statement prepared once.
                reset=keep_session,
                statement_cache_size=STATEMENT_CACHE_SIZE,
                max_cacheable_statement_size=0,
            )

        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                self.pool = await pool(SERVER_SETTINGS, self.pool_size)
                self.generic_pool = await pool(GENERIC_PLANS, 0)
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                for opened in (self.pool, self.generic_pool):
                    if opened is not None:
                        await opened.close()
                await send({"type": "lifespan.shutdown.complete"})
                return


def _from_environment() -> Ceiling:
    path = os.environ.get("BENCH_CEILING_ROUTES")
    if not path:
        return Ceiling({}, {}, 1)
    with open(path, "rb") as stream:
        saved = pickle.load(stream)  # noqa: S301 -- a file this benchmark wrote
    return Ceiling(saved["routes"], saved["database"], saved["pool_size"])


app = _from_environment()
