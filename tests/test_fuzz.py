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

A stateful run follows the links schemathesis infers between operations
(ids listed or created by one request fill the path and body of the next:
list → read → patch → delete, create → read), against the real app with its
own engines on a scratch database holding the founding article, committing
as a client would. It checks the same, plus that a created resource can be
read back and a deleted one is gone.

Examples are derandomized (the same on every run) and bounded
(``EXAMPLES_PER_OPERATION`` per operation, ``STATEFUL_SCENARIOS`` scenarios
of up to ``STATEFUL_STEPS`` steps; ``ONRECORD_FUZZ_EXAMPLES`` raises the
first for a deeper run). Every request sent is counted, and the last test
checks that a run of this file sent at least ``MIN_REQUESTS``.

Writes carry a write key when API keys exist (``tests/write_keys.py``).
"""

import asyncio
import json
import os
import re
import warnings
from collections import Counter
from collections.abc import Iterator
from typing import Any
from uuid import UUID

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import CheckContext
from schemathesis.core.parameters import ParameterLocation
from schemathesis.core.result import Ok
from schemathesis.core.transport import Response
from schemathesis.generation.case import Case
from schemathesis.specs.openapi import checks as openapi_checks
from sqlalchemy.ext.asyncio import AsyncConnection, async_sessionmaker

with warnings.catch_warnings():  # it would rather use httpx2, which the suite does not need
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from app.errors import PROBLEM_BASE, PROBLEM_MEDIA_TYPE
from app.main import create_app
from tests.conftest import sessions_on
from tests.write_keys import write_headers, write_headers_for

pytestmark = pytest.mark.slow  # schemathesis: thousands of generated requests

JSON = dict[str, Any]
BASE_URL = "http://onrecord.test"
# Per operation; ONRECORD_FUZZ_EXAMPLES=500 for a deeper run.
EXAMPLES_PER_OPERATION = int(os.environ.get("ONRECORD_FUZZ_EXAMPLES", "60"))
STATEFUL_SCENARIOS = 120
STATEFUL_STEPS = 25
MIN_REQUESTS = 5000
"""Requests a run of this whole file must send (stateless and stateful)."""

SENT: Counter[str] = Counter()
"""Requests sent, by kind; the operations fuzzed, by label."""

SCHEMA = schemathesis.openapi.from_dict(create_app().openapi())
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


# What every response must satisfy: every check schemathesis has for an
# OpenAPI document, but positive_data_acceptance (a valid request naming an
# id that does not exist, or a span that misses its source's text, is rightly
# a 404/422) and the authentication checks (ignored_auth: no security scheme
# is documented yet).
CHECKS = [
    problem_details,
    schemathesis.checks.not_a_server_error,
    openapi_checks.status_code_conformance,
    openapi_checks.content_type_conformance,
    openapi_checks.response_headers_conformance,
    openapi_checks.response_schema_conformance,
    openapi_checks.negative_data_rejection,
    openapi_checks.missing_required_header,
    openapi_checks.unsupported_method,
    openapi_checks.allow_header_conformance,
]
# Stateful runs also check what a sequence shows: a resource just created can
# be read, and one just deleted cannot.
STATEFUL_CHECKS = [
    *CHECKS,
    openapi_checks.use_after_free,
    openapi_checks.ensure_resource_availability,
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


def _request(case: Case[Any], key_headers: dict[str, str]) -> dict[str, Any]:
    """What to send for ``case``: method, url, params, headers, content. The
    key replaces any generated credentials, unless the case is negative in
    its headers (a missing or malformed ``Authorization`` must be refused)."""
    request = case.as_transport_kwargs(base_url=BASE_URL)
    headers = dict(request.get("headers") or {})
    if not (case.meta is not None and case.meta.is_negative_at(ParameterLocation.HEADER)):
        headers = {
            name: value for name, value in headers.items() if name.lower() != "authorization"
        }
        headers.update(key_headers)
    assert not request.get("cookies"), request  # the API takes none
    content: bytes | None = None
    if "data" in request:
        content = request["data"] if isinstance(request["data"], bytes) else None
        assert content is not None, request
    elif "json" in request:
        # As a client could send it: lone surrogates escaped, NaN as written.
        content = json.dumps(request["json"]).encode()
    return {
        "method": request["method"],
        "url": request["url"],
        "params": request.get("params"),
        "headers": headers,
        "content": content,
    }


async def send(
    client: httpx.AsyncClient, case: Case[Any], headers: dict[str, str]
) -> httpx.Response:
    SENT["stateless"] += 1
    request = _request(case, headers)
    sent = client.build_request(**request)
    if not any(name.lower() == "authorization" for name in request["headers"]):
        # the client's own key must not stand in for credentials the case left out
        sent.headers.pop("authorization", None)
    return await client.send(sent)


@pytest.fixture
async def key_headers(connection: AsyncConnection) -> dict[str, str]:
    """A write key (when API keys exist), inside the test's transaction."""
    factory = async_sessionmaker(
        bind=connection, expire_on_commit=False, join_transaction_mode="create_savepoint"
    )
    async with factory() as session:
        headers = await write_headers(session, name="fuzz", scope="admin")
        await session.commit()
    return headers


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
    key_headers: dict[str, str],
    label: str,
    data: st.DataObject,
) -> None:
    SENT[label] += 1
    operation = OPERATIONS[label]
    mode = data.draw(st.sampled_from([GenerationMode.POSITIVE, GenerationMode.NEGATIVE]))
    case = data.draw(operation.as_strategy(generation_mode=mode))
    for part in ("path_parameters", "query", "body"):
        value = getattr(case, part)
        if isinstance(value, dict):
            setattr(case, part, with_real_ids(data, value, demo_ids, ""))
    savepoint = await connection.begin_nested()
    try:
        response = await send(client, case, key_headers)
    finally:
        await savepoint.rollback()
    case.validate_response(response, checks=CHECKS)


