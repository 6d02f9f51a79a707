"""Errors as RFC 9457 problem details: the problem types every package raises.

Services raise ``ProblemError`` subclasses that carry their status and a stable
problem ``type``; they never raise ``HTTPException``. ``problem_response``
renders one. The handlers that turn exceptions into these answers are in
``app.error_handlers``; what the database refuses is mapped to them in
``app.database_errors``.
"""

from collections.abc import Sequence
from typing import Any, ClassVar
from uuid import UUID

from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_BASE = "https://onrecord.dev/problems/"


class FieldError(BaseModel):
    pointer: str = Field(description="JSON Pointer (RFC 6901) to the bad field in the request.")
    location: str = Field(description="Where the field is: body, query, path or header.")
    detail: str


class Referrer(BaseModel):
    type: str = Field(
        description="What refers to the record: `actor`, `source`, `event`, `claim`, "
        "`attribution` or `claim-relation`.",
        examples=["attribution"],
    )
    id: UUID


class Problem(BaseModel):
    """RFC 9457 problem details."""

    type: str = Field(examples=[PROBLEM_BASE + "not-found"])
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    errors: list[FieldError] | None = None
    referrers: list[Referrer] | None = Field(
        default=None,
        description="`still-referenced`: the records that still refer to the one to delete "
        "(at most 20; `referrer_count` counts them all).",
    )
    referrer_count: int | None = Field(
        default=None, description="`still-referenced`: how many records refer to it."
    )
    merged_into: str | None = Field(
        default=None,
        description="`actor-merged`: the actor the one written to was merged into.",
    )


class ProblemError(Exception):
    status: int = 400
    slug: str = "bad-request"
    title: str = "Bad request"
    retry_after: int | None = None
    """Seconds, sent as ``Retry-After`` (503s: try again soon)."""
    headers: ClassVar[dict[str, str] | None] = None
    """Other response headers the problem needs (``WWW-Authenticate`` on a 401)."""
    extensions: dict[str, Any] | None = None
    """Extension members of the problem document (RFC 9457 §3.2), each
    declared in ``Problem``: ``referrers``, ``merged_into``..."""

    def __init__(
        self,
        detail: str,
        *,
        errors: Sequence[FieldError] | None = None,
        field: str | Sequence[str | int] | None = None,
        location: str = "body",
    ) -> None:
        """``field`` (with its ``location``): the one bad field, named in ``errors``."""
        super().__init__(detail)
        self.detail = detail
        if field is not None:
            errors = [FieldError(pointer=pointer_for(field), location=location, detail=detail)]
        self.errors = list(errors) if errors else None


class NotFound(ProblemError):
    status, slug, title = 404, "not-found", "Resource not found"


class Conflict(ProblemError):
    status, slug, title = 409, "conflict", "Conflict with the current state"


class ActorMerged(Conflict):
    """A write to an actor a curator merged into another: the problem names
    the survivor (``merged_into``), which is where the write belongs."""

    slug, title = "actor-merged", "Actor was merged into another"

    def __init__(self, detail: str, *, merged_into: Any, field: str | None = None) -> None:
        super().__init__(detail, field=field)
        self.extensions = {"merged_into": str(merged_into)}


class StillReferenced(ProblemError):
    status, slug, title = 409, "still-referenced", "Resource is still referenced"

    def __init__(
        self, detail: str, *, referrers: list[dict[str, str]] | None = None, count: int = 0
    ) -> None:
        super().__init__(detail)
        if referrers is not None:
            self.extensions = {"referrers": referrers, "referrer_count": count}


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

    def __init__(
        self, detail: str, *, field: str | Sequence[str | int], location: str = "body"
    ) -> None:
        super().__init__(detail, field=field, location=location)


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


class QueryParameterProblem(ProblemError):
    """A query string the operation does not take; names the parameter."""

    def __init__(self, detail: str, *, parameter: str) -> None:
        super().__init__(detail, field=parameter, location="query")


class UnknownParameter(QueryParameterProblem):
    status, slug, title = 400, "unknown-parameter", "Query parameter not declared"


class RepeatedParameter(QueryParameterProblem):
    status, slug, title = 400, "repeated-parameter", "Query parameter sent more than once"


class UnknownField(QueryParameterProblem):
    """``?fields=`` naming a member the documents do not have (``app.sparse``)."""

    status, slug, title = 400, "unknown-field", "No such member in the documents"


class DuplicateKey(InvalidField):
    """A JSON body with an object that has one member twice (``app.jsonbody``)."""

    status, slug, title = 400, "duplicate-key", "Duplicate key in a JSON object"


class CursorMismatch(QueryParameterProblem):
    """A well-formed cursor sent with other parameters than the listing it
    was issued for (``app.pagination``)."""

    status, slug, title = 400, "cursor-mismatch", "Cursor belongs to another listing"

    def __init__(self, detail: str) -> None:
        super().__init__(detail, parameter="cursor")


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
    if (
        isinstance(field, list)
        and len(field) == 2
        and type(field[1]) is int
        and isinstance(field[0], str)
        and field[0].isidentifier()
    ):  # a record of a collection: the import's most frequent pointer by far
        return f"/{field[0]}/{field[1]}"
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
    extensions: dict[str, Any] | None = None,
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
        **(extensions or {}),
    )
    return JSONResponse(
        body.model_dump(mode="json", exclude_none=True),
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


# Constraint name -> request field, where the column is not the field a client
# sent (a child row's ``actor_id`` came from the request's ``author_ids``).
CONSTRAINT_FIELDS: dict[str, str] = {}


def name_constraint_field(field: str, *constraints: str) -> None:
    """A violation of any of ``constraints`` is about the request's ``field``."""
    for constraint in constraints:
        CONSTRAINT_FIELDS[constraint] = field


def name_time_anchor_fields(table: str, time_field: str) -> None:
    """A fuzzy time's anchors (``app.fuzzytime``) in ``table``'s column
    ``time_*`` are ``<time_field>.anchor_event_id`` and ``…anchor_source_id``."""
    for anchor, referred in (("event", "events"), ("source", "sources")):
        column = f"anchor_{anchor}_id"
        name_constraint_field(f"{time_field}.{column}", f"fk_{table}_time_{column}_{referred}")


# Constraint -> the problem its violation is, for constraints of our own
# (triggers) whose message is written for the client.
CONSTRAINT_PROBLEMS: dict[str, type[InvalidField]] = {}


def name_constraint_problem(constraint: str, problem: type[InvalidField], field: str) -> None:
    """Answer a violation of ``constraint`` as ``problem`` on ``field``, with
    the database's message as its detail (a trigger of ours wrote it)."""
    CONSTRAINT_PROBLEMS[constraint] = problem
    CONSTRAINT_FIELDS[constraint] = field


# Documented under application/problem+json, the media type errors are sent
# with (a ``model`` here would document them as application/json);
# ``document_problems`` puts the Problem schema into the components.
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


def problem_response_doc(description: str) -> dict[str, Any]:
    """One more documented problem answer for a route's ``responses``."""
    return {
        "description": description,
        "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }


def document_problems(document: dict[str, Any]) -> None:
    """Add the Problem schema (that PROBLEM_RESPONSES refers to) to an OpenAPI document."""
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    problem = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    schemas.update(problem.pop("$defs", {}))
    schemas["Problem"] = problem
