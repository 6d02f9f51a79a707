"""The hot reads, answered without the framework's per-request work.

A route is hot when its endpoint declares where it reads as ``ReaderDep``
(``app.db``) instead of a session: a claim, its provenance, an actor's
statements, the attributions list, search, the event timeline. Everything
about answering it is read off that one declaration (``_Reading``):

- the path and query parameters are validated against the endpoint's own
  declarations, by FastAPI's own function (``request_params_to_args``), so
  they mean exactly what they mean on the framework's path (only those the
  request sends: the others take their declared defaults);
- the endpoint itself runs, with a ``Fetch`` on a bare asyncpg pool
  (``open_pool``) as its reader instead of a SQLAlchemy session: the same
  body, the same service function, the same SQL (compiled once,
  ``sqlcompile.DriverSQL``);
- whatever it raises (a 422, a 404, a database error) goes to the app's
  exception handlers: nothing is run twice.

Two doors lead there, both to that same ``_answer``: ``HotReads``, a
middleware that finds the route by its own path pattern before the
framework's routing and inner layers (which cost a read by id as much CPU
as its query: ``bench/results/2026-12-03-issue18.md``), and ``HotRead``,
the hot routers' route class, for an app or a route the middleware was not
given. What comes neither way goes through FastAPI's dependency solving as
usual: private reads (the API key is checked there), HEAD, and an app with
no pool (``fast_fetch`` None). ``tests/test_fastpath.py`` checks, route by
route, on a committed database and the real pool, that both ways give the
same status, headers and bytes.
"""

import re
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import asyncpg
from fastapi.dependencies.models import Dependant
from fastapi.dependencies.utils import request_params_to_args
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from sqlalchemy.engine import make_url
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute
from starlette.types import ASGIApp, Receive, Scope, Send

from app.config import get_settings
from app.db import GENERIC_PLANS, SERVER_SETTINGS, Fetch, get_reader
from app.routing import QueryRule, StrictRoute

STATEMENT_CACHE_SIZE = 512
"""Prepared statements kept per connection: the hot reads compile to a few
dozen texts (one per combination of filters), each prepared once, whatever
its length. asyncpg's default leaves statements over 15 KiB out of its
cache: search's (22 KiB for every type) was parsed, described and planned
on every request, a round trip more and 10-12 ms a search at 1M claims
against 6-8 ms prepared once and planned once (``app.db.GENERIC_PLANS``)."""

CANONICAL_UUID = re.compile(r"[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}")

Endpoint = Callable[..., Coroutine[Any, Any, Response]]


