"""Limits and hardening (issue 7, item 4): body sizes per route, statement
timeout, read-only GETs, pool exhaustion, security headers, CORS, and no
stack trace or SQL in any answer.

Tests that need the app's own engines (read-only pool, statement timeout,
pool timeout) run ``create_app`` on the suite's database with its lifespan,
and write nothing that outlives them.
"""

import asyncio
import json
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager

import httpx
import pytest
from fastapi import APIRouter, FastAPI
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from app.config import get_settings
from app.db import ReaderDep, SessionDep, fetcher
from app.fastpath import HotRead
from app.main import create_app
from tests.conftest import app_on, make_key
from tests.factories import count, problem

BASE = "http://onrecord.test"


@pytest.fixture
def settings_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., None]]:
    """Set ``ONRECORD_*`` variables for apps created afterwards."""

    def apply(**values: object) -> None:
        for name, value in values.items():
            monkeypatch.setenv(f"ONRECORD_{name.upper()}", str(value))
        get_settings.cache_clear()

    yield apply
    get_settings.cache_clear()


@asynccontextmanager
async def on_test_transaction(connection: AsyncConnection) -> AsyncIterator[httpx.AsyncClient]:
    """A new app (built with the settings of now) on the test's transaction,
    as the suite's ``client``, with an admin key."""
    app = app_on(connection)
    token = await make_key(connection, scope="admin", name="limits")
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(
        transport=transport, base_url=BASE, headers={"Authorization": f"Bearer {token}"}
    ) as client:
        yield client


@asynccontextmanager
async def running(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """``app`` with its lifespan (its own engines), and a client to it."""
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url=BASE) as client:
            yield client


def assert_no_leak(response: httpx.Response, *secrets: str) -> None:
    for secret in ("Traceback", 'File "', "SELECT", "INSERT", "sqlalchemy", "asyncpg", *secrets):
        assert secret not in response.text, (secret, response.text)


# -- body sizes ------------------------------------------------------------


async def test_bodies_past_the_limit_are_413_problems_declared_or_streamed(
    settings_env, connection
):
    settings_env(max_body_bytes=4096, max_bundle_bytes=65536)
    big = json.dumps({"text": "a" * 8000, "language": "fr"}).encode()
    async with on_test_transaction(connection) as limited:
        declared = await limited.post(
            "/v1/claims", content=big, headers={"content-type": "application/json"}
        )
        assert "4096" in problem(declared, 413, "body-too-large")["detail"]

        async def chunks() -> AsyncIterator[bytes]:
            for start in range(0, len(big), 1000):
                yield big[start : start + 1000]

        streamed = await limited.post(
            "/v1/claims", content=chunks(), headers={"content-type": "application/json"}
        )
        assert "content-length" not in streamed.request.headers  # sent chunked
        assert "4096" in problem(streamed, 413, "body-too-large")["detail"]

        # The bundle route has its own, larger limit: the same size passes it
        # (and is judged on its content), ten times more does not.
        bundle = {"format": "onrecord-bundle", "version": 1, "id": "x", "title": "a" * 8000}
        judged = await limited.post("/v1/bundles", json=bundle)
        problem(judged, 422, "validation-error")  # the title is too long, not the body
        bundle["description"] = "a" * 80000
        problem(await limited.post("/v1/bundles", json=bundle), 413, "body-too-large")


async def test_a_bundle_larger_than_any_other_body_is_accepted(client):
    """Past the 32 MiB of other routes, under the 256 MiB of bundles: loaded."""
    settings = get_settings()
    chunk = "Un texte de source assez long. " * 150_000  # 4.65M characters
    sources = [
        {"ref": f"S{i}", "kind": "article", "title": f"Long {i}", "full_text": chunk}
        for i in range(8)
    ]
    bundle = {"format": "onrecord-bundle", "version": 1, "id": "big", "sources": sources}
    body = json.dumps(bundle).encode()
    assert settings.max_body_bytes < len(body) < settings.max_bundle_bytes
    headers = {"content-type": "application/json"}
    response = await client.post("/v1/bundles", content=body, headers=headers)
    assert response.status_code == 201, response.text[:500]
    assert response.json()["created"]["sources"] == 8
    refused = await client.post("/v1/claims", content=body, headers=headers)
    problem(refused, 413, "body-too-large")


