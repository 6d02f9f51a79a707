"""How many statements a ``POST /v1/attributions`` sends (issue 16: one round
trip where possible). The recount of the claims' corroboration runs inside
the statement that reads the new attribution back (``onrecord_recount_few``,
migration 0015); before, the recount alone was four."""

from tests.factories import make_actor, make_claim, make_source

TEXT = "the minister said no"


async def test_creating_an_attribution_is_three_statements(client, statements):
    claim = await make_claim(client)
    source = await make_source(client, full_text=TEXT)
    actor = await make_actor(client)
    body = {
        "claim_id": claim["id"],
        "speaker_id": actor["id"],
        "source_id": source["id"],
        "mode": "paraphrase",
        "cue": "said",
        "certainty": "asserted",
    }
    statements.clear()
    response = await client.post("/v1/attributions", json=body)
    assert response.status_code == 201, response.text
    # the API key, the insert, the read back with the recount
    assert len(statements) == 3, statements.statements
    assert "onrecord_recount_few" in statements.statements[-1]
    created = response.json()
    assert response.headers["ETag"]
    assert created == (await client.get(f"/v1/attributions/{created['id']}")).json()
    stored = (await client.get(f"/v1/claims/{claim['id']}")).json()
    assert (stored["independent_origins"], stored["on_record"]) == (1, True)


async def test_spans_add_their_check_and_their_insert(client, statements):
    claim = await make_claim(client)
    source = await make_source(client, full_text=TEXT)
    body = {
        "claim_id": claim["id"],
        "speaker_id": (await make_actor(client))["id"],
        "source_id": source["id"],
        "mode": "paraphrase",
        "span": {"start": 0, "end": 12, "text": "the minister"},
        "spans": [{"role": "cue", "start": 13, "end": 17, "text": "said"}],
    }
    statements.clear()
    response = await client.post("/v1/attributions", json=body)
    assert response.status_code == 201, response.text
    assert len(statements) == 5, statements.statements
    assert response.json()["spans"] == body["spans"]
