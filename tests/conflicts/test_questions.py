"""Q3 on the founding article: the claims that conflict with the green-light
claim (C1) are C8 (Pompeo) and C9 (Bode's red line)."""


async def test_q3_conflicts_of_the_green_light_claim(client, demo, statements):
    c1, c8, c9 = (str(demo.ids[ref]) for ref in ("C1", "C8", "C9"))
    statements.clear()
    response = await client.get(f"/v1/claims/{c1}/conflicts")
    assert response.status_code == 200, response.text
    assert len(statements) == 1, statements.statements
    body = response.json()
    assert body["claim"]["id"] == c1
    others = {conflict["claim"]["id"]: conflict for conflict in body["conflicts"]}
    assert set(others) == {c8, c9}
    pompeo = {
        speaker["speaker"]["name"]
        for speaker in others[c8]["claim"]["speakers"]
        if speaker["speaker"]
    }
    assert any("Pompeo" in name for name in pompeo)
    certainties = {s["certainty"] for s in body["claim"]["speakers"]}
    assert "alleged" in certainties
    assert not any(conflict["self_conflict"] for conflict in body["conflicts"])


async def test_q3_seen_from_the_other_side_and_listed(client, demo):
    c1, c8 = str(demo.ids["C1"]), str(demo.ids["C8"])
    body = (await client.get(f"/v1/claims/{c8}/conflicts")).json()
    assert c1 in [conflict["claim"]["id"] for conflict in body["conflicts"]]
    listed = (await client.get("/v1/conflicts")).json()["items"]
    pairs = {frozenset((c["from_claim"]["id"], c["to_claim"]["id"])) for c in listed}
    assert frozenset((c1, c8)) in pairs
