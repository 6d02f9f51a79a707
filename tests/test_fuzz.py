"""Property-based fuzzing of every operation of the OpenAPI document.

Schemathesis generates requests from the document (valid ones, and invalid
ones: wrong types, missing fields, out-of-range values, odd strings), with the
founding article loaded and path, query and body ids sometimes swapped for
ids that exist, so both the refusal paths and the deeper service checks run.
Each generated request goes through the suite's ASGI client, inside a
savepoint rolled back afterwards, and its response must:

- never be a 5xx;
- if a 4xx, be an RFC 9457 ``application/problem+json`` document whose
  ``type``, ``title`` and ``status`` are set, ``status`` matching the response;
- conform to the document: status code, content type, headers and body
  schema (schemathesis' own checks).

Examples are derandomized (the same on every run) and bounded per operation
(40; ``ONRECORD_FUZZ_EXAMPLES`` raises it for a deeper run), so the whole file
runs in the normal suite, in about a minute.
"""

import json
import os
import re
from typing import Any
from uuid import UUID

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import CheckContext
from schemathesis.core.result import Ok
from schemathesis.core.transport import Response
from schemathesis.generation.case import Case
from schemathesis.specs.openapi import checks as openapi_checks
from sqlalchemy.ext.asyncio import AsyncConnection

from app.errors import PROBLEM_BASE, PROBLEM_MEDIA_TYPE
from app.main import create_app

JSON = dict[str, Any]
BASE_URL = "http://onrecord.test"
# Per operation; ONRECORD_FUZZ_EXAMPLES=500 for a deeper run.
EXAMPLES_PER_OPERATION = int(os.environ.get("ONRECORD_FUZZ_EXAMPLES", "40"))

SCHEMA = schemathesis.openapi.from_dict(
    create_app(database_url="postgresql://unused/unused").openapi()
)
OPERATIONS = {
    result.ok().label: result.ok()
    for result in SCHEMA.get_all_operations()
    if isinstance(result, Ok)  # an Err is a part of the document schemathesis cannot read
}
assert len(OPERATIONS) == len(list(SCHEMA.get_all_operations())), "unreadable operations"

# Collections whose ids fill generated ids (the demo's rows, read through the API).
COLLECTIONS = ("actors", "sources", "events", "claims", "claim-relations", "attributions")


def collection_of(field: str) -> str:
    """The collection an ``*_id``/``*_ids`` field refers to, by its name."""
    for needle, collection in (
        ("attribution", "attributions"),
        ("relayed", "attributions"),
        ("relation", "claim-relations"),
        ("claim", "claims"),
        ("source", "sources"),
        ("event", "events"),
    ):
        if needle in field:
            return collection
    return "actors"  # speaker, author, publisher, organisation, participant, actor


def is_uuid(value: object) -> bool:
    if not isinstance(value, str):
        return False
    try:
        UUID(value)
    except ValueError:
        return False
    return True


def problem_details(ctx: CheckContext, response: Response, case: Case[Any]) -> bool | None:
    """No 5xx; every 4xx is problem+json with type, title and the response's status."""
    status = response.status_code
    assert status < 500, f"{status} server error: {response.text[:500]}"
    if status < 400:
        return None
    content_type = response.headers.get("content-type", [""])[0]
    assert content_type == PROBLEM_MEDIA_TYPE, f"{status} sent as {content_type!r}"
    try:
        body = json.loads(response.content)
    except ValueError:
        raise AssertionError(f"{status} body is not JSON: {response.text[:500]}") from None
    assert isinstance(body, dict), body
    assert isinstance(body.get("type"), str), body
    assert body["type"].startswith(PROBLEM_BASE), body
    assert isinstance(body.get("title"), str), body
    assert body["title"], body
    assert body.get("status") == status, body
    assert "Traceback" not in response.text, body
    return None


# What every response must satisfy. Left out: positive_data_acceptance (a valid
# request naming an id that does not exist is rightly a 404/422) and the
# checks that need stateful links or authentication.
CHECKS = [
    problem_details,
    schemathesis.checks.not_a_server_error,
    openapi_checks.status_code_conformance,
    openapi_checks.content_type_conformance,
    openapi_checks.response_headers_conformance,
    openapi_checks.response_schema_conformance,
    openapi_checks.negative_data_rejection,
]


@pytest.fixture
async def demo_ids(client, demo) -> dict[str, list[str]]:
    """Ids of the demo's rows, by collection."""
    pools: dict[str, list[str]] = {}
    for collection in COLLECTIONS:
        response = await client.get(f"/v1/{collection}", params={"limit": 200})
        assert response.status_code == 200, response.text
        pools[collection] = [item["id"] for item in response.json()["items"]]
        assert pools[collection], collection
    return pools


def with_real_ids(data: st.DataObject, values: Any, pools: dict[str, list[str]], key: str) -> Any:
    """``values`` with some UUID-valued ``*_id``/``*_ids`` fields replaced by ids
    that exist. Only a UUID is replaced (by another UUID), so a case generated
    to be invalid stays invalid."""
    if isinstance(values, dict):
        return {name: with_real_ids(data, value, pools, name) for name, value in values.items()}
    if isinstance(values, list):
        return [with_real_ids(data, value, pools, key) for value in values]
    if re.fullmatch(r".*_ids?", key) and is_uuid(values) and data.draw(st.booleans()):
        return data.draw(st.sampled_from(pools[collection_of(key)]))
    return values


async def send(client: httpx.AsyncClient, case: Case[Any]) -> httpx.Response:
    request = case.as_transport_kwargs(base_url=BASE_URL)
    assert not request.get("cookies"), request  # the API takes none
    content: bytes | None = None
    if "data" in request:
        content = request["data"] if isinstance(request["data"], bytes) else None
        assert content is not None, request
    elif "json" in request:
        # As a client could send it: lone surrogates escaped, NaN as written.
        content = json.dumps(request["json"]).encode()
    return await client.request(
        request["method"],
        request["url"],
        params=request.get("params"),
        headers=request.get("headers"),
        content=content,
    )


@pytest.mark.parametrize("label", sorted(OPERATIONS))
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
    ],
)
@given(data=st.data())
async def test_fuzz_operation(
    client: httpx.AsyncClient,
    connection: AsyncConnection,
    demo_ids: dict[str, list[str]],
    label: str,
    data: st.DataObject,
) -> None:
    operation = OPERATIONS[label]
    mode = data.draw(st.sampled_from([GenerationMode.POSITIVE, GenerationMode.NEGATIVE]))
    case = data.draw(operation.as_strategy(generation_mode=mode))
    for part in ("path_parameters", "query", "body"):
        value = getattr(case, part)
        if isinstance(value, dict):
            setattr(case, part, with_real_ids(data, value, demo_ids, ""))
    savepoint = await connection.begin_nested()
    try:
        response = await send(client, case)
    finally:
        await savepoint.rollback()
    case.validate_response(response, checks=CHECKS)
