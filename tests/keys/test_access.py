"""Access control: writes need a key of the right scope, reads are open
(or need a read key when ONRECORD_PUBLIC_READS=false)."""

from collections.abc import Iterator

import pytest

from app.config import get_settings
from tests.conftest import make_key
from tests.factories import make_actor, make_claim, problem

CLAIM = {"text": "Tripoli est une ligne rouge", "language": "fr"}


@pytest.fixture
def anonymous(client):
    """The test client without its API key."""
    del client.headers["authorization"]
    return client


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def private_reads(monkeypatch) -> Iterator[None]:
    monkeypatch.setenv("ONRECORD_PUBLIC_READS", "false")
    get_settings.cache_clear()
    yield
    monkeypatch.undo()
    get_settings.cache_clear()


async def test_a_write_without_a_key_is_401_with_a_bearer_challenge(anonymous):
    response = await anonymous.post("/v1/claims", json=CLAIM)
    problem(response, 401, "unauthorized")
    assert response.headers["www-authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    "authorization",
    ["Bearer onr_000000000000_not-the-secret", "Bearer nonsense", "Basic dXNlcjpwYXNz", "Bearer"],
)
async def test_a_write_with_a_key_that_is_not_valid_is_401(anonymous, authorization):
    response = await anonymous.post(
        "/v1/claims", json=CLAIM, headers={"Authorization": authorization}
    )
    problem(response, 401, "unauthorized")
    assert "Bearer" in response.headers["www-authenticate"]


async def test_a_wrong_secret_for_a_real_prefix_is_401(anonymous, connection):
    token = await make_key(connection, scope="write", name="desk")
    forged = token[: token.rindex("_") + 1] + "x" * 43
    problem(
        await anonymous.post("/v1/claims", json=CLAIM, headers=bearer(forged)), 401, "unauthorized"
    )


async def test_a_write_key_writes_and_its_id_is_recorded(anonymous, connection):
    token = await make_key(connection, scope="write", name="desk")
    response = await anonymous.post("/v1/claims", json=CLAIM, headers=bearer(token))
    assert response.status_code == 201, response.text
    admin = await make_key(connection, scope="admin", name="editor")
    path = f"/v1/claims/{response.json()['id']}/history"
    history = (await anonymous.get(path, headers=bearer(admin))).json()
    assert history["items"][0]["key"]["name"] == "desk"


@pytest.mark.parametrize("viewer", [None, "read", "write"])
async def test_who_wrote_is_shown_to_admin_keys_only(anonymous, connection, viewer):
    token = await make_key(connection, scope="write", name="desk-secret-name")
    response = await anonymous.post("/v1/claims", json=CLAIM, headers=bearer(token))
    claim_id = response.json()["id"]
    headers = bearer(await make_key(connection, scope=viewer, name="viewer")) if viewer else {}
    key_id = (
        await anonymous.get(
            f"/v1/claims/{claim_id}/history",
            headers=bearer(await make_key(connection, scope="admin", name="editor")),
        )
    ).json()["items"][0]["key"]["id"]

    history = await anonymous.get(f"/v1/claims/{claim_id}/history", headers=headers)
    changes = await anonymous.get("/v1/changes", params={"limit": 200}, headers=headers)

    for response in (history, changes):
        assert response.status_code == 200, response.text
        assert "desk-secret-name" not in response.text
        assert key_id not in response.text
    (revision,) = history.json()["items"]
    assert revision["key"] is None
    assert revision["action"] == "create"  # that it changed, and when
    assert revision["at"]


async def test_a_bad_key_on_history_is_refused(anonymous):
    response = await anonymous.get(
        "/v1/changes", headers={"Authorization": "Bearer onr_000000000000_nope"}
    )
    problem(response, 401, "unauthorized")


async def test_a_read_key_cannot_write(anonymous, connection):
    token = await make_key(connection, scope="read", name="reader")
    response = await anonymous.post("/v1/claims", json=CLAIM, headers=bearer(token))
    body = problem(response, 403, "forbidden")
    assert "write" in body["detail"]


async def test_hard_delete_needs_an_admin_key(client, connection):
    claim = await make_claim(client)
    writer = await make_key(connection, scope="write", name="desk")
    response = await client.delete(f"/v1/claims/{claim['id']}", headers=bearer(writer))
    problem(response, 403, "forbidden")
    assert (await client.get(f"/v1/claims/{claim['id']}")).status_code == 200
    admin = await make_key(connection, scope="admin", name="editor")
    assert (
        await client.delete(f"/v1/claims/{claim['id']}", headers=bearer(admin))
    ).status_code == 204


async def test_a_revoked_key_stops_working(anonymous, connection):
    from sqlalchemy.ext.asyncio import async_sessionmaker

    from app.keys.service import revoke_keys

    token = await make_key(connection, scope="write", name="desk")
    assert (
        await anonymous.post("/v1/claims", json=CLAIM, headers=bearer(token))
    ).status_code == 201
    factory = async_sessionmaker(bind=connection, join_transaction_mode="create_savepoint")
    async with factory() as session:
        assert [key.name for key in await revoke_keys(session, name_or_id="desk")] == ["desk"]
        await session.commit()
    problem(
        await anonymous.post("/v1/claims", json=CLAIM, headers=bearer(token)), 401, "unauthorized"
    )


async def test_reads_are_open_and_add_no_statement(client, statements):
    actor = await make_actor(client)
    del client.headers["authorization"]
    statements.clear()
    response = await client.get(f"/v1/actors/{actor['id']}")
    assert response.status_code == 200
    assert len(statements) == 1, statements.statements


async def test_reads_need_a_read_key_when_not_public(anonymous, connection, private_reads):
    problem(await anonymous.get("/v1/claims"), 401, "unauthorized")
    token = await make_key(connection, scope="read", name="reader")
    assert (await anonymous.get("/v1/claims", headers=bearer(token))).status_code == 200
    # a read key still cannot write
    problem(await anonymous.post("/v1/claims", json=CLAIM, headers=bearer(token)), 403, "forbidden")


async def test_health_stays_open_when_reads_are_not_public(anonymous, private_reads):
    assert (await anonymous.get("/health")).status_code == 200


async def test_openapi_declares_the_bearer_scheme_on_writes(anonymous):
    document = (await anonymous.get("/openapi.json")).json()
    scheme = document["components"]["securitySchemes"]["bearerAuth"]
    assert scheme == {**scheme, "type": "http", "scheme": "bearer"}
    paths = document["paths"]
    for path, method in [
        ("/v1/claims", "post"),
        ("/v1/claims/{claim_id}", "patch"),
        ("/v1/claims/{claim_id}", "delete"),
        ("/v1/bundles", "post"),
        ("/v1/attributions/{attribution_id}/retraction", "post"),
    ]:
        operation = paths[path][method]
        assert operation["security"] == [{"bearerAuth": []}], (path, method)
        assert "401" in operation["responses"]
    # public reads need no key: /docs shows no lock on them
    for path, operations in paths.items():
        if path.startswith("/v1/") and "get" in operations:
            assert "security" not in operations["get"], path
