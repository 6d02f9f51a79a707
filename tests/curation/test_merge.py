"""Merging actors that are one person, undoing it, splitting one that is two."""

from datetime import datetime, timedelta

import httpx

from tests.factories import JSON, make_actor, make_attribution, make_claim, make_source, problem


async def two_pompeos(client: httpx.AsyncClient) -> tuple[JSON, JSON, JSON, JSON]:
    """Two records of one person, each quoted once, on one claim."""
    claim = await make_claim(client)
    first = await make_actor(client, name="Mike Pompeo", wikidata_id="Q473239")
    second = await make_actor(
        client, name="Michael R. Pompeo", names=[{"name": "Pompeo", "kind": "alias"}]
    )
    a = await make_attribution(client, claim_id=claim["id"], speaker_id=first["id"])
    b = await make_attribution(client, claim_id=claim["id"], speaker_id=second["id"])
    return first, second, a, b


async def test_merge_moves_everything_and_keeps_the_merged_actor_readable(client):
    survivor, merged, a, b = await two_pompeos(client)
    before = (await client.get(f"/v1/claims/{a['claim_id']}")).json()
    assert before["independent_origins"] == 2  # two actors: two origins, for now
    publishing = await make_source(client, publisher_id=merged["id"], author_ids=[merged["id"]])

    response = await client.post(f"/v1/actors/{merged['id']}/merge", json={"into": survivor["id"]})
    assert response.status_code == 200, response.text
    assert response.json()["id"] == survivor["id"]
    names = {n["name"] for n in response.json()["names"]}
    assert {"Michael R. Pompeo", "Pompeo"} <= names  # copied to the survivor

    gone = (await client.get(f"/v1/actors/{merged['id']}")).json()
    assert (gone["status"], gone["merged_into"]) == ("merged", survivor["id"])
    assert gone["name"] == "Michael R. Pompeo"  # readable as it was
    moved = (await client.get(f"/v1/attributions/{b['id']}")).json()
    assert moved["speaker_id"] == survivor["id"]
    source = (await client.get(f"/v1/sources/{publishing['id']}")).json()
    assert source["publisher_id"] == survivor["id"]
    assert source["author_ids"] == [survivor["id"]]
    # One person quoted twice is one origin, not two.
    claim = (await client.get(f"/v1/claims/{a['claim_id']}")).json()
    assert claim["independent_origins"] == 1


async def test_filters_and_references_naming_a_merged_actor_mean_the_survivor(client):
    survivor, merged, a, b = await two_pompeos(client)
    await client.post(f"/v1/actors/{merged['id']}/merge", json={"into": survivor["id"]})
    listed = (await client.get("/v1/attributions", params={"speaker_id": merged["id"]})).json()
    assert {item["id"] for item in listed["items"]} == {a["id"], b["id"]}
    later = await make_attribution(client, speaker_id=merged["id"])
    assert later["speaker_id"] == survivor["id"]
    bundle = {
        "format": "onrecord-bundle",
        "version": 1,
        "id": "after-merge",
        "claims": [{"ref": "c", "text": "x", "language": "en"}],
        "sources": [{"ref": "s", "kind": "article", "title": "t"}],
        "attributions": [
            {"ref": "a", "claim": "c", "source": "s", "speaker": merged["id"], "mode": "paraphrase"}
        ],
    }
    loaded = await client.post("/v1/bundles", json=bundle)
    assert loaded.status_code == 201, loaded.text
    stored = (await client.get(f"/v1/attributions/{loaded.json()['ids']['a']}")).json()
    assert stored["speaker_id"] == survivor["id"]


async def test_a_write_to_a_merged_actor_names_the_survivor(client):
    survivor, merged, _, _ = await two_pompeos(client)
    await client.post(f"/v1/actors/{merged['id']}/merge", json={"into": survivor["id"]})
    body = problem(
        await client.patch(f"/v1/actors/{merged['id']}", json={"name": "x"}), 409, "actor-merged"
    )
    assert body["merged_into"] == survivor["id"]
    again = await client.post(f"/v1/actors/{merged['id']}/merge", json={"into": survivor["id"]})
    assert problem(again, 409, "actor-merged")["merged_into"] == survivor["id"]


async def test_refused_merges_change_nothing(client):
    survivor, merged, _, _b = await two_pompeos(client)
    other = await make_actor(client, name="Mike Pompeo", wikidata_id="Q1000")
    cases = [
        (merged["id"], {"into": merged["id"]}, 409, "conflict"),  # into itself
        (merged["id"], {"into": "00000000-0000-0000-0000-000000000001"}, 422, "unknown-reference"),
        ("00000000-0000-0000-0000-000000000001", {"into": survivor["id"]}, 404, "not-found"),
        (other["id"], {"into": survivor["id"]}, 409, "conflict"),  # two Wikidata ids
        (merged["id"], {"into": 5}, 422, "validation-error"),
        (merged["id"], {}, 422, "validation-error"),
    ]
    for actor_id, body, status, slug in cases:
        problem(await client.post(f"/v1/actors/{actor_id}/merge", json=body), status, slug)
    refused = await client.post(f"/v1/actors/{other['id']}/merge", json={"into": survivor["id"]})
    assert "Q1000" in refused.json()["detail"]
    assert "Q473239" in refused.json()["detail"]
    # A merge into an actor that is itself merged: 409 naming where it went.
    await client.post(f"/v1/actors/{merged['id']}/merge", json={"into": survivor["id"]})
    third = await make_actor(client, name="Pompeo")
    chained = await client.post(f"/v1/actors/{third['id']}/merge", json={"into": merged["id"]})
    assert problem(chained, 409, "actor-merged")["merged_into"] == survivor["id"]
    assert (await client.get(f"/v1/actors/{third['id']}")).json()["status"] == "active"
    assert (await client.get(f"/v1/actors/{other['id']}")).json()["status"] == "active"


