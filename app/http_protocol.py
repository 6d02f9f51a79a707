"""The HTTP/1.1 protocol ``onrecord serve`` gives uvicorn: httptools', with the
limits it lacks (issue 17: a 100 MB header was read whole, 8.75 s and 810 MB,
and eight of them stalled ``/health`` for a minute).

uvicorn's own settings (``timeout_keep_alive``, ``limit_concurrency``) are
used where they exist; what they do not cover is done here, in the one
subclass of a uvicorn protocol the project allows (passed as ``http=``):

- the request head (request line and headers) is counted as its bytes
  arrive, before the parser buffers them: past ``ONRECORD_MAX_HEADER_BYTES``
  the answer is 431, past ``ONRECORD_MAX_URL_BYTES`` of request target 414;
- a head not complete within ``ONRECORD_HEADER_TIMEOUT_S`` of the
  connection (or of the previous response) is answered 408, and a connection
  that sent nothing by then is closed; a body of which nothing more arrived
  for ``ONRECORD_BODY_TIMEOUT_S`` is answered 408 too (the app sees the
  client gone): slow clients cannot hold connections;
- ``limit_concurrency`` refuses requests with 503, except ``/health`` and
  ``/ready``, which the orchestrator must always reach;
- every answer uvicorn makes itself (400 for what is not HTTP, 503 over the
  concurrency limit, 500 for an app that failed before answering) is an RFC
  9457 ``application/problem+json`` document like the app's own.

After a refusal the connection stops being parsed, the answer is sent and
the rest of what the client sends is read and dropped for at most
``LINGER_S`` (so a client still sending can read the answer) and then closed.
"""

import asyncio
import json
from http import HTTPStatus
from typing import Any

import httptools
from uvicorn.config import Config
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol, RequestResponseCycle
from uvicorn.server import ServerState

from app.config import get_settings
from app.errors import PROBLEM_BASE, PROBLEM_MEDIA_TYPE
from app.middleware import add_security_headers

LINGER_S = 1.0
LINGER_MAX_BYTES = 4 * 1024 * 1024
ALWAYS_SERVED = frozenset({"/health", "/ready"})


