"""Idempotency-Key: a retried POST is answered, not done twice."""

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.conftest import make_key
from tests.factories import count, problem

ACTOR = {"kind": "person", "name": "Khalifa Haftar"}


async def test_a_replay_returns_the_first_response_and_writes_nothing(client):
    headers = {"Idempotency-Key": '"create-haftar-1"'}
    first = await client.post("/v1/actors", json=ACTOR, headers=headers)
    assert first.status_code == 201, first.text
    again = await client.post("/v1/actors", json=ACTOR, headers=headers)
    assert again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["location"] == first.headers["location"]
    assert again.headers["etag"] == first.headers["etag"]
    assert again.headers["idempotent-replayed"] == "true"
    assert await count(client, "/v1/actors") == 1


async def test_the_same_key_with_another_body_is_422(client):
    headers = {"Idempotency-Key": "create-haftar-2"}
    assert (await client.post("/v1/actors", json=ACTOR, headers=headers)).status_code == 201
    other = await client.post(
        "/v1/actors", json={**ACTOR, "name": "Fayez al-Sarraj"}, headers=headers
    )
    problem(other, 422, "idempotency-key-reused")
    elsewhere = await client.post(
        "/v1/claims", json={"text": "x", "language": "fr"}, headers=headers
    )
    problem(elsewhere, 422, "idempotency-key-reused")
    assert await count(client, "/v1/actors") == 1


async def test_a_refused_request_does_not_use_up_its_key(client):
    headers = {"Idempotency-Key": "create-haftar-3"}
    problem(
        await client.post("/v1/actors", json={"kind": "person"}, headers=headers),
        422,
        "validation-error",
    )
    refused = await client.post("/v1/actors", json={**ACTOR, "kind": "alien"}, headers=headers)
    assert refused.status_code == 422
    assert (await client.post("/v1/actors", json=ACTOR, headers=headers)).status_code == 201


async def test_keys_are_scoped_per_api_key(client, connection):
    headers = {"Idempotency-Key": "create-haftar-4"}
    assert (await client.post("/v1/actors", json=ACTOR, headers=headers)).status_code == 201
    other = await make_key(connection, scope="write", name="desk")
    response = await client.post(
        "/v1/actors", json=ACTOR, headers={**headers, "Authorization": f"Bearer {other}"}
    )
    assert response.status_code == 201
    assert "idempotent-replayed" not in response.headers
    assert await count(client, "/v1/actors") == 2


async def test_a_duplicate_while_the_first_is_running_is_409(
    client, connection, engine: AsyncEngine
):
    """The first request holds the (API key, key) lock until it commits: here
    another session holds it, as a request still running would."""
    key_id = (
        await connection.execute(text("SELECT id FROM api_keys WHERE name = 'tests'"))
    ).scalar_one()
    async with engine.connect() as other:
        await other.execute(
            text("SELECT pg_advisory_lock(hashtextextended(:k, 0))"), {"k": f"{key_id} running-1"}
        )
        try:
            response = await client.post(
                "/v1/actors", json=ACTOR, headers={"Idempotency-Key": "running-1"}
            )
            problem(response, 409, "idempotency-key-in-use")
        finally:
            await other.execute(
                text("SELECT pg_advisory_unlock(hashtextextended(:k, 0))"),
                {"k": f"{key_id} running-1"},
            )
    assert await count(client, "/v1/actors") == 0
    response = await client.post("/v1/actors", json=ACTOR, headers={"Idempotency-Key": "running-1"})
    assert response.status_code == 201


async def test_bundle_imports_are_idempotent_too(client):
    bundle = {
        "format": "onrecord-bundle",
        "version": 1,
        "id": "idempotent-bundle",
        "actors": [{"ref": "a", "kind": "person", "name": "Peter Bode"}],
    }
    headers = {"Idempotency-Key": "bundle-1"}
    first = await client.post("/v1/bundles", json=bundle, headers=headers)
    assert first.status_code == 201, first.text
    again = await client.post("/v1/bundles", json=bundle, headers=headers)
    assert (again.status_code, again.json()) == (201, first.json())  # not the 200 of a re-load
    assert again.headers["idempotent-replayed"] == "true"


async def test_a_malformed_key_is_refused(client):
    response = await client.post("/v1/actors", json=ACTOR, headers={"Idempotency-Key": "x" * 300})
    problem(response, 422, "invalid-field")
