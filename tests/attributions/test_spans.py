"""Annotated spans: every fragment of the content, the cue and the speaker
mention of an attribution, checked against the source text like ``span``."""

from uuid import uuid4

from tests.factories import (
    JSON,
    make_actor,
    make_attribution,
    make_claim,
    make_source,
    pointers,
    problem,
)

TEXT = "“We will not negotiate,” the minister said on Friday, “not now, not ever.”"


def fragment(role: str, words: str, *, after: int = 0) -> JSON:
    start = TEXT.index(words, after)
    return {"role": role, "start": start, "end": start + len(words), "text": words}


CONTENT_1 = fragment("content", "We will not negotiate,")
CONTENT_2 = fragment("content", "not now, not ever.")
CUE = fragment("cue", "said")
SPEAKER = fragment("speaker", "the minister")


async def _attribution(client, **fields) -> JSON:
    source = await make_source(client, full_text=TEXT)
    return await make_attribution(client, source_id=source["id"], **fields)


async def test_spans_are_stored_and_read_back_by_role_in_the_order_sent(client, statements):
    # Sent speaker first and the content fragments apart: read back grouped by
    # role (content, cue, speaker), each role in the order sent.
    sent = [SPEAKER, CONTENT_1, CUE, CONTENT_2]
    created = await _attribution(client, mode="direct_quote", spans=sent)
    assert created["spans"] == [CONTENT_1, CONTENT_2, CUE, SPEAKER]
    statements.clear()
    read = await client.get(f"/v1/attributions/{created['id']}")
    assert len(statements) == 1, statements.statements
    assert read.json() == created


async def test_without_spans_the_list_is_empty(client):
    created = await _attribution(client)
    assert created["spans"] == []
    listed = (await client.get("/v1/attributions", params={"claim_id": created["claim_id"]})).json()
    assert listed["items"][0]["spans"] == []


async def test_the_claim_expansion_carries_the_spans(client):
    created = await _attribution(client, spans=[CONTENT_1])
    claim = (
        await client.get(f"/v1/claims/{created['claim_id']}", params={"expand": "attributions"})
    ).json()
    assert claim["attributions"][0]["spans"] == [CONTENT_1]


async def test_patch_replaces_the_spans_whole_and_keeps_them_when_not_sent(client):
    created = await _attribution(client, spans=[CONTENT_1, CUE, SPEAKER])
    path = f"/v1/attributions/{created['id']}"

    kept = await client.patch(path, json={"cue": "said"})
    assert kept.status_code == 200, kept.text
    assert kept.json()["spans"] == [CONTENT_1, CUE, SPEAKER]

    replaced = await client.patch(path, json={"spans": [CONTENT_2]})
    assert replaced.status_code == 200, replaced.text
    assert replaced.json()["spans"] == [CONTENT_2]

    cleared = await client.patch(path, json={"spans": []})
    assert cleared.json()["spans"] == []
    assert (await client.get(path)).json()["spans"] == []

    refused = await client.patch(path, json={"spans": None})
    assert pointers(problem(refused, 422, "validation-error")) == {"/spans"}


async def test_a_span_whose_text_is_not_the_source_text_is_refused(client):
    source = await make_source(client, full_text=TEXT)
    claim = await make_claim(client)
    speaker = await make_actor(client)
    body = {
        "claim_id": claim["id"],
        "speaker_id": speaker["id"],
        "source_id": source["id"],
        "mode": "direct_quote",
    }
    wrong = {**CUE, "text": "says"}
    response = await client.post(
        "/v1/attributions", json={**body, "spans": [CONTENT_1, CONTENT_2, SPEAKER, wrong]}
    )
    error = problem(response, 422, "span-mismatch")
    assert pointers(error) == {"/spans/3/text"}
    assert "'said'" in error["detail"]

    outside = {"role": "cue", "start": len(TEXT), "end": len(TEXT) + 4, "text": "said"}
    response = await client.post("/v1/attributions", json={**body, "spans": [outside]})
    assert pointers(problem(response, 422, "span-mismatch")) == {"/spans/0/end"}

    listed = await client.get("/v1/attributions", params={"source_id": source["id"]})
    assert listed.json()["items"] == []


async def test_a_wrong_span_on_patch_changes_nothing(client):
    created = await _attribution(client, spans=[CONTENT_1])
    path = f"/v1/attributions/{created['id']}"
    wrong = {**CONTENT_2, "start": CONTENT_2["start"] - 1, "end": CONTENT_2["end"] - 1}
    response = await client.patch(path, json={"cue": "said", "spans": [CUE, wrong]})
    assert pointers(problem(response, 422, "span-mismatch")) == {"/spans/1/text"}
    assert (await client.get(path)).json() == created


async def test_moving_to_another_source_checks_the_stored_spans(client):
    created = await _attribution(client, spans=[CUE])
    path = f"/v1/attributions/{created['id']}"
    elsewhere = await make_source(
        client, full_text="Nothing of the kind was reported here, nor anywhere else, by anyone."
    )
    response = await client.patch(path, json={"source_id": elsewhere["id"]})
    assert pointers(problem(response, 422, "span-mismatch")) == {"/spans/0/text"}
    same_text = await make_source(client, full_text=TEXT)
    moved = await client.patch(path, json={"source_id": same_text["id"]})
    assert moved.status_code == 200, moved.text
    assert moved.json()["spans"] == [CUE]


async def test_spans_need_a_source_text(client):
    source = await make_source(client)
    response = await client.post(
        "/v1/attributions",
        json={
            "claim_id": (await make_claim(client))["id"],
            "speaker_id": (await make_actor(client))["id"],
            "source_id": source["id"],
            "mode": "paraphrase",
            "spans": [CUE],
        },
    )
    assert pointers(problem(response, 422, "span-mismatch")) == {"/spans"}


async def test_span_shapes_are_validated(client):
    source = await make_source(client, full_text=TEXT)
    body = {
        "claim_id": str(uuid4()),
        "speaker_id": str(uuid4()),
        "source_id": source["id"],
        "mode": "paraphrase",
    }
    cases = {
        "/spans/0/text": {**CUE, "text": "sai"},
        "/spans/0/end": {**CUE, "end": CUE["start"]},
        "/spans/0/role": {**CUE, "role": "anchor"},
        "/spans/0/start": {**CUE, "start": -1},
    }
    for pointer, span in cases.items():
        response = await client.post("/v1/attributions", json={**body, "spans": [span]})
        assert pointer in pointers(problem(response, 422, "validation-error")), pointer
    too_many = await client.post("/v1/attributions", json={**body, "spans": [CUE] * 201})
    assert pointers(problem(too_many, 422, "validation-error")) == {"/spans"}


async def test_deleting_an_attribution_deletes_its_spans(client):
    created = await _attribution(client, spans=[CONTENT_1, CUE])
    deleted = await client.delete(f"/v1/attributions/{created['id']}")
    assert deleted.status_code == 204, deleted.text
    assert (await client.get(f"/v1/attributions/{created['id']}")).status_code == 404
