"""Attributions: create, read, partial update, delete, relay chains, filters, expand."""

from tests.factories import (
    ids,
    make_actor,
    make_attribution,
    make_claim,
    make_event,
    make_source,
    problem,
)

ARTICLE = (
    "Le président Trump aurait donné son feu vert à Khalifa Haftar, "
    "ont confié des diplomates américains au média Bloomberg."
)


async def test_create_returns_the_document_its_location_serves(client):
    claim = await make_claim(client)
    diplomats = await make_actor(client, kind="anonymous", name="US diplomats")
    s0 = await make_source(client, full_text=ARTICLE)
    meeting = await make_event(client)
    start = ARTICLE.index("aurait donné son feu vert")
    response = await client.post(
        "/v1/attributions",
        json={
            "claim_id": claim["id"],
            "speaker_id": diplomats["id"],
            "source_id": s0["id"],
            "occasion_event_id": meeting["id"],
            "mode": "paraphrase",
            "cue": "ont confié",
            "certainty": "alleged",
            "span": {"start": start, "end": start + 25, "text": "aurait donné son feu vert"},
            "time": {
                "expression": "vendredi dernier",
                "relative_to": "source",
                "anchor_source_id": s0["id"],
                "offset_days": -7,
            },
            "note": "conditional: the reporter does not vouch for it",
        },
    )
    assert response.status_code == 201, response.text
    created = response.json()
    assert response.headers["location"] == f"/v1/attributions/{created['id']}"
    assert created["span"] == {
        "start": start,
        "end": start + 25,
        "text": "aurait donné son feu vert",
    }
    assert created["certainty"] == "alleged"
    assert created["relayed_through_id"] is None
    assert created["time"]["anchor_source_id"] == s0["id"]
    assert (await client.get(response.headers["location"])).json() == created


async def test_spans_count_code_points(client):
    text = "🇺🇸 says: « Tripoli est une ligne rouge »"
    source = await make_source(client, full_text=text)
    start = text.index("ligne rouge")
    attribution = await make_attribution(
        client,
        source_id=source["id"],
        mode="partial_quote",
        span={"start": start, "end": start + len("ligne rouge"), "text": "ligne rouge"},
    )
    assert attribution["span"]["start"] == start


async def test_own_voice_needs_no_speaker(client):
    attribution = await make_attribution(client, mode="own_voice", certainty="asserted")
    assert attribution["speaker_id"] is None
    assert attribution["mode"] == "own_voice"


async def test_relay_chain_and_expand(client):
    diplomats = await make_actor(client, kind="anonymous", name="US diplomats")
    bloomberg = await make_source(client, kind="report", title="Bloomberg")
    claim = await make_claim(client)
    origin = await make_attribution(
        client, claim_id=claim["id"], speaker_id=diplomats["id"], source_id=bloomberg["id"]
    )
    s0 = await make_source(client, cites_source_ids=[bloomberg["id"]])
    relay = await make_attribution(
        client,
        claim_id=claim["id"],
        speaker_id=diplomats["id"],
        source_id=s0["id"],
        relayed_through_id=origin["id"],
        certainty="alleged",
    )
    assert relay["relayed_through_id"] == origin["id"]

    response = await client.get(
        f"/v1/attributions/{relay['id']}",
        params={"expand": "speaker,source,claim,relayed_through"},
    )
    assert response.status_code == 200
    expanded = response.json()
    assert expanded["speaker"] == diplomats
    assert expanded["source"]["id"] == s0["id"]
    assert expanded["source"]["cites_source_ids"] == [bloomberg["id"]]
    assert expanded["claim"] == (await client.get(f"/v1/claims/{claim['id']}")).json()
    assert expanded["relayed_through"] == origin
    plain = (await client.get(f"/v1/attributions/{relay['id']}")).json()
    for name in ("speaker", "source", "claim", "relayed_through", "occasion_event"):
        assert name not in plain

    assert await ids(client, "/v1/attributions", relayed_through_id=origin["id"]) == [relay["id"]]

    # The relayed attribution cannot go while it is relayed.
    problem(await client.delete(f"/v1/attributions/{origin['id']}"), 409, "still-referenced")
    assert (await client.get(f"/v1/attributions/{origin['id']}")).json() == origin
    assert (await client.delete(f"/v1/attributions/{relay['id']}")).status_code == 204
    assert (await client.delete(f"/v1/attributions/{origin['id']}")).status_code == 204
    problem(await client.get(f"/v1/attributions/{origin['id']}"), 404, "not-found")


