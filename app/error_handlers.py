"""Exception handlers: every exception a request raises is answered with a
problem (``app.errors``), never with a trace or the exception's text.
"""

import logging
from collections.abc import Sequence
from typing import Any

import asyncpg
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect
from starlette.routing import Match

from app.database_errors import database_problem, postgres_problem, unavailable_problem
from app.errors import (
    DatabaseUnavailable,
    FieldError,
    FieldValueError,
    ProblemError,
    pointer_for,
    problem_response,
)
from app.middleware import add_security_headers, cors_headers
from app.observability import REQUEST_ID_HEADER, request_id_var
from app.routing import FIXED_PATHS
from app.suggestions import body_fields, nearest

logger = logging.getLogger("onrecord")


class _InternalError(ProblemError):
    """What an exception the app did not expect is answered with."""

    status, slug, title = 500, "internal-error", "Internal server error"


class _ClientDisconnected(ProblemError):
    status, slug, title = 400, "client-disconnected", "Client disconnected"


def _validation_errors(
    exc: RequestValidationError, body: Any = None
) -> tuple[str, str, list[FieldError]]:
    """The problem's slug, title and field errors. ``body``: the declared
    body's annotation, whose field names an unknown field is compared with."""
    errors: list[FieldError] = []
    malformed = False
    for error in exc.errors():
        loc = list(error.get("loc", ()))
        location = str(loc[0]) if loc else "body"
        path = loc[1:]
        cause = (error.get("ctx") or {}).get("error")
        if isinstance(cause, FieldValueError):
            path.append(cause.field)
        if error.get("type") == "json_invalid":
            malformed = True
        message = str(error.get("msg", "invalid value"))
        # pydantic prefixes custom errors with "Value error, "; the field is enough context
        message = message.removeprefix("Value error, ")
        if error.get("type") == "extra_forbidden" and location == "body" and path:
            known = body_fields(body, path[:-1])
            suggested = nearest(str(path[-1]), known)
            if suggested is not None:
                message = f"{message}; did you mean `{suggested}`?"
        errors.append(FieldError(pointer=pointer_for(path), location=location, detail=message))
    if malformed:
        return "malformed-body", "Request body is not valid JSON", errors
    return "validation-error", "Request is not valid", errors


def _allowed_methods(request: Request) -> list[str]:
    """The methods some route serves at the request's path (a path without
    parameters: those of its own routes, ``app.routing.fixed_paths``)."""
    fixed = getattr(request.app.state, FIXED_PATHS, {}).get(request.scope["path"])
    if fixed is not None:
        return sorted(fixed)
    allowed = []
    for method in ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"):
        scope = {**request.scope, "method": method}
        if any(route.matches(scope)[0] is Match.FULL for route in request.app.router.routes):
            allowed.append(method)
    return allowed


def install_error_handlers(app: FastAPI, *, cors_origins: Sequence[str] = ()) -> None:
    """Answer every exception with a problem. ``cors_origins``: those the
    app's CORS layer allows (``app.middleware.install_cors``)."""

    async def on_problem(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, ProblemError)
        return problem_response(
            status=exc.status,
            slug=exc.slug,
            title=exc.title,
            detail=exc.detail,
            instance=request.url.path,
            errors=exc.errors,
            extensions=exc.extensions,
            headers={
                **(exc.headers or {}),
                **({"Retry-After": str(exc.retry_after)} if exc.retry_after else {}),
            }
            or None,
        )

    async def on_validation(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        route = request.scope.get("route")
        body_field = getattr(route, "body_field", None)
        annotation = body_field.field_info.annotation if body_field is not None else None
        slug, title, errors = _validation_errors(exc, annotation)
        status = 400 if slug == "malformed-body" else 422
        first = errors[0] if errors else None
        summary = f"{first.location} {first.pointer or '(root)'}: {first.detail}" if first else None
        return problem_response(
            status=status,
            slug=slug,
            title=title,
            detail=summary,
            instance=request.url.path,
            errors=errors,
        )

    async def on_http(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        slugs: dict[int, tuple[str, str]] = {
            # FastAPI's own 400: a body it could not parse (JSON nested too deep...)
            400: ("malformed-body", "Request body is not valid JSON"),
            404: ("not-found", "Resource not found"),
            405: ("method-not-allowed", "Method not allowed"),
            413: ("body-too-large", "Request body too large"),
        }
        slug, title = slugs.get(exc.status_code, ("http-error", "HTTP error"))
        headers = dict(exc.headers) if exc.headers else None
        if exc.status_code == 405:
            # Starlette names only the first route matching the path; Allow
            # must list every method the resource supports (RFC 9110).
            headers = {**(headers or {}), "Allow": ", ".join(_allowed_methods(request))}
        return problem_response(
            status=exc.status_code,
            slug=slug,
            title=title,
            detail=str(exc.detail),
            instance=request.url.path,
            headers=headers,
        )

    async def on_database(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, DBAPIError)
        problem = database_problem(exc)
        if problem is None:
            return await on_unexpected(request, exc)
        return await on_problem(request, problem)

    async def on_postgres(request: Request, exc: Exception) -> JSONResponse:
        # Raised unwrapped by the hot reads' asyncpg pool (app/fastpath.py).
        assert isinstance(exc, asyncpg.PostgresError)
        problem = postgres_problem(exc)
        if problem is None:
            return await on_unexpected(request, exc)
        if isinstance(problem, DatabaseUnavailable):
            logger.warning(
                "database unavailable on %s %s: %r", request.method, request.url.path, exc
            )
        return await on_problem(request, problem)

    async def on_unavailable(request: Request, exc: Exception) -> JSONResponse:
        problem = unavailable_problem(exc)
        if problem is None:
            return await on_unexpected(request, exc)
        logger.warning("database unavailable on %s %s: %r", request.method, request.url.path, exc)
        return await on_problem(request, problem)

    async def on_unexpected(request: Request, exc: Exception) -> JSONResponse:
        # Never the exception's text: it may hold SQL, parameters or paths.
        problem = unavailable_problem(exc)
        if problem is not None:
            return await on_problem(request, problem)
        logger.exception("unhandled error on %s %s", request.method, request.url.path)
        failed = _InternalError("the server failed to handle this request; it has been logged")
        return await on_problem(request, failed)

    async def on_crash(request: Request, exc: Exception) -> JSONResponse:
        # Starlette runs this handler in ServerErrorMiddleware, outside every
        # layer the app adds: its answer gets their headers here.
        response = await on_unexpected(request, exc)
        headers = response.raw_headers
        add_security_headers(headers)
        headers.extend(cors_headers(request.headers.get("origin"), cors_origins))
        request_id = request_id_var.get()
        if request_id is not None:
            headers.append((REQUEST_ID_HEADER, request_id.encode("ascii")))
        return response

    async def on_disconnect(request: Request, exc: Exception) -> JSONResponse:
        # The client left before its body was read (or app/http_protocol.py
        # gave up waiting for it): nobody reads this answer, and it is no fault.
        left = _ClientDisconnected("the client left before its request body was read")
        return await on_problem(request, left)

    app.add_exception_handler(ProblemError, on_problem)
    app.add_exception_handler(ClientDisconnect, on_disconnect)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(DBAPIError, on_database)
    app.add_exception_handler(asyncpg.PostgresError, on_postgres)
    # Raised by the pool or the driver, not as a DBAPIError: a refused or
    # timed-out connect, a connection closed under a query, a full pool.
    for unavailable in (PoolTimeout, OSError, TimeoutError, asyncpg.InterfaceError):
        app.add_exception_handler(unavailable, on_unavailable)
    app.add_exception_handler(Exception, on_crash)
