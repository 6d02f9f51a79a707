"""Corrections say why; retracted attributions are kept but set aside."""

from tests.factories import ids, make_actor, make_attribution, make_claim, make_source, problem


async def test_a_correction_changes_the_fields_and_records_the_reason(client):
    attribution = await make_attribution(client, certainty="asserted")
    response = await client.post(
        f"/v1/attributions/{attribution['id']}/corrections",
        json={"reason": "the article says 'aurait'", "changes": {"certainty": "alleged"}},
    )
    assert response.status_code == 200, response.text
    assert response.json()["certainty"] == "alleged"
    revisions = (await client.get(f"/v1/attributions/{attribution['id']}/history")).json()
    latest = revisions["items"][0]
    assert latest["action"] == "update"
    assert latest["reason"] == "the article says 'aurait'"
    assert (latest["before"]["certainty"], latest["after"]["certainty"]) == ("asserted", "alleged")


async def test_a_correction_needs_a_reason_and_a_change(client):
    attribution = await make_attribution(client)
    path = f"/v1/attributions/{attribution['id']}/corrections"
    problem(await client.post(path, json={"changes": {"cue": "a dit"}}), 422, "validation-error")
    problem(
        await client.post(path, json={"reason": "", "changes": {"cue": "a dit"}}),
        422,
        "validation-error",
    )
    problem(await client.post(path, json={"reason": "why", "changes": {}}), 422, "invalid-field")


async def test_a_retracted_attribution_is_kept_but_left_out(client):
    claim = await make_claim(client)
    kept = await make_attribution(client, claim_id=claim["id"])
    other_source = await make_source(client, title="Another paper")
    other_speaker = await make_actor(client, name="Peter Bode")
    retracted = await make_attribution(
        client,
        claim_id=claim["id"],
        source_id=other_source["id"],
        speaker_id=other_speaker["id"],
    )
    claim_path = f"/v1/claims/{claim['id']}"
    assert (await client.get(claim_path)).json()["independent_origins"] == 2

    response = await client.post(
        f"/v1/attributions/{retracted['id']}/retraction", json={"reason": "misattributed"}
    )
    assert response.status_code == 200, response.text
    retraction = response.json()["retraction"]
    assert retraction["reason"] == "misattributed"
    assert retraction["at"]

    # kept: readable by id, with when and why
    assert (await client.get(f"/v1/attributions/{retracted['id']}")).json()["retraction"]
    # left out of default lists, listed on request
    assert await ids(client, "/v1/attributions", claim_id=claim["id"]) == [kept["id"]]
    assert await ids(client, "/v1/attributions", claim_id=claim["id"], include="retracted") == [
        kept["id"],
        retracted["id"],
    ]
    # no longer corroborates, no longer a chain of the provenance
    assert (await client.get(claim_path)).json()["independent_origins"] == 1
    chains = (await client.get(f"{claim_path}/provenance")).json()["chains"]
    assert [c["start_attribution_id"] for c in chains] == [kept["id"]]
    every = (await client.get(f"{claim_path}/provenance", params={"include": "retracted"})).json()
    assert len(every["chains"]) == 2
    # nor a statement of its speaker, nor a claim its source reports
    statements = (await client.get(f"/v1/actors/{other_speaker['id']}/statements")).json()
    assert statements["items"] == []
    reported = (await client.get(f"/v1/sources/{other_source['id']}/claims")).json()
    assert reported["items"] == []
    # history says why
    latest = (await client.get(f"/v1/attributions/{retracted['id']}/history")).json()["items"][0]
    assert latest["reason"] == "misattributed"
    assert latest["after"]["retracted_at"] is not None


async def test_retracting_twice_is_a_conflict(client):
    attribution = await make_attribution(client)
    path = f"/v1/attributions/{attribution['id']}/retraction"
    assert (await client.post(path, json={"reason": "wrong"})).status_code == 200
    problem(await client.post(path, json={"reason": "wrong"}), 409, "conflict")


async def test_retracting_what_does_not_exist_is_404(client):
    path = "/v1/attributions/00000000-0000-7000-8000-000000000000/retraction"
    problem(await client.post(path, json={"reason": "wrong"}), 404, "not-found")
