"""Contradictions read from either claim, with both sides and who said them;
an actor contradicting itself; the paginated list."""

from typing import Any

import httpx

from app.conflicts.schemas import ClaimConflicts, ConflictPage
from tests.factories import (
    make_actor,
    make_attribution,
    make_claim,
    make_source,
    post,
    problem,
    walk,
)


async def contradicts(client: httpx.AsyncClient, a: Any, b: Any, **fields: Any) -> Any:
    body = {"kind": "contradicts", "from_claim_id": a["id"], "to_claim_id": b["id"], **fields}
    return await post(client, "/v1/claim-relations", body)


async def conflicts_of(client: httpx.AsyncClient, claim: Any) -> Any:
    response = await client.get(f"/v1/claims/{claim['id']}/conflicts")
    assert response.status_code == 200, response.text
    ClaimConflicts.model_validate(response.json())
    return response.json()


async def test_a_contradiction_is_seen_from_both_claims(client):
    source = await make_source(client, title="Statement")
    pompeo = await make_actor(client, name="Mike Pompeo")
    diplomats = await make_actor(client, kind="anonymous", name="US diplomats")
    green = await make_claim(
        client,
        text="Trump aurait donné son feu vert",
        translations=[{"language": "en", "text": "Trump gave a green light"}],
    )
    halt = await make_claim(client, text="Pompeo exige l'arrêt de l'offensive")
    await make_attribution(
        client,
        claim_id=green["id"],
        speaker_id=diplomats["id"],
        source_id=source["id"],
        certainty="alleged",
    )
    await make_attribution(
        client,
        claim_id=halt["id"],
        speaker_id=pompeo["id"],
        source_id=source["id"],
        certainty="asserted",
        mode="direct_quote",
    )
    relation = await contradicts(client, green, halt, note="the secretary opposes it")
    await post(
        client,
        "/v1/claim-relations",
        {"kind": "supports", "from_claim_id": green["id"], "to_claim_id": halt["id"]},
    )

    from_green = await conflicts_of(client, green)
    assert from_green["claim"]["id"] == green["id"]
    assert from_green["claim"]["translations"] == [
        {"language": "en", "text": "Trump gave a green light"}
    ]
    (conflict,) = from_green["conflicts"]
    assert conflict["relation_id"] == relation["id"]
    assert conflict["direction"] == "contradicts"
    assert conflict["note"] == "the secretary opposes it"
    assert conflict["claim"]["id"] == halt["id"]
    (speaker,) = conflict["claim"]["speakers"]
    assert speaker["speaker"] == {"id": pompeo["id"], "name": "Mike Pompeo", "kind": "person"}
    assert speaker["certainty"] == "asserted"
    assert speaker["mode"] == "direct_quote"
    assert speaker["source"] == {"id": source["id"], "title": "Statement"}
    assert conflict["self_conflict"] is False
    assert conflict["self_conflict_actors"] == []

    from_halt = await conflicts_of(client, halt)
    (conflict,) = from_halt["conflicts"]
    assert conflict["direction"] == "contradicted_by"
    assert conflict["claim"]["id"] == green["id"]
    assert conflict["claim"]["speakers"][0]["certainty"] == "alleged"
    assert conflict["claim"]["speakers"][0]["speaker"]["kind"] == "anonymous"


async def test_a_claim_without_conflicts_and_a_missing_claim(client):
    claim = await make_claim(client)
    assert (await conflicts_of(client, claim))["conflicts"] == []
    missing = "01900000-0000-7000-8000-000000000000"
    problem(await client.get(f"/v1/claims/{missing}/conflicts"), 404, "not-found")
    problem(await client.get("/v1/claims/not-a-uuid/conflicts"), 422, "validation-error")


