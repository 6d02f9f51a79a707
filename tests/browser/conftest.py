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
import re
import shutil
import socket
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
import uvicorn

from app.demo import load_demo
from app.main import create_app
from tests.conftest import migrated_database

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
    """The founding article alone: what the screenshots show."""
    reason = _chromium_missing()
    if reason:
        pytest.skip(reason)
    with migrated_database(server_url_, "browser") as url:
        asyncio.run(load_demo(url))
        with serve(url) as live:
            yield live


@dataclass
class ScratchServer(LiveServer):
    """A live server on a database of its own, empty but for what tests add:
    ``database_url`` for the importer, ``write`` headers for the API."""

    database_url: str = ""
    write: dict[str, str] = field(default_factory=dict)


@contextlib.contextmanager
def scratch_live_server(server_url: str, purpose: str, *, demo: bool) -> Iterator[ScratchServer]:
    """A live server on a new database of its own (the demo loaded if ``demo``),
    with a write key for the tests; skipped without Chromium."""
    reason = _chromium_missing()
    if reason:
        pytest.skip(reason)
    from tests.write_keys import write_headers_for

    with migrated_database(server_url, purpose) as url:
        if demo:
            asyncio.run(load_demo(url))
        with serve(url) as live:
            yield ScratchServer(
                url=live.url,
                host=live.host,
                port=live.port,
                database_url=url,
                write=write_headers_for(url, name="browser-tests"),
            )


@pytest.fixture(scope="session")
def scratch_server(server_url_: str) -> Iterator[ScratchServer]:
    """Data that must not appear beside the demo (a generated long source, a
    PolNeAR article: never in a committed screenshot) goes here."""
    with scratch_live_server(server_url_, "browser_scratch", demo=False) as server:
        yield server


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
    """Requests the browser tried to send to any host but the test server,
    every request it sent there (method, path and query), and every request,
    sent or blocked, that carried an ``Authorization`` header (method, URL,
    the header)."""

    blocked: list[str] = field(default_factory=list)
    sent: list[tuple[str, str]] = field(default_factory=list)
    authorized: list[tuple[str, str, str]] = field(default_factory=list)

    def api_requests(self) -> list[tuple[str, str]]:
        """What the page asked of anything but its own files (/explore...)."""
        return [(method, path) for method, path in self.sent if not path.startswith("/explore")]


@pytest.fixture
def offline() -> Offline:
    return Offline()


def assert_public_api_only(offline: Offline, writes: Iterable[str] = ()) -> None:
    """The page reached nothing else, and asked only the public API: reading,
    or writing what ``writes`` allows (regular expressions matched in full on
    "METHOD /path"), only those carrying a key."""
    assert offline.blocked == []
    api = offline.api_requests()
    assert api, offline.sent
    allowed = [re.compile(pattern) for pattern in writes]
    for method, path in api:
        assert path.startswith("/v1/"), (method, path)
        if method != "GET":
            assert any(p.fullmatch(f"{method} {path}") for p in allowed), (method, path)
    for method, url, _ in offline.authorized:
        assert method != "GET", f"a read carried the key: {url}"


def open_page(browser: Any, server: LiveServer, offline: Offline, width: int, height: int) -> Any:
    """A fresh page whose network is ``server`` and nothing else. JavaScript
    errors, and console errors on the explorer, are collected in ``page.problems``."""
    context = browser.new_context(
        base_url=server.url, viewport={"width": width, "height": height}, locale="en-GB"
    )

    def only_local(route: Any) -> None:
        parts = urlsplit(route.request.url)
        local = parts.scheme in {"http", "https"} and parts.hostname == server.host
        authorization = route.request.headers.get("authorization")
        if authorization:
            offline.authorized.append((route.request.method, route.request.url, authorization))
        if (local and parts.port == server.port) or parts.scheme in {"data", "blob"}:
            if local:
                query = f"?{parts.query}" if parts.query else ""
                offline.sent.append((route.request.method, f"{parts.path}{query}"))
            route.continue_()
        else:
            offline.blocked.append(route.request.url)
            route.abort("internetdisconnected")

    context.route("**/*", only_local)
    context.set_default_timeout(30_000)
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"error: {error}"))

    def console(message: Any) -> None:
        # The explorer's own pages; /redoc logs the logo its CSP keeps it from fetching.
        if message.type == "error" and "/explore" in page.url:
            problems.append(f"console: {message.text}")

    page.on("console", console)
    page.problems = problems
    return page


