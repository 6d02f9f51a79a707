"""Hostile and careless clients against a live server (raw sockets).

uvicorn runs in a thread with the protocol ``onrecord serve`` gives it
(``app.http_protocol.LimitedHttpProtocol``) and the real app on the test
database: oversized heads are refused with 431 or 414 without being read,
a slow head gets 408, what is not HTTP gets 400, the concurrency limit
leaves ``/health`` reachable, and each of these answers is problem+json.
"""

import contextlib
import json
import socket
import threading
import time
from collections.abc import Callable, Iterator, MutableMapping
from dataclasses import dataclass
from typing import Any

import pytest
import uvicorn

from app.config import get_settings
from app.http_protocol import LimitedHttpProtocol
from app.main import create_app

PROBLEM = "application/problem+json"


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    def problem(self) -> dict[str, Any]:
        assert self.headers.get("content-type") == PROBLEM, self
        document: dict[str, Any] = json.loads(self.body)
        assert document["status"] == self.status
        return document


def read_answer(connection: socket.socket, timeout: float = 10) -> Answer:
    connection.settimeout(timeout)
    received = b""
    while b"\r\n\r\n" not in received:
        chunk = connection.recv(65536)
        assert chunk, f"closed without an answer: {received!r}"
        received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0"))
    while len(body) < length:
        chunk = connection.recv(65536)
        if not chunk:
            break
        body += chunk
    return Answer(int(lines[0].split()[1]), headers, body)


class Live:
    def __init__(self, app: Any) -> None:
        config = uvicorn.Config(
            app,
            host="127.0.0.1",
            port=0,
            log_level="critical",
            http=LimitedHttpProtocol,
            timeout_keep_alive=get_settings().keep_alive_s,
            limit_concurrency=get_settings().limit_concurrency,
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            assert time.monotonic() < deadline, "uvicorn did not start"
            assert self.thread.is_alive(), "uvicorn stopped at start-up"
            time.sleep(0.02)
        self.port: int = self.server.servers[0].sockets[0].getsockname()[1]

    def connect(self) -> socket.socket:
        return socket.create_connection(("127.0.0.1", self.port), timeout=10)

    def request(self, raw: bytes) -> Answer:
        with self.connect() as connection:
            connection.sendall(raw)
            return read_answer(connection)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)


@pytest.fixture
def live(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., Live]]:
    servers: list[Live] = []

    def start(app: Any = None, **settings: object) -> Live:
        for name, value in settings.items():
            monkeypatch.setenv(f"ONRECORD_{name.upper()}", str(value))
        get_settings.cache_clear()
        server = Live(app or create_app(database_url=database_url))
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()
    get_settings.cache_clear()


