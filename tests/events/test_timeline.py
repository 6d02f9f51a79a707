"""GET /v1/events/timeline: ordering by fuzzy time, derived relative times,
relation placement, filters, claims per event."""

from typing import Any

import httpx

from app.events.timeline import Timeline
from tests.factories import make_actor, make_claim, make_event, make_source, problem


def day(iso: str) -> dict[str, str]:
    return {"earliest": iso, "latest": iso, "precision": "day"}


async def timeline(client: httpx.AsyncClient, **params: Any) -> list[dict[str, Any]]:
    response = await client.get("/v1/events/timeline", params=params)
    assert response.status_code == 200, response.text
    Timeline.model_validate(response.json())
    items: list[dict[str, Any]] = response.json()["items"]
    return items


def relative_time(kind: str, anchor: dict[str, Any], days: int) -> dict[str, Any]:
    """A time given only as ``days`` after (before, if negative) an event or source."""
    return {"relative_to": kind, f"anchor_{kind}_id": anchor["id"], "offset_days": days}


async def relative_to_event(
    client: httpx.AsyncClient, title: str, anchor: dict[str, Any], days: int
) -> dict[str, Any]:
    return await make_event(client, title=title, time=relative_time("event", anchor, days))


async def test_generated_timeline_order(client):
    month = await make_event(
        client,
        title="month",
        time={"earliest": "2019-02-01", "latest": "2019-02-28", "precision": "month"},
    )
    open_ended = await make_event(
        client, title="open", time={"earliest": "2019-04-04", "precision": "range"}
    )
    same_start_day = await make_event(client, title="day 4", time=day("2019-04-04"))
    anchor = await make_event(client, title="anchor", time=day("2019-04-09"))
    relative = await relative_to_event(client, "6 days after", anchor, 6)
    chained = await relative_to_event(client, "1 day after that", relative, 1)
    by_relation_offset = await make_event(
        client,
        title="2 days before anchor",
        relations=[{"relation": "before", "event_id": anchor["id"], "offset_days": 2}],
    )
    source = await make_source(client, published=day("2019-04-24"))
    from_source = await make_event(
        client, title="5 days before the source", time=relative_time("source", source, -5)
    )
    after_open = await make_event(
        client,
        title="after the offensive",
        relations=[{"relation": "after", "event_id": open_ended["id"]}],
    )
    after_that = await make_event(
        client, title="after that", relations=[{"relation": "after", "event_id": after_open["id"]}]
    )
    before_month = await make_event(
        client,
        title="before the month",
        relations=[{"relation": "before", "event_id": month["id"]}],
    )
    unknown = await make_event(client, title="unknown")
    # A dated event said to come before an undated one places it too.
    later = await make_event(client, title="later")
    await client.patch(
        f"/v1/events/{month['id']}",
        json={"relations": [{"relation": "before", "event_id": later["id"]}]},
    )

    items = await timeline(client)
    titles = [item["title"] for item in items]
    assert titles == [
        "before the month",
        "month",
        "later",
        "day 4",
        "open",
        "after the offensive",
        "after that",
        "2 days before anchor",
        "anchor",
        "6 days after",
        "1 day after that",
        "5 days before the source",
        "unknown",
    ]
    by_title = {item["title"]: item for item in items}
    assert by_title["month"]["placement"] == "time"
    assert by_title["month"]["resolved"] == {
        "earliest": "2019-02-01",
        "latest": "2019-02-28",
        "derived": False,
    }
    assert by_title["open"]["resolved"] == {
        "earliest": "2019-04-04",
        "latest": None,
        "derived": False,
    }
    for title, iso in (
        ("6 days after", "2019-04-15"),
        ("1 day after that", "2019-04-16"),
        ("2 days before anchor", "2019-04-07"),
        ("5 days before the source", "2019-04-19"),
    ):
        assert by_title[title]["placement"] == "time"
        assert by_title[title]["resolved"] == {"earliest": iso, "latest": iso, "derived": True}
        # The stored time stays what was stored.
        assert by_title[title]["time"]["earliest"] is None
    assert by_title["after the offensive"]["placement"] == "relation"
    assert by_title["after the offensive"]["resolved"] is None
    assert by_title["after the offensive"]["placed"] == {
        "relation": "after",
        "event_id": open_ended["id"],
    }
    assert by_title["after that"]["placed"]["event_id"] == after_open["id"]
    assert by_title["before the month"]["placed"] == {"relation": "before", "event_id": month["id"]}
    assert by_title["later"]["placed"] == {"relation": "after", "event_id": month["id"]}
    assert by_title["unknown"]["placement"] == "unknown"
    assert by_title["unknown"]["placed"] is None
    for event in (
        same_start_day,
        chained,
        by_relation_offset,
        from_source,
        after_that,
        before_month,
        unknown,
    ):
        assert event["id"] in by_title[event["title"]]["id"]

    # A window passes PostgreSQL's order and documents through: they must be
    # the whole timeline's dated events, in the whole timeline's order, alike.
    window = await timeline(client, time_from="2019-01-01", time_to="2019-12-31")
    assert window == [item for item in items if item["placement"] == "time"]
    assert [item["title"] for item in window][:3] == ["month", "day 4", "open"]


