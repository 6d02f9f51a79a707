"""Actors: what is refused, with which problem, and that nothing changed."""

from uuid import uuid4

from tests.factories import count, make_actor, pointers, problem, send_raw


async def test_duplicate_wikidata_id_is_a_conflict(client):
    await make_actor(client, name="Donald Trump", wikidata_id="Q22686")
    before = await count(client, "/v1/actors")
    response = await client.post(
        "/v1/actors", json={"kind": "person", "name": "Trump", "wikidata_id": "Q22686"}
    )
    problem(response, 409, "duplicate")
    assert await count(client, "/v1/actors") == before

    other = await make_actor(client, name="Somebody else")
    response = await client.patch(f"/v1/actors/{other['id']}", json={"wikidata_id": "Q22686"})
    problem(response, 409, "duplicate")
    assert (await client.get(f"/v1/actors/{other['id']}")).json() == other


async def test_unknown_organisation_of_a_role_points_at_roles(client):
    before = await count(client, "/v1/actors")
    response = await client.post(
        "/v1/actors",
        json={
            "kind": "person",
            "name": "Mike Pompeo",
            "roles": [{"title": "secretary of state", "organisation_id": str(uuid4())}],
        },
    )
    body = problem(response, 422, "unknown-reference")
    assert pointers(body) == {"/roles"}
    assert await count(client, "/v1/actors") == before


async def test_nul_byte_is_refused_with_a_pointer(client):
    before = await count(client, "/v1/actors")
    response = await client.post("/v1/actors", json={"kind": "person", "name": "Trump\u0000"})
    body = problem(response, 422, "validation-error")
    assert pointers(body) == {"/name"}
    response = await client.post(
        "/v1/actors",
        json={"kind": "person", "name": "Trump", "names": [{"name": "\u0000DJT"}]},
    )
    assert pointers(problem(response, 422, "validation-error")) == {"/names/0/name"}
    assert await count(client, "/v1/actors") == before


async def test_lone_surrogate_is_refused_with_a_pointer(client):
    before = await count(client, "/v1/actors")
    response = await send_raw(
        client, "POST", "/v1/actors", b'{"kind": "person", "name": "Tr\\ud800mp"}'
    )
    assert pointers(problem(response, 422, "validation-error")) == {"/name"}
    actor = await make_actor(client)
    response = await send_raw(
        client, "PATCH", f"/v1/actors/{actor['id']}", b'{"description": "\\udfff"}'
    )
    assert pointers(problem(response, 422, "validation-error")) == {"/description"}
    assert await count(client, "/v1/actors") == before + 1
    assert (await client.get(f"/v1/actors/{actor['id']}")).json() == actor


async def test_blank_and_overlong_names_are_refused(client):
    before = await count(client, "/v1/actors")
    for name in ("", "   ", "x" * 501):
        response = await client.post("/v1/actors", json={"kind": "person", "name": name})
        assert pointers(problem(response, 422, "validation-error")) == {"/name"}
    assert await count(client, "/v1/actors") == before


async def test_malformed_wikidata_id_and_language_are_refused(client):
    response = await client.post(
        "/v1/actors", json={"kind": "person", "name": "X", "wikidata_id": "Q0"}
    )
    assert pointers(problem(response, 422, "validation-error")) == {"/wikidata_id"}
    response = await client.post(
        "/v1/actors",
        json={"kind": "person", "name": "X", "names": [{"name": "Y", "language": "French"}]},
    )
    assert pointers(problem(response, 422, "validation-error")) == {"/names/0/language"}


async def test_role_ending_before_it_starts_is_refused(client):
    before = await count(client, "/v1/actors")
    response = await client.post(
        "/v1/actors",
        json={
            "kind": "person",
            "name": "John Bolton",
            "roles": [
                {
                    "title": "national security adviser",
                    "started_on": "2019-09-10",
                    "ended_on": "2018-04-09",
                }
            ],
        },
    )
    assert pointers(problem(response, 422, "validation-error")) == {"/roles/0/ended_on"}
    assert await count(client, "/v1/actors") == before


async def test_wrong_types_are_refused(client):
    before = await count(client, "/v1/actors")
    response = await client.post("/v1/actors", json={"kind": "person", "name": 42, "names": "MBZ"})
    assert pointers(problem(response, 422, "validation-error")) == {"/name", "/names"}
    response = await client.post("/v1/actors", json=["kind", "person"])
    problem(response, 422, "validation-error")
    assert await count(client, "/v1/actors") == before


async def test_role_days_are_written_yyyy_mm_dd(client):
    # Pydantic would read 0 (or "2019") as Unix seconds: a role starting on 1970-01-01.
    before = await count(client, "/v1/actors")
    role = {"title": "national security adviser", "started_on": 0, "ended_on": "2019"}
    response = await client.post(
        "/v1/actors", json={"kind": "person", "name": "John Bolton", "roles": [role]}
    )
    body = problem(response, 422, "validation-error")
    assert pointers(body) == {"/roles/0/started_on", "/roles/0/ended_on"}
    assert await count(client, "/v1/actors") == before


async def test_role_days_the_database_would_store_as_infinity(client):
    # 0001-01-01 and 9999-12-31 reached PostgreSQL as -infinity and infinity.
    before = await count(client, "/v1/actors")
    role = {"title": "envoy", "started_on": "0001-01-01", "ended_on": "9999-12-31"}
    response = await client.post(
        "/v1/actors", json={"kind": "person", "name": "X", "roles": [role]}
    )
    body = problem(response, 422, "validation-error")
    assert pointers(body) == {"/roles/0/started_on", "/roles/0/ended_on"}
    assert await count(client, "/v1/actors") == before