async def test_a_200_mb_bundle_is_read_and_refused_cleanly(client):
    """200 MB is under the bundle limit: read, parsed and refused for its
    content (a 200M-character title), with a problem, and nothing written."""
    before = await count(client, "/v1/sources")
    huge = b'{"format": "onrecord-bundle", "version": 1, "id": "huge", "title": "'
    body = huge + b"x" * 200_000_000 + b'"}'
    response = await client.post(
        "/v1/bundles", content=body, headers={"content-type": "application/json"}
    )
    del body
    error = problem(response, 422, "validation-error")
    assert "/title" in {e["pointer"] for e in error["errors"]}
    assert len(response.content) < 10_000  # the input is not echoed back
    assert await count(client, "/v1/sources") == before


async def test_a_body_past_the_bundle_limit_is_refused_before_it_is_read(settings_env, connection):
    settings_env(max_bundle_bytes=100 * 1024 * 1024)
    body = b" " * (200 * 1024 * 1024)
    async with on_test_transaction(connection) as limited:
        response = await limited.post(
            "/v1/bundles", content=body, headers={"content-type": "application/json"}
        )
    problem(response, 413, "body-too-large")


async def test_compressed_bodies_are_refused_with_415(client):
    before = await count(client, "/v1/actors")
    import gzip

    body = gzip.compress(json.dumps({"kind": "person", "name": "Gz"}).encode())
    response = await client.post(
        "/v1/actors",
        content=body,
        headers={"content-type": "application/json", "content-encoding": "gzip"},
    )
    problem(response, 415, "unsupported-encoding")
    assert await count(client, "/v1/actors") == before


# -- database limits -----------------------------------------------------------


def _probe_routes(app: FastAPI) -> None:
    """Routes only these tests add: they do what no real endpoint should."""

    @app.get("/_test/write")
    async def write_in_a_get(session: SessionDep) -> dict[str, str]:
        await session.execute(
            text("INSERT INTO actors (id, kind, name) VALUES (gen_random_uuid(), 'person', 'x')")
        )
        return {"wrote": "yes"}

    @app.get("/_test/read-only")
    async def read_only_state(session: SessionDep) -> dict[str, str]:
        value = (await session.execute(text("SHOW transaction_read_only"))).scalar_one()
        return {"transaction_read_only": str(value)}

    @app.post("/_test/read-only")
    async def read_write_state(session: SessionDep) -> dict[str, str]:
        value = (await session.execute(text("SHOW transaction_read_only"))).scalar_one()
        return {"transaction_read_only": str(value)}

    @app.get("/_test/slow")
    async def slow(session: SessionDep) -> dict[str, str]:
        await session.execute(text("SELECT pg_sleep(30)"))
        return {"slept": "yes"}

    @app.get("/_test/hold")
    async def hold(session: SessionDep) -> dict[str, str]:
        await session.execute(text("SELECT 1"))
        await asyncio.sleep(1.5)
        return {"held": "yes"}

    @app.get("/_test/boom")
    async def boom() -> None:
        raise RuntimeError("SELECT secret FROM vault; see /srv/onrecord/app.py line 3")

    @app.get("/_test/bad-sql")
    async def bad_sql(session: SessionDep) -> None:
        await session.execute(text("SELEC secret_column FROM vault"))


async def test_a_get_cannot_write(database_url):
    app = create_app(database_url=database_url)
    _probe_routes(app)
    async with running(app) as client:
        before = await count(client, "/v1/actors")
        response = await client.get("/_test/read-only")
        assert response.json() == {"transaction_read_only": "on"}
        response = await client.post("/_test/read-only")
        assert response.json() == {"transaction_read_only": "off"}
        response = await client.get("/_test/write")
        problem(response, 500, "internal-error")
        assert_no_leak(response, "read-only")
        assert await count(client, "/v1/actors") == before


