"""Refusals every resource shares: bad ids, bodies, pages, routes and methods.

Each is a 4xx problem+json naming the bad field, and the listing counts the
same rows before and after.
"""

import base64
from typing import Any

import pytest

from app.actors.schemas import ActorUpdate
from app.attributions.schemas import AttributionUpdate
from app.claims.schemas import ClaimUpdate
from app.events.schemas import EventUpdate
from app.schemas import Patch
from app.sources.schemas import SourceUpdate
from tests.factories import (
    JSON,
    count,
    make_actor,
    make_attribution,
    make_claim,
    make_event,
    make_source,
    pointers,
    problem,
    send_raw,
)

UUID0 = "00000000-0000-0000-0000-000000000000"

# (collection path, path parameter name, a field a create requires)
RESOURCES = [
    ("/v1/actors", "actor_id", "name"),
    ("/v1/sources", "source_id", "title"),
    ("/v1/events", "event_id", "title"),
    ("/v1/claims", "claim_id", "text"),
    ("/v1/claim-relations", "relation_id", "kind"),
    ("/v1/attributions", "attribution_id", "claim_id"),
]
EXPANDABLE = ["/v1/sources", "/v1/events", "/v1/claims", "/v1/claim-relations", "/v1/attributions"]

parametrize_resources = pytest.mark.parametrize(("path", "id_name", "required"), RESOURCES)


@parametrize_resources
async def test_invalid_uuid_in_path(client, path, id_name, required):
    for method, body in (("GET", None), ("PATCH", {}), ("DELETE", None)):
        response = await client.request(method, f"{path}/not-a-uuid", json=body)
        error = problem(response, 422, "validation-error")
        assert pointers(error, "path") == {f"/{id_name}"}, method


@parametrize_resources
async def test_no_body_and_empty_body(client, path, id_name, required):
    before = await count(client, path)
    for content in (None, b""):
        response = await send_raw(client, "POST", path, content)
        problem(response, 422, "validation-error")
    response = await client.post(path, json={})
    assert f"/{required}" in pointers(problem(response, 422, "validation-error"))
    assert await count(client, path) == before


@parametrize_resources
async def test_malformed_json(client, path, id_name, required):
    before = await count(client, path)
    for content in (b'{"name": ', b"{'kind': 'person'}", b"\xff\xfe"):
        response = await send_raw(client, "POST", path, content)
        problem(response, 400, "malformed-body")
    assert await count(client, path) == before


@parametrize_resources
async def test_unknown_field_is_forbidden(client, path, id_name, required):
    before = await count(client, path)
    response = await client.post(path, json={"nickname": "MBZ"})
    body = problem(response, 422, "validation-error")
    assert "/nickname" in pointers(body, "body")
    assert await count(client, path) == before


@parametrize_resources
async def test_page_size_out_of_range(client, path, id_name, required):
    for limit in ("0", "201", "-1", "ten"):
        response = await client.get(path, params={"limit": limit})
        assert pointers(problem(response, 422, "validation-error"), "query") == {"/limit"}
    assert (await client.get(path, params={"limit": 200})).status_code == 200
    assert (await client.get(path, params={"limit": 1})).status_code == 200


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


@parametrize_resources
async def test_garbage_cursor(client, path, id_name, required):
    garbage = [
        "garbage",
        "é",
        "!!!!",
        _b64(b"[1]"),
        _b64(b'["not-a-uuid"]'),
        _b64(b'{"id": 1}'),
        _b64(b'["a", "b"]'),
    ]
    for cursor in garbage:
        response = await client.get(path, params={"cursor": cursor})
        body = problem(response, 422, "bad-cursor")
        assert pointers(body, "query") == {"/cursor"}, cursor


@pytest.mark.parametrize("path", EXPANDABLE)
async def test_unknown_expand_name(client, path):
    response = await client.get(path, params={"expand": "everything"})
    body = problem(response, 422, "invalid-field")
    assert pointers(body, "query") == {"/expand"}
    assert "everything" in body["detail"]


async def test_unknown_expand_on_a_single_read(client):
    from tests.factories import make_attribution

    attribution = await make_attribution(client)
    response = await client.get(
        f"/v1/attributions/{attribution['id']}", params={"expand": "speaker,gossip"}
    )
    assert pointers(problem(response, 422, "invalid-field"), "query") == {"/expand"}


