"""Sources: refused writes, each a problem naming the field, the data unchanged."""

from uuid import uuid4

from tests.factories import JSON, count, make_actor, make_source, pointers, problem


async def test_unknown_references_point_at_their_field(client):
    actor = await make_actor(client)
    before = await count(client, "/v1/sources")
    cases: dict[str, JSON] = {
        "/author_ids": {"author_ids": [actor["id"], str(uuid4())]},
        "/cites_source_ids": {"cites_source_ids": [str(uuid4())]},
        "/publisher_id": {"publisher_id": str(uuid4())},
        "/published/anchor_source_id": {
            "published": {"relative_to": "source", "anchor_source_id": str(uuid4())}
        },
    }
    for pointer, fields in cases.items():
        response = await client.post(
            "/v1/sources", json={"kind": "article", "title": "T", **fields}
        )
        assert pointers(problem(response, 422, "unknown-reference")) == {pointer}, pointer
    assert await count(client, "/v1/sources") == before


async def test_unknown_reference_on_patch_changes_nothing(client):
    author = await make_actor(client)
    source = await make_source(client, author_ids=[author["id"]])
    response = await client.patch(
        f"/v1/sources/{source['id']}", json={"title": "New", "author_ids": [str(uuid4())]}
    )
    assert pointers(problem(response, 422, "unknown-reference")) == {"/author_ids"}
    assert (await client.get(f"/v1/sources/{source['id']}")).json() == source


async def test_a_source_cannot_cite_itself(client):
    source = await make_source(client)
    response = await client.patch(
        f"/v1/sources/{source['id']}", json={"cites_source_ids": [source["id"]]}
    )
    assert pointers(problem(response, 422, "invalid-field")) == {"/cites_source_ids"}
    assert (await client.get(f"/v1/sources/{source['id']}")).json() == source


async def test_invalid_uuid_in_body(client):
    before = await count(client, "/v1/sources")
    response = await client.post(
        "/v1/sources", json={"kind": "article", "title": "T", "author_ids": ["nope"]}
    )
    assert pointers(problem(response, 422, "validation-error")) == {"/author_ids/0"}
    assert await count(client, "/v1/sources") == before


async def test_fuzzy_time_inconsistencies(client):
    before = await count(client, "/v1/sources")
    bad_times = [
        {"earliest": "2019-04-30", "latest": "2019-04-01"},
        {"relative_to": "event"},
        {"relative_to": "source"},
        {"anchor_source_id": str(uuid4())},
        {"precision": "day"},
        {"earliest": "2019-02-30"},
        {"offset_days": 100000},
        {"relative_to": "yesterday"},
    ]
    for published in bad_times:
        response = await client.post(
            "/v1/sources", json={"kind": "article", "title": "T", "published": published}
        )
        body = problem(response, 422, "validation-error")
        assert all(p.startswith("/published") for p in pointers(body)), (published, body)
    assert await count(client, "/v1/sources") == before


async def test_nul_and_lone_surrogates_in_the_text(client):
    before = await count(client, "/v1/sources")
    response = await client.post(
        "/v1/sources", json={"kind": "article", "title": "T", "full_text": "a\u0000b"}
    )
    assert pointers(problem(response, 422, "validation-error")) == {"/full_text"}
    response = await client.request(
        "POST",
        "/v1/sources",
        content=b'{"kind": "article", "title": "T", "full_text": "\\ud83d alone"}',
        headers={"content-type": "application/json"},
    )
    assert pointers(problem(response, 422, "validation-error")) == {"/full_text"}
    assert await count(client, "/v1/sources") == before


async def test_bad_url_language_and_kind(client):
    before = await count(client, "/v1/sources")
    for field, value in (("url", "javascript:alert(1)"), ("language", "French"), ("kind", "tweet")):
        response = await client.post(
            "/v1/sources", json={"kind": "article", "title": "T", field: value}
        )
        assert pointers(problem(response, 422, "validation-error")) == {f"/{field}"}
    assert await count(client, "/v1/sources") == before


async def test_days_the_database_would_store_as_infinity(client):
    # Found by tests/test_fuzz.py: 0001-01-01 (Python's first day) reached
    # PostgreSQL as -infinity and came back as "earliest": "-infinity"; a latest
    # of 9999-12-31 had no next day to bound the range and made a 500.
    before = await count(client, "/v1/sources")
    for published, pointer in (
        ({"earliest": "0001-01-01", "precision": "day"}, "/published/earliest"),
        ({"latest": "9999-12-31", "precision": "day"}, "/published/latest"),
        ({"latest": "9999-12-30", "precision": "day"}, "/published/latest"),
    ):
        response = await client.post(
            "/v1/sources", json={"kind": "article", "title": "T", "published": published}
        )
        assert pointers(problem(response, 422, "validation-error")) == {pointer}, published
    assert await count(client, "/v1/sources") == before
    source = await make_source(
        client, published={"earliest": "0001-01-02", "latest": "9999-12-29", "precision": "range"}
    )
    assert (source["published"]["earliest"], source["published"]["latest"]) == (
        "0001-01-02",
        "9999-12-29",
    )
