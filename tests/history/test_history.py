"""Every create, update and delete is kept: who, when, before and after."""

from typing import Any
from uuid import uuid4

from tests.factories import make_attribution, make_claim, problem


async def history(client, resource: str, record_id: str, **params) -> list[dict[str, Any]]:
    response = await client.get(f"/v1/{resource}/{record_id}/history", params=params)
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


async def test_history_lists_create_update_delete_newest_first(client):
    claim = await make_claim(client, text="Première version")
    patched = await client.patch(f"/v1/claims/{claim['id']}", json={"text": "Seconde version"})
    assert patched.status_code == 200
    assert (await client.delete(f"/v1/claims/{claim['id']}")).status_code == 204
    assert (await client.get(f"/v1/claims/{claim['id']}")).status_code == 404

    revisions = await history(client, "claims", claim["id"])
    assert [r["action"] for r in revisions] == ["delete", "update", "create"]
    deleted, updated, created = revisions
    assert created["before"] is None
    assert created["after"]["text"] == "Première version"
    assert updated["before"]["text"] == "Première version"
    assert updated["after"]["text"] == "Seconde version"
    assert deleted["before"]["text"] == "Seconde version"
    assert deleted["after"] is None  # the tombstone
    assert all(r["key"]["name"] == "tests" for r in revisions)
    assert all(r["resource"] == "claims" and r["record_id"] == claim["id"] for r in revisions)
    assert created["at"] <= updated["at"] <= deleted["at"]


async def test_history_is_paginated(client):
    claim = await make_claim(client)
    for text in ("un", "deux", "trois"):
        await client.patch(f"/v1/claims/{claim['id']}", json={"text": text})
    first = (await client.get(f"/v1/claims/{claim['id']}/history", params={"limit": 2})).json()
    assert [r["after"]["text"] for r in first["items"]] == ["trois", "deux"]
    rest = (
        await client.get(
            f"/v1/claims/{claim['id']}/history", params={"limit": 2, "cursor": first["next"]}
        )
    ).json()
    assert [r["after"]["text"] for r in rest["items"]] == ["un", "Tripoli est une ligne rouge"]
    assert rest["next"] is None


async def test_history_of_a_record_that_never_existed_is_404(client):
    problem(await client.get(f"/v1/actors/{uuid4()}/history"), 404, "not-found")


async def test_history_of_every_resource(client):
    attribution = await make_attribution(client)
    for resource, record_id in [
        ("attributions", attribution["id"]),
        ("claims", attribution["claim_id"]),
        ("actors", attribution["speaker_id"]),
        ("sources", attribution["source_id"]),
    ]:
        assert [r["action"] for r in await history(client, resource, record_id)] == ["create"]


async def test_a_refused_write_leaves_no_revision(client):
    """The claim's row is updated, then its event link is refused: the whole
    write rolls back, its revision with it."""
    claim = await make_claim(client)
    response = await client.patch(
        f"/v1/claims/{claim['id']}", json={"text": "changed", "event_ids": [str(uuid4())]}
    )
    problem(response, 422, "unknown-reference")
    assert [r["action"] for r in await history(client, "claims", claim["id"])] == ["create"]


async def test_derived_counts_alone_make_no_revision(client):
    """Recording the claim in a source recounts its corroboration: the claim
    did not change, its history says so."""
    claim = await make_claim(client)
    await make_attribution(client, claim_id=claim["id"])
    assert (await client.get(f"/v1/claims/{claim['id']}")).json()["independent_origins"] == 1
    assert [r["action"] for r in await history(client, "claims", claim["id"])] == ["create"]


async def test_a_bundle_import_is_in_history(client):
    bundle = {
        "format": "onrecord-bundle",
        "version": 1,
        "id": "history-test",
        "actors": [{"ref": "a", "kind": "person", "name": "Peter Bode"}],
    }
    response = await client.post("/v1/bundles", json=bundle)
    assert response.status_code == 201, response.text
    actor_id = response.json()["ids"]["a"]
    (revision,) = await history(client, "actors", actor_id)
    assert revision["action"] == "create"
    assert revision["key"]["name"] == "tests"
    assert revision["after"]["name"] == "Peter Bode"
