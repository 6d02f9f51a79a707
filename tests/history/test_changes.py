"""``GET /v1/changes``: every change, once, in a stable order, even when
transactions commit out of order. These tests commit for real (the feed
only hands out committed changes of finished transactions), then clean up."""

from collections.abc import AsyncIterator
from typing import Any
from uuid import UUID

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from app.db import Sessions, new_id
from app.main import create_app
from tests.factories import problem


@pytest.fixture
async def feed(engine: AsyncEngine) -> AsyncIterator[httpx.AsyncClient]:
    """A client of an app on the real database (no test transaction)."""
    app = create_app(sessions=Sessions.on(engine))
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://onrecord.test") as client:
        yield client


@pytest.fixture
async def actor_ids(engine: AsyncEngine) -> AsyncIterator[list[UUID]]:
    """Ids of the actors a test commits; deleted, with their history, after it."""
    ids: list[UUID] = []
    yield ids
    async with engine.begin() as connection:
        for actor_id in ids:
            await connection.execute(text("DELETE FROM actors WHERE id = :id"), {"id": actor_id})
            await connection.execute(
                text("DELETE FROM revisions WHERE record_id = :id"), {"id": actor_id}
            )


INSERT = text("INSERT INTO actors (id, kind, name) VALUES (:id, 'person', :name)")


async def walk(
    feed: httpx.AsyncClient, since: str | None
) -> tuple[list[dict[str, Any]], str | None]:
    items: list[dict[str, Any]] = []
    while True:
        params: dict[str, str | int] = {"limit": 2, **({"since": since} if since else {})}
        response = await feed.get("/v1/changes", params=params)
        assert response.status_code == 200, response.text
        page = response.json()
        items += page["items"]
        since = page["next"]
        if not page["more"]:
            return items, since


async def test_the_feed_lists_every_change_once(feed, engine, actor_ids):
    _, start = await walk(feed, None)
    actor_ids.append(new_id())
    async with engine.begin() as connection:
        await connection.execute(INSERT, {"id": actor_ids[0], "name": "Haftar"})
    async with engine.begin() as connection:
        await connection.execute(
            text("UPDATE actors SET name = 'Khalifa Haftar' WHERE id = :id"), {"id": actor_ids[0]}
        )
    async with engine.begin() as connection:
        await connection.execute(text("DELETE FROM actors WHERE id = :id"), {"id": actor_ids[0]})

    items, position = await walk(feed, start)
    mine = [item for item in items if item["record_id"] == str(actor_ids[0])]
    assert [item["action"] for item in mine] == ["create", "update", "delete"]
    assert mine[1]["after"]["name"] == "Khalifa Haftar"
    again, _ = await walk(feed, position)
    assert again == []  # nothing is handed out twice


async def test_a_change_committed_late_is_not_skipped(feed, engine, actor_ids):
    """A transaction that wrote first but commits last: its revision has the
    smaller id. The feed holds back what came after it until it ends."""
    _, start = await walk(feed, None)
    early, late = new_id(), new_id()
    actor_ids += [early, late]
    async with engine.connect() as slow:
        transaction = await slow.begin()
        await slow.execute(INSERT, {"id": early, "name": "written first"})
        async with engine.begin() as quick:
            await quick.execute(INSERT, {"id": late, "name": "committed first"})
        seen, position = await walk(feed, start)
        assert str(late) not in {item["record_id"] for item in seen}  # held back
        await transaction.commit()
    items, _ = await walk(feed, position)
    order = [item["record_id"] for item in items if item["record_id"] in {str(early), str(late)}]
    assert order == [str(early), str(late)]


async def test_a_bad_position_is_a_problem(feed):
    problem(await feed.get("/v1/changes", params={"since": "nonsense"}), 422, "bad-cursor")
