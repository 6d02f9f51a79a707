"""Read-your-writes on a read replica (``ONRECORD_DATABASE_READ_URL``).

Reads go to the replica, which replays the primary's WAL a little later, so
a client that just wrote may not read its write back there. To close that
gap:

- every write answered by the API carries ``X-OnRecord-LSN``: the primary's
  WAL position just after the write's transaction committed (taken only when
  a replica is configured: without one every read sees every commit);
- a GET or HEAD with ``X-OnRecord-Min-LSN: <that LSN>`` is answered from the
  replica once it has replayed that far, waiting up to
  ``ONRECORD_READ_YOUR_WRITES_WAIT_MS``; past it (or if the replica does not
  answer) from the primary, read-only. ``X-OnRecord-Read-From`` tells which.

A replica that was promoted (no longer in recovery) is a primary: it has
every write it will ever have, so it serves such reads at once.
"""

import asyncio
import re
import time
from typing import Any

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.db import READ_METHODS, Fetch
from app.errors import problem_response
from app.middleware import HttpLayer

LSN_HEADER = b"x-onrecord-lsn"
MIN_LSN_HEADER = b"x-onrecord-min-lsn"
READ_FROM_HEADER = b"x-onrecord-read-from"
COMMIT_LSN = "onrecord_commit_lsn"
"""``request.state`` attribute: the WAL position after the request's commit."""
READ_ON_PRIMARY = "onrecord_read_on_primary"
"""``request.state`` attribute: this read must see the primary (its replica lags)."""

LSN_PATTERN = re.compile(rb"^[0-9A-Fa-f]{1,8}/[0-9A-Fa-f]{1,8}$")
POLL_S = 0.01
CAUGHT_UP = (
    "SELECT coalesce(CASE WHEN pg_is_in_recovery()"
    " THEN pg_last_wal_replay_lsn() >= $1::text::pg_lsn ELSE true END, false)"
)
COMMIT_POSITION = "SELECT pg_current_wal_insert_lsn()::text"


def reads_on_primary(request: Request) -> bool:
    return bool(getattr(request.state, READ_ON_PRIMARY, False))


async def _replayed(replica: Fetch, lsn: str, wait_s: float) -> bool:
    """Whether the replica has replayed up to ``lsn``, waiting up to ``wait_s``."""
    deadline = time.monotonic() + wait_s
    while True:
        try:
            rows = await replica(CAUGHT_UP, [lsn])
        except Exception:
            return False  # a replica that does not answer: the primary will
        if rows and rows[0][0]:
            return True
        if time.monotonic() >= deadline:
            return False
        await asyncio.sleep(POLL_S)


class ReadYourWrites(HttpLayer):
    """The ASGI layer: ``X-OnRecord-LSN`` on writes, ``X-OnRecord-Min-LSN`` on reads."""

    def __init__(self, app: ASGIApp, *, wait_s: float) -> None:
        super().__init__(app)
        self.wait_s = wait_s

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        state: dict[str, Any] = scope.setdefault("state", {})
        if scope["method"] not in READ_METHODS:

            async def send_with_lsn(message: Message) -> None:
                # The request's session committed before its answer starts (app/db.py).
                if message["type"] == "http.response.start" and state.get(COMMIT_LSN):
                    lsn = str(state[COMMIT_LSN]).encode("ascii")
                    message["headers"] = [*message.get("headers", []), (LSN_HEADER, lsn)]
                await send(message)

            await self.app(scope, receive, send_with_lsn)
            return
        wanted = next((value for name, value in scope["headers"] if name == MIN_LSN_HEADER), None)
        if wanted is None:
            await self.app(scope, receive, send)
            return
        if not LSN_PATTERN.match(wanted.strip()):
            response = problem_response(
                status=400,
                slug="invalid-lsn",
                title="X-OnRecord-Min-LSN is not a WAL position",
                detail="send the X-OnRecord-LSN of a write's answer, such as 0/1A2B3C4",
                instance=scope.get("path"),
            )
            await response(scope, receive, send)
            return
        replica: Fetch | None = getattr(scope["app"].state, "replica_fetch", None)
        source = b"primary"
        if replica is not None:
            if await _replayed(replica, wanted.strip().decode("ascii"), self.wait_s):
                source = b"replica"
            else:
                state[READ_ON_PRIMARY] = True

        async def send_with_source(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), (READ_FROM_HEADER, source)]
            await send(message)

        await self.app(scope, receive, send_with_source)
