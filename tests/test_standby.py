"""A real streaming standby: reads routed to it, read-your-writes, failover.

The test starts its own primary and standby (tests/standby_clusters.py). The
app writes through a multi-host URL that only accepts a primary
(``target_session_attrs=read-write``) and reads from the standby
(``ONRECORD_DATABASE_READ_URL``). Replay on the standby is paused to make
the lag certain: a plain read then misses the write (so reads do go to the
standby), a read with the write's ``X-OnRecord-LSN`` gets it from the
primary, and from the standby once it replays. Then the primary stops
(writes answer 503 problems, reads go on) and the standby is promoted
(writes resume, with no restart of the app).
"""

import asyncio
import re
import time
from collections.abc import Iterator
from typing import Any

import asyncpg
import httpx
import pytest
from sqlalchemy.engine import make_url

from app.config import get_settings
from app.embedded import _asyncpg_params, ensure_database
from app.main import create_app
from app.migrate import upgrade
from tests.committed import running
from tests.factories import problem
from tests.standby_clusters import Cluster, primary_and_standby
from tests.write_keys import write_headers_for

pytestmark = pytest.mark.slow  # two PostgreSQL clusters, a base backup, a failover

LSN = re.compile(r"^[0-9A-F]{1,8}/[0-9A-F]{1,8}$")


async def _value(url: str, query: str, *args: Any) -> Any:
    connection = await asyncpg.connect(**_asyncpg_params(make_url(url)))
    try:
        return await connection.fetchval(query, *args)
    finally:
        await connection.close()


async def _until(check: Any, *, within_s: float = 30.0) -> Any:
    """The first truthy ``await check()``, polled until ``within_s`` passed."""
    deadline = time.monotonic() + within_s
    while True:
        result = await check()
        if result or time.monotonic() > deadline:
            return result
        await asyncio.sleep(0.1)


@pytest.fixture
def clusters(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Cluster, Cluster, dict[str, str]]]:
    """The primary, its standby (both migrated), and a write key's headers."""
    with primary_and_standby() as (primary, standby):
        asyncio.run(ensure_database(primary.url("postgres"), "onrecord"))
        upgrade(primary.url())

        async def replayed() -> bool:
            query = "SELECT count(*) FROM pg_tables WHERE tablename = 'alembic_version'"
            try:
                return bool(await _value(standby.url(), query))
            except (OSError, asyncpg.PostgresError):
                return False

        assert asyncio.run(_until(replayed)), "the standby never replayed the schema"
        monkeypatch.setenv("ONRECORD_DATABASE_READ_URL", standby.url())
        monkeypatch.setenv("ONRECORD_READ_YOUR_WRITES_WAIT_MS", "300")
        monkeypatch.setenv("ONRECORD_CONNECT_TIMEOUT_S", "2")
        get_settings.cache_clear()
        yield primary, standby, write_headers_for(primary.url(), name="standby-test")
    get_settings.cache_clear()


def writes_url(primary: Cluster, standby: Cluster) -> str:
    """Both servers; a connection is made only to the one that takes writes."""
    return (
        f"postgresql://postgres@/onrecord?host={primary.socket}:5432&host={standby.socket}:5432"
        "&target_session_attrs=read-write"
    )


ACTOR = {"kind": "person", "name": "Written on the primary"}


async def test_reads_on_the_standby_read_your_writes_and_failover(clusters):
    primary, standby, headers = clusters
    async with running(create_app(database_url=writes_url(primary, standby))) as client:
        await _value(standby.url(), "SELECT pg_wal_replay_pause()")
        created = await client.post("/v1/actors", json=ACTOR, headers=headers)
        assert created.status_code == 201, created.text
        lsn = created.headers["x-onrecord-lsn"]
        assert LSN.match(lsn), lsn
        path = f"/v1/actors/{created.json()['id']}"

        # Reads go to the standby, which has not replayed the write.
        assert (await client.get(path)).status_code == 404
        # The writer's next read carries its LSN: the primary answers it.
        mine = await client.get(path, headers={"X-OnRecord-Min-LSN": lsn})
        assert mine.status_code == 200, mine.text
        assert mine.headers["x-onrecord-read-from"] == "primary"
        assert mine.json()["name"] == ACTOR["name"]
        # A hot read (app/fastpath.py) too.
        claim = await client.post(
            "/v1/claims", json={"text": "Tripoli tiendra", "language": "fr"}, headers=headers
        )
        assert claim.status_code == 201, claim.text
        claim_path = f"/v1/claims/{claim.json()['id']}"
        assert (await client.get(claim_path)).status_code == 404
        hot = await client.get(
            claim_path, headers={"X-OnRecord-Min-LSN": claim.headers["x-onrecord-lsn"]}
        )
        assert hot.status_code == 200, hot.text
        assert hot.headers["x-onrecord-read-from"] == "primary"
        problem(
            await client.get(path, headers={"X-OnRecord-Min-LSN": "yesterday"}),
            400,
            "invalid-lsn",
        )

        # Replay resumes: the standby answers the same read.
        await _value(standby.url(), "SELECT pg_wal_replay_resume()")
        caught_up = await client.get(claim_path, headers={"X-OnRecord-Min-LSN": lsn})
        assert caught_up.status_code == 200, caught_up.text
        assert caught_up.headers["x-onrecord-read-from"] == "replica"
        assert (await client.get(path)).status_code == 200

        # The primary goes away: writes fail clearly, reads go on.
        primary.stop("fast")
        for attempt in range(3):
            refused = await client.post(
                "/v1/actors", json={"kind": "person", "name": f"Lost {attempt}"}, headers=headers
            )
            problem(refused, 503, "database-unavailable")
            assert refused.headers["retry-after"]
        assert (await client.get(path)).status_code == 200

        # The standby is promoted: writes resume, on it, without a restart.
        standby.promote()

        async def write() -> httpx.Response | None:
            response = await client.post(
                "/v1/actors", json={"kind": "person", "name": "After failover"}, headers=headers
            )
            assert response.status_code in {201, 503}, response.text
            return response if response.status_code == 201 else None

        resumed = await _until(write, within_s=20)
        assert resumed is not None, "writes never resumed on the promoted standby"
        new_id = resumed.json()["id"]
        read = await client.get(
            f"/v1/actors/{new_id}",
            headers={"X-OnRecord-Min-LSN": resumed.headers["x-onrecord-lsn"]},
        )
        assert read.status_code == 200, read.text
        assert read.headers["x-onrecord-read-from"] == "replica"
        stored = await _value(
            standby.url(), "SELECT count(*) FROM actors WHERE id = $1::uuid", new_id
        )
        assert stored == 1
        # None of the refused writes was stored.
        lost = await _value(standby.url(), "SELECT count(*) FROM actors WHERE name LIKE 'Lost %'")
        assert lost == 0
