"""Relay chains, independent origins and the stored corroboration counters,
on generated cases created through the API."""

from typing import Any

import httpx
import pytest

from app.pagination import Page
from app.provenance.schemas import ProvenanceRead, RecordedClaimRead, StatementRead
from tests.factories import JSON, ids, make_actor, make_claim, make_source, post, problem

ORDER = ("asserted", "alleged", "hypothetical", "denied")


async def record(
    client: httpx.AsyncClient,
    claim: JSON,
    source: JSON,
    speaker: JSON | None = None,
    *,
    relays: JSON | None = None,
    certainty: str = "asserted",
    **fields: Any,
) -> JSON:
    """``speaker`` said ``claim``, as ``source`` records it (relaying ``relays``)."""
    body: JSON = {
        "claim_id": claim["id"],
        "source_id": source["id"],
        "mode": "paraphrase" if speaker else "own_voice",
        "certainty": certainty,
        **fields,
    }
    if speaker:
        body["speaker_id"] = speaker["id"]
    if relays:
        body["relayed_through_id"] = relays["id"]
    return await post(client, "/v1/attributions", body)


async def provenance(client: httpx.AsyncClient, claim: JSON) -> JSON:
    response = await client.get(f"/v1/claims/{claim['id']}/provenance")
    assert response.status_code == 200, response.text
    body: JSON = response.json()
    ProvenanceRead.model_validate(body)
    return body


async def stored(client: httpx.AsyncClient, claim: JSON) -> tuple[int, bool | None]:
    body = (await client.get(f"/v1/claims/{claim['id']}")).json()
    return body["independent_origins"], body["on_record"]


def chain_from(body: JSON, attribution: JSON) -> JSON:
    chains: list[JSON] = [
        c for c in body["chains"] if c["start_attribution_id"] == attribution["id"]
    ]
    assert len(chains) == 1
    return chains[0]


async def anonymous_story(client: httpx.AsyncClient, *, officials: int) -> tuple[JSON, JSON]:
    """Five outlets relay one anonymous origin; ``officials`` sources quote a
    named official on the record."""
    claim = await make_claim(client)
    diplomats = await make_actor(client, kind="anonymous", name="US diplomats")
    wire = await make_source(client, title="Wire report")
    origin = await record(client, claim, wire, diplomats, certainty="alleged")
    for n in range(5):
        outlet = await make_source(client, title=f"Outlet {n}")
        await record(client, claim, outlet, diplomats, relays=origin, certainty="alleged")
    official = await make_actor(client, name="Named Official")
    for n in range(officials):
        await record(client, claim, await make_source(client, title=f"Paper {n}"), official)
    return claim, origin


async def test_anonymous_relays_count_once_and_a_named_official_is_on_record(client):
    claim, origin = await anonymous_story(client, officials=2)
    body = await provenance(client, claim)
    assert body["independent_origins"] == 2
    assert body["on_record"] is True
    assert len(body["chains"]) == 1 + 5 + 2
    relayed = [c for c in body["chains"] if c["origin"]["attribution_id"] == origin["id"]]
    assert len(relayed) == 6
    assert all(not c["on_record"] and c["origin"]["anonymous"] for c in relayed)
    assert await stored(client, claim) == (2, True)


async def test_only_anonymous_relays_are_not_on_record(client):
    claim, _ = await anonymous_story(client, officials=0)
    body = await provenance(client, claim)
    assert (body["independent_origins"], body["on_record"]) == (1, False)
    assert await stored(client, claim) == (1, False)
    assert claim["id"] in await ids(client, "/v1/claims", on_record="false")