async def test_expand_occasion_event_and_missing_speaker(client):
    event = await make_event(client)
    attribution = await make_attribution(client, mode="own_voice", occasion_event_id=event["id"])
    response = await client.get(
        f"/v1/attributions/{attribution['id']}", params={"expand": "occasion_event,speaker"}
    )
    assert response.json()["occasion_event"] == event
    assert response.json()["speaker"] is None


async def test_patch_changes_only_what_is_sent(client):
    source = await make_source(client, full_text=ARTICLE)
    attribution = await make_attribution(
        client,
        source_id=source["id"],
        cue="ont confié",
        certainty="alleged",
        span={"start": 0, "end": 2, "text": "Le"},
    )
    response = await client.patch(
        f"/v1/attributions/{attribution['id']}", json={"certainty": "asserted"}
    )
    assert response.status_code == 200
    patched = response.json()
    assert patched["certainty"] == "asserted"
    for unchanged in ("claim_id", "speaker_id", "source_id", "mode", "cue", "span", "time"):
        assert patched[unchanged] == attribution[unchanged], unchanged

    response = await client.patch(
        f"/v1/attributions/{attribution['id']}", json={"span": None, "cue": None}
    )
    assert response.json()["span"] is None
    assert response.json()["cue"] is None
    # Without spans, the source text may change freely.
    response = await client.patch(f"/v1/sources/{source['id']}", json={"full_text": "autre"})
    assert response.status_code == 200


async def test_list_filters(client):
    pompeo = await make_actor(client, name="Mike Pompeo")
    statement = await make_source(client, kind="statement")
    claim = await make_claim(client)
    event = await make_event(client)
    on_record = await make_attribution(
        client,
        claim_id=claim["id"],
        speaker_id=pompeo["id"],
        source_id=statement["id"],
        occasion_event_id=event["id"],
        certainty="asserted",
        time={"earliest": "2019-04-07", "latest": "2019-04-07", "precision": "day"},
    )
    alleged = await make_attribution(
        client,
        claim_id=claim["id"],
        certainty="alleged",
        mode="partial_quote",
        time={
            "expression": "en février",
            "earliest": "2019-02-01",
            "latest": "2019-02-28",
            "precision": "month",
        },
    )
    own = await make_attribution(client, mode="own_voice")

    assert await ids(client, "/v1/attributions", claim_id=claim["id"]) == [
        on_record["id"],
        alleged["id"],
    ]
    assert await ids(client, "/v1/attributions", speaker_id=pompeo["id"]) == [on_record["id"]]
    assert await ids(client, "/v1/attributions", source_id=statement["id"]) == [on_record["id"]]
    assert await ids(client, "/v1/attributions", occasion_event_id=event["id"]) == [on_record["id"]]
    assert await ids(client, "/v1/attributions", mode="own_voice") == [own["id"]]
    assert await ids(client, "/v1/attributions", mode="partial_quote") == [alleged["id"]]
    assert await ids(client, "/v1/attributions", certainty="alleged") == [alleged["id"]]
    assert await ids(client, "/v1/attributions", time_from="2019-02-15", time_to="2019-04-07") == [
        on_record["id"],
        alleged["id"],
    ]
    assert await ids(client, "/v1/attributions", time_from="2019-03-01") == [on_record["id"]]
    assert await ids(client, "/v1/attributions", claim_id=claim["id"], certainty="asserted") == [
        on_record["id"]
    ]
    expanded = await client.get(
        "/v1/attributions",
        params={"claim_id": claim["id"], "expand": "speaker,source,claim,relayed_through"},
    )
    first = expanded.json()["items"][0]
    assert first["speaker"] == pompeo
    assert first["relayed_through"] is None