async def test_cycles_of_relative_times_do_not_hang(client):
    first = await make_event(client, title="first")
    second = await make_event(
        client,
        title="second",
        time={"relative_to": "event", "anchor_event_id": first["id"], "offset_days": 1},
    )
    await client.patch(
        f"/v1/events/{first['id']}",
        json={"time": {"relative_to": "event", "anchor_event_id": second["id"], "offset_days": 1}},
    )
    dated = await make_event(client, title="dated", time=day("2019-01-01"))
    await client.patch(
        f"/v1/events/{first['id']}",
        json={"relations": [{"relation": "after", "event_id": dated["id"], "offset_days": 3}]},
    )
    by_title = {item["title"]: item for item in await timeline(client)}
    assert by_title["first"]["resolved"]["earliest"] == "2019-01-04"
    assert by_title["second"]["resolved"]["earliest"] == "2019-01-05"


async def test_filters_and_claims(client):
    trump = await make_actor(client, name="Donald Trump")
    haftar = await make_actor(client, name="Khalifa Haftar")
    call = await make_event(
        client,
        title="call",
        time=day("2019-04-15"),
        participants=[{"actor_id": trump["id"]}, {"actor_id": haftar["id"]}],
    )
    await make_event(
        client,
        title="offensive",
        time={"earliest": "2019-04-04", "precision": "range"},
        participants=[{"actor_id": haftar["id"]}],
    )
    await make_event(client, title="undated", participants=[{"actor_id": trump["id"]}])
    claim = await make_claim(
        client,
        text="Trump aurait donné son feu vert",
        event_ids=[call["id"]],
        translations=[{"language": "en", "text": "Trump gave a green light"}],
    )
    english = await make_claim(client, text="A call", language="en", event_ids=[call["id"]])

    assert [i["title"] for i in await timeline(client, participant_id=trump["id"])] == [
        "call",
        "undated",
    ]
    assert [i["title"] for i in await timeline(client, participant_id=haftar["id"])] == [
        "offensive",
        "call",
    ]
    window = await timeline(client, time_from="2019-04-01", time_to="2019-04-10")
    assert [i["title"] for i in window] == ["offensive"]
    assert [i["title"] for i in await timeline(client, time_from="2019-04-15")] == [
        "offensive",
        "call",
    ]
    (call_item,) = [i for i in await timeline(client) if i["id"] == call["id"]]
    assert call_item["claims"] == [
        {
            "id": claim["id"],
            "text": "Trump aurait donné son feu vert",
            "language": "fr",
            "english": "Trump gave a green light",
        },
        {"id": english["id"], "text": "A call", "language": "en", "english": "A call"},
    ]
    assert {p["name"] for p in call_item["participants"]} == {"Donald Trump", "Khalifa Haftar"}
    response = await client.get(
        "/v1/events/timeline", params={"time_from": "2019-05-01", "time_to": "2019-04-01"}
    )
    problem(response, 422, "invalid-field")
    problem(await client.get("/v1/events/timeline", params={"limit": 0}), 422, "validation-error")