@pytest.mark.parametrize("depth", [1, 2, 3, 4, 5, 6])
async def test_relay_chain_of_any_depth(client, depth):
    claim = await make_claim(client)
    speaker = await make_actor(client, name="The origin")
    relayers = [await make_actor(client, name=f"Relayer {n}") for n in range(depth)]
    certainties = ["asserted"] + ["alleged", "hypothetical", "asserted"] * depth
    origin = await record(
        client, claim, await make_source(client, title="Origin"), speaker, certainty="asserted"
    )
    chain = [origin]
    for n in range(depth):
        source = await make_source(client, title=f"Relay {n}")
        relayed = await record(
            client, claim, source, relayers[n], relays=chain[-1], certainty=certainties[n + 1]
        )
        chain.append(relayed)
    body = await provenance(client, claim)
    assert len(body["chains"]) == depth + 1  # every relaying document is a chain
    longest = chain_from(body, chain[-1])
    hops = longest["hops"]
    assert [hop["attribution_id"] for hop in hops] == [a["id"] for a in reversed(chain)]
    assert [hop["depth"] for hop in hops] == list(range(depth + 1))
    assert longest["depth"] == depth
    assert longest["origin"] == {
        "type": "actor",
        "id": speaker["id"],
        "name": "The origin",
        "kind": "person",
        "anonymous": False,
        "attribution_id": origin["id"],
    }
    expected = max(certainties[: depth + 1], key=ORDER.index)
    assert longest["weakest_certainty"] == expected
    assert longest["truncated"] is False
    assert body["independent_origins"] == 1
    assert chain_from(body, origin)["hops"][0]["source"]["title"] == "Origin"


async def test_two_documents_relaying_the_same_report_branch(client):
    claim = await make_claim(client)
    speaker = await make_actor(client)
    origin = await record(client, claim, await make_source(client), speaker)
    left = await record(client, claim, await make_source(client), speaker, relays=origin)
    right = await record(client, claim, await make_source(client), speaker, relays=origin)
    body = await provenance(client, claim)
    assert {c["start_attribution_id"] for c in body["chains"]} == {
        origin["id"],
        left["id"],
        right["id"],
    }
    for branch in (left, right):
        assert [h["attribution_id"] for h in chain_from(body, branch)["hops"]] == [
            branch["id"],
            origin["id"],
        ]
    assert body["independent_origins"] == 1


@pytest.mark.parametrize(("same_speaker", "origins"), [(False, 2), (True, 1)])
async def test_unrelated_sources(client, same_speaker, origins):
    claim = await make_claim(client)
    first = await make_actor(client, name="First")
    second = first if same_speaker else await make_actor(client, name="Second")
    await record(client, claim, await make_source(client), first)
    await record(client, claim, await make_source(client), second)
    body = await provenance(client, claim)
    assert len(body["chains"]) == 2
    assert all(c["depth"] == 0 for c in body["chains"])
    assert body["independent_origins"] == origins
    assert await stored(client, claim) == (origins, True)


async def test_nested_report_inside_one_document_is_one_chain(client):
    claim = await make_claim(client)
    diplomats = await make_actor(client, kind="anonymous", name="ces sources diplomatiques")
    bode = await make_actor(client, name="Peter Bode")
    article = await make_source(client, title="S0")
    inner = await record(client, claim, article, bode, mode="partial_quote")
    outer = await record(client, claim, article, diplomats, relays=inner, certainty="alleged")
    body = await provenance(client, claim)
    (chain,) = body["chains"]
    assert chain["start_attribution_id"] == outer["id"]
    assert [h["attribution_id"] for h in chain["hops"]] == [outer["id"], inner["id"]]
    assert chain["hops"][0]["speaker"]["anonymous"] is True
    assert chain["origin"]["id"] == bode["id"]
    assert (chain["on_record"], chain["weakest_certainty"]) == (False, "alleged")
    assert (body["independent_origins"], body["on_record"]) == (1, False)
    assert await stored(client, claim) == (1, False)


async def test_own_voice_origin_is_the_source(client):
    claim = await make_claim(client)
    paper = await make_source(client, title="Le Monde", kind="article")
    own = await record(client, claim, paper)
    body = await provenance(client, claim)
    (chain,) = body["chains"]
    assert chain["origin"]["type"] == "source"
    assert chain["origin"]["id"] == paper["id"]
    assert chain["origin"]["attribution_id"] == own["id"]
    assert chain["hops"][0]["speaker"] is None
    assert (body["independent_origins"], body["on_record"]) == (1, True)


async def test_unrecorded_claim_and_missing_claim(client):
    claim = await make_claim(client)
    body = await provenance(client, claim)
    assert body["chains"] == []
    assert (body["independent_origins"], body["on_record"]) == (0, None)
    assert body["claim"]["id"] == claim["id"]
    missing = "00000000-0000-7000-8000-000000000000"
    problem(await client.get(f"/v1/claims/{missing}/provenance"), 404, "not-found")


