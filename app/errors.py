"""Errors as RFC 9457 problem details, rendered in one place.

Services raise ``ProblemError`` subclasses that carry their status and a stable
problem ``type``; they never raise ``HTTPException``. Everything a client can
send that the database refuses (a dangling reference, a duplicate, a value out
of range) is mapped here to a 4xx that names the field, using the constraint
names fixed by ``db.NAMING_CONVENTION``.
"""

import logging
import re
from collections.abc import Sequence
from typing import Any, ClassVar

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

logger = logging.getLogger("onrecord")

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_BASE = "https://onrecord.dev/problems/"


class FieldError(BaseModel):
    pointer: str = Field(description="JSON Pointer (RFC 6901) to the bad field in the request.")
    location: str = Field(description="Where the field is: body, query, path or header.")
    detail: str


class Problem(BaseModel):
    """RFC 9457 problem details."""

    type: str = Field(examples=[PROBLEM_BASE + "not-found"])
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    errors: list[FieldError] | None = None


class ProblemError(Exception):
    status: int = 400
    slug: str = "bad-request"
    title: str = "Bad request"
    retry_after: int | None = None
    """Seconds, sent as ``Retry-After`` (503s: try again soon)."""
    headers: ClassVar[dict[str, str] | None] = None
    """Other response headers the problem needs (``WWW-Authenticate`` on a 401)."""

    def __init__(self, detail: str, *, errors: Sequence[FieldError] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = list(errors) if errors else None


class NotFound(ProblemError):
    status, slug, title = 404, "not-found", "Resource not found"


class Conflict(ProblemError):
    status, slug, title = 409, "conflict", "Conflict with the current state"


class StillReferenced(ProblemError):
    status, slug, title = 409, "still-referenced", "Resource is still referenced"


class Duplicate(ProblemError):
    status, slug, title = 409, "duplicate", "Resource already exists"


class Unauthorized(ProblemError):
    """No API key, or one that is unknown or revoked."""

    status, slug, title = 401, "unauthorized", "API key missing or not valid"
    headers: ClassVar[dict[str, str] | None] = {"WWW-Authenticate": 'Bearer realm="onrecord"'}


class Forbidden(ProblemError):
    """A valid API key whose scope does not allow the request."""

    status, slug, title = 403, "forbidden", "API key scope does not allow this"


class PreconditionFailed(ProblemError):
    status, slug, title = 412, "precondition-failed", "The resource has changed (If-Match)"


class PreconditionRequired(ProblemError):
    status, slug, title = 428, "precondition-required", "If-Match is required"


class IdempotencyKeyInUse(ProblemError):
    status, slug, title = 409, "idempotency-key-in-use", "A request with this key is in progress"


class InvalidField(ProblemError):
    """A well-formed request whose content is refused; names the field."""

    status, slug, title = 422, "invalid-field", "Invalid field value"

    def __init__(self, detail: str, *, field: str, location: str = "body") -> None:
        super().__init__(
            detail,
            errors=[FieldError(pointer=pointer_for(field), location=location, detail=detail)],
        )


class UnknownReference(InvalidField):
    slug, title = "unknown-reference", "Referenced resource does not exist"


class RelayCycle(InvalidField):
    slug, title = "relay-cycle", "Relay chain would form a cycle"


class SpanMismatch(InvalidField):
    slug, title = "span-mismatch", "Text span does not match the source text"


class IdempotencyKeyReused(InvalidField):
    slug, title = "idempotency-key-reused", "Idempotency-Key already used for another request"

    def __init__(self, detail: str) -> None:
        super().__init__(detail, field="Idempotency-Key", location="header")


class BadCursor(InvalidField):
    slug, title = "bad-cursor", "Pagination cursor is not valid"

    def __init__(self, detail: str = "cursor is malformed or from another listing") -> None:
        super().__init__(detail, field="cursor", location="query")


class DatabaseUnavailable(ProblemError):
    """The database cannot be reached (down, restarting, refusing connections,
    or every pooled connection busy): nothing was done, try again."""

    status, slug, title = 503, "database-unavailable", "Database unavailable"
    retry_after = 1


class StatementTimeout(ProblemError):
    """A statement ran past ``ONRECORD_STATEMENT_TIMEOUT_MS`` and was cancelled
    (its transaction rolled back). No Retry-After: the same request would
    most likely time out again."""

    status, slug, title = 503, "statement-timeout", "Query took too long"


class UnsupportedEncoding(ProblemError):
    status, slug, title = 415, "unsupported-encoding", "Content-Encoding not supported"


def pointer_for(field: str | Sequence[str | int]) -> str:
    parts: list[str | int] = list(field.split(".")) if isinstance(field, str) else list(field)
    escaped = [str(part).replace("~", "~0").replace("/", "~1") for part in parts]
    return "/" + "/".join(escaped) if escaped else ""


MAX_FIELD_ERRORS = 100
"""Field errors listed in one problem, at most."""


def problem_response(
    *,
    status: int,
    slug: str,
    title: str,
    detail: str | None,
    instance: str | None = None,
    errors: Sequence[FieldError] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    if errors and len(errors) > MAX_FIELD_ERRORS:
        # A million bad items must not make a million-entry answer.
        detail = f"{detail} ({len(errors)} errors; the first {MAX_FIELD_ERRORS} are listed)"
        errors = list(errors)[:MAX_FIELD_ERRORS]
    body = Problem(
        type=PROBLEM_BASE + slug,
        title=title,
        status=status,
        detail=detail,
        instance=instance,
        errors=list(errors) if errors else None,
    )
    return JSONResponse(
        body.model_dump(exclude_none=True),
        status_code=status,
        media_type=PROBLEM_MEDIA_TYPE,
        headers=headers,
    )


class FieldValueError(ValueError):
    """Raised by a model-level validator about one of the model's fields, so the
    problem points at that field rather than at the object holding it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def _validation_errors(exc: RequestValidationError) -> tuple[str, str, list[FieldError]]:
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
        errors.append(FieldError(pointer=pointer_for(path), location=location, detail=message))
    if malformed:
        return "malformed-body", "Request body is not valid JSON", errors
    return "validation-error", "Request is not valid", errors


# Constraint name -> request field, where the column is not the field a client
# sent (a child row's ``actor_id`` came from the request's ``author_ids``).
CONSTRAINT_FIELDS: dict[str, str] = {}


def name_constraint_field(constraint: str, field: str) -> None:
    CONSTRAINT_FIELDS[constraint] = field


_KEY_RE = re.compile(r"Key \((?P<cols>[^)]*)\)")


def _constraint_field(constraint: str | None, detail: str | None) -> str:
    if constraint in CONSTRAINT_FIELDS:
        return CONSTRAINT_FIELDS[constraint]
    if detail and (match := _KEY_RE.search(detail)):
        return match.group("cols").split(",")[0].strip()
    return constraint or "body"


def database_problem(exc: DBAPIError) -> ProblemError | None:
    """Map a database refusal caused by client input to a problem, else None."""
    import asyncpg

    orig = getattr(exc.orig, "__cause__", None) or exc.orig
    if not isinstance(orig, asyncpg.PostgresError):
        return None  # raised by the driver, not the server: our bug, not the client's
    sqlstate = orig.sqlstate
    if not isinstance(sqlstate, str):
        return None
    constraint = getattr(orig, "constraint_name", None)
    detail = getattr(orig, "detail", None)
    table = getattr(orig, "table_name", None)
    # ON DELETE RESTRICT: PostgreSQL 18 reports restrict_violation (23001,
    # "is referenced from"), older servers foreign_key_violation ("is still referenced").
    if sqlstate in {"23503", "23001"}:
        if sqlstate == "23001" or (detail and "referenced from" in detail):
            referrer = re.search(r'from table "([^"]+)"', detail or "")
            where = referrer.group(1) if referrer else "another table"
            return StillReferenced(f"cannot delete: still referenced from {where}")
        field = _constraint_field(constraint, detail)
        value = re.search(r"=\(([^)]*)\)", detail or "")
        shown = f" ({value.group(1)})" if value else ""
        return UnknownReference(
            f"{field}{shown} refers to a resource that does not exist", field=field
        )
    if sqlstate == "23505":
        field = _constraint_field(constraint, detail)
        return Duplicate(f"a {table or 'resource'} with this {field} already exists")
    if sqlstate in {"23514", "23502", "23P01"}:
        field = CONSTRAINT_FIELDS.get(constraint or "", constraint or "body")
        return InvalidField(f"refused by constraint {constraint}", field=field)
    if sqlstate.startswith("22"):
        return InvalidField(f"invalid value: {getattr(orig, 'message', str(orig))}", field="body")
    if sqlstate == "57014":  # query_canceled: statement_timeout
        return StatementTimeout("the query ran past the server's statement timeout; it was undone")
    return unavailable_problem(exc)


# Server states in which no query can run: connection exceptions (08),
# too many connections (53300), admin/crash shutdown, cannot connect now
# (57P01-57P03), database dropped or refusing connections (3D000, 55000 at
# connect time), read-only standby or failover (25006 on a write engine).
_UNAVAILABLE_STATES = frozenset({"53300", "57P01", "57P02", "57P03", "57P05", "3D000"})


def unavailable_problem(exc: BaseException) -> ProblemError | None:
    """A 503 when ``exc`` (or what it wraps) says the database cannot be
    reached or used right now, else None."""
    import asyncpg
    from sqlalchemy.exc import TimeoutError as PoolTimeout

    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, PoolTimeout):
            return DatabaseUnavailable(
                "every database connection is busy; the request waited and gave up"
            )
        if isinstance(current, DBAPIError) and current.connection_invalidated:
            return DatabaseUnavailable("the database connection was lost")
        if isinstance(current, asyncpg.PostgresError):
            state = current.sqlstate if isinstance(current.sqlstate, str) else ""
            if (
                state.startswith("08")
                or state in _UNAVAILABLE_STATES
                or (state == "55000" and "accepting connections" in str(current))
            ):
                return DatabaseUnavailable("the database is not accepting connections")
        if isinstance(current, asyncpg.InterfaceError | OSError | TimeoutError):
            # connection refused or reset, closed mid-query, connect timed out
            return DatabaseUnavailable("the database cannot be reached")
        current = getattr(current, "orig", None) or current.__cause__ or current.__context__
    return None


def _allowed_methods(request: Request) -> list[str]:
    """The methods some route serves at the request's path."""
    from starlette.routing import Match

    allowed = []
    for method in ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"):
        scope = {**request.scope, "method": method}
        if any(route.matches(scope)[0] is Match.FULL for route in request.app.router.routes):
            allowed.append(method)
    return allowed


def document_problems(app: FastAPI) -> None:
    """Add the Problem schema (that PROBLEM_RESPONSES refers to) to the OpenAPI components."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = build()
            schemas = document.setdefault("components", {}).setdefault("schemas", {})
            problem = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
            schemas.update(problem.pop("$defs", {}))
            schemas["Problem"] = problem
            app.openapi_schema = document
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


class BodyTooLarge(StarletteHTTPException):
    """Raised while a body without a Content-Length is read, when it passes
    the limit; ``on_http`` answers it as the 413 problem."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"the body may be at most {limit} bytes")


class RefuseLargeBodies:
    """Answers a request whose declared Content-Length exceeds the limit with
    a 413 problem before reading it, and stops a body sent without one
    (chunked) as soon as it passes the limit (also a 413 problem). ``limits``
    gives some paths their own limit (``POST /v1/bundles`` takes far more).

    A body with a Content-Encoding (gzip...) is refused with a 415 problem:
    the API reads bodies as sent, and an unbounded decompression would defeat
    the limit."""

    def __init__(
        self, app: ASGIApp, max_body_size: int, limits: dict[str, int] | None = None
    ) -> None:
        self.app = app
        self.max_body_size = max_body_size
        self.limits = limits or {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limits.get(scope.get("path", ""), self.max_body_size)
        declared: int | None = None
        for name, value in scope["headers"]:
            if name == b"content-length" and value.isdigit():
                declared = int(value)
            elif name == b"content-encoding" and value.strip().lower() not in {b"", b"identity"}:
                problem: ProblemError = UnsupportedEncoding(
                    f"Content-Encoding {value.decode('latin-1')!r} is not supported: "
                    "send the body uncompressed"
                )
                await self._refuse(scope, receive, send, problem, 415)
                return
        if declared is not None and declared > limit:
            await self._refuse(scope, receive, send, None, limit)
            return
        if declared is not None:
            await self.app(scope, receive, send)
            return
        received = 0

        async def receive_within_limit() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        await self.app(scope, receive_within_limit, send)

    async def _refuse(
        self, scope: Scope, receive: Receive, send: Send, problem: ProblemError | None, limit: int
    ) -> None:
        if problem is None:
            response = problem_response(
                status=413,
                slug="body-too-large",
                title="Request body too large",
                detail=f"the body may be at most {limit} bytes",
                instance=scope.get("path"),
            )
        else:
            response = problem_response(
                status=problem.status,
                slug=problem.slug,
                title=problem.title,
                detail=problem.detail,
                instance=scope.get("path"),
            )
        await response(scope, receive, send)


def install_error_handlers(app: FastAPI) -> None:
    async def on_problem(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, ProblemError)
        return problem_response(
            status=exc.status,
            slug=exc.slug,
            title=exc.title,
            detail=exc.detail,
            instance=request.url.path,
            errors=exc.errors,
            headers={
                **(exc.headers or {}),
                **({"Retry-After": str(exc.retry_after)} if exc.retry_after else {}),
            }
            or None,
        )

    async def on_validation(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        slug, title, errors = _validation_errors(exc)
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
        return problem_response(
            status=500,
            slug="internal-error",
            title="Internal server error",
            detail="the server failed to handle this request; it has been logged",
            instance=request.url.path,
        )

    document_problems(app)
    app.add_exception_handler(ProblemError, on_problem)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(DBAPIError, on_database)
    # Raised by the pool or the driver, not as a DBAPIError: a refused or
    # timed-out connect, a connection closed under a query, a full pool.
    import asyncpg
    from sqlalchemy.exc import TimeoutError as PoolTimeout

    for unavailable in (
        PoolTimeout,
        OSError,
        TimeoutError,
        asyncpg.PostgresError,
        asyncpg.InterfaceError,
    ):
        app.add_exception_handler(unavailable, on_unavailable)
    app.add_exception_handler(Exception, on_unexpected)


# Documented under application/problem+json, the media type errors are sent
# with (a ``model`` here would document them as application/json);
# ``install_error_handlers`` puts the Problem schema into the components.
PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {
        "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        "description": description,
    }
    for status, description in {
        400: "Malformed request",
        404: "Not found",
        409: "Conflict",
        422: "Invalid request: `errors` points at each bad field",
        503: "Database unavailable (with `Retry-After`) or query too slow",
    }.items()
}
