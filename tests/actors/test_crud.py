"""Actors: create, read, partial update, delete, list filters."""

from uuid import uuid4

from tests.factories import (
    ids,
    make_actor,
    make_attribution,
    make_event,
    make_source,
    pointers,
    problem,
)


async def test_create_returns_the_document_its_location_serves(client):
    response = await client.post(
        "/v1/actors",
        json={
            "kind": "anonymous",
            "name": "des diplomates américains",
            "nationality": "US",
            "role_description": "diplomats",
            "names": [{"name": "les mêmes sources", "language": "fr", "kind": "description"}],
        },
    )
    assert response.status_code == 201
    created = response.json()
    assert response.headers["location"] == f"/v1/actors/{created['id']}"
    assert created["kind"] == "anonymous"
    assert created["nationality"] == "US"
    assert created["role_description"] == "diplomats"
    assert created["wikidata_id"] is None
    assert created["names"] == [
        {"name": "les mêmes sources", "language": "fr", "kind": "description"}
    ]
    assert created["roles"] == []
    followed = await client.get(response.headers["location"])
    assert followed.status_code == 200
    assert followed.json() == created


async def test_patch_changes_only_what_is_sent(client):
    organisation = await make_actor(client, kind="government", name="United States")
    actor = await make_actor(
        client,
        name="Peter Bode",
        description="chargé d'affaires",
        wikidata_id="Q7175207",
        names=[{"name": "Peter Bodde", "kind": "spelling"}],
        roles=[{"title": "chargé d'affaires", "organisation_id": organisation["id"]}],
    )
    response = await client.patch(f"/v1/actors/{actor['id']}", json={"name": "Peter Bodde"})
    assert response.status_code == 200
    patched = response.json()
    assert patched["name"] == "Peter Bodde"
    for unchanged in ("kind", "description", "wikidata_id", "names", "roles", "created_at"):
        assert patched[unchanged] == actor[unchanged], unchanged
    assert (await client.get(f"/v1/actors/{actor['id']}")).json() == patched


async def test_patch_replaces_nested_lists_whole(client):
    actor = await make_actor(
        client,
        names=[{"name": "Pompeo"}, {"name": "le chef de la diplomatie américaine"}],
        roles=[{"title": "director of the CIA", "ended_on": "2018-04-26"}],
    )
    response = await client.patch(
        f"/v1/actors/{actor['id']}",
        json={"names": [{"name": "Michael Richard Pompeo", "kind": "primary"}], "roles": []},
    )
    assert response.status_code == 200
    assert response.json()["names"] == [
        {"name": "Michael Richard Pompeo", "language": None, "kind": "primary"}
    ]
    assert response.json()["roles"] == []


async def test_patch_null_clears_an_optional_field(client):
    actor = await make_actor(client, description="US secretary of state", wikidata_id="Q473239")
    response = await client.patch(
        f"/v1/actors/{actor['id']}", json={"description": None, "wikidata_id": None}
    )
    assert response.status_code == 200
    assert response.json()["description"] is None
    assert response.json()["wikidata_id"] is None


async def test_delete_then_gone(client):
    actor = await make_actor(client)
    response = await client.delete(f"/v1/actors/{actor['id']}")
    assert response.status_code == 204
    assert response.content == b""
    problem(await client.get(f"/v1/actors/{actor['id']}"), 404, "not-found")
    problem(await client.delete(f"/v1/actors/{actor['id']}"), 404, "not-found")
    assert actor["id"] not in await ids(client, "/v1/actors")


async def test_missing_actor_is_404_on_every_verb(client):
    missing = uuid4()
    problem(await client.get(f"/v1/actors/{missing}"), 404, "not-found")
    problem(await client.patch(f"/v1/actors/{missing}", json={"name": "X"}), 404, "not-found")
    problem(await client.delete(f"/v1/actors/{missing}"), 404, "not-found")


async def test_delete_while_referenced_is_refused_and_keeps_the_actor(client):
    speaker = await make_actor(client, name="Speaker")
    await make_attribution(client, speaker_id=speaker["id"])
    author = await make_actor(client, name="Author")
    await make_source(client, author_ids=[author["id"]])
    publisher = await make_actor(client, kind="media", name="Bloomberg")
    await make_source(client, publisher_id=publisher["id"])
    participant = await make_actor(client, name="Khalifa Haftar")
    await make_event(client, participants=[{"actor_id": participant["id"]}])
    organisation = await make_actor(client, kind="organisation", name="CIA")
    await make_actor(client, roles=[{"title": "director", "organisation_id": organisation["id"]}])

    for actor in (speaker, author, publisher, participant, organisation):
        response = await client.delete(f"/v1/actors/{actor['id']}")
        problem(response, 409, "still-referenced")
        still = await client.get(f"/v1/actors/{actor['id']}")
        assert still.status_code == 200
        assert still.json() == actor


async def test_list_filters(client):
    mbz = await make_actor(
        client,
        name="Mohammed Bin Zayed Al Nahyan",
        wikidata_id="Q1038",
        names=[{"name": "MBZ", "kind": "abbreviation"}],
    )
    media = await make_actor(client, kind="media", name="Bloomberg")
    anonymous = await make_actor(client, kind="anonymous", name="US diplomats")

    assert await ids(client, "/v1/actors", kind="media") == [media["id"]]
    assert await ids(client, "/v1/actors", kind="anonymous") == [anonymous["id"]]
    assert await ids(client, "/v1/actors", name="mbz") == [mbz["id"]]
    assert await ids(client, "/v1/actors", name="BLOOMBERG") == [media["id"]]
    assert await ids(client, "/v1/actors", wikidata_id="Q1038") == [mbz["id"]]
    assert await ids(client, "/v1/actors", name="nobody at all") == []
    everyone = await ids(client, "/v1/actors")
    assert everyone == sorted(everyone, key=everyone.index)
    assert {mbz["id"], media["id"], anonymous["id"]} <= set(everyone)


async def test_list_refuses_an_unknown_kind(client):
    body = problem(
        await client.get("/v1/actors", params={"kind": "alien"}), 422, "validation-error"
    )
    assert pointers(body, "query") == {"/kind"}
