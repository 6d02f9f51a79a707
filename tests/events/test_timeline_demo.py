"""Q4 on the founding article: the events in time order, with their
uncertainty: E6, E7, E5, E1, E2, E3, E4, and E8 placed by its order only."""


async def test_q4_events_in_time_order(client, demo, statements):
    refs = {str(event_id): ref for ref, event_id in demo.ids.items() if ref.startswith("E")}
    statements.clear()
    response = await client.get("/v1/events/timeline")
    assert response.status_code == 200, response.text
    assert len(statements) == 1, statements.statements
    items = response.json()["items"]
    order = [refs[item["id"]] for item in items if item["id"] in refs]
    dated = [refs[item["id"]] for item in items if item["placement"] == "time"]
    assert dated == ["E6", "E7", "E5", "E1", "E2", "E3", "E4"]
    (e8,) = [item for item in items if refs.get(item["id"]) == "E8"]
    assert e8["placement"] == "relation"
    assert e8["resolved"] is None
    assert e8["placed"] == {"relation": "after", "event_id": str(demo.ids["E7"])}
    assert order.index("E8") > order.index("E7")
    by_ref = {refs[item["id"]]: item for item in items if item["id"] in refs}
    assert by_ref["E6"]["resolved"] == {
        "earliest": "2019-02-01",
        "latest": "2019-02-28",
        "derived": False,
    }
    assert by_ref["E6"]["time"]["precision"] == "month"
    assert by_ref["E7"]["resolved"]["latest"] is None


async def test_q4_claims_about_the_events(client, demo):
    items = (await client.get("/v1/events/timeline")).json()["items"]
    claims = {claim["id"] for item in items for claim in item["claims"]}
    linked = [item for item in items if item["claims"]]
    assert linked
    for item in linked:
        for claim in item["claims"]:
            assert claim["text"]
    assert claims
    assert str(demo.ids["C9"]) in claims or str(demo.ids["C8"]) in claims