async def test_unmerge_restores_exactly_and_the_resolver_keeps_them_apart(client):
    survivor, merged, a, b = await two_pompeos(client)
    before = {
        actor["id"]: (await client.get(f"/v1/actors/{actor['id']}")).json()
        for actor in (survivor, merged)
    }
    await client.post(f"/v1/actors/{merged['id']}/merge", json={"into": survivor["id"]})
    response = await client.post(f"/v1/actors/{merged['id']}/unmerge")
    assert response.status_code == 200, response.text
    for actor_id, document in before.items():
        now = (await client.get(f"/v1/actors/{actor_id}")).json()
        for field in ("status", "merged_into", "names", "roles", "wikidata_id", "name"):
            assert now[field] == document[field], field
    assert (await client.get(f"/v1/attributions/{b['id']}")).json()["speaker_id"] == merged["id"]
    assert (await client.get(f"/v1/attributions/{a['id']}")).json()["speaker_id"] == survivor["id"]
    # "Not the same person" is recorded: neither lists the other as a duplicate.
    duplicates = (await client.get(f"/v1/actors/{merged['id']}/duplicates")).json()["items"]
    assert survivor["id"] not in {item["actor"]["id"] for item in duplicates}
    problem(await client.post(f"/v1/actors/{merged['id']}/unmerge"), 409, "conflict")


async def test_merge_is_in_history_and_as_of_before_it_answers_then(client):
    survivor, merged, _, b = await two_pompeos(client)
    await client.post(f"/v1/actors/{merged['id']}/merge", json={"into": survivor["id"]})
    history = (await client.get(f"/v1/actors/{merged['id']}/history")).json()["items"]
    assert history[0]["after"]["status"] == "merged"
    merged_at = datetime.fromisoformat(history[0]["at"])
    before_merge = (merged_at - timedelta(microseconds=1)).isoformat()
    then = await client.get(f"/v1/actors/{merged['id']}", params={"as_of": before_merge})
    assert then.status_code == 200, then.text
    assert (then.json()["status"], then.json()["merged_into"]) == ("active", None)
    attribution = await client.get(f"/v1/attributions/{b['id']}", params={"as_of": before_merge})
    assert attribution.json()["speaker_id"] == merged["id"]
    moves = (await client.get(f"/v1/attributions/{b['id']}/history")).json()["items"]
    assert (moves[0]["before"]["speaker_id"], moves[0]["after"]["speaker_id"]) == (
        merged["id"],
        survivor["id"],
    )


async def test_split_moves_the_chosen_attributions_to_a_new_actor(client):
    clinton = await make_actor(client, name="Clinton")
    said = [await make_attribution(client, speaker_id=clinton["id"]) for _ in range(3)]
    response = await client.post(
        f"/v1/actors/{clinton['id']}/split",
        json={
            "attribution_ids": [said[1]["id"], said[2]["id"]],
            "actor": {"kind": "person", "name": "Bill Clinton"},
        },
    )
    assert response.status_code == 201, response.text
    bill = response.json()
    assert response.headers["location"].endswith(f"/v1/actors/{bill['id']}")
    for attribution, speaker in ((said[0], clinton), (said[1], bill), (said[2], bill)):
        stored = (await client.get(f"/v1/attributions/{attribution['id']}")).json()
        assert stored["speaker_id"] == speaker["id"]
    moved = (await client.get(f"/v1/attributions/{said[1]['id']}")).json()
    assert moved["speaker_resolution"]["method"] == "manual"
    manual = (await client.get("/v1/attributions", params={"resolution_method": "manual"})).json()
    assert {item["id"] for item in manual["items"]} == {said[1]["id"], said[2]["id"]}


async def test_a_split_naming_another_actors_attribution_is_refused_whole(client):
    clinton = await make_actor(client, name="Clinton")
    mine = await make_attribution(client, speaker_id=clinton["id"])
    theirs = await make_attribution(client)
    response = await client.post(
        f"/v1/actors/{clinton['id']}/split",
        json={
            "attribution_ids": [mine["id"], theirs["id"]],
            "actor": {"kind": "person", "name": "B"},
        },
    )
    body = problem(response, 422, "invalid-field")
    assert {e["pointer"] for e in body["errors"]} == {"/attribution_ids/1"}
    assert (await client.get(f"/v1/attributions/{mine['id']}")).json()["speaker_id"] == clinton[
        "id"
    ]
    assert (await client.get("/v1/actors", params={"name": "B"})).json()["items"] == []


async def test_an_undone_merge_gives_back_its_duplicate_candidates(client):
    one = await make_actor(client, name="John Smith", description="the senator")
    two = await make_actor(client, name="John Smith", description="the plumber")
    claim, source = await make_claim(client), await make_source(client)
    said = await client.post(
        "/v1/attributions",
        json={
            "claim_id": claim["id"],
            "source_id": source["id"],
            "mode": "paraphrase",
            "speaker": {"name": "John Smith"},
        },
    )
    tied = said.json()["speaker_id"]
    before = (await client.get(f"/v1/actors/{tied}/duplicates")).json()["items"]
    assert {item["actor"]["id"] for item in before} == {one["id"], two["id"]}
    await client.post(f"/v1/actors/{tied}/merge", json={"into": one["id"]})
    await client.post(f"/v1/actors/{tied}/unmerge")
    after = (await client.get(f"/v1/actors/{tied}/duplicates")).json()["items"]
    assert {item["actor"]["id"] for item in after} == {two["id"]}  # one: "not the same"