async def test_a_runaway_query_is_cancelled_and_answered_503(database_url, settings_env):
    settings_env(statement_timeout_ms=200)
    app = create_app(database_url=database_url)
    _probe_routes(app)
    async with running(app) as client:
        response = await client.get("/_test/slow")
        problem(response, 503, "statement-timeout")
        assert_no_leak(response, "pg_sleep")
        # the pooled connection is fine afterwards
        assert (await client.get("/v1/actors")).status_code == 200


async def test_a_runaway_query_on_the_hot_reads_pool_is_the_same_503(database_url, settings_env):
    """The hot reads' bare asyncpg pool raises asyncpg's own error, not
    SQLAlchemy's wrapper: it must be mapped as the session's is."""
    settings_env(statement_timeout_ms=200)
    app = create_app(database_url=database_url)
    hot = APIRouter(route_class=HotRead)

    @hot.get("/_test/slow-hot")
    async def slow_hot(reader: ReaderDep) -> dict[str, str]:
        await fetcher(reader)("SELECT pg_sleep(30)", [])
        return {"slept": "yes"}

    app.include_router(hot)
    async with running(app) as client:
        for pool in (True, False):
            if not pool:
                app.state.fast_fetch = None  # the framework's path: a session
            reads = getattr(app.state, "fast_reads", 0)
            response = await client.get("/_test/slow-hot")
            assert getattr(app.state, "fast_reads", 0) == reads + pool
            problem(response, 503, "statement-timeout")
            assert "retry-after" not in response.headers
            assert_no_leak(response, "pg_sleep")


async def test_an_exhausted_pool_answers_503_with_retry_after(database_url, settings_env):
    settings_env(pool_size=1, pool_timeout_s=0.2)
    app = create_app(database_url=database_url)
    _probe_routes(app)
    async with running(app) as client:
        first, second = await asyncio.gather(client.get("/_test/hold"), client.get("/_test/hold"))
        statuses = sorted([first.status_code, second.status_code])
        assert statuses == [200, 503], (first.text, second.text)
        refused = first if first.status_code == 503 else second
        problem(refused, 503, "database-unavailable")
        assert refused.headers["retry-after"] == "1"


async def test_with_no_database_requests_fail_fast_with_503(settings_env):
    # Nothing listens on port 1: every connect is refused.
    app = create_app(database_url="postgresql://nobody@127.0.0.1:1/none")
    async with running(app) as client:
        for method, path, body in (
            ("GET", "/v1/actors", None),
            ("POST", "/v1/actors", {"kind": "person", "name": "X"}),
            ("GET", "/ready", None),
        ):
            # well formed, so the key check goes to the database
            key = {"Authorization": "Bearer onr_000000000000_secret"}
            response = await client.request(method, path, json=body, headers=key)
            error = problem(
                response, 503, "not-ready" if path == "/ready" else "database-unavailable"
            )
            assert response.headers["retry-after"] == "1"
            assert_no_leak(response, "127.0.0.1", "nobody")
            assert error["detail"]
        assert (await client.get("/health")).json() == {"status": "ok"}


async def test_ready_says_which_revision(client):
    response = await client.get("/ready")
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "ready"
    from app.readiness import head_revisions

    assert response.json()["revision"] in head_revisions()


# -- what answers carry ------------------------------------------------------------


async def test_security_headers_on_every_answer(client):
    for method, path in (
        ("GET", "/v1/actors"),
        ("GET", "/v1/nothing"),
        ("POST", "/v1/actors"),
        ("GET", "/openapi.json"),
        ("GET", "/health"),
    ):
        response = await client.request(method, path)
        assert response.headers["x-content-type-options"] == "nosniff", path
        assert response.headers["referrer-policy"] == "no-referrer"
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["content-security-policy"] == (
            "default-src 'none'; frame-ancestors 'none'"
        )


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
async def test_the_docs_pages_keep_working_under_their_policy(client, path):
    page = await client.get(path)
    assert page.status_code == 200
    policy = page.headers["content-security-policy"]
    assert "script-src 'self' 'unsafe-inline'" in policy
    assert "frame-ancestors 'none'" in policy
    assert page.headers["x-content-type-options"] == "nosniff"
    # every script and stylesheet they load is the app's own, and served
    assets = [
        value
        for value in _attributes(page.text, ("src", "href"))
        if value.endswith((".js", ".css"))
    ]
    assert assets, page.text
    for asset in assets:
        assert asset.startswith("/"), asset  # same origin: allowed by 'self'
        assert (await client.get(asset)).status_code == 200, asset


