"""Strict query parameters on the API (app/routing.py).

On every ``/v1`` operation a query parameter the operation does not declare
is a 400 naming it (and the nearest declared one), and a single-valued one
sent twice is a 400: ``?spekaer=`` must not give an unfiltered list that
looks filtered. The rule is read off each route's own declarations, so a
parameter added later is covered without a list to keep; the hot reads'
fast path (app/fastpath.py) applies the same rule. The docs, the explorer,
static files, ``/health``, ``/ready`` and ``/metrics`` ignore unknown
parameters (cache busters).
"""

import uuid
from typing import Annotated

import pytest
from fastapi import Query, Response
from fastapi.routing import APIRoute

from app.main import API_ROUTERS
from app.routing import Router
from tests.conftest import app_on
from tests.factories import pointers, problem

ANY_ID = str(uuid.UUID(int=1))


def _operations() -> list[tuple[str, str]]:
    found = []
    for router in API_ROUTERS:
        for route in router.routes:
            assert isinstance(route, APIRoute)
            path = route.path
            for name in route.param_convertors:
                path = path.replace("{" + name + "}", ANY_ID if name.endswith("id") else "claims")
            for method in sorted(route.methods or ()):
                found.append((method, path))
    return found


OPERATIONS = _operations()


@pytest.mark.parametrize(("method", "path"), OPERATIONS)
async def test_an_undeclared_parameter_is_a_400_on_every_operation(client, method, path):
    response = await client.request(method, path, params={"onrecord": "false"}, json={})
    body = problem(response, 400, "unknown-parameter")
    assert pointers(body, "query") == {"/onrecord"}
    assert "onrecord" in body["detail"]


@pytest.mark.parametrize("fast", [True, False])
async def test_a_misspelt_filter_names_the_nearest_declared_one(client, fast):
    if not fast:
        client._transport.app.state.fast_fetch = None  # the framework's path
    response = await client.get("/v1/attributions", params={"spekaer": ANY_ID})
    body = problem(response, 400, "unknown-parameter")
    assert "`spekaer`" in body["detail"]
    assert "did you mean `speaker_id`?" in body["detail"]
    response = await client.get(f"/v1/claims/{ANY_ID}", params={"as-of": "2020-01-01"})
    assert "did you mean `as_of`?" in problem(response, 400, "unknown-parameter")["detail"]


async def test_with_no_near_name_the_declared_ones_are_listed(client):
    response = await client.get("/v1/actors", params={"zzzzzzzz": "1"})
    detail = problem(response, 400, "unknown-parameter")["detail"]
    assert "`zzzzzzzz`" in detail
    for declared in ("kind", "name", "wikidata_id", "limit", "cursor"):
        assert f"`{declared}`" in detail


@pytest.mark.parametrize("fast", [True, False])
async def test_a_single_valued_parameter_sent_twice_is_a_400(client, fast):
    if not fast:
        client._transport.app.state.fast_fetch = None
    response = await client.get("/v1/attributions?mode=paraphrase&mode=direct_quote")
    body = problem(response, 400, "repeated-parameter")
    assert pointers(body, "query") == {"/mode"}
    response = await client.get("/v1/actors?limit=1&limit=2")
    problem(response, 400, "repeated-parameter")


async def test_declared_parameters_still_work(client):
    response = await client.get("/v1/attributions", params={"mode": "paraphrase", "limit": 5})
    assert response.status_code == 200, response.text
    assert (await client.get("/v1/search", params={"q": "Haftar"})).status_code == 200


@pytest.mark.parametrize(
    "path", ["/docs", "/redoc", "/openapi.json", "/health", "/explore", "/metrics", "/"]
)
async def test_pages_outside_the_api_ignore_unknown_parameters(client, path):
    response = await client.get(path, params={"v": "123", "cache_buster": "x"})
    assert response.status_code in (200, 307), (path, response.status_code)


async def test_a_static_file_ignores_unknown_parameters(client):
    page = (await client.get("/explore")).text
    static = next(part.split('"')[0] for part in page.split('src="')[1:] if part.startswith("/"))
    response = await client.get(static, params={"v": "2"})
    assert response.status_code == 200, static


async def test_a_parameter_added_later_is_covered_without_a_list(connection):
    router = Router(prefix="/v1/later")

    @router.get("")
    async def later(fields: Annotated[str | None, Query()] = None) -> Response:
        return Response(fields or "")

    app = app_on(connection)
    app.include_router(router)
    import httpx

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://onrecord.test") as c:
        assert (await c.get("/v1/later", params={"fields": "id"})).text == "id"
        body = problem(await c.get("/v1/later", params={"field": "id"}), 400, "unknown-parameter")
        assert "did you mean `fields`?" in body["detail"]
        problem(await c.get("/v1/later?fields=a&fields=b"), 400, "repeated-parameter")


# -- duplicate keys in a JSON body ------------------------------------------------


@pytest.mark.parametrize(
    ("path", "body", "pointer"),
    [
        ("/v1/actors", '{"kind": "person", "name": "A", "name": "B"}', "/name"),
        (
            "/v1/actors",
            '{"kind": "person", "name": "A", "names": [{"name": "x", "kind": "alias",'
            ' "kind": "epithet"}]}',
            "/names/0/kind",
        ),
        ("/v1/claims", '{"text": "a", "language": "fr", "text": "a"}', "/text"),
        (
            "/v1/bundles",
            '{"format": "onrecord-bundle", "version": 1, "id": "dup",'
            ' "actors": [{"ref": "a", "kind": "person", "name": "A"},'
            ' {"ref": "b", "kind": "person", "ref": "c", "name": "B"}]}',
            "/actors/1/ref",
        ),
    ],
)
async def test_a_duplicate_key_in_a_json_body_is_a_400(client, path, body, pointer):
    before = await client.get(path if path != "/v1/bundles" else "/v1/actors")
    response = await client.post(path, content=body, headers={"content-type": "application/json"})
    problem_body = problem(response, 400, "duplicate-key")
    assert pointers(problem_body, "body") == {pointer}
    assert pointer.rsplit("/", 1)[1] in problem_body["detail"]
    after = await client.get(path if path != "/v1/bundles" else "/v1/actors")
    assert after.json() == before.json()


async def test_a_duplicate_key_in_a_patch_is_a_400(client):
    actor = (await client.post("/v1/actors", json={"kind": "person", "name": "A"})).json()
    response = await client.patch(
        f"/v1/actors/{actor['id']}",
        content='{"name": "B", "name": "C"}',
        headers={"content-type": "application/json"},
    )
    problem(response, 400, "duplicate-key")
    assert (await client.get(f"/v1/actors/{actor['id']}")).json()["name"] == "A"


async def test_the_same_key_in_different_objects_is_fine(client):
    body = '{"kind": "person", "name": "A", "names": [{"name": "x"}, {"name": "y"}]}'
    response = await client.post(
        "/v1/actors", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 201, response.text


async def test_a_duplicate_deep_in_a_body_is_found_without_recursion(client):
    body = (
        '{"kind": "person", "name": "A", "note": '
        + "[" * 900
        + '{"a": 1, "a": 2}'
        + "]" * 900
        + "}"
    )
    response = await client.post(
        "/v1/actors", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code in (400, 422), response.text
    assert response.headers["content-type"] == "application/problem+json"