# -- stateful: following the links ---------------------------------------------------


class Scenario:
    """The app on a scratch database holding the founding article (committed);
    each stateful scenario runs in a transaction rolled back at its end, so
    every scenario starts from the same state (Hypothesis replays scenarios
    and needs them to behave the same)."""

    def __init__(self, url: str, headers: dict[str, str]) -> None:
        self.url = url
        self.headers = headers
        # Its sessions are set for each scenario (``_begin``), on its transaction.
        self.app = create_app()
        self.client = TestClient(self.app, base_url=BASE_URL, raise_server_exceptions=False)
        self.engine: Any = None
        self.connection: Any = None
        self.transaction: Any = None

    async def _open(self) -> None:
        from app.db import create_engine

        self.engine = create_engine(self.url, pool_size=1)

    async def _begin(self) -> None:
        self.connection = await self.engine.connect()
        self.transaction = await self.connection.begin()
        sessions_on(self.connection).install(self.app)

    async def _rollback(self) -> None:
        await self.transaction.rollback()
        await self.connection.close()

    def begin(self) -> None:
        assert self.client.portal is not None
        self.client.portal.call(self._begin)

    def rollback(self) -> None:
        assert self.client.portal is not None
        self.client.portal.call(self._rollback)


@pytest.fixture(scope="module")
def scenario(server_url_: str) -> Iterator[Scenario]:
    from tests.conftest import scratch_database

    with scratch_database(server_url_, "fuzz") as url:
        from app.demo import load_demo
        from app.migrate import upgrade

        upgrade(url)
        asyncio.run(load_demo(url))
        headers = write_headers_for(url, name="fuzz-stateful", scope="admin")
        scenario = Scenario(url, headers)
        with scenario.client:
            assert scenario.client.portal is not None
            scenario.client.portal.call(scenario._open)
            try:
                yield scenario
            finally:
                scenario.client.portal.call(scenario.engine.dispose)


def test_fuzz_stateful(scenario: Scenario) -> None:
    base = SCHEMA.as_state_machine()

    class Workflow(base):  # type: ignore[valid-type, misc]
        def setup(self) -> None:
            scenario.begin()

        def teardown(self) -> None:
            scenario.rollback()

        def call(self, case: Case[Any], **kwargs: Any) -> Response:
            SENT["stateful"] += 1
            request = _request(case, scenario.headers)
            return Response.from_any(scenario.client.request(**request))

        def validate_response(
            self,
            response: Response,
            case: Case[Any],
            additional_checks: Any = None,
            **kwargs: Any,
        ) -> None:
            case.validate_response(response, checks=STATEFUL_CHECKS, recorder=self.recorder)

    before = SENT["stateful"]
    Workflow.run(
        settings=settings(
            max_examples=STATEFUL_SCENARIOS,
            stateful_step_count=STATEFUL_STEPS,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
    )
    assert SENT["stateful"] - before > STATEFUL_SCENARIOS  # scenarios of more than one step


def test_fuzzing_sent_enough_requests() -> None:
    """Runs last (file order): the whole file must have sent ``MIN_REQUESTS``."""
    fuzzed = set(SENT) & set(OPERATIONS)
    if fuzzed != set(OPERATIONS) or not SENT["stateful"]:
        pytest.skip("only part of the fuzzing ran (-k or a failure): no total to check")
    total = SENT["stateless"] + SENT["stateful"]
    print(
        f"\nfuzzing: {total} requests ({SENT['stateless']} stateless over {len(OPERATIONS)} "
        f"operations, {SENT['stateful']} stateful), no failure"
    )
    assert total >= MIN_REQUESTS, SENT
