"""The real app on a committed database, for tests of concurrent requests.

The suite's ``client`` runs every request inside one test transaction on
one connection, so nothing there is concurrent. These helpers give a test a
scratch database of its own (migrated, dropped afterwards) and the app
built on it as a server builds it (its own engines and pools, through its
lifespan): requests sent together run on separate connections and commit
for real, so they race as clients' requests do.
"""

import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from app.config import get_settings
from app.db import create_engine, session_factory
from app.main import create_app
from tests.conftest import migrated_database
from tests.write_keys import Headers, write_headers

BASE_URL = "http://onrecord.test"


@contextmanager
def committed_database(server_url: str, purpose: str) -> Iterator[str]:
    """A migrated scratch database on the test server, dropped afterwards."""
    with migrated_database(server_url, purpose) as url:
        yield url


@asynccontextmanager
async def running(
    app: FastAPI, *, headers: Headers | None = None, request_timeout_s: float = 5.0
) -> AsyncIterator[httpx.AsyncClient]:
    """A client of ``app`` run through its lifespan, as a server runs it (its
    own engines and pools)."""
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(
            transport=transport, base_url=BASE_URL, headers=headers, timeout=request_timeout_s
        ) as client:
            yield client


@asynccontextmanager
async def served(url: str, *, scope: str = "admin") -> AsyncIterator[httpx.AsyncClient]:
    """A client of the app serving ``url`` with its own pools, carrying a new
    key of ``scope`` (committed)."""
    headers = await key_headers(url, scope=scope)
    app = create_app(database_url=url)
    async with running(app, headers=headers, request_timeout_s=60) as client:
        yield client


async def key_headers(url: str, *, scope: str) -> Headers:
    """Headers carrying a new key of ``scope``, committed to ``url``."""
    engine = create_engine(url, pool_size=1)
    try:
        async with session_factory(engine)() as session:
            name = f"concurrent-{scope}-{uuid.uuid4().hex[:8]}"
            headers = await write_headers(session, name=name, scope=scope)
            await session.commit()
            return headers
    finally:
        await engine.dispose()


def committed_fixtures(purpose: str) -> tuple[Any, Any]:
    """A test module's ``database`` (``committed_database``) and ``client``
    (``served`` on it, admin key) fixtures, one of each per module:

        database, client = committed_fixtures("relay_races")
    """

    @pytest.fixture(scope="module")
    def database(server_url_: str) -> Iterator[str]:
        with committed_database(server_url_, purpose) as url:
            yield url

    @pytest.fixture(scope="module")
    async def client(database: str) -> AsyncIterator[httpx.AsyncClient]:
        # A hundred writes at once queue for the pool's ten connections; on a
        # busy machine the default 5 s wait answered 503. The race is the
        # test, not the wait: requests wait as long as they need.
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("ONRECORD_POOL_TIMEOUT_S", "300")
            get_settings.cache_clear()
            try:
                async with served(database) as client:
                    yield client
            finally:
                patch.undo()
                get_settings.cache_clear()

    return database, client
