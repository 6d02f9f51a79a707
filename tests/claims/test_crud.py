"""Claims and claim relations: create, read, partial update, delete, filters, expand."""

from tests.factories import (
    ids,
    make_actor,
    make_attribution,
    make_claim,
    make_event,
    make_source,
    post,
    problem,
)


async def test_create_returns_the_document_its_location_serves(client):
    event = await make_event(client)
    statement = await make_source(client, kind="statement")
    response = await client.post(
        "/v1/claims",
        json={
            "text": "Tripoli est une « ligne rouge »",
            "language": "fr",
            "translations": [{"language": "en", "text": "Tripoli is a red line"}],
            "event_ids": [event["id"]],
            "referenced_source_ids": [statement["id"]],
        },
    )
    assert response.status_code == 201
    created = response.json()
    assert response.headers["location"] == f"/v1/claims/{created['id']}"
    assert created["translations"] == [
        {"language": "en", "text": "Tripoli is a red line", "note": None}
    ]
    assert created["event_ids"] == [event["id"]]
    assert created["referenced_source_ids"] == [statement["id"]]
    assert (await client.get(response.headers["location"])).json() == created


async def test_patch_changes_only_what_is_sent_and_replaces_lists_whole(client):
    event = await make_event(client)
    claim = await make_claim(
        client,
        translations=[{"language": "en", "text": "red line"}, {"language": "de", "text": "rote"}],
        event_ids=[event["id"]],
    )
    response = await client.patch(
        f"/v1/claims/{claim['id']}",
        json={"translations": [{"language": "it", "text": "linea rossa", "note": "ours"}]},
    )
    assert response.status_code == 200
    patched = response.json()
    assert patched["translations"] == [{"language": "it", "text": "linea rossa", "note": "ours"}]
    for unchanged in ("text", "language", "event_ids", "referenced_source_ids"):
        assert patched[unchanged] == claim[unchanged], unchanged
    response = await client.patch(f"/v1/claims/{claim['id']}", json={"event_ids": []})
    assert response.json()["event_ids"] == []


async def test_patch_empty_text_is_refused(client):
    claim = await make_claim(client)
    problem(
        await client.patch(f"/v1/claims/{claim['id']}", json={"text": ""}), 422, "validation-error"
    )
    assert (await client.get(f"/v1/claims/{claim['id']}")).json() == claim


async def test_delete_then_gone(client):
    claim = await make_claim(client, translations=[{"language": "en", "text": "red line"}])
    assert (await client.delete(f"/v1/claims/{claim['id']}")).status_code == 204
    problem(await client.get(f"/v1/claims/{claim['id']}"), 404, "not-found")


async def test_delete_while_referenced_is_refused_and_keeps_the_claim(client):
    attributed = await make_claim(client, text="attributed")
    await make_attribution(client, claim_id=attributed["id"])
    contradicted = await make_claim(client, text="contradicted")
    other = await make_claim(client, text="other")
    await post(
        client,
        "/v1/claim-relations",
        {"kind": "contradicts", "from_claim_id": other["id"], "to_claim_id": contradicted["id"]},
    )
    for claim in (attributed, contradicted, other):
        before = (await client.get(f"/v1/claims/{claim['id']}")).json()
        problem(await client.delete(f"/v1/claims/{claim['id']}"), 409, "still-referenced")
        assert (await client.get(f"/v1/claims/{claim['id']}")).json() == before


async def test_list_filters(client):
    event = await make_event(client)
    pompeo = await make_actor(client)
    statement = await make_source(client, kind="statement")
    c1 = await make_claim(client, text="feu vert", event_ids=[event["id"]])
    c8 = await make_claim(client, text="Pompeo opposed the offensive", language="en")
    c9 = await make_claim(client, text="ligne rouge")
    await make_attribution(
        client,
        claim_id=c8["id"],
        speaker_id=pompeo["id"],
        source_id=statement["id"],
        time={
            "expression": "le 7 avril",
            "earliest": "2019-04-07",
            "latest": "2019-04-07",
            "precision": "day",
        },
    )
    await make_attribution(
        client,
        claim_id=c9["id"],
        time={"expression": "en février", "earliest": "2019-02-01", "latest": "2019-02-28"},
    )
    await make_attribution(client, claim_id=c9["id"])  # a second attribution: listed once

    assert await ids(client, "/v1/claims", language="en") == [c8["id"]]
    assert await ids(client, "/v1/claims", event_id=event["id"]) == [c1["id"]]
    assert await ids(client, "/v1/claims", speaker_id=pompeo["id"]) == [c8["id"]]
    assert await ids(client, "/v1/claims", source_id=statement["id"]) == [c8["id"]]
    assert await ids(client, "/v1/claims", time_from="2019-04-01") == [c8["id"]]
    assert await ids(client, "/v1/claims", time_to="2019-04-30") == [c8["id"], c9["id"]]
    assert await ids(client, "/v1/claims", language="fr", time_to="2019-04-30") == [c9["id"]]
    assert await ids(client, "/v1/claims", speaker_id=pompeo["id"], time_to="2019-03-01") == []


