"""The fast path: the hot reads, answered without the framework's per-request work.

A GET to one of the read routes that newsroom tools call most (a claim, its
provenance, an actor's statements, the attributions list, search, the event
timeline) is answered here, before FastAPI's router, by a *fast handler*
registered next to its route (``@fastpath.serves(endpoint)``):

- the path and query parameters are validated by FastAPI's own function
  (``request_params_to_args``) against the route's own declarations, so they
  mean exactly what they mean to the route;
- the handler calls the route's own service function, whose SQL is compiled
  once (``sqlcompile.DriverSQL``), on a bare asyncpg pool (``open_pool``) instead
  of a SQLAlchemy session;
- the response is the class the route returns, with the same headers.

What the middleware outside does still happens: request ids, metrics and
logs (labelled with the route's template), security headers, CORS.

Anything else goes on to FastAPI: a parameter that does not validate (the 422
comes from there), what a handler does not take (``as_of``, JSON-LD), any
refusal such as a 404, and any database error. A failed request is thus run a
second time by the route itself, so every error is rendered as the rest of the
API renders it; success, the hot case, runs once. ``tests/test_fastpath.py``
checks, route by route, that both paths give the same status, headers and bytes.

Why: on 2 cores, FastAPI's routing and dependency solving and the SQLAlchemy
session cost 5-7 times the CPU of the query itself for a read by id
(``bench/``, ``docs/scaling.md``).
"""

import re
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import asyncpg
from fastapi import FastAPI
from fastapi.dependencies.utils import request_params_to_args
from fastapi.routing import APIRoute
from sqlalchemy.engine import make_url
from starlette.datastructures import Headers, QueryParams
from starlette.responses import Response
from starlette.routing import BaseRoute, compile_path
from starlette.types import ASGIApp, Receive, Scope, Send

from app.config import get_settings
from app.db import SERVER_SETTINGS, Fetch

Handler = Callable[[Fetch, dict[str, Any], Headers], Awaitable[Response | None]]
"""A fast handler: the fetch, the route's validated parameters by name, the
request headers; returns the response, or None to leave the request to the route."""

_HANDLERS: dict[Callable[..., Any], Handler] = {}

STATEMENT_CACHE_SIZE = 512
"""Prepared statements kept per connection: the hot reads compile to a few
dozen texts (one per combination of filters), each prepared once."""


def serves(endpoint: Callable[..., Any]) -> Callable[[Handler], Handler]:
    """Register a fast handler for the GET route whose endpoint is ``endpoint``."""

    def register(handler: Handler) -> Handler:
        _HANDLERS[endpoint] = handler
        return handler

    return register


CANONICAL_UUID = re.compile(r"[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}")


@dataclass(frozen=True)
class _FastRoute:
    path_regex: re.Pattern[str]
    route: APIRoute
    handler: Handler
    uuid_path: bool
    """Every path parameter is a plain ``UUID``: a canonical one is read
    directly, as Pydantic would read it (the rest goes through Pydantic)."""
    query_defaults: dict[str, Any] | None
    """The query parameters' defaults when none is required (a request with
    no query string gets them without validation), else None."""

    @classmethod
    def of(cls, path: str, route: APIRoute, handler: Handler) -> "_FastRoute":
        dependant = route.dependant
        uuid_path = all(
            field.field_info.annotation is UUID and not field.field_info.metadata
            for field in dependant.path_params
        )
        query_defaults = (
            None
            if any(field.field_info.is_required() for field in dependant.query_params)
            else {field.name: field.field_info.get_default() for field in dependant.query_params}
        )
        return cls(compile_path(path)[0], route, handler, uuid_path, query_defaults)

    def parameters(self, groups: dict[str, str], query_string: bytes) -> dict[str, Any] | None:
        """The route's parameters by name, as FastAPI validates them; None when
        one does not validate."""
        dependant = self.route.dependant
        if self.uuid_path and all(CANONICAL_UUID.fullmatch(value) for value in groups.values()):
            values: dict[str, Any] = {name: UUID(value) for name, value in groups.items()}
        else:
            values, errors = request_params_to_args(dependant.path_params, groups)
            if errors:
                return None
        if not query_string and self.query_defaults is not None:
            return {**values, **self.query_defaults}
        query = QueryParams(query_string)
        query_values, errors = request_params_to_args(dependant.query_params, query)
        if errors:
            return None
        return {**values, **query_values}


