"""Events: refused writes, each a problem naming the field, the data unchanged."""

from uuid import uuid4

from tests.factories import JSON, count, make_actor, make_event, pointers, problem


async def test_unknown_references_point_at_their_field(client):
    before = await count(client, "/v1/events")
    cases: dict[str, JSON] = {
        "/participants": {"participants": [{"actor_id": str(uuid4())}]},
        "/relations": {"relations": [{"relation": "after", "event_id": str(uuid4())}]},
        "/time/anchor_event_id": {
            "time": {"relative_to": "event", "anchor_event_id": str(uuid4())}
        },
        "/time/anchor_source_id": {
            "time": {"relative_to": "source", "anchor_source_id": str(uuid4())}
        },
    }
    for pointer, fields in cases.items():
        response = await client.post("/v1/events", json={"kind": "call", "title": "T", **fields})
        assert pointers(problem(response, 422, "unknown-reference")) == {pointer}, pointer
    assert await count(client, "/v1/events") == before


async def test_relative_to_an_event_needs_its_anchor(client):
    before = await count(client, "/v1/events")
    response = await client.post(
        "/v1/events",
        json={"kind": "call", "title": "T", "time": {"relative_to": "event", "offset_days": 6}},
    )
    body = problem(response, 422, "validation-error")
    assert pointers(body) == {"/time/anchor_event_id"}
    assert "anchor_event_id" in body["detail"]
    assert await count(client, "/v1/events") == before


async def test_earliest_after_latest(client):
    event = await make_event(client)
    response = await client.patch(
        f"/v1/events/{event['id']}",
        json={"time": {"earliest": "2019-04-19", "latest": "2019-04-12"}},
    )
    body = problem(response, 422, "validation-error")
    assert pointers(body) == {"/time/latest"}
    assert "earliest" in body["detail"]
    assert (await client.get(f"/v1/events/{event['id']}")).json() == event


async def test_an_event_cannot_relate_to_itself(client):
    event = await make_event(client)
    response = await client.patch(
        f"/v1/events/{event['id']}",
        json={"relations": [{"relation": "after", "event_id": event["id"]}]},
    )
    assert pointers(problem(response, 422, "invalid-field")) == {"/relations"}
    assert (await client.get(f"/v1/events/{event['id']}")).json() == event


async def test_bad_participant_and_relation_items(client):
    actor = await make_actor(client)
    before = await count(client, "/v1/events")
    cases: dict[str, JSON] = {
        "/participants/0/actor_id": {"participants": [{"actor_id": "nope"}]},
        "/participants/0/role": {"participants": [{"actor_id": actor["id"], "role": ""}]},
        "/relations/0/relation": {"relations": [{"relation": "near", "event_id": str(uuid4())}]},
        "/title": {"title": "x\u0000"},
    }
    for pointer, fields in cases.items():
        response = await client.post("/v1/events", json={"kind": "call", "title": "T", **fields})
        assert pointers(problem(response, 422, "validation-error")) == {pointer}, pointer
    assert await count(client, "/v1/events") == before


async def test_fuzzy_time_days_are_written_yyyy_mm_dd(client):
    # Pydantic would read 0 as Unix seconds: the event happened on 1970-01-01.
    before = await count(client, "/v1/events")
    for time in (
        {"earliest": 0, "latest": "2019-04-19", "precision": "range"},
        {"earliest": "2019-04-01", "latest": "86400", "precision": "range"},
    ):
        response = await client.post(
            "/v1/events", json={"kind": "call", "title": "T", "time": time}
        )
        pointer = "/time/earliest" if time["earliest"] == 0 else "/time/latest"
        assert pointers(problem(response, 422, "validation-error")) == {pointer}, time
    assert await count(client, "/v1/events") == before


async def test_relation_offset_is_an_integer(client):
    other = await make_event(client)
    before = await count(client, "/v1/events")
    relation = {"relation": "after", "event_id": other["id"], "offset_days": True}
    response = await client.post(
        "/v1/events", json={"kind": "call", "title": "T", "relations": [relation]}
    )
    assert pointers(problem(response, 422, "validation-error")) == {"/relations/0/offset_days"}
    assert await count(client, "/v1/events") == before