async def test_expand_attributions_and_events(client):
    event = await make_event(client)
    claim = await make_claim(client, event_ids=[event["id"]])
    attribution = await make_attribution(client, claim_id=claim["id"])
    response = await client.get(
        f"/v1/claims/{claim['id']}", params={"expand": "attributions,events"}
    )
    expanded = response.json()
    assert expanded["events"] == [event]
    (embedded,) = expanded["attributions"]
    assert embedded["id"] == attribution["id"]
    assert embedded["speaker"]["id"] == attribution["speaker_id"]
    assert embedded["source"]["id"] == attribution["source_id"]
    listed = await client.get("/v1/claims", params={"expand": "events", "event_id": event["id"]})
    assert listed.json()["items"][0]["events"] == [event]
    plain = (await client.get(f"/v1/claims/{claim['id']}")).json()
    assert "events" not in plain
    assert "attributions" not in plain


async def test_relations_crud_filters_and_expand(client):
    c1 = await make_claim(client, text="green light")
    c8 = await make_claim(client, text="Pompeo opposed")
    c2 = await make_claim(client, text="decisive turn")
    editor = await make_actor(client, name="Editor")
    response = await client.post(
        "/v1/claim-relations",
        json={
            "kind": "contradicts",
            "from_claim_id": c1["id"],
            "to_claim_id": c8["id"],
            "asserted_by_actor_id": editor["id"],
            "note": "president vs secretary",
        },
    )
    assert response.status_code == 201
    contradiction = response.json()
    assert response.headers["location"] == f"/v1/claim-relations/{contradiction['id']}"
    assert (await client.get(response.headers["location"])).json() == contradiction
    follows = await post(
        client,
        "/v1/claim-relations",
        {"kind": "follows_from", "from_claim_id": c2["id"], "to_claim_id": c1["id"]},
    )

    assert await ids(client, "/v1/claim-relations", claim_id=c1["id"]) == [
        contradiction["id"],
        follows["id"],
    ]
    assert await ids(client, "/v1/claim-relations", claim_id=c8["id"]) == [contradiction["id"]]
    assert await ids(client, "/v1/claim-relations", kind="follows_from", claim_id=c1["id"]) == [
        follows["id"]
    ]

    expanded = await client.get(
        f"/v1/claim-relations/{contradiction['id']}",
        params={"expand": "from_claim,to_claim,asserted_by"},
    )
    assert expanded.json()["from_claim"] == c1
    assert expanded.json()["to_claim"] == c8
    assert expanded.json()["asserted_by"] == editor

    patched = await client.patch(
        f"/v1/claim-relations/{contradiction['id']}", json={"note": None, "kind": "supports"}
    )
    assert patched.status_code == 200
    assert patched.json()["kind"] == "supports"
    assert patched.json()["note"] is None
    assert patched.json()["asserted_by_actor_id"] == editor["id"]
    body = problem(
        await client.patch(f"/v1/claim-relations/{follows['id']}", json={"to_claim_id": None}),
        422,
        "validation-error",
    )
    assert "to_claim_id cannot be null" in body["detail"]

    assert (await client.delete(f"/v1/claim-relations/{follows['id']}")).status_code == 204
    problem(await client.get(f"/v1/claim-relations/{follows['id']}"), 404, "not-found")
    # With its relation gone, the claim can go too.
    assert (await client.delete(f"/v1/claims/{c2['id']}")).status_code == 204