async def test_same_as_claims_share_their_chains(client):
    french = await make_claim(client, text="ligne rouge", language="fr")
    english = await make_claim(client, text="red line", language="en")
    third = await make_claim(client, text="rote Linie", language="de")
    anonymous = await make_actor(client, kind="anonymous", name="Diplomats")
    official = await make_actor(client, name="Official")
    await record(client, french, await make_source(client), anonymous)
    await record(client, third, await make_source(client), official)
    assert await stored(client, french) == (1, False)
    first = await post(
        client,
        "/v1/claim-relations",
        {"kind": "same_as", "from_claim_id": french["id"], "to_claim_id": english["id"]},
    )
    second = await post(
        client,
        "/v1/claim-relations",
        {"kind": "same_as", "from_claim_id": third["id"], "to_claim_id": english["id"]},
    )
    body = await provenance(client, french)
    assert set(body["same_as_claim_ids"]) == {english["id"], third["id"]}
    assert (body["independent_origins"], body["on_record"]) == (2, True)
    for claim in (french, english, third):
        assert await stored(client, claim) == (2, True)
    response = await client.patch(f"/v1/claim-relations/{second['id']}", json={"kind": "supports"})
    assert response.status_code == 200
    assert await stored(client, french) == (1, False)
    assert await stored(client, third) == (1, True)
    assert (await client.delete(f"/v1/claim-relations/{first['id']}")).status_code == 204
    assert await stored(client, english) == (0, None)
    assert await stored(client, french) == (1, False)


async def test_counters_follow_deleted_and_repointed_attributions(client):
    claim, _ = await anonymous_story(client, officials=1)
    other = await make_claim(client, text="another claim")
    assert await stored(client, claim) == (2, True)
    quoted = await ids(client, "/v1/attributions", claim_id=claim["id"])
    official_record = quoted[-1]
    # Re-point the official's record at another claim: both claims change.
    response = await client.patch(
        f"/v1/attributions/{official_record}", json={"claim_id": other["id"]}
    )
    assert response.status_code == 200
    assert await stored(client, claim) == (1, False)
    assert await stored(client, other) == (1, True)
    assert claim["id"] not in await ids(client, "/v1/claims", min_origins=2)
    # Delete it: the other claim is recorded nowhere any more.
    assert (await client.delete(f"/v1/attributions/{official_record}")).status_code == 204
    assert await stored(client, other) == (0, None)
    assert other["id"] not in await ids(client, "/v1/claims", on_record="true")
    assert other["id"] not in await ids(client, "/v1/claims", on_record="false")


async def test_a_relay_changing_speaker_changes_the_claims_downstream(client):
    claim = await make_claim(client)
    relayer_claim = await make_claim(client, text="a relay in other words")
    named = await make_actor(client, name="Named")
    diplomats = await make_actor(client, kind="anonymous", name="Diplomats")
    origin = await record(client, claim, await make_source(client), named)
    relay = await record(client, relayer_claim, await make_source(client), named, relays=origin)
    assert await stored(client, relayer_claim) == (1, True)
    # The origin turns out to be the anonymous diplomats: the relay's chain
    # passes through it.
    response = await client.patch(
        f"/v1/attributions/{origin['id']}", json={"speaker_id": diplomats["id"]}
    )
    assert response.status_code == 200
    assert await stored(client, relayer_claim) == (1, False)
    # Re-point the relay away from the anonymous origin.
    response = await client.patch(
        f"/v1/attributions/{relay['id']}", json={"relayed_through_id": None}
    )
    assert response.status_code == 200
    assert await stored(client, relayer_claim) == (1, True)


async def test_actor_turning_anonymous_takes_claims_off_the_record(client):
    claim = await make_claim(client)
    source_person = await make_actor(client, name="A source")
    origin = await record(client, claim, await make_source(client), source_person)
    await record(client, claim, await make_source(client), source_person, relays=origin)
    assert await stored(client, claim) == (1, True)
    response = await client.patch(f"/v1/actors/{source_person['id']}", json={"kind": "anonymous"})
    assert response.status_code == 200
    assert await stored(client, claim) == (1, False)
    response = await client.patch(f"/v1/actors/{source_person['id']}", json={"kind": "person"})
    assert await stored(client, claim) == (1, True)