@pytest.mark.parametrize(
    ("path", "param"),
    [
        ("/v1/sources", "author_id"),
        ("/v1/events", "participant_id"),
        ("/v1/claims", "speaker_id"),
        ("/v1/claim-relations", "claim_id"),
        ("/v1/attributions", "claim_id"),
    ],
)
async def test_invalid_uuid_in_a_filter(client, path, param):
    response = await client.get(path, params={param: "nope"})
    assert pointers(problem(response, 422, "validation-error"), "query") == {f"/{param}"}


@pytest.mark.parametrize("path", ["/v1/sources", "/v1/events", "/v1/claims", "/v1/attributions"])
async def test_time_window_upside_down(client, path):
    response = await client.get(path, params={"time_from": "2019-05-01", "time_to": "2019-04-01"})
    assert pointers(problem(response, 422, "invalid-field"), "query") == {"/time_from"}
    response = await client.get(path, params={"time_from": "April 2019"})
    assert pointers(problem(response, 422, "validation-error"), "query") == {"/time_from"}


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/v1/actors", {"name": "Tr\x00mp"}),
        ("/v1/actors", {"wikidata_id": "Q\x00"}),
        ("/v1/sources", {"language": "f\x00r"}),
        ("/v1/events", {"kind": "\x00"}),
        ("/v1/claims", {"language": "\x00"}),
    ],
)
async def test_nul_in_a_query_string_is_not_a_server_error(client, path, params):
    response = await client.get(path, params=params)
    assert response.status_code in {200, 422}, response.text
    if response.status_code == 422:
        assert response.headers["content-type"] == "application/problem+json"
        assert pointers(response.json(), "query") == {f"/{next(iter(params))}"}


async def test_unknown_route_is_a_problem(client):
    # "/" is the explorer's (a redirect to /explore): tests/explorer.
    for path in ("/v1/nothing-here", "/v2/actors", "/nothing-here"):
        problem(await client.get(path), 404, "not-found")


@parametrize_resources
async def test_wrong_method_is_a_problem(client, path, id_name, required):
    response = await client.put(path, json={})
    problem(response, 405, "method-not-allowed")
    assert set(response.headers["allow"].replace(" ", "").split(",")) - {"HEAD"} == {"GET", "POST"}
    response = await client.post(f"{path}/00000000-0000-0000-0000-000000000000", json={})
    problem(response, 405, "method-not-allowed")
    allowed = set(response.headers["allow"].replace(" ", "").split(",")) - {"HEAD"}
    assert allowed == {"GET", "PATCH", "DELETE"}


async def test_a_body_over_the_limit_is_refused_before_it_is_read(client):
    from app.main import MAX_BODY_BYTES

    before = await count(client, "/v1/claims")
    text = "a" * (MAX_BODY_BYTES + 1)
    response = await client.post("/v1/claims", json={"text": text, "language": "fr"})
    body = problem(response, 413, "body-too-large")
    assert str(MAX_BODY_BYTES) in body["detail"]
    assert await count(client, "/v1/claims") == before


# Every listing with a time window. Pydantic would read a number (or a string of
# digits) as Unix seconds: ``time_from=2019`` silently meant 1970-01-01.
TIME_WINDOWS = [
    "/v1/sources",
    "/v1/events",
    "/v1/events/timeline",
    "/v1/claims",
    "/v1/attributions",
]


@pytest.mark.parametrize("path", TIME_WINDOWS)
@pytest.mark.parametrize("value", ["2019", "0.0", "1555632000", "2019-04-19T00:00:00"])
async def test_time_window_is_a_day_written_yyyy_mm_dd(client, path, value):
    for name in ("time_from", "time_to"):
        response = await client.get(path, params={name: value})
        body = problem(response, 422, "validation-error")
        assert pointers(body, "query") == {f"/{name}"}, (path, name)
        assert "YYYY-MM-DD" in body["detail"]
    assert (await client.get(path, params={"time_from": "2019-04-19"})).status_code == 200


