"""``?as_of=``: what a record said at a past time, from its history."""

from typing import Any

from tests.factories import make_attribution, make_claim, problem


async def revision_times(client, resource: str, record_id: str) -> list[str]:
    items = (await client.get(f"/v1/{resource}/{record_id}/history")).json()["items"]
    return [item["at"] for item in reversed(items)]  # oldest first


async def test_a_claim_as_it_was(client):
    claim = await make_claim(client, text="Première version")
    await client.patch(f"/v1/claims/{claim['id']}", json={"text": "Seconde version"})
    created_at, updated_at = await revision_times(client, "claims", claim["id"])
    path = f"/v1/claims/{claim['id']}"

    then = await client.get(path, params={"as_of": created_at})
    assert then.status_code == 200, then.text
    assert then.json()["text"] == "Première version"
    assert then.json()["id"] == claim["id"]
    assert (await client.get(path, params={"as_of": updated_at})).json()["text"] == (
        "Seconde version"
    )
    before = "2000-01-01T00:00:00Z"
    problem(await client.get(path, params={"as_of": before}), 404, "not-found")


async def test_a_deleted_attribution_as_it_was(client):
    attribution = await make_attribution(client, cue="ont confié")
    path = f"/v1/attributions/{attribution['id']}"
    assert (await client.delete(path)).status_code == 204
    created_at, deleted_at = await revision_times(client, "attributions", attribution["id"])
    then = await client.get(path, params={"as_of": created_at})
    assert then.status_code == 200, then.text
    assert then.json()["cue"] == "ont confié"
    assert then.json()["speaker_id"] == attribution["speaker_id"]
    assert then.json()["time"] == attribution["time"]
    problem(await client.get(path, params={"as_of": deleted_at}), 404, "not-found")


async def test_provenance_as_it_was(client):
    from tests.factories import make_actor, make_source

    claim = await make_claim(client)
    first = await make_attribution(client, claim_id=claim["id"])
    (first_at,) = await revision_times(client, "attributions", first["id"])
    second = await make_attribution(
        client,
        claim_id=claim["id"],
        source_id=(await make_source(client, title="Another"))["id"],
        speaker_id=(await make_actor(client, name="Peter Bode"))["id"],
    )
    (second_at,) = await revision_times(client, "attributions", second["id"])
    await client.post(f"/v1/attributions/{second['id']}/retraction", json={"reason": "wrong"})
    path = f"/v1/claims/{claim['id']}/provenance"

    def starts(document: dict[str, Any]) -> list[str]:
        return [chain["start_attribution_id"] for chain in document["chains"]]

    assert starts((await client.get(path)).json()) == [first["id"]]
    then = await client.get(path, params={"as_of": first_at})
    assert then.status_code == 200, then.text
    assert starts(then.json()) == [first["id"]]
    assert then.json()["claim"]["id"] == claim["id"]
    before_retraction = (await client.get(path, params={"as_of": second_at})).json()
    assert starts(before_retraction) == [first["id"], second["id"]]
    assert before_retraction["independent_origins"] == 2
    problem(await client.get(path, params={"as_of": "2000-01-01T00:00:00Z"}), 404, "not-found")


async def test_a_claim_as_it_was_counts_its_origins_as_they_were(client):
    from tests.factories import make_actor

    claim = await make_claim(client)
    path = f"/v1/claims/{claim['id']}"
    anonymous = await make_actor(client, kind="anonymous", name="des diplomates")
    first = await make_attribution(client, claim_id=claim["id"], speaker_id=anonymous["id"])
    (anonymous_only_at,) = await revision_times(client, "attributions", first["id"])
    second = await make_attribution(client, claim_id=claim["id"])
    (two_at,) = await revision_times(client, "attributions", second["id"])
    third = await make_attribution(client, claim_id=claim["id"])
    assert (await client.get(path)).json()["independent_origins"] == 3

    then = (await client.get(path, params={"as_of": anonymous_only_at})).json()
    assert (then["independent_origins"], then["on_record"]) == (1, False)
    then = (await client.get(path, params={"as_of": two_at})).json()
    assert (then["independent_origins"], then["on_record"]) == (2, True)

    for attribution in (first, second, third):
        assert (await client.delete(f"/v1/attributions/{attribution['id']}")).status_code == 204
    assert (await client.delete(path)).status_code == 204
    then = await client.get(path, params={"as_of": two_at})
    assert then.status_code == 200, then.text
    assert (then.json()["independent_origins"], then.json()["on_record"]) == (2, True)
    provenance = await client.get(f"{path}/provenance", params={"as_of": two_at})
    assert provenance.json()["claim"]["independent_origins"] == 2
