"""Rate limits (``ONRECORD_RATE_LIMIT_KEY``, ``ONRECORD_RATE_LIMIT_ANONYMOUS``):
a budget per API key and per client address, 429 problems with
``Retry-After`` and the RateLimit headers; off unless configured."""

import asyncio
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager

import httpx
import pytest
from fastapi import FastAPI
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncConnection

from app.config import Settings, get_settings
from tests.conftest import app_on, make_key
from tests.factories import problem


@pytest.fixture
def limits(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., None]]:
    def configure(*, key: str | None = None, anonymous: str | None = None) -> None:
        for name, value in (("KEY", key), ("ANONYMOUS", anonymous)):
            if value is None:
                monkeypatch.delenv(f"ONRECORD_RATE_LIMIT_{name}", raising=False)
            else:
                monkeypatch.setenv(f"ONRECORD_RATE_LIMIT_{name}", value)
        get_settings.cache_clear()

    yield configure
    get_settings.cache_clear()


@pytest.fixture
def clients(connection: AsyncConnection):
    """``clients(address)``: a client of one app (made at the first call, with
    the settings of then) from that address."""
    apps: list[FastAPI] = []

    @asynccontextmanager
    async def client_from(address: str = "198.51.100.7") -> AsyncIterator[httpx.AsyncClient]:
        if not apps:
            apps.append(app_on(connection))
        transport = httpx.ASGITransport(
            app=apps[0], raise_app_exceptions=False, client=(address, 40000)
        )
        async with httpx.AsyncClient(transport=transport, base_url="http://onrecord.test") as c:
            yield c

    return client_from


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_off_unless_configured(limits, clients):
    limits()
    async with clients() as client:
        for _ in range(30):
            response = await client.get("/v1/claims")
            assert response.status_code == 200
            assert "ratelimit-limit" not in response.headers


async def test_anonymous_reads_have_a_budget_per_address(limits, clients):
    limits(anonymous="3/minute")
    async with clients("198.51.100.7") as client:
        seen = []
        for _ in range(3):
            response = await client.get("/v1/claims")
            assert response.status_code == 200, response.text
            seen.append(response.headers["ratelimit-remaining"])
            assert response.headers["ratelimit-limit"] == "3"
            assert response.headers["ratelimit-policy"] == "3;w=60"
        assert seen == ["2", "1", "0"]

        refused = await client.get("/v1/actors")
        problem(refused, 429, "rate-limited")
        # One request more every 60/3 s: the next one in 20 s at most.
        assert 1 <= int(refused.headers["retry-after"]) <= 20
        assert refused.headers["ratelimit-remaining"] == "0"
        assert 0 < int(refused.headers["ratelimit-reset"]) <= 60
        # Outside /v1 nothing is limited: health, readiness, docs.
        for path in ("/health", "/openapi.json"):
            assert (await client.get(path)).status_code == 200

    async with clients("198.51.100.8") as elsewhere:
        assert (await elsewhere.get("/v1/claims")).status_code == 200


async def test_each_key_has_its_own_budget(limits, clients, connection):
    limits(key="2/minute")
    first = bearer(await make_key(connection, scope="write", name="desk-1"))
    second = bearer(await make_key(connection, scope="write", name="desk-2"))
    async with clients() as client:
        for name in ("A", "B"):
            created = await client.post(
                "/v1/actors", json={"kind": "person", "name": name}, headers=first
            )
            assert created.status_code == 201, created.text
        refused = await client.post(
            "/v1/actors", json={"kind": "person", "name": "C"}, headers=first
        )
        problem(refused, 429, "rate-limited")
        assert int(refused.headers["retry-after"]) >= 1
        # Nothing was written by the refused request.
        names = [a["name"] for a in (await client.get("/v1/actors")).json()["items"]]
        assert "C" not in names
        assert {"A", "B"} <= set(names)

        other = await client.post(
            "/v1/actors", json={"kind": "person", "name": "D"}, headers=second
        )
        assert other.status_code == 201, other.text
        # No anonymous budget configured: reads without a key are not limited.
        for _ in range(5):
            assert (await client.get("/v1/claims")).status_code == 200


async def test_made_up_keys_spend_the_address_budget(limits, clients, connection):
    limits(key="100/minute", anonymous="3/minute")
    good = bearer(await make_key(connection, scope="write", name="desk"))
    async with clients("203.0.113.9") as client:
        actor = {"kind": "person", "name": "Guess"}
        for attempt in range(3):
            guessed = bearer(f"onr_made_up_{attempt}")
            response = await client.post("/v1/actors", json=actor, headers=guessed)
            assert response.status_code == 401
        refused = await client.post("/v1/actors", json=actor, headers=bearer("onr_made_up_4"))
        problem(refused, 429, "rate-limited")
        # Until the address's budget refills, even a good key from there waits;
        # reads without a key have their own budget.
        problem(await client.post("/v1/actors", json=actor, headers=good), 429, "rate-limited")
        assert (await client.get("/v1/claims")).status_code == 200
    async with clients("203.0.113.10") as elsewhere:
        created = await elsewhere.post("/v1/actors", json=actor, headers=good)
        assert created.status_code == 201, created.text


async def test_the_budget_refills(limits, clients):
    limits(anonymous="2/second")
    async with clients() as client:
        for _ in range(2):
            assert (await client.get("/v1/claims")).status_code == 200
        refused = await client.get("/v1/claims")
        problem(refused, 429, "rate-limited")
        await asyncio.sleep(int(refused.headers["retry-after"]))
        assert (await client.get("/v1/claims")).status_code == 200


@pytest.mark.parametrize("budget", ["lots", "10/fortnight", "0/minute", "-5/second"])
def test_a_budget_that_does_not_parse_stops_the_start(limits, monkeypatch, budget):
    monkeypatch.setenv("ONRECORD_RATE_LIMIT_KEY", budget)
    with pytest.raises(ValidationError, match="ONRECORD_RATE_LIMIT_KEY"):
        Settings()


async def test_a_key_on_a_public_read_does_not_buy_a_budget(limits, clients, connection):
    """Public reads do not check the key they carry: they count per address."""
    limits(key="100/minute", anonymous="2/minute")
    good = bearer(await make_key(connection, scope="write", name="desk"))
    async with clients("203.0.113.20") as client:
        for attempt in range(2):
            read = await client.get("/v1/claims", headers=bearer(f"onr_made_up_{attempt}"))
            assert read.status_code == 200
            assert read.headers["ratelimit-limit"] == "2"
        problem(await client.get("/v1/claims", headers=bearer("onr_other")), 429, "rate-limited")
        problem(await client.get("/v1/claims"), 429, "rate-limited")
        # Writes check the key: they spend the key's own budget.
        created = await client.post(
            "/v1/actors", json={"kind": "person", "name": "W"}, headers=good
        )
        assert created.status_code == 201, created.text
        assert created.headers["ratelimit-limit"] == "100"
