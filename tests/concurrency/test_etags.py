"""ETags and If-Match: two clients editing the same record never lose an update."""

from collections.abc import Iterator

import pytest

from app.config import get_settings
from tests.factories import make_actor, make_attribution, make_claim, problem


@pytest.fixture
def if_match_required(monkeypatch) -> Iterator[None]:
    monkeypatch.setenv("ONRECORD_REQUIRE_IF_MATCH", "true")
    get_settings.cache_clear()
    yield
    monkeypatch.undo()
    get_settings.cache_clear()


async def test_a_single_resource_has_a_strong_etag_that_changes_with_it(client):
    claim = await make_claim(client)
    path = f"/v1/claims/{claim['id']}"
    read = await client.get(path)
    etag = read.headers["etag"]
    assert etag.startswith('"')
    assert etag.endswith('"')
    assert (await client.get(path)).headers["etag"] == etag
    patched = await client.patch(path, json={"text": "autre"})
    assert patched.headers["etag"] != etag
    assert (await client.get(path)).headers["etag"] == patched.headers["etag"]
    assert "etag" not in (await client.get("/v1/claims")).headers  # lists have none


async def test_created_resources_carry_their_etag(client):
    response = await client.post("/v1/actors", json={"kind": "person", "name": "Haftar"})
    assert response.status_code == 201
    assert (
        response.headers["etag"] == (await client.get(response.headers["location"])).headers["etag"]
    )


async def test_of_two_patches_with_the_same_etag_one_wins_the_other_gets_412(client):
    attribution = await make_attribution(client)
    path = f"/v1/attributions/{attribution['id']}"
    etag = (await client.get(path)).headers["etag"]

    first = await client.patch(path, json={"cue": "a déclaré"}, headers={"If-Match": etag})
    assert first.status_code == 200, first.text
    second = await client.patch(path, json={"cue": "a confié"}, headers={"If-Match": etag})
    body = problem(second, 412, "precondition-failed")
    assert "changed" in body["detail"]
    assert (await client.get(path)).json()["cue"] == "a déclaré"  # the first update stands

    # read again, retry: it goes through
    fresh = (await client.get(path)).headers["etag"]
    retried = await client.patch(path, json={"cue": "a confié"}, headers={"If-Match": fresh})
    assert retried.status_code == 200


async def test_delete_honours_if_match(client):
    actor = await make_actor(client)
    path = f"/v1/actors/{actor['id']}"
    stale = (await client.get(path)).headers["etag"]
    await client.patch(path, json={"name": "Mike R. Pompeo"})
    problem(await client.delete(path, headers={"If-Match": stale}), 412, "precondition-failed")
    current = (await client.get(path)).headers["etag"]
    assert (await client.delete(path, headers={"If-Match": current})).status_code == 204


async def test_if_match_star_and_weak_tags(client):
    claim = await make_claim(client)
    path = f"/v1/claims/{claim['id']}"
    etag = (await client.get(path)).headers["etag"]
    assert (
        await client.patch(path, json={"text": "a"}, headers={"If-Match": "*"})
    ).status_code == 200
    etag = (await client.get(path)).headers["etag"]
    # weak tags never match If-Match (strong comparison)
    weak = await client.patch(path, json={"text": "b"}, headers={"If-Match": f"W/{etag}"})
    problem(weak, 412, "precondition-failed")
    listed = await client.patch(path, json={"text": "c"}, headers={"If-Match": f'"0", {etag}'})
    assert listed.status_code == 200


async def test_if_match_on_a_missing_resource_is_404(client):
    path = "/v1/claims/00000000-0000-7000-8000-000000000000"
    problem(
        await client.patch(path, json={"text": "x"}, headers={"If-Match": '"1"'}), 404, "not-found"
    )


async def test_if_match_can_be_required(client, if_match_required):
    claim = await make_claim(client)
    path = f"/v1/claims/{claim['id']}"
    problem(await client.patch(path, json={"text": "x"}), 428, "precondition-required")
    problem(await client.delete(path), 428, "precondition-required")
    etag = (await client.get(path)).headers["etag"]
    assert (
        await client.patch(path, json={"text": "x"}, headers={"If-Match": etag})
    ).status_code == 200
    # creating needs no If-Match
    assert (
        await client.post("/v1/claims", json={"text": "y", "language": "fr"})
    ).status_code == 201