async def test_limit_marks_truncation(client):
    for n in range(3):
        await make_event(client, title=f"e{n}", time=day(f"2019-04-0{n + 1}"))
    response = await client.get("/v1/events/timeline", params={"limit": 2})
    body = response.json()
    assert [i["title"] for i in body["items"]] == ["e0", "e1"]
    assert body["truncated"] is True
    assert (await client.get("/v1/events/timeline")).json()["truncated"] is False


async def test_timeline_is_one_statement(client, statements):
    anchor = await make_event(client, time=day("2019-04-09"))
    await make_event(
        client, time={"relative_to": "event", "anchor_event_id": anchor["id"], "offset_days": 6}
    )
    await make_event(client, relations=[{"relation": "after", "event_id": anchor["id"]}])
    await make_claim(client, event_ids=[anchor["id"]])
    statements.clear()
    assert len(await timeline(client)) == 3
    assert len(statements) == 1, statements.statements


async def test_derived_times_follow_later_writes(client):
    """Derived ranges are kept (migration 0014's triggers), so every write
    that moves an anchor moves what hangs on it: the anchor event's time, a
    source's date, a relation added or removed; and a window finds the event
    where it now is."""
    anchor = await make_event(client, title="anchor", time=day("2019-04-09"))
    relative = await relative_to_event(client, "6 days after", anchor, 6)
    chained = await relative_to_event(client, "1 day after that", relative, 1)
    source = await make_source(client, published=day("2019-04-24"))
    from_source = await make_event(
        client, title="5 days before the source", time=relative_time("source", source, -5)
    )
    loose = await make_event(client, title="loose")

    async def resolved() -> dict[str, Any]:
        return {item["title"]: item["resolved"] for item in await timeline(client)}

    def derived(iso: str) -> dict[str, Any]:
        return {"earliest": iso, "latest": iso, "derived": True}

    before = await resolved()
    assert before["6 days after"] == derived("2019-04-15")
    assert before["1 day after that"] == derived("2019-04-16")
    assert before["5 days before the source"] == derived("2019-04-19")
    assert before["loose"] is None

    moved = await client.patch(f"/v1/events/{anchor['id']}", json={"time": day("2019-05-01")})
    assert moved.status_code == 200, moved.text
    redated = await client.patch(
        f"/v1/sources/{source['id']}", json={"published": day("2019-06-10")}
    )
    assert redated.status_code == 200, redated.text
    tied = await client.patch(
        f"/v1/events/{loose['id']}",
        json={"relations": [{"relation": "after", "event_id": chained["id"], "offset_days": 3}]},
    )
    assert tied.status_code == 200, tied.text
    after = await resolved()
    assert after["6 days after"] == derived("2019-05-07")
    assert after["1 day after that"] == derived("2019-05-08")
    assert after["5 days before the source"] == derived("2019-06-05")
    assert after["loose"] == derived("2019-05-11")

    window = await timeline(client, time_from="2019-05-06", time_to="2019-05-09")
    assert [item["title"] for item in window] == ["6 days after", "1 day after that"]
    assert await timeline(client, time_from="2019-04-14", time_to="2019-04-17") == []

    untied = await client.patch(f"/v1/events/{loose['id']}", json={"relations": []})
    assert untied.status_code == 200, untied.text
    gone = await client.delete(f"/v1/events/{from_source['id']}")
    assert gone.status_code == 204, gone.text
    final = await resolved()
    assert final["loose"] is None
    assert "5 days before the source" not in final
