"""Access control: one dependency on every ``/v1`` route (``authorize``).

- Writes (POST, PATCH, PUT, DELETE) need an API key sent as
  ``Authorization: Bearer <token>``: scope ``write``, or ``admin`` for
  DELETE (hard deletes; history keeps a tombstone). No key or an unknown or
  revoked one: 401 with ``WWW-Authenticate: Bearer``; too small a scope: 403.
- Reads are open (no SQL added: a read stays one statement) unless
  ``ONRECORD_PUBLIC_READS=false``; then they need a ``read`` key.

The key lookup is one statement on the request's own transaction, which also
sets ``onrecord.key_id`` (transaction-local) so the history triggers record
which key made each change. The same dependency applies If-Match (no SQL)
and Idempotency-Key (``app.concurrency``).
"""

import functools
from collections.abc import Callable
from typing import Annotated, Any, TypeVar
from uuid import UUID

from fastapi import Depends, Request
from sqlalchemy import Text, bindparam, cast, func, select

from app import sqlcompile
from app.concurrency import idempotency, preconditions
from app.config import get_settings
from app.db import READ_METHODS, SessionDep
from app.errors import Forbidden, Unauthorized, problem_response_doc
from app.keys.models import ApiKey
from app.keys.service import allows, hash_token, token_prefix

KEYS = ApiKey.__table__
SCHEME = "bearerAuth"
KEY_ID = "onrecord_key_id"
"""``request.state`` attribute holding the id of the request's API key."""
KEY_SCOPE = "onrecord_key_scope"
"""``request.state`` attribute holding the scope of the request's API key."""


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization")
    if header is None:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("send the API key as `Authorization: Bearer <key>`")
    return token.strip()


READ_ONLY_POSTS: set[str] = set()
"""Paths whose POST writes nothing (``/v1/extractions``): reads, for access."""

RouteFunction = TypeVar("RouteFunction", bound=Callable[..., Any])


def read_only_post(path: str) -> Callable[[RouteFunction], RouteFunction]:
    """Mark the POST at ``path`` as a read: it needs a key only where reads do."""

    def mark(endpoint: RouteFunction) -> RouteFunction:
        READ_ONLY_POSTS.add(path)
        return endpoint

    return mark


def needed_scope(method: str, path: str = "") -> str | None:
    """The scope a request needs; None: none (public reads)."""
    if (
        method in READ_METHODS
        or method == "OPTIONS"
        or (method == "POST" and path in READ_ONLY_POSTS)
    ):
        return None if get_settings().public_reads else "read"
    return "admin" if method == "DELETE" else "write"


async def _scope_of(request: Request, session: SessionDep, token: str) -> str:
    """The scope of the key ``token``; 401 unless it is a valid key. Sets
    ``onrecord.key_id`` for the transaction (history names the writer) and
    the request's ``KEY_ID``/``KEY_SCOPE``."""
    prefix = token_prefix(token)
    if prefix is None:
        raise Unauthorized("the API key is not valid")
    rows = await _key_sql().rows(session, {"prefix": prefix, "secret_hash": hash_token(token)})
    if not rows:
        raise Unauthorized("the API key is not valid (unknown or revoked)")
    key_id: UUID = rows[0][0]
    scope: str = rows[0][1]
    setattr(request.state, KEY_ID, key_id)
    setattr(request.state, KEY_SCOPE, scope)
    return scope


@functools.cache
def _key_sql() -> sqlcompile.DriverSQL:
    """The key with that prefix and hash, unless revoked; names it as the
    transaction's writer. Compiled once: every write runs it first."""
    k = KEYS.c
    statement = select(
        k.id, k.scope, func.set_config("onrecord.key_id", cast(k.id, Text), True)
    ).where(
        k.prefix == bindparam("prefix"),
        k.secret_hash == bindparam("secret_hash"),
        k.revoked_at.is_(None),
    )
    return sqlcompile.DriverSQL.compile(statement, ("prefix", "secret_hash"))


async def authorize(request: Request, session: SessionDep) -> None:
    """The access check of every ``/v1`` route."""
    needed = needed_scope(request.method, request.url.path)
    if needed is None:
        return
    token = _bearer(request)
    if token is None:
        raise Unauthorized(f"this request needs an API key with scope {needed!r}")
    scope = await _scope_of(request, session, token)
    if not allows(scope, needed):
        raise Forbidden(f"this request needs scope {needed!r}; the key has {scope!r}")
    if needed == "read":
        return
    preconditions.expect_version(request, session, require=get_settings().require_if_match)
    await idempotency.begin(request, session, key_id=getattr(request.state, KEY_ID))


async def viewer_is_admin(request: Request, session: SessionDep) -> bool:
    """Whether a read comes with an admin key: who made a change (the key's
    name and id) is shown to admins only. Public reads check no key, so the
    one sent is looked up here (and must be valid: 401 otherwise)."""
    scope: str | None = getattr(request.state, KEY_SCOPE, None)
    if scope is None:
        token = _bearer(request)
        if token is None:
            return False
        scope = await _scope_of(request, session, token)
    return allows(scope, "admin")


AdminViewer = Annotated[bool, Depends(viewer_is_admin)]


async def metrics_reader(request: Request, session: SessionDep) -> None:
    """``GET /metrics`` on the API's address: an admin key (the request
    counts, routes and pool use are for operators; a scraper without a key
    gets them on ``ONRECORD_METRICS_ADDRESS`` instead)."""
    token = _bearer(request)
    if token is None:
        raise Unauthorized("/metrics needs an API key with scope 'admin'")
    scope = await _scope_of(request, session, token)
    if not allows(scope, "admin"):
        raise Forbidden(f"/metrics needs scope 'admin'; the key has {scope!r}")


async def require_admin(request: Request) -> None:
    """On a write only admins may make (a redaction): after ``authorize``."""
    scope: str | None = getattr(request.state, KEY_SCOPE, None)
    if scope is None or not allows(scope, "admin"):
        raise Forbidden(f"this request needs scope 'admin'; the key has {scope!r}")


def key_id_of(request: Request) -> UUID | None:
    """The id of the request's API key (after ``authorize``)."""
    key_id: UUID | None = getattr(request.state, KEY_ID, None)
    return key_id


WRITE_METHODS = ("post", "put", "patch", "delete")


def document_security(document: dict[str, Any]) -> None:
    """Declare the bearer scheme (the Authorize button of /docs) and which
    operations need it: every write under /v1, and reads when they are not
    public. Public reads declare none, so /docs shows no lock on them."""
    components = document.setdefault("components", {})
    components.setdefault("securitySchemes", {})[SCHEME] = {
        "type": "http",
        "scheme": "bearer",
        "description": "An API key (`onrecord keys create`): scope `write` for "
        "writes, `admin` for DELETE, `read` for reads when they are not public.",
    }
    public = get_settings().public_reads
    for path, operations in document.get("paths", {}).items():
        if not path.startswith("/v1/"):
            continue
        for method, operation in operations.items():
            if not isinstance(operation, dict):
                continue
            responses = operation.setdefault("responses", {})
            if method in WRITE_METHODS and not (method == "post" and path in READ_ONLY_POSTS):
                operation["security"] = [{SCHEME: []}]
                responses.setdefault("401", problem_response_doc("No valid API key"))
                responses.setdefault(
                    "403", problem_response_doc("The API key's scope is too small")
                )
            elif public:
                continue
            else:
                operation["security"] = [{SCHEME: []}]
                responses.setdefault("401", problem_response_doc("No valid API key"))
