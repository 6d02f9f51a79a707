"""An actor's duplicate candidates, as a curator reads them before merging."""

from tests.factories import make_actor


async def test_each_candidate_is_that_actor_as_stored_with_readable_reasons(client):
    pompeo = await make_actor(
        client,
        name="Mike Pompeo",
        names=[{"name": "Michael Pompeo", "kind": "alias"}],
        roles=[{"title": "Secretary of state"}],
    )
    other = await make_actor(
        client, name="Michael R. Pompeo", names=[{"name": "Pompeo", "kind": "alias"}]
    )
    await make_actor(client, name="Someone Else", names=[{"name": "SE", "kind": "abbreviation"}])

    response = await client.get(f"/v1/actors/{pompeo['id']}/duplicates")
    assert response.status_code == 200, response.text
    [candidate] = response.json()["items"]
    # The candidate's own names and roles, not every actor's.
    stored = (await client.get(f"/v1/actors/{other['id']}")).json()
    assert candidate["actor"] == stored
    assert [n["name"] for n in candidate["actor"]["names"]] == ["Pompeo"]
    assert candidate["actor"]["roles"] == []
    # Reasons name the name they share, as the resolver normalised it.
    assert candidate["reasons"] == ["shared name or alias: michael pompeo", "surname match: pompeo"]
