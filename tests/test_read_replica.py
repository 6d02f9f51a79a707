"""``ONRECORD_DATABASE_READ_URL``: GET requests read from the replica, writes
go to the primary.

Two real databases stand for a primary and its replica, and they are made to
*differ*: a row that only the "replica" has, and a write that only the
primary gets. So each assertion fails if reads went to the primary (the
replica-only row would be 404, the freshly written one 200), or if a write
went to the replica. The app runs with its own lifespan (its own engines),
as ``onrecord serve`` runs it, and is spoken to over HTTP (ASGI).
"""

from collections.abc import Iterator
from typing import Any
from uuid import UUID, uuid4

import asyncpg
import pytest
from sqlalchemy.engine import make_url

from app.config import get_settings
from app.db import create_engine, session_factory
from app.embedded import _asyncpg_params
from app.main import create_app
from tests.committed import running
from tests.conftest import migrated_database
from tests.write_keys import write_headers


@pytest.fixture(scope="module")
def primary_and_replica(server_url_: str) -> Iterator[tuple[str, str]]:
    with (
        migrated_database(server_url_, "rr_primary") as primary,
        migrated_database(server_url_, "rr_replica") as replica,
    ):
        yield primary, replica


async def _fetchval(url: str, query: str, *args: Any) -> Any:
    connection = await asyncpg.connect(**_asyncpg_params(make_url(url)))
    try:
        return await connection.fetchval(query, *args)
    finally:
        await connection.close()


async def _write_headers(url: str) -> dict[str, str]:
    engine = create_engine(url, pool_size=1)
    try:
        async with session_factory(engine)() as session:
            headers = await write_headers(session, name=f"replica-test-{uuid4()}")
            await session.commit()
            return headers
    finally:
        await engine.dispose()


@pytest.fixture
def read_url(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    def apply(url: str | None) -> None:
        if url is None:
            monkeypatch.delenv("ONRECORD_DATABASE_READ_URL", raising=False)
        else:
            monkeypatch.setenv("ONRECORD_DATABASE_READ_URL", url)
        get_settings.cache_clear()

    yield apply
    get_settings.cache_clear()


async def test_reads_go_to_the_replica_and_writes_to_the_primary(primary_and_replica, read_url):
    primary, replica = primary_and_replica
    only_on_replica = uuid4()
    await _fetchval(
        replica,
        "INSERT INTO actors (id, kind, name) VALUES ($1, 'person', 'Only on the replica')"
        " RETURNING id",
        only_on_replica,
    )
    claim_on_replica = uuid4()
    await _fetchval(
        replica,
        "INSERT INTO claims (id, text, language) VALUES ($1, 'Said on the replica', 'en')"
        " RETURNING id",
        claim_on_replica,
    )
    headers = await _write_headers(primary)

    # Control: without a read URL, everything is on the primary.
    read_url(None)
    async with running(create_app(database_url=primary)) as client:
        assert (await client.get(f"/v1/actors/{only_on_replica}")).status_code == 404
        assert (await client.get(f"/v1/claims/{claim_on_replica}")).status_code == 404

    read_url(replica)
    async with running(create_app(database_url=primary)) as client:
        # A GET is answered from the replica: it finds the replica's own row.
        found = await client.get(f"/v1/actors/{only_on_replica}")
        assert found.status_code == 200, found.text
        assert found.json()["name"] == "Only on the replica"
        listed = await client.get("/v1/actors")
        assert [a["name"] for a in listed.json()["items"]] == ["Only on the replica"]
        # So are the hot reads, on the fast path's own asyncpg pool (app/fastpath.py).
        app = client._transport.app  # type: ignore[attr-defined]
        claim = await client.get(f"/v1/claims/{claim_on_replica}")
        assert claim.status_code == 200, claim.text
        assert claim.json()["text"] == "Said on the replica"
        assert app.state.fast_reads == 1

        # A write goes to the primary, and only there.
        created = await client.post(
            "/v1/actors", json={"kind": "person", "name": "Written"}, headers=headers
        )
        assert created.status_code == 201, created.text
        new_id = UUID(created.json()["id"])
        assert await _fetchval(primary, "SELECT count(*) FROM actors WHERE id = $1", new_id) == 1
        assert await _fetchval(replica, "SELECT count(*) FROM actors WHERE id = $1", new_id) == 0

        # Reading it back goes to the replica, which does not have it (a real
        # replica would, after its replication lag).
        assert (await client.get(f"/v1/actors/{new_id}")).status_code == 404

    # The replica's row never reached the primary.
    count = await _fetchval(primary, "SELECT count(*) FROM actors WHERE id = $1", only_on_replica)
    assert count == 0


def test_a_read_url_that_is_not_postgresql_stops_the_start(read_url, monkeypatch):
    from pydantic import ValidationError

    from app.config import Settings

    monkeypatch.setenv("ONRECORD_DATABASE_READ_URL", "mysql://replica/onrecord")
    with pytest.raises(ValidationError, match="ONRECORD_DATABASE_READ_URL"):
        Settings()


async def test_without_a_replica_every_read_is_on_the_primary(client):
    """X-OnRecord-Min-LSN needs no waiting without a replica; a bad one is a 400
    (docs/standby.md; the real standby: tests/test_standby.py)."""
    from tests.factories import make_actor, problem

    actor = await make_actor(client)
    created = await client.post("/v1/actors", json={"kind": "person", "name": "Fresh"})
    assert created.status_code == 201, created.text
    # No replica: no position to wait for is sent.
    assert "x-onrecord-lsn" not in created.headers
    read = await client.get(f"/v1/actors/{actor['id']}", headers={"X-OnRecord-Min-LSN": "0/0"})
    assert read.status_code == 200, read.text
    assert read.headers["x-onrecord-read-from"] == "primary"
    for bad in ("yesterday", "0/", "1/2/3", "G/1", "0/123456789"):
        refused = await client.get(f"/v1/actors/{actor['id']}", headers={"X-OnRecord-Min-LSN": bad})
        problem(refused, 400, "invalid-lsn")
