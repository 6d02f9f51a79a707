"""Keyset pagination: every row exactly once, even while rows are inserted."""

from collections import Counter

import pytest

from tests.factories import (
    make_actor,
    make_attribution,
    make_claim,
    make_source,
    pointers,
    problem,
)


async def test_walking_all_pages_sees_every_row_once_while_rows_are_inserted(client):
    original = {(await make_claim(client, text=f"claim {n}"))["id"] for n in range(120)}
    seen: list[str] = []
    inserted: set[str] = set()
    cursor = None
    pages = 0
    while True:
        params = {"limit": 7, **({"cursor": cursor} if cursor else {})}
        response = await client.get("/v1/claims", params=params)
        assert response.status_code == 200
        page = response.json()
        assert len(page["items"]) <= 7
        seen.extend(item["id"] for item in page["items"])
        pages += 1
        # Someone writes while we read.
        inserted.add((await make_claim(client, text=f"written during page {pages}"))["id"])
        cursor = page["next"]
        if not cursor:
            break
        assert len(page["items"]) == 7
        assert pages < 100, "the walk does not end"

    counts = Counter(seen)
    assert not [claim for claim, n in counts.items() if n > 1], "a row was listed twice"
    assert original <= set(seen), "a row was skipped"
    assert set(seen) <= original | inserted
    assert pages >= 120 // 7


async def test_the_last_page_has_no_next_and_an_empty_listing_is_one_page(client):
    response = await client.get("/v1/sources", params={"kind": "transcript"})
    assert response.json() == {"items": [], "next": None}
    sources = [await make_source(client, kind="transcript") for _ in range(4)]
    first = (await client.get("/v1/sources", params={"kind": "transcript", "limit": 2})).json()
    assert [s["id"] for s in first["items"]] == [s["id"] for s in sources[:2]]
    assert first["next"]
    second = (
        await client.get(
            "/v1/sources", params={"kind": "transcript", "limit": 2, "cursor": first["next"]}
        )
    ).json()
    assert [s["id"] for s in second["items"]] == [s["id"] for s in sources[2:]]
    # Exactly full: a next cursor would lead to an empty page; none is given.
    assert second["next"] is None


async def test_rows_deleted_between_pages_do_not_break_the_walk(client):
    actors = [await make_actor(client, kind="group", name=f"group {n}") for n in range(6)]
    first = (await client.get("/v1/actors", params={"kind": "group", "limit": 3})).json()
    # The row the cursor points at goes away.
    assert (await client.delete(f"/v1/actors/{first['items'][-1]['id']}")).status_code == 204
    rest = (
        await client.get(
            "/v1/actors", params={"kind": "group", "limit": 3, "cursor": first["next"]}
        )
    ).json()
    assert [a["id"] for a in rest["items"]] == [a["id"] for a in actors[3:]]


async def test_a_cursor_from_the_same_listing_with_filters_still_filters(client):
    for n in range(5):
        await make_claim(client, text=f"en {n}", language="en")
        await make_claim(client, text=f"fr {n}", language="fr")
    first = (await client.get("/v1/claims", params={"language": "fr", "limit": 2})).json()
    second = (
        await client.get(
            "/v1/claims", params={"language": "fr", "limit": 2, "cursor": first["next"]}
        )
    ).json()
    assert {c["language"] for c in first["items"] + second["items"]} == {"fr"}
    assert len({c["id"] for c in first["items"] + second["items"]}) == 4


async def _next(client, path: str, **params) -> str:
    response = await client.get(path, params=params)
    assert response.status_code == 200, response.text
    cursor: str = response.json()["next"]
    assert cursor
    return cursor


@pytest.mark.parametrize("fast", [True, False])
async def test_a_cursor_is_tied_to_the_filters_it_was_issued_for(client, fast):
    if not fast:
        client._transport.app.state.fast_fetch = None  # the framework's path
    for mode in ("paraphrase", "paraphrase", "direct_quote", "direct_quote"):
        await make_attribution(client, mode=mode)
    path = "/v1/attributions"
    cursor = await _next(client, path, mode="paraphrase", limit=1)

    # limit may change
    again = await client.get(path, params={"mode": "paraphrase", "limit": 5, "cursor": cursor})
    assert again.status_code == 200, again.text
    assert {a["mode"] for a in again.json()["items"]} == {"paraphrase"}

    for other in ({"mode": "direct_quote"}, {}, {"mode": "paraphrase", "expand": "speaker"}):
        response = await client.get(path, params={**other, "limit": 1, "cursor": cursor})
        body = problem(response, 400, "cursor-mismatch")
        assert pointers(body, "query") == {"/cursor"}
        assert "only `limit` may change" in body["detail"]


async def test_a_cursor_of_one_list_is_refused_by_another(client):
    for n in range(3):
        await make_claim(client, text=f"claim {n}")
        await make_actor(client, name=f"actor {n}")
    cursor = await _next(client, "/v1/claims", limit=1)
    problem(await client.get("/v1/actors", params={"cursor": cursor}), 400, "cursor-mismatch")


async def test_a_cursor_carries_its_sort(client):
    for n in range(3):
        await make_claim(client, text=f"claim {n}")
    cursor = await _next(client, "/v1/claims", sort="-independent_origins", limit=1)
    response = await client.get(
        "/v1/claims", params={"sort": "independent_origins", "limit": 1, "cursor": cursor}
    )
    problem(response, 400, "cursor-mismatch")
    response = await client.get(
        "/v1/claims", params={"sort": "-independent_origins", "limit": 2, "cursor": cursor}
    )
    assert response.status_code == 200, response.text


async def test_a_position_stored_before_cursors_named_their_listing_still_reads(client):
    # A changes feed position a client stored (the old format: the key alone)
    # is taken where no parameter could differ, never by a filtered listing.
    import base64
    import json

    claims = [await make_claim(client, text=f"claim {n}") for n in range(3)]
    legacy = base64.urlsafe_b64encode(json.dumps([claims[0]["id"]]).encode()).decode()
    response = await client.get("/v1/claims", params={"cursor": legacy.rstrip("=")})
    assert [c["id"] for c in response.json()["items"]][:2] == [c["id"] for c in claims[1:]]
    filtered = await client.get("/v1/claims", params={"language": "fr", "cursor": legacy})
    problem(filtered, 422, "bad-cursor")