class FastPath:
    """Pure ASGI middleware in front of the router of ``owner``: see the module."""

    def __init__(self, app: ASGIApp, *, owner: FastAPI) -> None:
        self.app = app
        self.owner = owner
        self._routes: list[_FastRoute] | None = None

    def routes(self) -> list[_FastRoute]:
        if self._routes is None:  # the routes exist once the app is built
            self._routes = [
                _FastRoute.of(path, route, _HANDLERS[route.endpoint])
                for path, route in _api_routes(self.owner.router.routes)
                if "GET" in (route.methods or ()) and route.endpoint in _HANDLERS
            ]
        return self._routes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "GET":
            fetch: Fetch | None = getattr(self.owner.state, "fast_fetch", None)
            if fetch is not None and get_settings().public_reads:
                answered = await self._answer(fetch, scope)
                if answered is not None:
                    response, route = answered
                    scope["route"] = route  # the metrics and logs label it as the route
                    state = self.owner.state
                    state.fast_reads = getattr(state, "fast_reads", 0) + 1
                    await response(scope, receive, send)
                    return
        await self.app(scope, receive, send)

    async def _answer(self, fetch: Fetch, scope: Scope) -> tuple[Response, APIRoute] | None:
        path: str = scope["path"]
        root_path: str = scope.get("root_path", "")
        if root_path and path.startswith(root_path):
            path = path[len(root_path) :]
        for fast in self.routes():
            match = fast.path_regex.match(path)
            if match is None:
                continue
            values = fast.parameters(match.groupdict(), scope["query_string"])
            if values is None:
                return None
            try:
                response = await fast.handler(fetch, values, Headers(scope=scope))
            except Exception:  # a refusal or a failure: the route answers it, as it answers all
                return None
            return None if response is None else (response, fast.route)
        return None


def _api_routes(routes: Sequence[BaseRoute], prefix: str = "") -> Iterator[tuple[str, APIRoute]]:
    """Every ``APIRoute`` with its full path template, routers included in
    routers (FastAPI keeps them nested) followed."""
    for route in routes:
        if isinstance(route, APIRoute):
            yield prefix + route.path, route
            continue
        included = getattr(route, "original_router", None)
        if included is not None:
            context = getattr(route, "include_context", None)
            yield from _api_routes(included.routes, prefix + getattr(context, "prefix", ""))


async def open_pool(url: str, *, pool_size: int) -> asyncpg.Pool:
    """The fast path's pool: the read engine's database and settings
    (``app.db.SERVER_SETTINGS``, statement timeout, read-only transactions).
    It connects on first use, as the engines do: the app starts, and
    answers 503s, while the database is down."""
    settings = get_settings()
    server_settings = {
        **SERVER_SETTINGS,
        "statement_timeout": str(settings.statement_timeout_ms),
        "default_transaction_read_only": "on",
    }
    dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    pool: asyncpg.Pool = await asyncpg.create_pool(
        dsn,
        min_size=0,
        max_size=pool_size,
        server_settings=server_settings,
        timeout=settings.connect_timeout_s,
        statement_cache_size=STATEMENT_CACHE_SIZE,
        reset=keep_session,
    )
    return pool


async def keep_session(connection: asyncpg.Connection) -> None:
    """Reset nothing when a connection goes back to the pool. asyncpg's
    default sends ``RESET ALL; CLOSE ALL; UNLISTEN *; ...``, a round trip per
    request (a fifth of the CPU of a read by id); the fast path only sends
    single read-only statements, which leave no session state to undo."""


def pool_fetch(pool: asyncpg.Pool, *, acquire_timeout_s: float) -> Fetch:
    async def fetch(sql: str, args: Sequence[Any]) -> Sequence[Any]:
        async with pool.acquire(timeout=acquire_timeout_s) as connection:
            rows: list[asyncpg.Record] = await connection.fetch(sql, *args)
            return rows

    return fetch
