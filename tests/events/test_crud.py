"""Events: create, read, partial update, delete, list filters, expand."""

from tests.factories import (
    ids,
    make_actor,
    make_attribution,
    make_claim,
    make_event,
    problem,
)


async def test_create_returns_the_document_its_location_serves(client):
    trump = await make_actor(client, name="Donald Trump")
    haftar = await make_actor(client, name="Khalifa Haftar")
    visit = await make_event(client, kind="visit", title="Sissi visits Washington")
    response = await client.post(
        "/v1/events",
        json={
            "kind": "phone_call",
            "title": "Trump calls Haftar",
            "time": {
                "expression": "6 jours après",
                "relative_to": "event",
                "anchor_event_id": visit["id"],
                "offset_days": 6,
            },
            "participants": [
                {"actor_id": trump["id"], "role": "caller"},
                {"actor_id": haftar["id"], "role": "callee"},
            ],
            "relations": [
                {
                    "relation": "after",
                    "event_id": visit["id"],
                    "offset_days": 6,
                    "expression": "6 jours après",
                }
            ],
        },
    )
    assert response.status_code == 201
    created = response.json()
    assert response.headers["location"] == f"/v1/events/{created['id']}"
    assert created["time"]["relative_to"] == "event"
    assert created["time"]["anchor_event_id"] == visit["id"]
    assert created["time"]["precision"] == "unknown"
    assert created["time"]["earliest"] is None
    assert [p["role"] for p in created["participants"]] == ["caller", "callee"]
    assert created["relations"] == [
        {
            "relation": "after",
            "event_id": visit["id"],
            "offset_days": 6,
            "expression": "6 jours après",
        }
    ]
    assert (await client.get(response.headers["location"])).json() == created


async def test_patch_changes_only_what_is_sent_and_replaces_lists_whole(client):
    first = await make_actor(client, name="First")
    second = await make_actor(client, name="Second")
    event = await make_event(
        client,
        place="Abou Dhabi",
        participants=[{"actor_id": first["id"]}],
        time={
            "expression": "en février",
            "earliest": "2019-02-01",
            "latest": "2019-02-28",
            "precision": "month",
        },
    )
    response = await client.patch(
        f"/v1/events/{event['id']}", json={"participants": [{"actor_id": second["id"]}]}
    )
    assert response.status_code == 200
    patched = response.json()
    assert patched["participants"] == [{"actor_id": second["id"], "role": "participant"}]
    for unchanged in ("title", "kind", "place", "time", "relations", "description"):
        assert patched[unchanged] == event[unchanged], unchanged

    response = await client.patch(f"/v1/events/{event['id']}", json={"time": {}})
    assert response.json()["time"]["precision"] == "unknown"
    assert response.json()["time"]["expression"] is None


async def test_delete_then_gone(client):
    event = await make_event(client)
    assert (await client.delete(f"/v1/events/{event['id']}")).status_code == 204
    problem(await client.get(f"/v1/events/{event['id']}"), 404, "not-found")


async def test_delete_while_referenced_is_refused_and_keeps_the_event(client):
    about = await make_event(client, title="about")
    await make_claim(client, event_ids=[about["id"]])
    related = await make_event(client, title="related")
    await make_event(client, relations=[{"relation": "after", "event_id": related["id"]}])
    occasion = await make_event(client, title="occasion")
    await make_attribution(client, occasion_event_id=occasion["id"])
    anchor = await make_event(client, title="anchor")
    await make_event(client, time={"relative_to": "event", "anchor_event_id": anchor["id"]})
    for event in (about, related, occasion, anchor):
        problem(await client.delete(f"/v1/events/{event['id']}"), 409, "still-referenced")
        assert (await client.get(f"/v1/events/{event['id']}")).json() == event


async def test_list_filters(client):
    haftar = await make_actor(client, name="Khalifa Haftar")
    meeting = await make_event(
        client,
        kind="meeting",
        participants=[{"actor_id": haftar["id"]}],
        time={"earliest": "2019-02-01", "latest": "2019-02-28", "precision": "month"},
    )
    statement = await make_event(
        client,
        kind="statement",
        time={"earliest": "2019-04-07", "latest": "2019-04-07", "precision": "day"},
    )
    offensive = await make_event(
        client,
        kind="offensive",
        participants=[{"actor_id": haftar["id"], "role": "leader"}],
        time={"earliest": "2019-04-04", "precision": "range"},
    )
    undated = await make_event(client, kind="meeting")

    assert await ids(client, "/v1/events", kind="meeting") == [meeting["id"], undated["id"]]
    assert await ids(client, "/v1/events", participant_id=haftar["id"]) == [
        meeting["id"],
        offensive["id"],
    ]
    assert await ids(client, "/v1/events", time_from="2019-04-01", time_to="2019-04-05") == [
        offensive["id"]
    ]
    assert await ids(client, "/v1/events", time_from="2019-04-07", time_to="2019-04-07") == [
        statement["id"],
        offensive["id"],
    ]
    assert await ids(client, "/v1/events", time_to="2019-02-01") == [meeting["id"]]
    assert await ids(client, "/v1/events", time_from="2030-01-01") == [offensive["id"]]


async def test_expand_participants(client):
    pompeo = await make_actor(client)
    event = await make_event(client, participants=[{"actor_id": pompeo["id"], "role": "speaker"}])
    response = await client.get(f"/v1/events/{event['id']}", params={"expand": "participants"})
    assert response.json()["participants"] == [
        {"actor_id": pompeo["id"], "role": "speaker", "actor": pompeo}
    ]
    listed = await client.get(
        "/v1/events", params={"expand": "participants", "participant_id": pompeo["id"]}
    )
    assert listed.json()["items"][0]["participants"][0]["actor"] == pompeo
    plain = (await client.get(f"/v1/events/{event['id']}")).json()
    assert "actor" not in plain["participants"][0]
