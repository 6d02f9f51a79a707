"""Unicode normalisation (app/fields.py): names, aliases and search keys are
stored NFC, so "Chérif" typed precomposed (NFC) or decomposed (NFD: e and a
combining acute accent) is one name and searches alike; a source's
``full_text`` (and every span of it) is kept exactly as given, since span
offsets count its code points."""

import unicodedata

from tests.factories import make_actor, make_attribution, make_claim, make_source, problem

NFC = "Abdelhakim Chérif Belhadj"
NFD = unicodedata.normalize("NFD", NFC)
assert len(NFD) == len(NFC) + 1  # one é decomposed: two code points


async def test_a_name_typed_decomposed_is_stored_composed(client):
    actor = await make_actor(
        client, name=NFD, names=[{"name": f"{NFD} (alias)"}], role_description=NFD
    )
    stored = (await client.get(f"/v1/actors/{actor['id']}")).json()
    assert stored["name"] == NFC
    assert stored["names"][0]["name"] == f"{NFC} (alias)"
    assert stored["role_description"] == NFC
    patched = await client.patch(f"/v1/actors/{actor['id']}", json={"name": f"{NFD}!"})
    assert patched.json()["name"] == f"{NFC}!"


async def test_the_same_alias_twice_is_a_duplicate(client):
    response = await client.post(
        "/v1/actors",
        json={"kind": "person", "name": "x", "names": [{"name": NFC}, {"name": NFD}]},
    )
    problem(response, 409, "duplicate")


async def test_a_name_filter_and_search_find_either_form(client):
    composed = await make_actor(client, name=NFC)
    decomposed = await make_actor(client, name=NFD)
    for query in (NFC, NFD):
        found = (await client.get("/v1/actors", params={"name": query})).json()["items"]
        assert {a["id"] for a in found} == {composed["id"], decomposed["id"]}, query
        results = (await client.get("/v1/search", params={"q": query, "types": "actor"})).json()
        ids = {r["id"] for r in results["results"]}
        assert {composed["id"], decomposed["id"]} <= ids, query


async def test_claims_and_sources_written_either_way_search_alike(client):
    claim = await make_claim(client, text=f"{NFD} a été nommé", language="fr")
    source = await make_source(client, title="Nomination", full_text=f"On apprend que {NFD}.")
    for query in (NFC, NFD):
        results = (await client.get("/v1/search", params={"q": query})).json()["results"]
        ids = {r["id"] for r in results}
        assert {claim["id"], source["id"]} <= ids, query


async def test_a_full_text_and_its_spans_are_kept_exactly(client):
    text = f"Selon {NFD}, rien."
    source = await make_source(client, full_text=text)
    stored = (await client.get(f"/v1/sources/{source['id']}")).json()
    assert stored["full_text"] == text  # not normalised: offsets count these code points
    start = text.index("Ch")
    covered = text[start : start + 7]
    span = {"start": start, "end": start + 7, "text": covered}
    attribution = await make_attribution(client, source_id=source["id"], span=span)
    assert attribution["span"]["text"] == covered
    fields = ("claim_id", "speaker_id", "source_id", "mode")
    body = {key: attribution[key] for key in fields}
    composed = {**span, "text": unicodedata.normalize("NFC", covered)}
    refused = await client.post("/v1/attributions", json={**body, "span": composed})
    assert refused.status_code == 422, refused.text
