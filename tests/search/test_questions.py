"""Q7 on the founding article: "ligne rouge", "red line", "Sisi", "Bodde" and
"MBZ" each find the right claim or actor."""

from typing import Any

import httpx


async def results(client: httpx.AsyncClient, q: str, **params: Any) -> list[dict[str, Any]]:
    response = await client.get("/v1/search", params={"q": q, **params})
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()["results"]
    return found


async def test_ligne_rouge_and_red_line_find_c9(client, demo):
    c9 = str(demo.ids["C9"])
    claim = (await client.get(f"/v1/claims/{c9}")).json()
    assert "ligne rouge" in claim["text"]
    for q in ("ligne rouge", "red line", "Ligne Rouge", "red lines", '"ligne rouge"'):
        claims = await results(client, q, types="claim")
        assert claims, q
        assert claims[0]["id"] == c9, q
        assert "<mark>" in claims[0]["snippet"]


async def test_names_find_the_actors(client, demo):
    for q, ref in (
        ("Sisi", "sissi"),
        ("al-Sisi", "sissi"),
        ("Sîssi", "sissi"),
        ("Bodde", "bode"),
        ("MBZ", "mbz"),
        ("Mohamed bin Zayed", "mbz"),
    ):
        actors = await results(client, q, types="actor")
        assert actors, q
        assert actors[0]["id"] == str(demo.ids[ref]), (q, actors)
    sissi = await results(client, "Sisi")
    assert str(demo.ids["sissi"]) in [r["id"] for r in sissi]


async def test_search_on_the_demo_is_one_statement(client, demo, statements):
    statements.clear()
    assert await results(client, "Haftar")
    assert len(statements) == 1, statements.statements