async def test_list_filters_and_sorts_by_independent_origins(client):
    claims = []
    for origins in (3, 0, 2, 1, 2):
        claim = await make_claim(client, text=f"{origins} origins")
        for n in range(origins):
            speaker = await make_actor(client, name=f"Speaker {n}")
            await record(client, claim, await make_source(client), speaker)
        claims.append((origins, claim["id"]))
    assert set(await ids(client, "/v1/claims", min_origins=2)) == {i for n, i in claims if n >= 2}
    # One per page, so the cursor carries the sort key across pages.
    ascending = await ids(client, "/v1/claims", sort="independent_origins", limit=1)
    descending = await ids(client, "/v1/claims", sort="-independent_origins", limit=1)
    by_origins = sorted(claims, key=lambda c: (c[0], c[1]))
    assert ascending == [i for _, i in by_origins]
    assert descending == [i for _, i in reversed(by_origins)]
    assert await ids(client, "/v1/claims", sort="-independent_origins", min_origins=2, limit=2) == [
        i for n, i in reversed(by_origins) if n >= 2
    ]
    assert await ids(client, "/v1/claims") == [i for _, i in claims]
    # A cursor of one order is refused by another.
    page = (
        await client.get("/v1/claims", params={"sort": "independent_origins", "limit": 1})
    ).json()
    for params in ({"sort": "-independent_origins"}, {}):
        response = await client.get("/v1/claims", params={**params, "cursor": page["next"]})
        problem(response, 400, "cursor-mismatch")
    problem(await client.get("/v1/claims", params={"sort": "text"}), 422, "validation-error")
    problem(await client.get("/v1/claims", params={"min_origins": -1}), 422, "validation-error")


async def test_statements_of_an_actor(client):
    pompeo = await make_actor(client, name="Mike Pompeo")
    event = await make_event_for(client)
    statement_source = await make_source(client, title="Statement", kind="statement")
    article = await make_source(client, title="Article")
    early = await make_claim(client, text="early")
    late = await make_claim(client, text="late", event_ids=[event["id"]])
    undated = await make_claim(client, text="undated")
    day = {"earliest": "2019-04-07", "latest": "2019-04-07", "precision": "day"}
    said_late = await record(client, late, statement_source, pompeo, time=day)
    relayed_late = await record(client, late, article, pompeo, relays=said_late, time=day)
    said_undated = await record(client, undated, article, pompeo, certainty="alleged")
    said_early = await record(
        client,
        early,
        statement_source,
        pompeo,
        time={"earliest": "2019-02-01", "latest": "2019-02-28", "precision": "month"},
        mode="direct_quote",
    )
    path = f"/v1/actors/{pompeo['id']}/statements"
    in_order = [said_early["id"], said_late["id"], relayed_late["id"], said_undated["id"]]
    assert await ids(client, path) == in_order
    assert await ids(client, path, limit=1) == in_order
    assert await ids(client, path, direct="true") == [
        said_early["id"],
        said_late["id"],
        said_undated["id"],
    ]
    assert await ids(client, path, direct="false") == [relayed_late["id"]]
    assert await ids(client, path, time_from="2019-04-01") == [said_late["id"], relayed_late["id"]]
    assert await ids(client, path, event_id=event["id"]) == [said_late["id"], relayed_late["id"]]
    assert await ids(client, path, certainty="alleged") == [said_undated["id"]]
    assert await ids(client, path, mode="direct_quote") == [said_early["id"]]
    page = (await client.get(path)).json()
    Page[StatementRead].model_validate(page)
    relayed = page["items"][2]
    assert relayed["claim"]["text"] == "late"
    assert relayed["source"]["title"] == "Article"
    assert relayed["direct"] is False
    assert relayed["chain"]["depth"] == 1
    assert relayed["chain"]["origin"]["attribution_id"] == said_late["id"]
    assert page["items"][1]["time"]["earliest"] == "2019-04-07"
    missing = "00000000-0000-7000-8000-000000000000"
    problem(await client.get(f"/v1/actors/{missing}/statements"), 404, "not-found")
    for bad in ("nope", "WyJ4IiwieSJd"):
        problem(await client.get(path, params={"cursor": bad}), 422, "bad-cursor")
    nobody = await make_actor(client, name="Silent")
    assert (await client.get(f"/v1/actors/{nobody['id']}/statements")).json() == {
        "items": [],
        "next": None,
    }


