"""A write's recount plans its few rows with hash and merge joins and
sequential scans off (app.provenance.corroboration); the rest of the
transaction must be planned as it would have been. The test's connection is
the app's (its session commits to a savepoint inside the test's
transaction), so it sees the settings the write leaves behind."""

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from tests.factories import make_attribution

SETTINGS = ("enable_hashjoin", "enable_mergejoin", "enable_seqscan")


async def _settings(connection: AsyncConnection) -> dict[str, str]:
    return {
        name: (await connection.execute(text(f"SHOW {name}"))).scalar_one() for name in SETTINGS
    }


async def test_a_write_leaves_the_planner_settings_as_they_were(
    client: httpx.AsyncClient, connection: AsyncConnection
):
    before = await _settings(connection)
    assert before == dict.fromkeys(SETTINGS, "on")
    await make_attribution(client)
    assert await _settings(connection) == before


@pytest.mark.parametrize("name", SETTINGS)
async def test_a_setting_changed_earlier_in_the_transaction_is_kept(
    client: httpx.AsyncClient, connection: AsyncConnection, name: str
):
    await connection.execute(text(f"SET LOCAL {name} = off"))
    await make_attribution(client)
    after = await _settings(connection)
    assert after == {other: "off" if other == name else "on" for other in SETTINGS}


@pytest.mark.parametrize("jit", ["on", "off"])
async def test_a_bundles_recount_leaves_jit_as_it_was(
    client: httpx.AsyncClient, connection: AsyncConnection, jit: str
):
    """A bulk recount plans with JIT off (compiling its plan cost more than
    running it), then puts the setting back for the rest of the transaction."""
    from pathlib import Path

    import orjson

    demo = Path(__file__).parents[2] / "app" / "demo" / "libya-haftar.json"
    await connection.execute(text(f"SET LOCAL jit = {jit}"))
    response = await client.post("/v1/bundles", json=orjson.loads(demo.read_bytes()))
    assert response.status_code in (200, 201), response.text
    assert (await connection.execute(text("SHOW jit"))).scalar_one() == jit
