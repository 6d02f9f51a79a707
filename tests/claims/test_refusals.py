"""Claims and claim relations: refused writes, the data unchanged."""

from typing import Any
from uuid import uuid4

from tests.factories import JSON, count, make_claim, make_event, pointers, post, problem


async def test_unknown_references_point_at_their_field(client):
    event = await make_event(client)
    before = await count(client, "/v1/claims")
    cases: dict[str, JSON] = {
        "/event_ids": {"event_ids": [event["id"], str(uuid4())]},
        "/referenced_source_ids": {"referenced_source_ids": [str(uuid4())]},
    }
    for pointer, fields in cases.items():
        response = await client.post("/v1/claims", json={"text": "t", "language": "fr", **fields})
        assert pointers(problem(response, 422, "unknown-reference")) == {pointer}, pointer
    assert await count(client, "/v1/claims") == before


async def test_bad_fields_point_at_themselves(client):
    before = await count(client, "/v1/claims")
    cases: dict[str, JSON] = {
        "/text": {"text": ""},
        "/language": {"language": "français"},
        "/translations/0/text": {"translations": [{"language": "en", "text": ""}]},
        "/translations/0/language": {"translations": [{"text": "red line"}]},
        "/event_ids/0": {"event_ids": ["not-a-uuid"]},
    }
    for pointer, fields in cases.items():
        response = await client.post("/v1/claims", json={"text": "t", "language": "fr", **fields})
        assert pointers(problem(response, 422, "validation-error")) == {pointer}, pointer
    response = await client.post("/v1/claims", json={"text": "a\u0000", "language": "fr"})
    assert pointers(problem(response, 422, "validation-error")) == {"/text"}
    response = await client.request(
        "POST",
        "/v1/claims",
        content=b'{"text": "\\udc00", "language": "fr"}',
        headers={"content-type": "application/json"},
    )
    assert pointers(problem(response, 422, "validation-error")) == {"/text"}
    assert await count(client, "/v1/claims") == before


async def test_two_translations_in_one_language_are_refused(client):
    claim = await make_claim(client)
    response = await client.patch(
        f"/v1/claims/{claim['id']}",
        json={"translations": [{"language": "en", "text": "a"}, {"language": "en", "text": "b"}]},
    )
    body = problem(response, 409, "duplicate")
    assert body["detail"]
    assert (await client.get(f"/v1/claims/{claim['id']}")).json() == claim


async def test_relation_refusals(client):
    c1 = await make_claim(client)
    c8 = await make_claim(client)
    await post(
        client,
        "/v1/claim-relations",
        {"kind": "contradicts", "from_claim_id": c1["id"], "to_claim_id": c8["id"]},
    )
    before = await count(client, "/v1/claim-relations")

    def body(**fields: Any) -> JSON:
        # "supports": (c1, c8, contradicts) exists, and a duplicate is found first.
        return {"kind": "supports", "from_claim_id": c1["id"], "to_claim_id": c8["id"], **fields}

    response = await client.post("/v1/claim-relations", json=body(from_claim_id=str(uuid4())))
    assert pointers(problem(response, 422, "unknown-reference")) == {"/from_claim_id"}
    response = await client.post(
        "/v1/claim-relations", json=body(asserted_by_actor_id=str(uuid4()))
    )
    assert pointers(problem(response, 422, "unknown-reference")) == {"/asserted_by_actor_id"}
    response = await client.post(
        "/v1/claim-relations", json=body(asserted_in_source_id=str(uuid4()))
    )
    assert pointers(problem(response, 422, "unknown-reference")) == {"/asserted_in_source_id"}
    response = await client.post("/v1/claim-relations", json=body(to_claim_id=c1["id"]))
    assert pointers(problem(response, 422, "invalid-field")) == {"/to_claim_id"}
    problem(
        await client.post("/v1/claim-relations", json=body(kind="contradicts")), 409, "duplicate"
    )
    response = await client.post("/v1/claim-relations", json=body(kind="refutes"))
    assert pointers(problem(response, 422, "validation-error")) == {"/kind"}
    assert await count(client, "/v1/claim-relations") == before
