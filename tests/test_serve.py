"""``onrecord serve`` as a person runs it: it says where it listens, where the
docs are and which database it uses, logs one JSON line per request with its
request id, serves with several workers, and stops cleanly on SIGTERM."""

import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest

pytestmark = pytest.mark.slow  # starts the server in subprocesses

ONRECORD = [sys.executable, "-c", "from app.entry import main; main()"]  # as installed
C1 = "1d17ab0e-250b-5da9-b114-8075ee562869"  # the demo's green-light claim


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class Served:
    def __init__(self, process: subprocess.Popen[str], port: int) -> None:
        self.process = process
        self.port = port
        self.base = f"http://127.0.0.1:{port}"
        self.lines: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.lines.append(line.rstrip("\n"))

    def logs(self) -> list[dict[str, object]]:
        found = []
        for line in list(self.lines):
            if line.startswith("{"):
                found.append(json.loads(line))
        return found

    def wait_until_up(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process.poll() is None, "\n".join(self.lines)
            try:
                if httpx.get(f"{self.base}/openapi.json", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise AssertionError("onrecord serve did not answer:\n" + "\n".join(self.lines))

    def stop(self, timeout: float = 30) -> int:
        self.process.send_signal(signal.SIGTERM)
        code = self.process.wait(timeout=timeout)
        self.reader.join(timeout=5)
        return code


@contextmanager
def serve(*args: str, env: dict[str, str] | None = None) -> Iterator[Served]:
    port = free_port()
    environment = {k: v for k, v in os.environ.items() if not k.startswith("ONRECORD_")}
    environment.update(env or {})
    process = subprocess.Popen(  # noqa: S603 - our own command
        [*ONRECORD, "serve", "--port", str(port), *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=environment,
    )
    served = Served(process, port)
    try:
        served.wait_until_up()
        yield served
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)


@pytest.fixture(scope="module")
def scratch_url(server_url_: str) -> Iterator[str]:
    """Migrated: ``--no-migrate`` tests may run first (or alone, under xdist)."""
    from tests.committed import committed_database

    with committed_database(server_url_, "serve") as url:
        yield url


def test_serve_says_where_and_logs_json_lines(scratch_url: str):
    metrics_port = free_port()
    with serve(
        "--demo",
        "--database-url",
        scratch_url,
        env={"ONRECORD_METRICS_ADDRESS": f"127.0.0.1:{metrics_port}"},
    ) as served:
        response = httpx.get(f"{served.base}/v1/claims/{C1}", headers={"X-Request-ID": "q1-serve"})
        assert response.status_code == 200
        assert response.headers["x-request-id"] == "q1-serve"
        assert httpx.get(f"{served.base}/metrics").status_code == 404
        metrics = httpx.get(f"http://127.0.0.1:{metrics_port}/metrics").text
        assert 'route="/v1/claims/{claim_id}",status="200"' in metrics
        time.sleep(0.3)  # let the reader catch the log line
        code = served.stop()
    assert code == 0, "\n".join(served.lines)
    text = "\n".join(served.lines)
    assert f"OnRecord listening on {served.base}" in text
    assert f"{served.base}/docs" in text
    assert f"{served.base}/explore" in text
    assert f"http://127.0.0.1:{metrics_port}/metrics" in text
    assert "  write key  " in text  # app.keys.demo_write_key issued one
    assert "database 'onrecord_serve_" in text  # the redacted URL: no password
    assert "demo:" in text
    assert "Traceback" not in text
    requests = [log for log in served.logs() if log.get("logger") == "onrecord.access"]
    mine = [log for log in requests if log.get("request_id") == "q1-serve"]
    assert len(mine) == 1, requests
    assert mine[0]["route"] == "/v1/claims/{claim_id}"
    assert mine[0]["status"] == 200
    assert mine[0]["method"] == "GET"


def read_response(connection: socket.socket) -> bytes:
    connection.settimeout(30)
    received = b""
    while b"\r\n\r\n" not in received:
        chunk = connection.recv(65536)
        if not chunk:
            break
        received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    length = re.search(rb"(?i)content-length: (\d+)", head)
    while length and len(body) < int(length.group(1)):
        chunk = connection.recv(65536)
        if not chunk:
            break
        body += chunk
    return head + b"\r\n\r\n" + body


def test_sigterm_lets_in_flight_requests_finish(scratch_url: str):
    """A request still being received when SIGTERM comes is answered, then
    the server exits 0."""
    with serve("--demo", "--database-url", scratch_url) as served:
        keys = [line.split()[2] for line in served.lines if line.strip().startswith("write key")]
        if not keys:
            pytest.skip("serve --demo printed no write key (app.keys.demo_write_key)")
        body = json.dumps({"text": "Tripoli will fall within days", "language": "en"}).encode()
        head = (
            "POST /v1/claims HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"Authorization: Bearer {keys[-1]}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\nX-Request-ID: in-flight\r\n\r\n"
        ).encode()
        with socket.create_connection(("127.0.0.1", served.port)) as connection:
            connection.sendall(head + body[:10])
            time.sleep(0.5)  # the app now waits for the rest of the body
            served.process.send_signal(signal.SIGTERM)
            time.sleep(1.0)
            assert served.process.poll() is None, "exited with a request in flight"
            connection.sendall(body[10:])
            response = read_response(connection)
        code = served.process.wait(timeout=30)
        served.reader.join(timeout=5)
    assert response.startswith(b"HTTP/1.1 201"), response
    assert b"x-request-id: in-flight" in response.lower()
    assert code == 0, "\n".join(served.lines)


def test_serve_with_workers(scratch_url: str):
    with serve("--workers", "2", "--no-migrate", "--database-url", scratch_url) as served:
        for _ in range(10):
            assert httpx.get(f"{served.base}/v1/claims", params={"limit": 1}).status_code == 200
        code = served.stop()
    assert code == 0, "\n".join(served.lines)
    started = {
        str(log["message"])
        for log in served.logs()
        if str(log.get("message", "")).startswith("Started server process")
    }
    assert len(started) == 2, served.lines
    assert "workers    2" in "\n".join(served.lines)


def test_workers_need_a_database_url(tmp_path):
    """With the embedded PostgreSQL, serve says so and runs one worker; SIGTERM
    stops the PostgreSQL it started."""
    if os.environ.get("ONRECORD_TEST_DATABASE_URL"):
        pytest.skip("embedded mode only")
    pgdata = tmp_path / "data" / "pgdata"
    with serve("--workers", "2", "--data-dir", str(tmp_path / "data")) as served:
        assert httpx.get(f"{served.base}/v1/claims").status_code == 200
        assert (pgdata / "postmaster.pid").exists()
        code = served.stop()
    assert code == 0, "\n".join(served.lines)
    assert any("several workers need a database URL" in line for line in served.lines)
    # SIGTERM: uvicorn finished, then the embedded PostgreSQL was stopped.
    assert not (pgdata / "postmaster.pid").exists()
