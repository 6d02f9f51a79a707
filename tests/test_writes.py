"""A delete refused because other records still refer to the record says
which (app/writes.py): ``referrers`` lists up to 20 of them (``type`` and
``id``, the record holding the reference, a source for its author list),
``referrer_count`` counts them all, and nothing is deleted."""

from tests.factories import (
    make_actor,
    make_attribution,
    make_claim,
    make_event,
    make_source,
    problem,
)


async def test_deleting_a_referenced_actor_lists_what_refers_to_it(client):
    actor = await make_actor(client, name="Peter Bode")
    claim = await make_claim(client)
    source = await make_source(client, author_ids=[actor["id"]])
    attributions = [
        await make_attribution(
            client, claim_id=claim["id"], source_id=source["id"], speaker_id=actor["id"]
        )
        for _ in range(22)
    ]
    event = await make_event(client, participants=[{"actor_id": actor["id"]}])
    path = f"/v1/actors/{actor['id']}"

    body = problem(await client.delete(path), 409, "still-referenced")

    assert body["referrer_count"] == 24
    assert len(body["referrers"]) == 20
    assert all(set(r) == {"type", "id"} for r in body["referrers"])
    expected = {("attribution", a["id"]) for a in attributions} | {
        ("source", source["id"]),
        ("event", event["id"]),
    }
    listed = [(r["type"], r["id"]) for r in body["referrers"]]
    assert set(listed) <= expected
    assert listed == sorted(listed)  # by type, then id: the same list each time
    assert "24" in body["detail"]
    assert (await client.get(path)).status_code == 200


async def test_every_kind_of_reference_to_an_actor_is_named(client):
    actor = await make_actor(client, name="Peter Bode")
    organisation = await make_actor(client, kind="organisation", name="State Department")
    source = await make_source(client, author_ids=[organisation["id"]])
    member = await make_actor(
        client, roles=[{"title": "envoy", "organisation_id": organisation["id"]}]
    )
    attribution = await make_attribution(client, speaker_id=organisation["id"])
    event = await make_event(client, participants=[{"actor_id": organisation["id"]}])
    published = await make_source(client, publisher_id=organisation["id"])
    path = f"/v1/actors/{organisation['id']}"

    body = problem(await client.delete(path), 409, "still-referenced")

    assert sorted((r["type"], r["id"]) for r in body["referrers"]) == sorted(
        [
            ("actor", member["id"]),
            ("attribution", attribution["id"]),
            ("event", event["id"]),
            ("source", published["id"]),
            ("source", source["id"]),
        ]
    )
    assert body["referrer_count"] == 5
    assert (await client.delete(f"/v1/actors/{actor['id']}")).status_code == 204


async def test_deleting_a_referenced_claim_source_or_event(client):
    event = await make_event(client)
    claim = await make_claim(client, event_ids=[event["id"]])
    other = await make_claim(client)
    relation = (
        await client.post(
            "/v1/claim-relations",
            json={"from_claim_id": other["id"], "to_claim_id": claim["id"], "kind": "supports"},
        )
    ).json()
    attribution = await make_attribution(client, claim_id=claim["id"])

    body = problem(await client.delete(f"/v1/claims/{claim['id']}"), 409, "still-referenced")
    assert sorted((r["type"], r["id"]) for r in body["referrers"]) == sorted(
        [("attribution", attribution["id"]), ("claim-relation", relation["id"])]
    )
    assert body["referrer_count"] == 2

    body = problem(await client.delete(f"/v1/events/{event['id']}"), 409, "still-referenced")
    assert body["referrers"] == [{"type": "claim", "id": claim["id"]}]

    source = attribution["source_id"]
    body = problem(await client.delete(f"/v1/sources/{source}"), 409, "still-referenced")
    assert body["referrers"] == [{"type": "attribution", "id": attribution["id"]}]


async def test_the_problem_schema_declares_the_referrers(client):
    schema = (await client.get("/openapi.json")).json()["components"]["schemas"]
    problem_schema = schema["Problem"]["properties"]
    assert "referrers" in problem_schema
    assert "referrer_count" in problem_schema
