from tests.factories import count, make_actor


async def test_create_read_update_delete(client):
    created = await make_actor(
        client,
        kind="person",
        name="Mohammed Bin Zayed Al Nahyan",
        wikidata_id="Q1038",
        names=[
            {"name": "MBZ", "kind": "abbreviation"},
            {"name": "Mohamed bin Zayed", "language": "en"},
        ],
        roles=[{"title": "crown prince of Abu Dhabi", "started_on": "2004-11-03"}],
    )
    response = await client.get(f"/v1/actors/{created['id']}")
    assert response.status_code == 200
    actor = response.json()
    assert actor["name"] == "Mohammed Bin Zayed Al Nahyan"
    assert {n["name"] for n in actor["names"]} == {"MBZ", "Mohamed bin Zayed"}
    assert actor["roles"][0]["started_on"] == "2004-11-03"

    patched = await client.patch(f"/v1/actors/{created['id']}", json={"description": "UAE"})
    assert patched.status_code == 200
    assert patched.json()["description"] == "UAE"
    assert patched.json()["names"] == actor["names"]  # untouched when not sent

    assert (await client.delete(f"/v1/actors/{created['id']}")).status_code == 204
    missing = await client.get(f"/v1/actors/{created['id']}")
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"
    assert missing.json()["type"].endswith("/not-found")


async def test_location_header_points_at_the_new_actor(client):
    response = await client.post("/v1/actors", json={"kind": "media", "name": "Bloomberg"})
    assert response.status_code == 201
    followed = await client.get(response.headers["location"])
    assert followed.json() == response.json()


async def test_invalid_kind_is_refused_with_a_pointer(client):
    before = await count(client, "/v1/actors")
    response = await client.post("/v1/actors", json={"kind": "alien", "name": "X"})
    assert response.status_code == 422
    problem = response.json()
    assert problem["type"].endswith("/validation-error")
    assert problem["errors"][0]["pointer"] == "/kind"
    assert await count(client, "/v1/actors") == before
