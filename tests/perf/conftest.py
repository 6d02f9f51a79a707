"""A dedicated database at realistic size for query-plan tests.

``onrecord_perf_<pid>`` is created on the test server, migrated with
``app.migrate.upgrade``, filled by ``bench/dataset.py`` (100k attributions by
default; ``ONRECORD_PERF_ATTRIBUTIONS`` changes it), analysed, and dropped at
the end of the session. Reads only: no per-test transaction is needed.
"""

import asyncio
import os
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from app.db import create_engine
from app.embedded import drop_database, ensure_database
from app.migrate import upgrade
from bench.dataset import generate
from bench.explain import app_noting_plans

PERF_ATTRIBUTIONS = int(os.environ.get("ONRECORD_PERF_ATTRIBUTIONS", "100000"))


@pytest.fixture(scope="session")
def perf_database_url(server_url_: str) -> Iterator[str]:
    name = f"onrecord_perf_{os.getpid()}"
    url = make_url(server_url_).set(database=name)
    asyncio.run(drop_database(url, name))
    asyncio.run(ensure_database(url, name))
    rendered = url.render_as_string(hide_password=False)
    try:
        upgrade(rendered)
        asyncio.run(generate(rendered, PERF_ATTRIBUTIONS))
        yield rendered
    finally:
        asyncio.run(drop_database(url, name))


@dataclass
class Captured:
    """Statements (and their parameters) the app sent while ``active``."""

    active: bool = False
    statements: list[tuple[str, Any]] = field(default_factory=list)
    planned_once: set[str] = field(default_factory=set)
    """Statements the app runs on connections that plan them once (search):
    the fast path's ``generic_plan`` (``app.db.GENERIC_PLANS``)."""


@pytest.fixture(scope="session")
async def perf_engine(perf_database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(perf_database_url, pool_size=2)
    yield engine
    await engine.dispose()


@pytest.fixture(scope="session")
def captured(perf_engine: AsyncEngine) -> Iterator[Captured]:
    log = Captured()

    def record(_conn: object, _cursor: object, statement: str, parameters: Any, *_: Any) -> None:
        if log.active:
            log.statements.append((statement, parameters))

    event.listen(perf_engine.sync_engine, "before_cursor_execute", record)
    yield log
    event.remove(perf_engine.sync_engine, "before_cursor_execute", record)


@pytest.fixture(scope="session")
async def perf_client(
    perf_engine: AsyncEngine, captured: Captured
) -> AsyncIterator[httpx.AsyncClient]:
    """The real app (routers, services, SQL) on the perf database; its hot
    reads' fetch notes which statements the fast path would plan once."""
    app = app_noting_plans(perf_engine, captured.planned_once)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=True)
    async with httpx.AsyncClient(transport=transport, base_url="http://onrecord.test") as client:
        yield client
