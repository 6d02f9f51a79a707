"""The hot reads, answered without the framework's per-request work.

A route is hot when its endpoint declares where it reads as ``ReaderDep``
(``app.db``) instead of a session: a claim, its provenance, an actor's
statements, the attributions list, search, the event timeline. Its router's
route class, ``HotRead``, then answers a GET from that one declaration:

- the path and query parameters are validated against the endpoint's own
  declarations, by FastAPI's own function (``request_params_to_args``), so
  they mean exactly what they mean on the framework's path;
- the endpoint itself runs, with a ``Fetch`` on a bare asyncpg pool
  (``open_pool``) as its reader instead of a SQLAlchemy session: the same
  body, the same service function, the same SQL (compiled once,
  ``sqlcompile.DriverSQL``);
- whatever it raises (a 422, a 404, a database error) goes to the app's
  exception handlers, as on the framework's path: nothing is run twice.

What does not come this way goes through FastAPI's dependency solving as
usual: private reads (the API key is checked there), HEAD, and an app with
no pool (``fast_fetch`` None). ``tests/test_fastpath.py`` checks, route by
route, on a committed database and the real pool, that both ways give the
same status, headers and bytes.

Why: on 2 cores, FastAPI's dependency solving and the SQLAlchemy session
cost several times the CPU of the query itself for a read by id
(``bench/``, ``docs/scaling.md``).
"""

import re
from collections.abc import Callable, Coroutine, Sequence
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

from app.config import get_settings
from app.db import SERVER_SETTINGS, Fetch, get_reader

STATEMENT_CACHE_SIZE = 512
"""Prepared statements kept per connection: the hot reads compile to a few
dozen texts (one per combination of filters), each prepared once."""

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
        return cls(dependant, name, uuid_path, query_defaults, by_key)

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


class HotRead(APIRoute):
    """The route class of routers with hot reads: see the module. A route
    whose endpoint takes no ``ReaderDep`` is a plain ``APIRoute``."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        framework = super().get_route_handler()
        reading = _Reading.of(self)
        if reading is None:
            return framework
        endpoint: Endpoint = self.endpoint

        async def handle(request: Request) -> Response:
            state = request.app.state
            fetch: Fetch | None = getattr(state, "fast_fetch", None)
            if fetch is None or request.method != "GET" or not get_settings().public_reads:
                return await framework(request)
            state.fast_reads = getattr(state, "fast_reads", 0) + 1
            return await endpoint(**reading.arguments(request, fetch))

        return handle


async def open_pool(url: str, *, pool_size: int) -> asyncpg.Pool:
    """The hot reads' pool: the read engine's database and settings
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
    request (a fifth of the CPU of a read by id); the hot reads only send
    single read-only statements, which leave no session state to undo."""


def pool_fetch(pool: asyncpg.Pool, *, acquire_timeout_s: float) -> Fetch:
    async def fetch(sql: str, args: Sequence[Any]) -> Sequence[Any]:
        async with pool.acquire(timeout=acquire_timeout_s) as connection:
            rows: list[asyncpg.Record] = await connection.fetch(sql, *args)
            return rows

    return fetch