@dataclass(frozen=True)
class _Reading:
    """How to call a hot endpoint from a request, read off its declaration."""

    dependant: Dependant
    reader: str
    """The name of its ``ReaderDep`` parameter."""
    uuid_path: bool
    """Every path parameter is a plain ``UUID``: a canonical one is read
    directly, as Pydantic would read it (the rest goes through Pydantic)."""
    query_defaults: dict[str, Any] | None
    """The query parameters' defaults when none is required (a request with
    no query string gets them without validation), else None."""
    by_key: dict[str, Any] | None
    """The query parameters by the key a request sends them under, when
    defaults are known and no parameter has other aliases: only those
    present are validated (FastAPI's function costs a few microseconds a
    parameter, present or not, and a listing declares a dozen), the others
    take their defaults, as they would there."""
    rule: QueryRule
    """The route's strict query parameters (``app.routing``), as the framework applies them."""

    @classmethod
    def of(cls, route: APIRoute) -> "_Reading | None":
        """None unless the route is a GET whose endpoint reads through ``ReaderDep``."""
        dependant = route.dependant
        readers = [sub.name for sub in dependant.dependencies if sub.call is get_reader]
        if "GET" not in (route.methods or ()) or not readers:
            return None
        others = [sub.call for sub in dependant.dependencies if sub.call is not get_reader]
        if others or dependant.header_params or dependant.cookie_params or route.body_field:
            # The hot path supplies the reader and the request, nothing else.
            raise TypeError(f"{route.path}: a hot read takes path and query parameters only")
        name = readers[0]
        assert name is not None
        uuid_path = all(
            field.field_info.annotation is UUID and not field.field_info.metadata
            for field in dependant.path_params
        )
        query_defaults = (
            None
            if any(field.field_info.is_required() for field in dependant.query_params)
            else {field.name: field.field_info.get_default() for field in dependant.query_params}
        )
        plain_keys = all(
            field.field_info.validation_alias is None for field in dependant.query_params
        )
        by_key = (
            {field.alias: field for field in dependant.query_params}
            if query_defaults is not None and plain_keys
            else None
        )
        return cls(dependant, name, uuid_path, query_defaults, by_key, QueryRule.of(route))

    def arguments(self, request: Request, reader: Fetch) -> dict[str, Any]:
        """The endpoint's arguments, validated as FastAPI validates them
        (a ``RequestValidationError`` when one does not validate)."""
        groups: dict[str, Any] = request.path_params
        if self.uuid_path and all(CANONICAL_UUID.fullmatch(value) for value in groups.values()):
            values: dict[str, Any] = {name: UUID(value) for name, value in groups.items()}
        else:
            values, errors = request_params_to_args(self.dependant.path_params, groups)
            if errors:
                raise RequestValidationError(errors)
        received = request.query_params
        fields: Sequence[Any] = self.dependant.query_params
        if self.query_defaults is not None and (not received or self.by_key is not None):
            values.update(self.query_defaults)
            by_key = self.by_key or {}
            fields = [by_key[key] for key in received if key in by_key]
        if fields:
            query, errors = request_params_to_args(fields, received)
            if errors:
                raise RequestValidationError(errors)
            values.update(query)
        values[self.reader] = reader
        if self.dependant.request_param_name:
            values[self.dependant.request_param_name] = request
        return values


def _fetch_for(request: Request) -> Fetch | None:
    """The pool's fetch when this request may be answered on it: a GET, on
    an app with a pool, whose reads are public (else the key is checked by
    the framework's dependencies)."""
    fetch: Fetch | None = getattr(request.app.state, "fast_fetch", None)
    if fetch is None or request.method != "GET" or not get_settings().public_reads:
        return None
    if getattr(request.state, "onrecord_read_on_primary", False):
        return None  # the framework's path reads it on the primary (app/db.py)
    return fetch


async def _answer(
    request: Request, endpoint: Endpoint, reading: _Reading, fetch: Fetch
) -> Response:
    state = request.app.state
    state.fast_reads = getattr(state, "fast_reads", 0) + 1
    reading.rule.check(request)
    return await endpoint(**reading.arguments(request, fetch))


