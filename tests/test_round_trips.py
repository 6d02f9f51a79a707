from tests.factories import make_actor


async def test_reading_an_actor_is_one_statement(client, statements):
    actor = await make_actor(client, names=[{"name": "Pompeo"}], roles=[{"title": "director"}])
    statements.clear()
    response = await client.get(f"/v1/actors/{actor['id']}")
    assert response.status_code == 200
    assert len(statements) == 1, statements.statements
