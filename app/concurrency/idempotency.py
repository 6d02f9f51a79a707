"""``Idempotency-Key`` on POST (IETF httpapi idempotency-key draft).

A client that may retry a POST (a timeout, a dropped connection) sends a key
of its choosing. Keys are scoped per API key and kept ``TTL``:

- the first request runs; its key row (with the request's fingerprint,
  SHA-256 of method, path and body) is written in the request's transaction,
  so it exists exactly when the write committed; the response (status, body,
  Location, ETag) is stored on it before it is sent;
- a replay with the same key and the same fingerprint gets that response
  again (``Idempotent-Replayed: true``), and nothing is written;
- the same key with another fingerprint is refused (422);
- a duplicate while the first is still running is refused (409): the first
  holds a transaction-level advisory lock on (API key, key) until it commits,
  and the duplicate only *tries* that lock. Once the lock is free the
  duplicate reads the key row with a fresh snapshot (READ COMMITTED, a new
  statement), so it sees the committed first request, never runs twice.

A request that fails (any problem) rolls back with its key row: the client
may retry with the same key. A 2xx whose response could not be stored (the
process died between commit and send) leaves the key row without a response:
duplicates get 409 until it expires.
"""

import hashlib
import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from uuid import UUID

from fastapi import FastAPI, Request, Response
from sqlalchemy import func, select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.concurrency.models import IdempotencyKey
from app.errors import IdempotencyKeyInUse, IdempotencyKeyReused, InvalidField

logger = logging.getLogger("onrecord")

HEADER = "idempotency-key"
TTL = timedelta(hours=24)
MAX_KEY_LENGTH = 255
STATE = "onrecord_idempotency"
"""``request.state`` attribute naming the key row whose response to store."""
STORED_HEADERS = ("content-type", "location", "etag")
KEYS = IdempotencyKey.__table__


@dataclass(frozen=True)
class Pending:
    key_id: UUID
    key: str


class Replay(Exception):
    """The stored response of an earlier request with the same key and body."""

    def __init__(self, status: int, headers: dict[str, str], body: bytes) -> None:
        super().__init__(status)
        self.status = status
        self.headers = headers
        self.body = body


def _key(header: str) -> str:
    """The key: an sf-string (``"..."``) per the draft, or bare."""
    value = header.strip()
    if len(value) >= 2 and value.startswith('"') and value.endswith('"'):
        value = value[1:-1]
    if not value or len(value) > MAX_KEY_LENGTH or not value.isprintable():
        raise InvalidField(
            f"Idempotency-Key must be 1 to {MAX_KEY_LENGTH} printable characters",
            field="Idempotency-Key",
            location="header",
        )
    return value


def fingerprint(request: Request, body: bytes) -> str:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    digest = hashlib.sha256(f"{request.method} {target}\n".encode())
    digest.update(body)
    return digest.hexdigest()


async def begin(request: Request, session: AsyncSession, *, key_id: UUID) -> None:
    """For a POST with ``Idempotency-Key``: replay, refuse, or let it run
    (its key row then written in its transaction)."""
    header = request.headers.get(HEADER)
    if request.method != "POST" or header is None:
        return
    key = _key(header)
    print_ = fingerprint(request, await request.body())
    locked = await session.execute(
        select(func.pg_try_advisory_xact_lock(func.hashtextextended(f"{key_id} {key}", 0)))
    )
    if not locked.scalar_one():
        raise IdempotencyKeyInUse(
            "a request with this Idempotency-Key is still being processed; retry later"
        )
    stored = (
        await session.execute(
            select(KEYS.c.fingerprint, KEYS.c.status, KEYS.c.headers, KEYS.c.body).where(
                KEYS.c.key_id == key_id,
                KEYS.c.idempotency_key == key,
                KEYS.c.expires_at > func.now(),
            )
        )
    ).one_or_none()
    if stored is not None:
        if stored.fingerprint != print_:
            raise IdempotencyKeyReused(
                "this Idempotency-Key was used for a different request (method, path or body)"
            )
        if stored.status is None:
            raise IdempotencyKeyInUse(
                "a request with this Idempotency-Key completed but its response is not "
                "recorded yet; retry later"
            )
        raise Replay(stored.status, dict(stored.headers or {}), bytes(stored.body or b""))
    values = {
        "key_id": key_id,
        "idempotency_key": key,
        "fingerprint": print_,
        "expires_at": func.now() + text(f"interval '{int(TTL.total_seconds())} seconds'"),
    }
    statement = insert(IdempotencyKey).values(**values)
    statement = statement.on_conflict_do_update(  # an expired row: the key is free again
        index_elements=[KEYS.c.key_id, KEYS.c.idempotency_key],
        set_={
            "fingerprint": statement.excluded.fingerprint,
            "created_at": func.now(),
            "expires_at": statement.excluded.expires_at,
            "status": None,
            "headers": None,
            "body": None,
        },
    )
    await session.execute(statement)
    setattr(request.state, STATE, Pending(key_id=key_id, key=key))


async def _store(
    factory: async_sessionmaker[AsyncSession],
    pending: Pending,
    status: int,
    headers: Any,
    body: bytes,
) -> None:
    kept = {
        name.decode("latin-1"): value.decode("latin-1")
        for name, value in headers
        if name.decode("latin-1").lower() in STORED_HEADERS
    }
    async with factory() as session:
        await session.execute(
            update(IdempotencyKey)
            .where(
                KEYS.c.key_id == pending.key_id,
                KEYS.c.idempotency_key == pending.key,
            )
            .values(status=status, headers=kept, body=body)
        )
        await session.commit()


class StoreResponses:
    """Stores the response of a POST that registered a key (``begin``) before
    sending it: then a replay finds it. Other requests pass straight through."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        start: Message | None = None
        chunks: list[bytes] = []

        async def buffered(message: Message) -> None:
            nonlocal start
            pending = (scope.get("state") or {}).get(STATE)
            if not isinstance(pending, Pending):
                await send(message)
                return
            if message["type"] == "http.response.start":
                start = message
                return
            if message["type"] != "http.response.body" or start is None:
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            status = int(start["status"])
            body = b"".join(chunks)
            if 200 <= status < 300:
                try:
                    factory = scope["app"].state.session_factory
                    await _store(factory, pending, status, start.get("headers", []), body)
                except Exception:  # the write committed: still answer it
                    logger.exception("could not store the response of an idempotent request")
            await send(start)
            await send({"type": "http.response.body", "body": body, "more_body": False})

        await self.app(scope, receive, buffered)


def install_idempotency(app: FastAPI) -> None:
    async def on_replay(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, Replay)
        headers = {**exc.headers, "Idempotent-Replayed": "true"}
        media_type = headers.pop("content-type", None)
        return Response(exc.body, status_code=exc.status, headers=headers, media_type=media_type)

    app.add_exception_handler(Replay, on_replay)
    app.add_middleware(StoreResponses)
