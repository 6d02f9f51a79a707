"""Q1, Q2, Q5 and Q6 of the founding article (seed-facts.md) on the demo data,
asked through the API. Claims are identified by their content."""

import httpx

from tests.factories import JSON, walk


async def claim_with(client: httpx.AsyncClient, words: str) -> JSON:
    """The one claim whose text or a translation contains ``words``."""
    found = [
        claim
        for claim in await walk(client, "/v1/claims")
        if words in claim["text"] or any(words in t["text"] for t in claim["translations"])
    ]
    assert len(found) == 1, [claim["text"] for claim in found]
    return found[0]


async def actor_named(client: httpx.AsyncClient, name: str) -> JSON:
    (actor,) = await walk(client, "/v1/actors", name=name)
    return actor


async def test_q1_who_says_trump_gave_a_green_light_and_on_whose_report(client, demo):
    green_light = await claim_with(client, "green light")
    body = (await client.get(f"/v1/claims/{green_light['id']}/provenance")).json()
    assert (body["independent_origins"], body["on_record"]) == (1, False)
    # The article's chain: S0 <- Bloomberg's report <- the anonymous diplomats.
    (longest,) = [chain for chain in body["chains"] if chain["depth"] == 1]
    article_hop, bloomberg_hop = longest["hops"]
    assert article_hop["certainty"] == "alleged"  # "aurait donné"
    # Bloomberg's certainty is unknown (its text is not held): it does not
    # weaken the chain, which stays alleged.
    assert bloomberg_hop["certainty"] == "unknown"
    assert longest["weakest_certainty"] == "alleged"
    assert article_hop["source"]["publisher"] is None
    assert bloomberg_hop["source"]["publisher"]["name"] == "Bloomberg"
    for hop in longest["hops"]:
        assert hop["speaker"]["name"] == "US diplomats"
        assert hop["speaker"]["anonymous"] is True
    assert longest["origin"]["name"] == "US diplomats"
    assert longest["on_record"] is False
    # Bloomberg's own record is a chain of its own, with the same origin.
    assert {chain["origin"]["id"] for chain in body["chains"]} == {longest["origin"]["id"]}
    assert len(body["chains"]) == 2


async def test_q2_what_did_pompeo_say_and_when(client, demo):
    pompeo = await actor_named(client, "Mike Pompeo")
    statements = await walk(client, f"/v1/actors/{pompeo['id']}/statements", direct="true")
    opposed = [s for s in statements if "opposed" in s["claim"]["translations"][0]["text"]]
    (said,) = opposed
    assert said["time"]["earliest"] == said["time"]["latest"] == "2019-04-07"
    assert said["source"]["kind"] == "statement"
    assert "Pompeo" in said["source"]["title"]
    assert said["chain"]["on_record"] is True
    everything = await walk(client, f"/v1/actors/{pompeo['id']}/statements")
    assert everything[0]["id"] == said["id"]  # the dated statement comes first


async def test_q5_claims_resting_only_on_anonymous_sources(client, demo):
    off_record = await walk(client, "/v1/claims", on_record="false")
    expected = [
        await claim_with(client, words)
        for words in (
            "green light",  # C1
            "6 days",  # C5
            "asked his American counterpart",  # C6
            "last Thursday",  # C7
            "ligne rouge",  # C9
        )
    ]
    assert sorted(c["id"] for c in off_record) == sorted(c["id"] for c in expected)


async def test_q6_what_bloomberg_reported(client, demo):
    bloomberg = await actor_named(client, "Bloomberg")
    published = await walk(client, f"/v1/actors/{bloomberg['id']}/published-claims")
    expected = [
        await claim_with(client, words)
        for words in ("green light", "6 days", "asked his American counterpart", "last Thursday")
    ]
    assert sorted(item["claim"]["id"] for item in published) == sorted(c["id"] for c in expected)
    red_line = await claim_with(client, "ligne rouge")
    assert red_line["id"] not in {item["claim"]["id"] for item in published}