class HotRead(StrictRoute):
    """The route class of routers with hot reads: see the module. A route
    whose endpoint takes no ``ReaderDep`` is a plain ``APIRoute``."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        framework = super().get_route_handler()
        reading = _Reading.of(self)
        if reading is None:
            return framework
        endpoint: Endpoint = self.endpoint

        async def handle(request: Request) -> Response:
            fetch = _fetch_for(request)
            if fetch is None:
                return await framework(request)
            return await _answer(request, endpoint, reading, fetch)

        return handle


@dataclass(frozen=True)
class _Candidate:
    """A route as the router tries it: its path pattern, whether it answers
    GET, and, for a hot read, how."""

    route: APIRoute
    gets: bool
    reading: _Reading | None


class HotReads:
    """Middleware: a GET whose route is a hot read is answered here, by that
    route's own endpoint and ``_Reading`` (as ``HotRead`` answers it), before
    the framework's routing and its inner layers, which cost a read by id
    as much CPU as its query (``bench/results/2026-12-03-issue18.md``).

    The routes are tried in the router's order, by their own path patterns
    (the first that matches the path and answers GET is the one the router
    would pick); any other request, and a request the route would not
    answer on the pool (``_fetch_for``), goes on to the app unchanged. What
    the endpoint raises is answered by the app's exception handlers, as
    behind the router: nothing runs twice."""

    def __init__(self, app: ASGIApp, *, routes: Sequence[BaseRoute]) -> None:
        self.app = app
        self.candidates = [
            _Candidate(route, "GET" in (route.methods or ()), _Reading.of(route))
            for route in routes
            if isinstance(route, APIRoute)
        ]
        # No route is tried for a path outside every hot route's first segment
        # (/health, /metrics, /docs, /explore...).
        self.prefixes = tuple(
            {"/" + c.route.path.split("/")[1] + "/" for c in self.candidates if c.reading}
        )

    def _route_for(self, scope: Scope) -> tuple[_Candidate, dict[str, Any]] | None:
        path: str = scope["path"]
        if not path.startswith(self.prefixes):
            return None
        for candidate in self.candidates:
            route = candidate.route
            match = route.path_regex.match(path)
            if match is None or not candidate.gets:
                continue  # no route, or another method's: the router would go on too
            if candidate.reading is None:
                return None
            params = {
                name: route.param_convertors[name].convert(value)
                for name, value in match.groupdict().items()
            }
            return candidate, params
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        found = (
            self._route_for(scope) if scope["type"] == "http" and scope["method"] == "GET" else None
        )
        if found is None:  # the lifespan too: it passes straight on
            await self.app(scope, receive, send)
            return
        request = Request(scope, receive)
        fetch = _fetch_for(request)
        if fetch is None:
            await self.app(scope, receive, send)
            return
        candidate, params = found
        assert candidate.reading is not None
        # What the router would have put in the scope: the route (its
        # template labels the metrics, app/observability.py) and the parameters.
        scope["route"] = candidate.route
        scope["path_params"] = params
        try:
            response = await _answer(request, candidate.route.endpoint, candidate.reading, fetch)
        except Exception as exc:
            handler = _handler_for(request.app, exc)
            if handler is None:
                raise
            response = await handler(request, exc)
        await response(scope, receive, send)


def _handler_for(app: Any, exc: Exception) -> Callable[..., Awaitable[Response]] | None:
    """The app's exception handler for ``exc``, as Starlette looks it up
    (the nearest class of its MRO); the catch-all ``Exception`` one is
    left to ServerErrorMiddleware, outermost, as for every other route."""
    handlers: dict[Any, Any] = app.exception_handlers
    for kind in type(exc).__mro__:
        if kind is Exception:
            return None
        if kind in handlers:
            handler: Callable[..., Awaitable[Response]] = handlers[kind]
            return handler
    return None


async def open_pool(url: str, *, pool_size: int, generic_plans: bool = False) -> asyncpg.Pool:
    """The hot reads' pool: the read engine's database and settings
    (``app.db.SERVER_SETTINGS``, statement timeout, read-only transactions);
    ``generic_plans``: the pool of the statements planned once
    (``app.db.GENERIC_PLANS``). It connects on first use, as the engines
    do: the app starts, and answers 503s, while the database is down."""
    settings = get_settings()
    server_settings = {
        **(GENERIC_PLANS if generic_plans else SERVER_SETTINGS),
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
        max_cacheable_statement_size=0,  # any size (``STATEMENT_CACHE_SIZE``)
        reset=keep_session,
    )
    return pool


async def keep_session(connection: asyncpg.Connection) -> None:
    """Reset nothing when a connection goes back to the pool. asyncpg's
    default sends ``RESET ALL; CLOSE ALL; UNLISTEN *; ...``, a round trip per
    request (a fifth of the CPU of a read by id); the hot reads only send
    single read-only statements, which leave no session state to undo."""


def pool_fetch(
    pool: asyncpg.Pool, *, generic: asyncpg.Pool | None = None, acquire_timeout_s: float
) -> Fetch:
    """Statements on ``pool``; those that may be planned once on ``generic``
    (opened with ``generic_plans``) when there is one. A pool of its own,
    rather than a ``SET plan_cache_mode`` before and after the statement,
    keeps the read one round trip."""

    async def fetch(
        sql: str, args: Sequence[Any], /, *, generic_plan: bool = False
    ) -> Sequence[Any]:
        chosen = generic if generic_plan and generic is not None else pool
        async with chosen.acquire(timeout=acquire_timeout_s) as connection:
            rows: list[asyncpg.Record] = await connection.fetch(sql, *args)
            return rows

    return fetch
