"""Speakers through the API and bundles: given by name, matched across
documents by name, never across documents when anonymous, ties left to a
curator, how each was resolved, and the curation queue."""

from typing import Any

import httpx

from tests.factories import make_actor, make_claim, make_source, problem


async def by_name(client: httpx.AsyncClient, name: str, kind: str = "person") -> dict[str, Any]:
    claim, source = await make_claim(client), await make_source(client)
    response = await client.post(
        "/v1/attributions",
        json={
            "claim_id": claim["id"],
            "source_id": source["id"],
            "mode": "paraphrase",
            "speaker": {"name": name, "kind": kind},
        },
    )
    assert response.status_code == 201, response.text
    document: dict[str, Any] = response.json()
    return document


async def test_a_speaker_given_by_name_is_found_or_created_and_says_how(client):
    first = await by_name(client, "Mike Pompeo")
    assert first["speaker_resolution"]["method"] == "new"
    again = await by_name(client, "Mike Pompeo")
    assert again["speaker_id"] == first["speaker_id"]
    assert again["speaker_resolution"] == {
        "mention": "Mike Pompeo",
        "method": "exact",
        "confidence": 1.0,
        "through_attribution_id": None,
    }
    # Titles, initials, case, accents and Unicode forms do not split an actor.
    variant = await by_name(client, "Secretary of State MIKE R. POMPEO")
    assert variant["speaker_id"] == first["speaker_id"]
    assert variant["speaker_resolution"]["method"] == "name_variant"
    nfd = await by_name(client, "Mike Pompe\u0301o")  # "Pompéo" decomposed, unaccented: one key
    assert nfd["speaker_id"] == first["speaker_id"]
    # A stored alias finds its actor.
    mbz = await make_actor(
        client, name="Mohammed bin Zayed", names=[{"name": "MBZ", "kind": "abbreviation"}]
    )
    assert (await by_name(client, "MBZ"))["speaker_id"] == mbz["id"]
    only = await client.get("/v1/attributions", params={"resolution_method": "name_variant"})
    assert [item["id"] for item in only.json()["items"]] == [variant["id"]]


async def test_a_tie_is_never_merged_but_left_for_a_curator(client):
    one = await make_actor(client, name="John Smith", description="the senator")
    two = await make_actor(client, name="John Smith", description="the plumber")
    said = await by_name(client, "John Smith")
    assert said["speaker_id"] not in {one["id"], two["id"]}
    assert said["speaker_resolution"]["method"] == "new"
    assert said["speaker_resolution"]["confidence"] < 0.6
    duplicates = (await client.get(f"/v1/actors/{said['speaker_id']}/duplicates")).json()
    found = {item["actor"]["id"]: item for item in duplicates["items"]}
    assert set(found) == {one["id"], two["id"]}
    assert any(reason.startswith("tie") for reason in found[one["id"]]["reasons"])
    queue = (await client.get("/v1/curation", params={"kind": "duplicate"})).json()["items"]
    pairs = {frozenset((item["actor_id"], item["candidate_id"])) for item in queue}
    assert frozenset((said["speaker_id"], one["id"])) in pairs
    # "Not the same person": gone from the duplicates and the queue.
    response = await client.post(
        f"/v1/actors/{said['speaker_id']}/distinct", json={"from": one["id"]}
    )
    assert response.status_code == 201, response.text
    again = await client.post(f"/v1/actors/{said['speaker_id']}/distinct", json={"from": one["id"]})
    assert again.status_code == 200
    duplicates = (await client.get(f"/v1/actors/{said['speaker_id']}/duplicates")).json()
    assert {item["actor"]["id"] for item in duplicates["items"]} == {two["id"]}


async def test_a_surname_alone_needs_a_unique_match_across_documents(client):
    hillary = await make_actor(client, name="Hillary Clinton")
    only = await by_name(client, "Clinton")  # the one Clinton in the database
    assert only["speaker_id"] == hillary["id"]
    assert only["speaker_resolution"]["method"] == "surname"
    bill = await make_actor(client, name="Bill Clinton")
    lone = await by_name(client, "Clinton")  # two now: never a guess
    assert lone["speaker_id"] not in {hillary["id"], bill["id"]}
    duplicates = (await client.get(f"/v1/actors/{lone['speaker_id']}/duplicates")).json()
    assert {item["actor"]["id"] for item in duplicates["items"]} == {hillary["id"], bill["id"]}
    assert all(
        any("surname" in reason for reason in item["reasons"]) for item in duplicates["items"]
    )
    # Once a curator says "Clinton" is her alias (merging the lone one into
    # her), it finds her again, as the alias.
    await client.patch(
        f"/v1/actors/{hillary['id']}", json={"names": [{"name": "Clinton", "kind": "alias"}]}
    )
    await client.post(f"/v1/actors/{lone['speaker_id']}/merge", json={"into": hillary["id"]})
    later = await by_name(client, "Clinton")
    assert later["speaker_id"] == hillary["id"]
    assert later["speaker_resolution"]["method"] == "alias"


def article(bundle_id: str, text: str, speakers: list[tuple[str, str, str]]) -> dict[str, Any]:
    """A bundle of one article whose attributions have the given speakers
    (ref, kind, name), each saying the whole text."""
    return {
        "format": "onrecord-bundle",
        "version": 1,
        "id": bundle_id,
        "actors": [{"ref": ref, "kind": kind, "name": name} for ref, kind, name in speakers],
        "sources": [{"ref": "s", "kind": "article", "title": bundle_id, "full_text": text}],
        "claims": [{"ref": "c", "text": text, "language": "en"}],
        "attributions": [
            {"ref": f"a-{ref}", "claim": "c", "source": "s", "speaker": ref, "mode": "paraphrase"}
            for ref, _, _ in speakers
        ],
    }