def get(path: str, *headers: str) -> bytes:
    lines = [f"GET {path} HTTP/1.1", "Host: onrecord.test", *headers, "Connection: close"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def filler(total: int) -> list[str]:
    """Headers of about ``total`` bytes, in lines of 1 KiB."""
    return [f"X-Filler-{i}: {'a' * 1000}" for i in range(total // 1016)]


def test_headers_past_16_kib_are_431_and_under_are_served(live):
    server = live()
    served = server.request(get("/health", *filler(15 * 1024)))
    assert served.status == 200
    refused = server.request(get("/health", *filler(17 * 1024)))
    assert refused.status == 431
    problem = refused.problem()
    assert problem["type"] == "https://onrecord.dev/problems/headers-too-large"
    assert "16384" in problem["detail"]
    assert refused.headers["connection"] == "close"
    assert refused.headers["x-content-type-options"] == "nosniff"


def test_the_header_limit_is_a_setting(live):
    server = live(max_header_bytes=4096)
    assert server.request(get("/health", *filler(3 * 1024))).status == 200
    assert server.request(get("/health", *filler(5 * 1024))).status == 431


def test_one_header_of_1_mib_is_refused_without_reading_it(live):
    server = live()
    with server.connect() as connection:
        sender = threading.Thread(
            target=_send_ignoring_resets,
            args=(connection, get("/health", "X-Big: " + "b" * 1024 * 1024)),
        )
        sender.start()
        answer = read_answer(connection)
        sender.join(timeout=30)
    assert answer.status == 431
    answer.problem()


def _send_ignoring_resets(connection: socket.socket, data: bytes) -> None:
    with contextlib.suppress(OSError):  # the server closed: it had answered
        connection.sendall(data)


def test_a_request_target_past_8_kib_is_414(live):
    server = live()
    answer = server.request(get("/v1/actors?q=" + "x" * 9000))
    assert answer.status == 414
    assert answer.problem()["type"] == "https://onrecord.dev/problems/uri-too-long"
    assert server.request(get("/health?q=" + "x" * 7000)).status == 200


@pytest.mark.parametrize(
    "raw",
    [
        b"HELLO\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n",
        b"\x00\xff\r\n",
    ],
)
def test_what_is_not_http_is_a_400_problem(live, raw):
    answer = live().request(raw)
    assert answer.status == 400
    assert answer.problem()["type"] == "https://onrecord.dev/problems/bad-request"


def test_a_head_sent_too_slowly_is_408_and_an_idle_connection_is_closed(live):
    server = live(header_timeout_s=0.5, keep_alive_s=30)
    with server.connect() as slow:
        slow.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n")
        answer = read_answer(slow, timeout=5)
    assert answer.status == 408
    assert answer.problem()["type"] == "https://onrecord.dev/problems/request-timeout"
    with server.connect() as idle:
        idle.settimeout(5)
        assert idle.recv(1024) == b""  # closed by the server


def test_the_concurrency_limit_answers_503_and_spares_health_and_ready(live):
    server = live(limit_concurrency=3, header_timeout_s=30, keep_alive_s=30)
    held = [server.connect() for _ in range(3)]
    try:
        time.sleep(0.2)
        refused = server.request(get("/v1/actors"))
        assert refused.status == 503
        assert refused.problem()["type"] == "https://onrecord.dev/problems/over-capacity"
        assert refused.headers["retry-after"] == "1"
        assert server.request(get("/health")).status == 200
        assert server.request(get("/ready")).status == 200
    finally:
        for connection in held:
            connection.close()


async def _fails_before_answering(scope: Any, receive: Any, send: Any) -> None:
    if scope["type"] == "http":
        raise RuntimeError("an app that fails before answering")


def test_an_app_that_fails_before_answering_gets_a_500_problem(live):
    answer = live(_fails_before_answering).request(get("/anything"))
    assert answer.status == 500
    assert answer.problem()["type"] == "https://onrecord.dev/problems/internal-error"


@pytest.mark.slow  # pushes 8 x 100 MB at the server
def test_eight_100_mb_headers_are_cut_short_and_health_answers(live):
    server = live()
    sent: list[int] = []

    def flood() -> None:
        total = 0
        chunk = b"b" * (1024 * 1024)
        with server.connect() as connection:
            try:
                connection.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\nX-Huge: ")
                while total < 100 * 1024 * 1024:
                    connection.sendall(chunk)
                    total += len(chunk)
            except OSError:
                pass
        sent.append(total)

    floods = [threading.Thread(target=flood) for _ in range(8)]
    for thread in floods:
        thread.start()
    try:
        for _ in range(5):
            assert server.request(get("/health")).status == 200
    finally:
        for thread in floods:
            thread.join(timeout=120)
    assert len(sent) == 8
    # The server stopped reading after a few MiB; the rest never left the client.
    print(f"\nsent before the server closed (MiB): {sorted(s >> 20 for s in sent)}")
    assert max(sent) < 32 * 1024 * 1024, sent


def test_a_body_that_stops_coming_is_408_and_health_still_answers(live):
    server = live(body_timeout_s=0.5)
    head = (
        b"POST /v1/claims HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"Content-Length: 1000\r\n\r\n"
    )
    with server.connect() as slow:
        slow.sendall(head + b'{"text": "never fin')
        assert server.request(get("/health")).status == 200
        answer = read_answer(slow, timeout=5)
    assert answer.status == 408
    assert answer.problem()["type"] == "https://onrecord.dev/problems/request-timeout"


async def test_a_client_leaving_mid_body_is_answered_not_raised(connection):
    """The app sees ``http.disconnect`` while reading a body: a 400 problem
    nobody reads, not an unhandled exception (logged as an error)."""
    from tests.conftest import app_on

    messages: list[dict[str, Any]] = [
        {"type": "http.request", "body": b'{"text": "half', "more_body": True},
        {"type": "http.disconnect"},
    ]
    sent: list[MutableMapping[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    async def send(message: MutableMapping[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/v1/claims",
        "raw_path": b"/v1/claims",
        "query_string": b"",
        "root_path": "",
        "headers": [(b"content-type", b"application/json"), (b"content-length", b"100")],
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 80),
    }
    await app_on(connection)(scope, receive, send)
    assert sent[0]["status"] == 400
    assert json.loads(sent[1]["body"])["type"].endswith("/client-disconnected")


def test_pipelined_requests_past_16_kib_together_are_each_served(live):
    """The limit is per request head, not per packet: 20 pipelined requests
    of 1 KiB of headers each, sent at once, are 20 answers."""
    server = live()
    one = "\r\n".join(["GET /health HTTP/1.1", "Host: x", *filler(1024)]) + "\r\n\r\n"
    last = get("/health", *filler(1024))
    with server.connect() as connection:
        connection.sendall(one.encode() * 19 + last)
        received = b""
        connection.settimeout(10)
        while chunk := connection.recv(65536):
            received += chunk
    assert len(one.encode() * 19 + last) > 16 * 1024
    assert received.count(b"HTTP/1.1 200 OK") == 20, received[:500]
