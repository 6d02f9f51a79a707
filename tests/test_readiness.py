"""``/ready`` answers from a probe with its own deadline; ``/health`` never waits.

A "database" that accepts connections and never answers (what a stopped
postmaster looks like to a client) must turn ``/ready`` 503 within 2 s,
while ``/health`` answers at once. The real shutdowns and SIGSTOP are in
``tests/test_faults.py``."""

import asyncio
import socket
import time
from collections.abc import Iterator

import pytest

from app.main import create_app
from app.readiness import head_revisions
from tests.committed import running

READY_DEADLINE_S = 2.0


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A port that accepts TCP connections and never says a word."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(64)
        yield listener.getsockname()[1]


async def test_ready_is_503_within_2_s_when_the_database_does_not_answer(silent_port):
    app = create_app(database_url=f"postgresql://nobody@127.0.0.1:{silent_port}/none")
    async with running(app) as client:
        started = time.monotonic()
        health = await client.get("/health")
        assert health.status_code == 200
        assert time.monotonic() - started < 0.5
        response = await client.get("/ready")
        elapsed = time.monotonic() - started
        assert response.status_code == 503, response.text
        assert response.headers["content-type"] == "application/problem+json"
        assert response.headers["retry-after"] == "1"
        assert "did not answer" in response.json()["detail"]
        assert elapsed < READY_DEADLINE_S


async def test_ready_is_200_at_the_head_revision(database_url):
    app = create_app(database_url=database_url)
    async with running(app) as client:
        response = await client.get("/ready")
        assert response.status_code == 200, response.text
        assert response.json() == {"status": "ready", "revision": min(head_revisions())}


@pytest.fixture
def unmigrated_url(server_url_: str) -> Iterator[str]:
    from tests.conftest import scratch_database

    with scratch_database(server_url_, "unmigrated") as url:
        yield url


async def test_ready_says_so_when_the_database_was_never_migrated(unmigrated_url):
    app = create_app(database_url=unmigrated_url)
    async with running(app) as client:
        response = await client.get("/ready")
    assert response.status_code == 503
    assert "revision none" in response.json()["detail"]


async def test_the_probe_rests_while_nobody_asks_and_answers_fresh_after(database_url, monkeypatch):
    """No probe (a new server process each) while /ready goes unasked; the
    first /ready after the quiet spell still answers from a fresh probe."""
    from app import readiness

    monkeypatch.setattr(readiness, "WATCHED_FOR_S", 0.3)
    app = create_app(database_url=database_url)
    async with running(app) as client:
        assert (await client.get("/ready")).status_code == 200
        monitor = app.state.readiness
        await asyncio.sleep(1.0)  # the watch ended 0.3 s after the call
        resting = monitor.probes
        await asyncio.sleep(1.0)
        assert monitor.probes == resting, "probed while nobody asked"
        before = monitor.last
        response = await client.get("/ready")
        assert response.status_code == 200, response.text
        assert monitor.probes > resting
        assert monitor.last.finished_at > before.finished_at