def _attributes(html: str, names: tuple[str, ...]) -> list[str]:
    import re

    pattern = r"\b(" + "|".join(names) + r')="([^"]+)"'
    return [m.group(2) for m in re.finditer(pattern, html)]


async def test_no_cors_headers_by_default(client):
    response = await client.get("/v1/actors", headers={"origin": "https://evil.example"})
    assert "access-control-allow-origin" not in response.headers
    preflight = await client.options(
        "/v1/actors",
        headers={"origin": "https://evil.example", "access-control-request-method": "POST"},
    )
    assert "access-control-allow-origin" not in preflight.headers


async def test_cors_allows_only_the_configured_origins(settings_env):
    settings_env(cors_origins="https://newsroom.example, https://desk.example")
    app = create_app()
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url=BASE) as cors:
        allowed = await cors.get("/health", headers={"origin": "https://desk.example"})
        assert allowed.headers["access-control-allow-origin"] == "https://desk.example"
        other = await cors.get("/health", headers={"origin": "https://evil.example"})
        assert "access-control-allow-origin" not in other.headers
        preflight = await cors.options(
            "/v1/claims",
            headers={
                "origin": "https://newsroom.example",
                "access-control-request-method": "POST",
                "access-control-request-headers": "authorization, content-type",
            },
        )
        assert preflight.status_code == 200
        assert preflight.headers["access-control-allow-origin"] == "https://newsroom.example"
        assert "POST" in preflight.headers["access-control-allow-methods"]
        assert preflight.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize("origins", ["https://desk.example", "*"])
async def test_a_500_carries_what_every_answer_carries(settings_env, origins):
    """ServerErrorMiddleware sends a 500 past every layer the app adds: its
    handler adds their headers, the same as on any other answer."""
    settings_env(cors_origins=origins)
    app = create_app()

    @app.get("/_test/boom")
    async def boom() -> None:
        raise RuntimeError("boom")

    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url=BASE) as cors:
        for origin in ("https://desk.example", "https://evil.example", None):
            headers = {"X-Request-ID": "crash-1", **({"origin": origin} if origin else {})}
            crashed = await cors.get("/_test/boom", headers=headers)
            problem(crashed, 500, "internal-error")
            healthy = await cors.get("/health", headers=headers)
            assert healthy.status_code == 200
            for name in (
                "access-control-allow-origin",
                "access-control-expose-headers",
                "vary",
                "x-content-type-options",
                "referrer-policy",
                "x-frame-options",
                "content-security-policy",
                "x-request-id",
            ):
                assert crashed.headers.get(name) == healthy.headers.get(name), (origin, name)
            assert crashed.headers["x-request-id"] == "crash-1"


def test_a_bad_cors_setting_is_refused_naming_it(settings_env):
    settings_env(cors_origins="newsroom.example/path")
    with pytest.raises(ValueError, match="ONRECORD_CORS_ORIGINS"):
        get_settings()


async def test_unexpected_errors_never_leak_a_trace_or_sql(database_url):
    app = create_app(database_url=database_url)
    _probe_routes(app)
    async with running(app) as client:
        for path in ("/_test/boom", "/_test/bad-sql"):
            response = await client.get(path)
            error = problem(response, 500, "internal-error")
            assert_no_leak(response, "secret", "vault", "/srv/onrecord")
            assert set(error) <= {"type", "title", "status", "detail", "instance"}
            assert response.headers["x-content-type-options"] == "nosniff"
