"""Attributions: refused writes (references, spans, relay cycles), data unchanged."""

from uuid import uuid4

import httpx
import orjson

from tests.factories import (
    JSON,
    count,
    make_actor,
    make_attribution,
    make_claim,
    make_source,
    pointers,
    problem,
    send_raw,
)

TEXT = "Tripoli est une ligne rouge, affirment ces sources diplomatiques."


async def _parts(client: httpx.AsyncClient) -> JSON:
    return {
        "claim_id": (await make_claim(client))["id"],
        "speaker_id": (await make_actor(client))["id"],
        "source_id": (await make_source(client, full_text=TEXT))["id"],
        "mode": "paraphrase",
    }


async def test_unknown_references_point_at_their_field(client):
    body = await _parts(client)
    before = await count(client, "/v1/attributions")
    for field in ("speaker_id", "claim_id", "source_id", "occasion_event_id", "relayed_through_id"):
        response = await client.post("/v1/attributions", json={**body, field: str(uuid4())})
        error = problem(response, 422, "unknown-reference")
        assert pointers(error) == {f"/{field}"}, field
    response = await client.post(
        "/v1/attributions",
        json={**body, "time": {"relative_to": "event", "anchor_event_id": str(uuid4())}},
    )
    assert pointers(problem(response, 422, "unknown-reference")) == {"/time/anchor_event_id"}
    assert await count(client, "/v1/attributions") == before


async def test_unknown_speaker_on_patch_changes_nothing(client):
    attribution = await make_attribution(client)
    response = await client.patch(
        f"/v1/attributions/{attribution['id']}",
        json={"cue": "a dit", "speaker_id": str(uuid4())},
    )
    assert pointers(problem(response, 422, "unknown-reference")) == {"/speaker_id"}
    assert (await client.get(f"/v1/attributions/{attribution['id']}")).json() == attribution


async def test_invalid_uuid_in_body(client):
    body = await _parts(client)
    before = await count(client, "/v1/attributions")
    response = await client.post("/v1/attributions", json={**body, "speaker_id": "not-a-uuid"})
    assert pointers(problem(response, 422, "validation-error")) == {"/speaker_id"}
    assert await count(client, "/v1/attributions") == before


async def test_span_outside_the_text(client):
    body = await _parts(client)
    before = await count(client, "/v1/attributions")
    end = len(TEXT) + 3
    span = {"start": end - 5, "end": end, "text": "x" * 5}
    response = await client.post("/v1/attributions", json={**body, "span": span})
    error = problem(response, 422, "span-mismatch")
    assert pointers(error) == {"/span/end"}
    response = await client.post(
        "/v1/attributions", json={**body, "span": {"start": -1, "end": 3, "text": "abcd"}}
    )
    assert pointers(problem(response, 422, "validation-error")) == {"/span/start"}
    assert await count(client, "/v1/attributions") == before


async def test_span_whose_text_does_not_match(client):
    body = await _parts(client)
    before = await count(client, "/v1/attributions")
    response = await client.post(
        "/v1/attributions",
        json={**body, "span": {"start": 0, "end": 7, "text": "Benghaz"}},
    )
    error = problem(response, 422, "span-mismatch")
    assert pointers(error) == {"/span/text"}
    assert "Tripoli" in error["detail"]
    # Offsets and text disagree with each other before the source is even read.
    for span, pointer in (
        ({"start": 0, "end": 7, "text": "Trip"}, "/span/text"),
        ({"start": 7, "end": 7, "text": "x"}, "/span/end"),
    ):
        response = await client.post("/v1/attributions", json={**body, "span": span})
        assert pointers(problem(response, 422, "validation-error")) == {pointer}
    assert await count(client, "/v1/attributions") == before


async def test_span_on_a_source_without_text(client):
    body = await _parts(client)
    bare = await make_source(client)
    before = await count(client, "/v1/attributions")
    response = await client.post(
        "/v1/attributions",
        json={**body, "source_id": bare["id"], "span": {"start": 0, "end": 7, "text": "Tripoli"}},
    )
    assert pointers(problem(response, 422, "span-mismatch")) == {"/span"}
    assert await count(client, "/v1/attributions") == before


async def test_moving_a_span_to_a_source_where_it_does_not_fit(client):
    source = await make_source(client, full_text=TEXT)
    attribution = await make_attribution(
        client, source_id=source["id"], span={"start": 0, "end": 7, "text": "Tripoli"}
    )
    other = await make_source(client, full_text="Benghazi est loin.")
    response = await client.patch(
        f"/v1/attributions/{attribution['id']}", json={"source_id": other["id"]}
    )
    problem(response, 422, "span-mismatch")
    response = await client.patch(
        f"/v1/attributions/{attribution['id']}",
        json={"span": {"start": 8, "end": 11, "text": "xyz"}},
    )
    problem(response, 422, "span-mismatch")
    assert (await client.get(f"/v1/attributions/{attribution['id']}")).json() == attribution