class Refusal(Exception):
    def __init__(self, status: int, slug: str, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.slug = slug
        self.detail = detail


def problem_document(status: int, slug: str, detail: str) -> bytes:
    return json.dumps(
        {
            "type": PROBLEM_BASE + slug,
            "title": HTTPStatus(status).phrase,
            "status": status,
            "detail": detail,
        }
    ).encode()


def problem_headers(body: bytes) -> list[tuple[bytes, bytes]]:
    headers = [
        (b"content-type", PROBLEM_MEDIA_TYPE.encode()),
        (b"content-length", str(len(body)).encode()),
        (b"connection", b"close"),
    ]
    add_security_headers(headers)
    return headers


async def over_capacity(scope: Any, receive: Any, send: Any) -> None:
    """The answer past ``limit_concurrency`` (uvicorn's is text/plain)."""
    body = problem_document(
        503, "over-capacity", "The server is handling as many requests as it may; retry shortly."
    )
    headers = [*problem_headers(body), (b"retry-after", b"1")]
    await send({"type": "http.response.start", "status": 503, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def internal_error(cycle: RequestResponseCycle) -> None:
    """What uvicorn sends for an app that raised before answering (its own is text/plain)."""
    body = problem_document(500, "internal-error", "The server failed to answer this request.")
    await cycle.send(
        {"type": "http.response.start", "status": 500, "headers": problem_headers(body)}
    )
    await cycle.send({"type": "http.response.body", "body": body, "more_body": False})


class LimitedHttpProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with limits on the request head."""

    def __init__(
        self,
        config: Config,
        server_state: ServerState,
        app_state: dict[str, Any],
        _loop: asyncio.AbstractEventLoop | None = None,
    ) -> None:
        super().__init__(config, server_state, app_state, _loop)
        settings = get_settings()
        self.max_head_bytes = settings.max_header_bytes
        self.max_target_bytes = settings.max_url_bytes
        self.head_timeout_s = settings.header_timeout_s
        self.body_timeout_s = settings.body_timeout_s
        # Checked in on_headers_complete instead, where the path is known.
        self.concurrency_limit = self.limit_concurrency
        self.limit_concurrency = None
        self.served_app = self.app
        self.reading_head = True
        self.head_bytes = 0
        self.heads_read = 0
        self.refusal: Refusal | None = None
        self.lingering = 0
        # Deadlines, checked by one timer per connection (``_watch``) rather
        # than by a timer armed and cancelled per request.
        self.head_deadline: float | None = None
        self.body_deadline: float | None = None
        self.watchdog: asyncio.TimerHandle | None = None
        self.watchdog_at = 0.0

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._await_head()

    def connection_lost(self, exc: Exception | None) -> None:
        self.head_deadline = self.body_deadline = None
        if self.watchdog is not None:
            self.watchdog.cancel()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self.refusal is not None:
            self._drop(data)
            return
        if self.reading_head:
            room = self.max_head_bytes - self.head_bytes
            if len(data) > room:
                heads_before = self.heads_read
                self._feed(data[:room])
                if self.refusal is not None or self.transport.is_closing():
                    return
                if self.heads_read == heads_before:
                    self.refuse(
                        Refusal(
                            431,
                            "headers-too-large",
                            f"The request line and headers exceed {self.max_head_bytes} bytes.",
                        )
                    )
                    return
                self.data_received(data[room:])
                return
            self.head_bytes += len(data)
        self._feed(data)

    def _feed(self, data: bytes) -> None:
        self._unset_keepalive_if_required()
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserUpgrade:
            if self._should_upgrade():
                self.handle_websocket_upgrade()
            else:
                self._unsupported_upgrade_warning()
        except httptools.HttpParserError:
            if self.refusal is None:
                self.logger.warning("Invalid HTTP request received.")
                self.refuse(Refusal(400, "bad-request", "The request is not valid HTTP/1.1."))

    def send_400_response(self, msg: str) -> None:
        self.refuse(Refusal(400, "bad-request", "The request is not valid HTTP/1.1."))

    def refuse(self, refusal: Refusal) -> None:
        """Answer ``refusal`` and close, after reading what is in flight a little."""
        self.refusal = refusal
        self.head_deadline = self.body_deadline = None
        if self.transport.is_closing():
            return
        body = problem_document(refusal.status, refusal.slug, refusal.detail)
        content = [f"HTTP/1.1 {refusal.status} {HTTPStatus(refusal.status).phrase}\r\n".encode()]
        for name, value in [*self.server_state.default_headers, *problem_headers(body)]:
            content.extend([name, b": ", value, b"\r\n"])
        content.extend([b"\r\n", body])
        self.transport.write(b"".join(content))
        if self.transport.can_write_eof():
            self.transport.write_eof()
        self.loop.call_later(LINGER_S, self.transport.close)

    def _drop(self, data: bytes) -> None:
        self.lingering += len(data)
        if self.lingering > LINGER_MAX_BYTES:
            self.transport.close()

    def on_url(self, url: bytes) -> None:
        super().on_url(url)
        if len(self.url) > self.max_target_bytes:
            self.refuse(
                Refusal(
                    414,
                    "uri-too-long",
                    f"The request target exceeds {self.max_target_bytes} bytes.",
                )
            )
            raise self.refusal  # type: ignore[misc]  # stops the parser

    def on_headers_complete(self) -> None:
        self.reading_head = False
        self.heads_read += 1
        self.head_deadline = None
        limit = self.concurrency_limit
        self.app = self.served_app
        if limit is not None and (len(self.connections) >= limit or len(self.tasks) >= limit):
            path = httptools.parse_url(self.url).path
            if path.decode("ascii", "replace") not in ALWAYS_SERVED:
                self.logger.warning("Exceeded concurrency limit.")
                self.app = over_capacity
        super().on_headers_complete()
        cycle = self.cycle
        if cycle is not None:  # None when the request upgrades to a WebSocket
            cycle.send_500_response = lambda: internal_error(cycle)  # type: ignore[method-assign]
            self._await_body()

    def on_body(self, body: bytes) -> None:
        super().on_body(body)
        self._await_body()

    def on_message_complete(self) -> None:
        self.body_deadline = None
        super().on_message_complete()
        self.reading_head = True
        self.head_bytes = 0

    def _await_body(self) -> None:
        self.body_deadline = self.loop.time() + self.body_timeout_s
        self._watch(self.body_deadline)

    def _body_timed_out(self) -> None:
        cycle = self.cycle
        if self.transport.is_closing() or cycle is None or not cycle.more_body:
            return
        if cycle.response_started:
            self.transport.close()  # the app answered without waiting for the body
            return
        self.refuse(
            Refusal(
                408,
                "request-timeout",
                f"Nothing more of the request body came for {self.body_timeout_s:g} s.",
            )
        )
        # The app, waiting for the body, is told the client left; what it
        # sends after that is dropped.
        cycle.disconnected = True
        cycle.message_event.set()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing() and not self.pipeline:
            self._await_head()

    def _await_head(self) -> None:
        self.head_deadline = self.loop.time() + self.head_timeout_s
        self._watch(self.head_deadline)

    def _watch(self, deadline: float) -> None:
        """Have the watchdog fire by ``deadline``."""
        if self.watchdog is None or deadline < self.watchdog_at:
            if self.watchdog is not None:
                self.watchdog.cancel()
            self.watchdog_at = deadline
            self.watchdog = self.loop.call_at(deadline, self._check_deadlines)

    def _check_deadlines(self) -> None:
        self.watchdog = None
        now = self.loop.time()
        if self.head_deadline is not None and now >= self.head_deadline:
            self.head_deadline = None
            self._head_timed_out()
        if self.body_deadline is not None and now >= self.body_deadline:
            self.body_deadline = None
            self._body_timed_out()
        pending = [d for d in (self.head_deadline, self.body_deadline) if d is not None]
        if pending and not self.transport.is_closing():
            self._watch(min(pending))

    def _head_timed_out(self) -> None:
        if self.transport.is_closing() or not self.reading_head:
            return
        if self.cycle is not None and not self.cycle.response_complete:
            return  # a request is being answered
        if self.head_bytes == 0:
            self.transport.close()  # an idle connection
            return
        self.refuse(
            Refusal(
                408,
                "request-timeout",
                f"The request line and headers took longer than {self.head_timeout_s:g} s.",
            )
        )
