"""Alembic: upgrade → downgrade to base → upgrade on a fresh database, and no
drift between the models and the migrations."""

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.engine import Connection

from app import models
from app.db import create_engine
from app.migrate import current_revision, downgrade, upgrade
from tests.conftest import scratch_database

EXPECTED_TABLES = {table.name for table in models.Base.metadata.sorted_tables}


@pytest.fixture
def scratch_url(server_url_: str) -> Iterator[str]:
    with scratch_database(server_url_, "migrations") as url:
        yield url


def _inspect(url: str, how: Any) -> Any:
    async def run() -> Any:
        engine = create_engine(url, pool_size=1)
        try:
            async with engine.connect() as connection:
                return await connection.run_sync(how)
        finally:
            await engine.dispose()

    return asyncio.run(run())


def _tables(connection: Connection) -> set[str]:
    return set(inspect(connection).get_table_names())


def _drift(connection: Connection) -> list[Any]:
    context = MigrationContext.configure(
        connection, opts={"compare_type": True, "compare_server_default": True}
    )
    return list(compare_metadata(context, models.Base.metadata))


def test_upgrade_downgrade_upgrade_without_drift(scratch_url):
    assert _inspect(scratch_url, _tables) == set()

    upgrade(scratch_url)
    assert _inspect(scratch_url, _tables) >= EXPECTED_TABLES | {"alembic_version"}
    head = asyncio.run(current_revision(scratch_url))
    assert head is not None

    downgrade(scratch_url, "base")
    assert _inspect(scratch_url, _tables) - {"alembic_version"} == set()
    assert asyncio.run(current_revision(scratch_url)) is None

    upgrade(scratch_url)
    assert _inspect(scratch_url, _tables) >= EXPECTED_TABLES
    assert asyncio.run(current_revision(scratch_url)) == head

    drift = _inspect(scratch_url, _drift)
    assert drift == [], "models and migrations differ:\n" + "\n".join(map(str, drift))


def test_upgrading_twice_is_a_no_op(scratch_url):
    upgrade(scratch_url)
    upgrade(scratch_url)
    assert _inspect(scratch_url, _drift) == []


def test_names_stored_before_are_brought_to_nfc(scratch_url):
    import unicodedata

    import asyncpg

    composed = "Chérif"
    decomposed = unicodedata.normalize("NFD", composed)
    upgrade(scratch_url, "0007")

    async def run(sql: str, *args: object) -> list[asyncpg.Record]:
        connection = await asyncpg.connect(scratch_url)
        try:
            return list(await connection.fetch(sql, *args))
        finally:
            await connection.close()

    actor = "0190f5a2-0000-7000-8000-000000000001"
    asyncio.run(
        run(
            "INSERT INTO actors (id, kind, name, role_description) VALUES ($1, 'person', $2, $2)",
            actor,
            decomposed,
        )
    )
    for n, (name, language) in enumerate(
        [(composed, None), (decomposed, None), (decomposed, "fr"), (f"{decomposed}!", "fr")]
    ):
        asyncio.run(
            run(
                "INSERT INTO actor_names (id, actor_id, name, language) VALUES ($1, $2, $3, $4)",
                f"0190f5a2-0000-7000-8000-00000000010{n}",
                actor,
                name,
                language,
            )
        )
    upgrade(scratch_url)
    (row,) = asyncio.run(run("SELECT name, role_description FROM actors"))
    assert tuple(row) == (composed, composed)
    names = asyncio.run(run("SELECT name, language FROM actor_names ORDER BY name, language"))
    assert [tuple(r) for r in names] == [(composed, "fr"), (composed, None), (f"{composed}!", "fr")]