async def test_named_speakers_are_one_actor_across_bundles_anonymous_ones_never(client):
    one = article(
        "story-1", "First story.", [("p", "person", "Mike Pompeo"), ("x", "anonymous", "sources")]
    )
    two = article(
        "story-2",
        "Second story.",
        [("pompeo", "person", "Mike Pompeo"), ("y", "anonymous", "sources")],
    )
    first = (await client.post("/v1/bundles", json=one)).json()
    second = (await client.post("/v1/bundles", json=two)).json()
    assert first["ids"]["p"] == second["ids"]["pompeo"]
    assert second["existing"]["actors"] == 1
    assert second["created"]["actors"] == 1
    assert first["ids"]["x"] != second["ids"]["y"]
    stored = (await client.get(f"/v1/attributions/{second['ids']['a-pompeo']}")).json()
    assert stored["speaker_resolution"]["method"] == "exact"
    created = (await client.get(f"/v1/attributions/{first['ids']['a-p']}")).json()
    assert created["speaker_resolution"]["method"] == "new"


async def test_bundles_take_speakers_by_name_too(client):
    bundle = article("story-3", "Third story.", [])
    bundle["attributions"] = [
        {
            "ref": "a",
            "claim": "c",
            "source": "s",
            "mode": "paraphrase",
            "speaker": {"name": "Jeh Johnson", "kind": "person"},
        }
    ]
    johnson = await make_actor(client, name="Jeh Johnson")
    loaded = (await client.post("/v1/bundles", json=bundle)).json()
    stored = (await client.get(f"/v1/attributions/{loaded['ids']['a']}")).json()
    assert stored["speaker_id"] == johnson["id"]
    assert stored["speaker_resolution"]["mention"] == "Jeh Johnson"


async def test_bad_speakers_are_clear_problems_and_change_nothing(client):
    claim, source = await make_claim(client), await make_source(client)
    base = {"claim_id": claim["id"], "source_id": source["id"], "mode": "paraphrase"}
    actor = await make_actor(client)
    cases = [
        ({**base, "speaker": {"name": "x" * 10_000}}, "/speaker/name"),
        ({**base, "speaker": {"name": ""}}, "/speaker/name"),
        ({**base, "speaker": {"name": "A", "kind": "alien"}}, "/speaker/kind"),
        ({**base, "speaker": {"name": "A"}, "speaker_id": actor["id"]}, "/speaker"),
    ]
    for body, pointer in cases:
        response = await client.post("/v1/attributions", json=body)
        assert response.status_code == 422, response.text
        assert pointer in {e["pointer"] for e in response.json()["errors"]}
    unknown = {**base, "speaker_id": "00000000-0000-0000-0000-000000000001"}
    problem(await client.post("/v1/attributions", json=unknown), 422, "unknown-reference")
    listed = await client.get("/v1/attributions", params={"claim_id": claim["id"]})
    assert listed.json()["items"] == []
    names = await client.get("/v1/actors", params={"name": "A"})
    assert names.json()["items"] == []


async def test_the_curation_queue_pages_through_every_kind(client):
    for _ in range(2):
        await make_actor(client, name="Jane Doe")
    for _ in range(2):
        await by_name(client, "Jane Doe")  # two ties, each a pair or two
    bundle = article("story-4", "He said so.", [])
    bundle["actors"] = [{"ref": "he", "kind": "person", "name": "he", "scope": "document"}]
    bundle["attributions"] = [
        {
            "ref": "a",
            "claim": "c",
            "source": "s",
            "speaker": "he",
            "mode": "paraphrase",
            "speaker_resolution": {"mention": "He", "method": "new", "confidence": 0.3},
        }
    ]
    await client.post("/v1/bundles", json=bundle)
    seen, cursor = [], None
    while True:
        params: dict[str, Any] = {"limit": 2}
        if cursor:
            params["cursor"] = cursor
        page = (await client.get("/v1/curation", params=params)).json()
        seen += page["items"]
        cursor = page["next"]
        if not cursor:
            break
    kinds = [item["kind"] for item in seen]
    assert kinds == sorted(kinds, key=["duplicate", "unresolved", "low_confidence"].index)
    assert kinds.count("unresolved") == 1
    assert kinds.count("duplicate") >= 4
    assert len({(i["actor_id"], i["candidate_id"], i["attribution_id"]) for i in seen}) == len(seen)
    problem(await client.get("/v1/curation", params={"cursor": "nonsense"}), 422, "bad-cursor")


async def test_a_short_first_name_finds_the_person_under_the_formal_one(client):
    leonard = await by_name(client, "Leonard E. Burman")
    len_ = await by_name(client, "Len Burman")
    assert len_["speaker_id"] == leonard["speaker_id"]
    assert len_["speaker_resolution"]["method"] == "name_variant"
    # and the other way round; another first name is another person
    bill = await by_name(client, "Bill Fowler")
    assert (await by_name(client, "William Fowler"))["speaker_id"] == bill["speaker_id"]
    assert (await by_name(client, "Lena Burman"))["speaker_id"] != leonard["speaker_id"]