async def test_an_actor_contradicting_itself(client):
    actor = await make_actor(client, name="Donald Trump")
    other = await make_actor(client, name="Someone else")
    before = await make_claim(client, text="Haftar must stop", language="en")
    after = await make_claim(client, text="Haftar is fighting terrorism", language="en")
    unrelated = await make_claim(client, text="Something else", language="en")
    await make_attribution(
        client,
        claim_id=before["id"],
        speaker_id=actor["id"],
        time={"earliest": "2019-04-07", "latest": "2019-04-07", "precision": "day"},
    )
    await make_attribution(
        client,
        claim_id=after["id"],
        speaker_id=actor["id"],
        time={"earliest": "2019-04-19", "latest": "2019-04-19", "precision": "day"},
    )
    await make_attribution(client, claim_id=after["id"], speaker_id=other["id"])
    await make_attribution(client, claim_id=unrelated["id"], speaker_id=other["id"])
    self_relation = await contradicts(client, after, before)
    other_relation = await contradicts(client, unrelated, before)

    (conflict,) = [
        c
        for c in (await conflicts_of(client, before))["conflicts"]
        if c["relation_id"] == self_relation["id"]
    ]
    assert conflict["self_conflict"] is True
    assert conflict["self_conflict_actors"] == [
        {"id": actor["id"], "name": "Donald Trump", "kind": "person"}
    ]
    said = {s["speaker"]["id"]: s for s in conflict["claim"]["speakers"]}
    assert said[actor["id"]]["earliest"] == "2019-04-19"

    listed = await walk(client, "/v1/conflicts", self_conflict="true")
    assert [c["relation_id"] for c in listed] == [self_relation["id"]]
    assert listed[0]["from_claim"]["id"] == after["id"]
    assert listed[0]["to_claim"]["id"] == before["id"]
    listed = await walk(client, "/v1/conflicts", self_conflict="false")
    assert [c["relation_id"] for c in listed] == [other_relation["id"]]
    by_other = await walk(client, "/v1/conflicts", actor_id=other["id"])
    assert [c["relation_id"] for c in by_other] == [self_relation["id"], other_relation["id"]]
    mine = await walk(client, "/v1/conflicts", actor_id=actor["id"], self_conflict="false")
    assert [c["relation_id"] for c in mine] == [other_relation["id"]]


async def test_relaying_a_claim_is_not_holding_it(client):
    sources = await make_actor(client, kind="anonymous", name="diplomatic sources")
    bode = await make_actor(client, name="Peter Bode")
    green = await make_claim(client, text="green light")
    red = await make_claim(client, text="Tripoli is a red line")
    await make_attribution(client, claim_id=green["id"], speaker_id=sources["id"])
    quote = await make_attribution(client, claim_id=red["id"], speaker_id=bode["id"])
    await make_attribution(
        client, claim_id=red["id"], speaker_id=sources["id"], relayed_through_id=quote["id"]
    )
    await contradicts(client, green, red)
    (conflict,) = (await conflicts_of(client, green))["conflicts"]
    assert conflict["self_conflict"] is False
    assert len(conflict["claim"]["speakers"]) == 2
    # The same actor relaying its own earlier words still holds them.
    mine = await make_claim(client, text="no green light")
    first = await make_attribution(client, claim_id=mine["id"], speaker_id=sources["id"])
    await make_attribution(
        client, claim_id=mine["id"], speaker_id=sources["id"], relayed_through_id=first["id"]
    )
    await contradicts(client, mine, green)
    (conflict,) = (await conflicts_of(client, mine))["conflicts"]
    assert conflict["self_conflict"] is True


async def test_the_list_is_paginated(client):
    claims = [await make_claim(client, text=f"claim {n}") for n in range(4)]
    relations = [await contradicts(client, claims[0], other) for other in claims[1:]]
    first = (await client.get("/v1/conflicts", params={"limit": 2})).json()
    ConflictPage.model_validate(first)
    assert len(first["items"]) == 2
    assert first["next"]
    everything = await walk(client, "/v1/conflicts")
    assert [c["relation_id"] for c in everything] == [r["id"] for r in relations]
    assert all(c["from_claim"]["id"] == claims[0]["id"] for c in everything)
    problem(await client.get("/v1/conflicts", params={"cursor": "nonsense!"}), 422, "bad-cursor")


async def test_conflicts_are_one_statement(client, statements):
    a, b, c = [await make_claim(client, text=t) for t in ("a", "b", "c")]
    for x, y in ((a, b), (c, a)):
        await make_attribution(client, claim_id=x["id"])
        await contradicts(client, x, y)
    statements.clear()
    assert len((await conflicts_of(client, a))["conflicts"]) == 2
    assert len(statements) == 1, statements.statements
    statements.clear()
    assert len((await client.get("/v1/conflicts")).json()["items"]) == 2
    assert len(statements) == 1, statements.statements
