"""A live OnRecord and a headless Chromium that can reach nothing else.

The server is uvicorn in a background thread, on a free port, serving
``create_app`` against a scratch database (migrated, the demo loaded): the
browser needs real HTTP, and the suite's per-test transactions are invisible
to another connection. The browser is Debian's Chromium (``/usr/bin/chromium``,
which .ci/run installs) driven by Playwright; Playwright's own browser
downloads are never used. Every request to another host is aborted and
recorded, so a page that works here works on a closed newsroom network.

Without Chromium the tests are skipped, saying so.
"""

import asyncio
import contextlib
import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
import uvicorn

from app.demo import load_demo
from app.main import create_app
from app.migrate import upgrade
from tests.conftest import scratch_database

CHROMIUM = os.environ.get("ONRECORD_CHROMIUM", "/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
AXE = Path(__file__).with_name("axe.min.js")


def _chromium_missing() -> str | None:
    if not (Path(CHROMIUM).is_file() or shutil.which(CHROMIUM)):
        return f"Chromium not found at {CHROMIUM} (apt-get install -y chromium; .ci/run does)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install '.[test]')"
    return None


@dataclass
class LiveServer:
    url: str
    host: str
    port: int

    def api(self, path: str, **params: Any) -> Any:
        response = httpx.get(f"{self.url}{path}", params=params, timeout=10)
        response.raise_for_status()
        return response.json()


@contextlib.contextmanager
def serve(database_url: str) -> Iterator[LiveServer]:
    """uvicorn on a free local port in a thread, until the block ends."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    host, port = sock.getsockname()
    config = uvicorn.Config(
        create_app(database_url=database_url), log_level="warning", lifespan="on"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the live OnRecord server did not start")
        time.sleep(0.02)
    try:
        yield LiveServer(url=f"http://{host}:{port}", host=host, port=port)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@pytest.fixture(scope="session")
def live_server(server_url_: str) -> Iterator[LiveServer]:
    reason = _chromium_missing()
    if reason:
        pytest.skip(reason)
    with scratch_database(server_url_, "browser") as url:
        upgrade(url)
        asyncio.run(load_demo(url))
        with serve(url) as live:
            yield live


@pytest.fixture(scope="module")
def browser(live_server: LiveServer) -> Iterator[Any]:
    """Chromium, for one module: Playwright's sync API keeps an event loop
    running in this thread while it is open, which the rest of the suite's
    asyncio tests (and ``asyncio.run``) cannot share, so it is closed as soon
    as the browser tests are done."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        yield chromium
        chromium.close()


@dataclass
class Offline:
    """Requests the browser tried to send to any host but the test server."""

    blocked: list[str] = field(default_factory=list)


@pytest.fixture
def offline() -> Offline:
    return Offline()


@pytest.fixture
def page(browser: Any, live_server: LiveServer, offline: Offline) -> Iterator[Any]:
    """A fresh page whose network is the test server and nothing else."""
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900}, locale="en-GB"
    )

    def only_local(route: Any) -> None:
        parts = urlsplit(route.request.url)
        local = parts.scheme in {"http", "https"} and parts.hostname == live_server.host
        if (local and parts.port == live_server.port) or parts.scheme in {"data", "blob"}:
            route.continue_()
        else:
            offline.blocked.append(route.request.url)
            route.abort("internetdisconnected")

    context.route("**/*", only_local)
    context.set_default_timeout(30_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Screenshots go to test-artifacts/ (gitignored)."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


def run_axe(page: Any) -> list[dict[str, Any]]:
    """axe-core's violations of impact serious or critical on the current page."""
    page.add_script_tag(path=str(AXE))
    result: dict[str, Any] = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [v for v in result["violations"] if v.get("impact") in {"serious", "critical"}]