async def make_event_for(client: httpx.AsyncClient) -> JSON:
    return await post(client, "/v1/events", {"kind": "statement", "title": "Pompeo's statement"})


async def test_claims_of_a_source_and_of_a_publisher(client):
    bloomberg = await make_actor(client, kind="media", name="Bloomberg")
    diplomats = await make_actor(client, kind="anonymous", name="Diplomats")
    report = await make_source(client, title="Report", publisher_id=bloomberg["id"])
    other_report = await make_source(client, title="Report 2", publisher_id=bloomberg["id"])
    article = await make_source(client, title="Article")
    told = await make_claim(client, text="told Bloomberg")
    also = await make_claim(client, text="also told Bloomberg")
    own = await make_claim(client, text="the article's own")
    origin = await record(client, told, report, diplomats, certainty="unknown")
    await record(client, also, other_report, diplomats)
    relay = await record(client, told, article, diplomats, relays=origin, certainty="alleged")
    await record(client, own, article)
    page = (await client.get(f"/v1/sources/{article['id']}/claims")).json()
    Page[RecordedClaimRead].model_validate(page)
    assert [item["claim"]["id"] for item in page["items"]] == sorted([told["id"], own["id"]])
    (told_item,) = [i for i in page["items"] if i["claim"]["id"] == told["id"]]
    (relayed,) = told_item["attributions"]
    assert relayed["id"] == relay["id"]
    assert relayed["direct"] is False
    assert relayed["chain"]["depth"] == 1
    assert relayed["chain"]["origin"]["id"] == diplomats["id"]
    assert relayed["chain"]["on_record"] is False
    assert relayed["chain"]["weakest_certainty"] == "alleged"
    published = await ids_of_claims(client, f"/v1/actors/{bloomberg['id']}/published-claims")
    assert published == sorted([told["id"], also["id"]])
    assert await ids_of_claims(
        client, f"/v1/actors/{bloomberg['id']}/published-claims", limit=1
    ) == sorted([told["id"], also["id"]])
    missing = "00000000-0000-7000-8000-000000000000"
    problem(await client.get(f"/v1/sources/{missing}/claims"), 404, "not-found")
    problem(await client.get(f"/v1/actors/{missing}/published-claims"), 404, "not-found")
    empty = await make_source(client, title="Empty")
    assert (await client.get(f"/v1/sources/{empty['id']}/claims")).json()["items"] == []


async def ids_of_claims(client: httpx.AsyncClient, path: str, **params: Any) -> list[str]:
    claim_ids: list[str] = []
    cursor = None
    while True:
        query: dict[str, Any] = {**params}
        if cursor:
            query["cursor"] = cursor
        page = (await client.get(path, params=query)).json()
        claim_ids += [item["claim"]["id"] for item in page["items"]]
        cursor = page["next"]
        if not cursor:
            return claim_ids


async def test_each_read_is_one_statement(client, statements):
    claim, origin = await anonymous_story(client, officials=1)
    speaker_id = origin["speaker_id"]
    publisher = await make_actor(client, kind="media", name="Wire")
    reads = [
        f"/v1/claims/{claim['id']}/provenance",
        f"/v1/actors/{speaker_id}/statements",
        f"/v1/sources/{origin['source_id']}/claims",
        f"/v1/actors/{publisher['id']}/published-claims",
        "/v1/claims?sort=-independent_origins&min_origins=1",
    ]
    for path in reads:
        statements.clear()
        response = await client.get(path)
        assert response.status_code == 200, response.text
        assert len(statements) == 1, (path, statements.statements)


async def test_a_chain_of_unknown_certainty_only_is_unknown(client):
    claim = await make_claim(client, text="nobody says how sure")
    speaker = await make_actor(client, name="Someone")
    origin = await record(client, claim, await make_source(client), speaker, certainty="unknown")
    relay = await record(
        client, claim, await make_source(client), speaker, relays=origin, certainty="unknown"
    )
    body = await provenance(client, claim)
    assert chain_from(body, relay)["weakest_certainty"] == "unknown"
