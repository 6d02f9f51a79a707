"""Test database and HTTP client.

The database is a fresh one on the server given by ONRECORD_TEST_DATABASE_URL
(or ONRECORD_DATABASE_URL), else on an embedded PostgreSQL in a temporary
directory. It is built with ``alembic upgrade head``, so every run exercises
the migrations. Each test runs inside a transaction that is rolled back; the
app's own request-scoped session commits to a savepoint inside it.
"""

import asyncio
import contextlib
import os
import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, async_sessionmaker

from app.bundles.format import BundleSummary
from app.db import Sessions, create_engine
from app.embedded import drop_database, ensure_database, server_url, start_server
from app.main import create_app
from app.migrate import upgrade

# Extractions run at full speed here: the rests share a server's cores with its
# reads (tests/extractions/test_worker.py checks them), and would only make the
# suite wait four times as long for each extraction.
os.environ.setdefault("ONRECORD_EXTRACTION_CPU_SHARE", "1")


def _server_url() -> Iterator[str]:
    configured = os.environ.get("ONRECORD_TEST_DATABASE_URL") or os.environ.get(
        "ONRECORD_DATABASE_URL"
    )
    if configured:
        yield configured
        return
    with tempfile.TemporaryDirectory(prefix="onrecord-test-") as data_dir:
        server = start_server(Path(data_dir))
        try:
            yield server_url(server, "postgres").render_as_string(hide_password=False)
        finally:
            server.cleanup()


@pytest.fixture(scope="session")
def server_url_() -> Iterator[str]:
    for server in _server_url():
        yield server
        name = _templates.pop(server, None)
        if name is not None:  # before the server goes
            asyncio.run(drop_database(make_url(server).set(database=name), name))


@contextlib.contextmanager
def scratch_database(server: str, purpose: str, *, template: str | None = None) -> Iterator[str]:
    """A new database on the test server (empty, or a copy of ``template``),
    dropped afterwards."""
    name = f"onrecord_{purpose}_{os.getpid()}"
    url = make_url(server).set(database=name)
    asyncio.run(drop_database(url, name))
    asyncio.run(ensure_database(url, name, template=template))
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        asyncio.run(drop_database(url, name))


_templates: dict[str, str] = {}


def _migrated_template(server: str) -> str:
    """A database built once per process by ``alembic upgrade head``, from
    which migrated scratch databases are copied: a copy takes ~0.1 s where
    an upgrade takes ~1.2 s, and it is the same schema byte for byte (no
    migration sets anything per database, which a copy would not carry)."""
    if server not in _templates:
        name = f"onrecord_template_{os.getpid()}"
        url = make_url(server).set(database=name)
        asyncio.run(drop_database(url, name))
        asyncio.run(ensure_database(url, name))
        upgrade(url.render_as_string(hide_password=False))
        _templates[server] = name
    return _templates[server]


def migrated_database(server: str, purpose: str) -> contextlib.AbstractContextManager[str]:
    """A new database at the head revision on the test server, dropped
    afterwards (for tests that need their own committed data)."""
    return scratch_database(server, purpose, template=_migrated_template(server))


@pytest.fixture(scope="session")
def database_url(server_url_: str) -> Iterator[str]:
    name = f"onrecord_test_{os.getpid()}"
    url = make_url(server_url_).set(database=name)
    asyncio.run(drop_database(url, name))
    asyncio.run(ensure_database(url, name))
    rendered = url.render_as_string(hide_password=False)
    upgrade(rendered)
    yield rendered
    asyncio.run(drop_database(url, name))


@pytest.fixture(scope="session")
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(database_url, pool_size=2)
    yield engine
    await engine.dispose()


@pytest.fixture
async def connection(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    async with engine.connect() as connection:
        transaction = await connection.begin()
        yield connection
        await transaction.rollback()


def sessions_on(connection: AsyncConnection) -> Sessions:
    """Sessions inside the test's transaction: what the app commits is a
    savepoint, rolled back with the test."""
    return Sessions(
        engine=connection.engine,
        write=async_sessionmaker(
            bind=connection, expire_on_commit=False, join_transaction_mode="create_savepoint"
        ),
    )


def app_on(connection: AsyncConnection) -> FastAPI:
    """The app, its requests' sessions inside the test's transaction."""
    return create_app(sessions=sessions_on(connection))


@pytest.fixture
async def client(connection: AsyncConnection) -> AsyncIterator[httpx.AsyncClient]:
    app = app_on(connection)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    # Writes need an API key (app/keys): the client has an admin one, made in
    # the test's transaction; tests of access control send their own.
    token = await make_key(connection, scope="admin", name="tests")
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(
        transport=transport, base_url="http://onrecord.test", headers=headers
    ) as client:
        yield client


async def make_key(connection: AsyncConnection, *, scope: str, name: str) -> str:
    """A new API key, stored in the test's transaction; returns its token."""
    from app.keys.service import create_key

    factory = async_sessionmaker(
        bind=connection, expire_on_commit=False, join_transaction_mode="create_savepoint"
    )
    async with factory() as session:
        _, token = await create_key(session, name=name, scope=scope)
        await session.commit()
    return token


class StatementLog:
    """SQL statements sent to PostgreSQL while a test watches (round trips)."""

    def __init__(self) -> None:
        self.statements: list[str] = []

    def __len__(self) -> int:
        return len(self.statements)

    def clear(self) -> None:
        self.statements.clear()


@pytest.fixture
def statements(connection: AsyncConnection) -> Iterator[StatementLog]:
    """Counts the statements the app executes: ``statements.clear()`` before a
    request, ``len(statements)`` after it."""
    from sqlalchemy import event

    log = StatementLog()
    sync_connection = connection.sync_connection
    assert sync_connection is not None

    def record(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        # Savepoint bookkeeping belongs to the test harness, not to the endpoint.
        if not statement.startswith(("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")):
            log.statements.append(statement)

    event.listen(sync_connection, "before_cursor_execute", record)
    yield log
    event.remove(sync_connection, "before_cursor_execute", record)


@pytest.fixture
async def demo(connection: AsyncConnection) -> BundleSummary:
    """The founding article (app/demo), loaded inside the test's transaction.

    Returns the load's summary; ``demo.ids["C1"]`` is the id of the record
    whose ref is C1 in app/demo/libya-haftar.json.
    """
    from app.bundles.bulk import load_bundle
    from app.demo import demo_bundle

    factory = async_sessionmaker(
        bind=connection, expire_on_commit=False, join_transaction_mode="create_savepoint"
    )
    async with factory() as session:
        summary = await load_bundle(session, demo_bundle())
        await session.commit()
    return summary