async def test_relay_cycle_is_refused(client):
    a = await make_attribution(client)
    b = await make_attribution(client, relayed_through_id=a["id"])
    c = await make_attribution(client, relayed_through_id=b["id"])
    # A relays C would close A ← B ← C ← A.
    response = await client.patch(
        f"/v1/attributions/{a['id']}", json={"relayed_through_id": c["id"]}
    )
    assert pointers(problem(response, 422, "relay-cycle")) == {"/relayed_through_id"}
    response = await client.patch(
        f"/v1/attributions/{a['id']}", json={"relayed_through_id": b["id"]}
    )
    assert pointers(problem(response, 422, "relay-cycle")) == {"/relayed_through_id"}
    for attribution in (a, b, c):
        current = await client.get(f"/v1/attributions/{attribution['id']}")
        assert current.json() == attribution


async def test_self_relay_is_refused(client):
    a = await make_attribution(client)
    response = await client.patch(
        f"/v1/attributions/{a['id']}", json={"relayed_through_id": a["id"]}
    )
    assert pointers(problem(response, 422, "relay-cycle")) == {"/relayed_through_id"}
    assert (await client.get(f"/v1/attributions/{a['id']}")).json() == a


async def test_speaker_null_needs_own_voice(client):
    body = await _parts(client)
    before = await count(client, "/v1/attributions")
    response = await client.post("/v1/attributions", json={**body, "speaker_id": None})
    error = problem(response, 422, "validation-error")
    assert "speaker_id" in error["detail"]
    attribution = await make_attribution(client)
    response = await client.patch(
        f"/v1/attributions/{attribution['id']}", json={"speaker_id": None}
    )
    assert pointers(problem(response, 422, "invalid-field")) == {"/speaker_id"}
    own = await make_attribution(client, mode="own_voice")
    response = await client.patch(f"/v1/attributions/{own['id']}", json={"mode": "direct_quote"})
    assert pointers(problem(response, 422, "invalid-field")) == {"/speaker_id"}
    assert await count(client, "/v1/attributions") == before + 2
    assert (await client.get(f"/v1/attributions/{own['id']}")).json() == own


async def test_fuzzy_time_inconsistencies(client):
    body = await _parts(client)
    before = await count(client, "/v1/attributions")
    for time, pointer in (
        ({"earliest": "2019-04-30", "latest": "2019-04-01"}, "/time/latest"),
        ({"relative_to": "event", "expression": "6 jours après"}, "/time/anchor_event_id"),
        ({"relative_to": "none", "anchor_event_id": str(uuid4())}, "/time/anchor_event_id"),
    ):
        response = await client.post("/v1/attributions", json={**body, "time": time})
        assert pointers(problem(response, 422, "validation-error")) == {pointer}, time
    assert await count(client, "/v1/attributions") == before


async def test_bad_strings_point_at_the_field(client):
    body = await _parts(client)
    before = await count(client, "/v1/attributions")
    response = await client.post("/v1/attributions", json={**body, "cue": "ont\u0000 confié"})
    assert pointers(problem(response, 422, "validation-error")) == {"/cue"}
    raw = orjson.dumps({**body, "note": "SURROGATE"}).replace(b"SURROGATE", b"\\ud800")
    response = await send_raw(client, "POST", "/v1/attributions", raw)
    assert pointers(problem(response, 422, "validation-error")) == {"/note"}
    for field, value in (("mode", "rumour"), ("certainty", "sure"), ("mode", 3)):
        response = await client.post("/v1/attributions", json={**body, field: value})
        assert pointers(problem(response, 422, "validation-error")) == {f"/{field}"}
    assert await count(client, "/v1/attributions") == before


async def test_numbers_are_integers_and_time_fields_are_known(client):
    # Found by tests/test_fuzz.py: "offset_days": true was stored as 1, and a
    # misspelt time field was dropped, leaving the time silently unknown.
    # (6.0 is an integer, as JSON Schema reads one: stored as 6, below.)
    body = await _parts(client)
    before = await count(client, "/v1/attributions")
    time = {"relative_to": "source", "anchor_source_id": body["source_id"]}
    for value in (True, "6", 6.5):
        response = await client.post(
            "/v1/attributions", json={**body, "time": {**time, "offset_days": value}}
        )
        assert pointers(problem(response, 422, "validation-error")) == {"/time/offset_days"}
    span = {"start": 0, "end": 7, "text": "Tripoli"}
    for field, value in (("start", False), ("end", "7"), ("end", 7.5)):
        response = await client.post(
            "/v1/attributions", json={**body, "span": {**span, field: value}}
        )
        assert pointers(problem(response, 422, "validation-error")) == {f"/span/{field}"}
    response = await client.post(
        "/v1/attributions", json={**body, "time": {"erliest": "2019-04-19"}}
    )
    assert pointers(problem(response, 422, "validation-error")) == {"/time/erliest"}
    assert await count(client, "/v1/attributions") == before
    whole = await client.post(
        "/v1/attributions", json={**body, "time": {**time, "offset_days": 6.0}}
    )
    assert whole.status_code == 201, whole.text
    assert whole.json()["time"]["offset_days"] == 6