async def test_statements_time_window_is_a_day_written_yyyy_mm_dd(client):
    actor = await make_actor(client)
    path = f"/v1/actors/{actor['id']}/statements"
    response = await client.get(path, params={"time_to": "0"})
    assert pointers(problem(response, 422, "validation-error"), "query") == {"/time_to"}


@pytest.mark.parametrize(
    ("path", "make", "update"),
    [
        ("/v1/actors", make_actor, ActorUpdate),
        ("/v1/sources", make_source, SourceUpdate),
        ("/v1/events", make_event, EventUpdate),
        ("/v1/claims", make_claim, ClaimUpdate),
        ("/v1/attributions", make_attribution, AttributionUpdate),
    ],
)
async def test_patch_null_for_a_required_field_is_refused(
    client, path: str, make: Any, update: type[Patch]
):
    row: JSON = await make(client)
    assert update.required_fields
    for field in sorted(update.required_fields):
        response = await client.patch(f"{path}/{row['id']}", json={field: None})
        body = problem(response, 422, "validation-error")
        assert f"{field} cannot be null" in body["detail"]
        assert pointers(body) == {f"/{field}"}
    assert (await client.get(f"{path}/{row['id']}")).json() == row


@pytest.mark.parametrize(
    ("path", "body", "pointer", "suggested"),
    [
        (
            "/v1/attributions",
            {"claim_id": UUID0, "source_id": UUID0, "mode": "paraphrase", "spekaer_id": UUID0},
            "/spekaer_id",
            "speaker_id",
        ),
        (
            "/v1/actors",
            {"kind": "person", "name": "A", "descripton": "x"},
            "/descripton",
            "description",
        ),
        (
            "/v1/actors",
            {"kind": "person", "name": "A", "names": [{"name": "x", "langauge": "fr"}]},
            "/names/0/langauge",
            "language",
        ),
        (
            "/v1/attributions",
            {
                "claim_id": UUID0,
                "source_id": UUID0,
                "mode": "own_voice",
                "time": {"earliset": "2019-01-01"},
            },
            "/time/earliset",
            "earliest",
        ),
    ],
)
async def test_an_unknown_body_field_suggests_the_likely_one(
    client, path, body, pointer, suggested
):
    response = await client.post(path, json=body)
    problem_body = problem(response, 422, "validation-error")
    (error,) = [e for e in problem_body["errors"] if e["pointer"] == pointer]
    assert f"did you mean `{suggested}`?" in error["detail"]


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/v1/export", {"changed_since": "0.5"}),
        ("/v1/export", {"changed_since": "1700000000"}),
        ("/v1/export", {"changed_since": "2019-04-24T10:00:00"}),  # no time zone
        (f"/v1/claims/{UUID0}", {"as_of": "2019-04-24"}),
    ],
)
async def test_a_moment_is_written_as_rfc_3339_says(client, path, params):
    body = problem(await client.get(path, params=params), 422, "validation-error")
    assert pointers(body, "query") == {f"/{next(iter(params))}"}


async def test_a_method_a_fixed_path_does_not_take_is_405_not_an_invalid_id(client):
    for method in ("PATCH", "DELETE"):
        response = await client.request(method, "/v1/events/timeline", json={})
        problem(response, 405, "method-not-allowed")
        assert response.headers["allow"] == "GET"


async def test_integers_are_json_integers(client):
    event = await make_event(client)

    def body(offset: object) -> JSON:
        relation = {"relation": "after", "event_id": event["id"], "offset_days": offset}
        return {"kind": "meeting", "title": "Later", "relations": [relation]}

    response = await client.post("/v1/events", json=body(6.0))
    assert response.status_code == 201, response.text
    assert response.json()["relations"][0]["offset_days"] == 6
    for bad in (True, "6", 6.5):
        problem(await client.post("/v1/events", json=body(bad)), 422, "validation-error")


async def test_the_schema_refuses_null_where_the_server_does(client):
    schemas = (await client.get("/openapi.json")).json()["components"]["schemas"]
    for model in (ActorUpdate, AttributionUpdate, ClaimUpdate, EventUpdate, SourceUpdate):
        properties = schemas[model.__name__]["properties"]
        for name in model.required_fields:
            assert {"type": "null"} not in properties[name].get("anyOf", []), (model, name)
            assert properties[name].get("type") != "null", (model, name)
