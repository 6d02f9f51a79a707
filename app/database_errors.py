"""What the database says, as problems.

Everything a client can send that the database refuses (a dangling
reference, a duplicate, a value out of range) becomes a 4xx that names the
field, using the constraint names fixed by ``db.NAMING_CONVENTION``; a
cancelled statement and an unreachable database become 503s. The same
mapping serves SQLAlchemy's sessions, whose errors wrap asyncpg's
(``database_problem``), and the hot reads' bare asyncpg pool, whose errors
arrive unwrapped (``postgres_problem``).
"""

import re

import asyncpg
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from app.errors import (
    CONSTRAINT_FIELDS,
    CONSTRAINT_PROBLEMS,
    DatabaseUnavailable,
    Duplicate,
    InvalidField,
    ProblemError,
    StatementTimeout,
    StillReferenced,
    UnknownReference,
)

_KEY_RE = re.compile(r"Key \((?P<cols>[^)]*)\)")


def _constraint_field(constraint: str | None, detail: str | None) -> str:
    if constraint in CONSTRAINT_FIELDS:
        return CONSTRAINT_FIELDS[constraint]
    if detail and (match := _KEY_RE.search(detail)):
        return match.group("cols").split(",")[0].strip()
    return constraint or "body"


def postgres_problem(error: asyncpg.PostgresError) -> ProblemError | None:
    """Map an error the server sent to a problem: a refusal caused by client
    input, a cancelled statement, an unavailable database; else None."""
    sqlstate = error.sqlstate
    if not isinstance(sqlstate, str):
        return None
    constraint = getattr(error, "constraint_name", None)
    detail = getattr(error, "detail", None)
    table = getattr(error, "table_name", None)
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
        if constraint in CONSTRAINT_PROBLEMS:
            message = str(getattr(error, "message", "") or error)
            return CONSTRAINT_PROBLEMS[constraint](message, field=field)
        return InvalidField(f"refused by constraint {constraint}", field=field)
    if sqlstate.startswith("22"):
        return InvalidField(f"invalid value: {getattr(error, 'message', str(error))}", field="body")
    if sqlstate == "57014":  # query_canceled: statement_timeout
        return StatementTimeout("the query ran past the server's statement timeout; it was undone")
    return unavailable_problem(error)


def database_problem(exc: DBAPIError) -> ProblemError | None:
    """Map a database refusal caused by client input to a problem, else None."""
    orig = getattr(exc.orig, "__cause__", None) or exc.orig
    if not isinstance(orig, asyncpg.PostgresError):
        return None  # raised by the driver, not the server: our bug, not the client's
    if not isinstance(orig.sqlstate, str):
        return None
    # The wrapper knows what the server's error does not: whether the
    # connection was invalidated.
    return postgres_problem(orig) or unavailable_problem(exc)


# Server states in which no query can run: connection exceptions (08),
# too many connections (53300), admin/crash shutdown, cannot connect now
# (57P01-57P03), database dropped or refusing connections (3D000, 55000 at
# connect time), read-only standby or failover (25006 on a write engine).
_UNAVAILABLE_STATES = frozenset({"53300", "57P01", "57P02", "57P03", "57P05", "3D000"})


def unavailable_problem(exc: BaseException) -> ProblemError | None:
    """A 503 when ``exc`` (or what it wraps) says the database cannot be
    reached or used right now, else None."""
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
        if isinstance(current, asyncpg.exceptions.TargetServerAttributeNotMatched):
            # target_session_attrs=read-write and no host is a primary: a failover.
            return DatabaseUnavailable("no database server accepts writes right now")
        if isinstance(current, asyncpg.InterfaceError | OSError | TimeoutError):
            # connection refused or reset, closed mid-query, connect timed out
            return DatabaseUnavailable("the database cannot be reached")
        current = getattr(current, "orig", None) or current.__cause__ or current.__context__
    return None