REFUSED = "console: Failed to load resource: the server responded with a status of "


def refusals(page: Any, expected: int) -> list[int]:
    """The statuses of the API's refusals the page logged, taken out of its
    problems. Chromium logs every 4xx or 5xx answer to a fetch as a console
    error, though the page handles it: a test that provokes ``expected``
    refusals checks this list (each one, in order), and every other problem
    still fails it. The log reaches Playwright on its own channel, after the
    page may have shown the refusal: it is waited for (up to 5 s)."""
    deadline = time.monotonic() + 5
    while sum(p.startswith(REFUSED) for p in page.problems) < expected:
        if time.monotonic() > deadline:
            break
        page.wait_for_timeout(50)
    statuses = [
        int(p.removeprefix(REFUSED).split()[0]) for p in page.problems if p.startswith(REFUSED)
    ]
    page.problems[:] = [p for p in page.problems if not p.startswith(REFUSED)]
    return statuses


@contextlib.contextmanager
def browsing(
    browser: Any, server: LiveServer, offline: Offline, *, width: int = 1280, height: int = 900
) -> Iterator[Any]:
    page = open_page(browser, server, offline, width, height)
    yield page
    page.context.close()
    assert not page.problems, f"errors on the page: {page.problems}"


@pytest.fixture
def page(browser: Any, live_server: LiveServer, offline: Offline) -> Iterator[Any]:
    """A fresh page on the demo's server, 1280 pixels wide."""
    with browsing(browser, live_server, offline) as page:
        yield page


@pytest.fixture
def scratch_page(browser: Any, scratch_server: ScratchServer, offline: Offline) -> Iterator[Any]:
    """A fresh page on the scratch server, 1280 pixels wide."""
    with browsing(browser, scratch_server, offline) as page:
        yield page


def open_view(page: Any, hash_route: str, ready: str) -> None:
    """Go to ``/explore#<hash_route>`` and wait for the view and ``ready``."""
    page.goto(f"/explore#{hash_route}")
    page.wait_for_selector('main[aria-busy="false"]')
    page.wait_for_selector(ready)


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Screenshots go to test-artifacts/ (gitignored)."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


SCREENS = {1280: 1000, 390: 844}  # width: height (a laptop, a phone)
DOCS = ROOT / "docs" / "explorer"


def assert_fits_and_accessible(page: Any, name: str, width: int) -> None:
    """Nothing but the graphs' own scrolling regions runs wider than the page,
    and axe-core finds no serious or critical violation."""
    overflow = page.evaluate("() => document.scrollingElement.scrollWidth - innerWidth")
    assert overflow <= 0, f"{name} runs {overflow} px wider than {width}"
    violations = run_axe(page)
    assert not violations, [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in violations]


def screenshot(page: Any, name: str, width: int) -> None:
    """``explorer-<name>-<width>.png`` in test-artifacts/; with
    ONRECORD_WRITE_DOCS=1 also ``docs/explorer/<name>-<width>.png``."""
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / f"explorer-{name}-{width}.png"
    page.screenshot(path=str(shot))
    if os.environ.get("ONRECORD_WRITE_DOCS") == "1":
        DOCS.mkdir(exist_ok=True)
        shutil.copyfile(shot, DOCS / f"{name}-{width}.png")


def run_axe(page: Any) -> list[dict[str, Any]]:
    """axe-core's violations of impact serious or critical on the current page."""
    page.add_script_tag(path=str(AXE))
    result: dict[str, Any] = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [v for v in result["violations"] if v.get("impact") in {"serious", "critical"}]
