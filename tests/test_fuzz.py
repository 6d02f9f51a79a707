"""Property-based fuzzing of every operation of the OpenAPI document: the
schema states what the server accepts (issue 17, "schema = server").

Schemathesis generates requests from the document (valid ones, and invalid
ones: wrong types, missing fields, out-of-range values, odd strings, NUL
bytes), with the founding article loaded and path, query and body ids
sometimes swapped for ids that exist, so both the refusal paths and the
deeper service checks run. Each operation is fuzzed three ways: with an
admin key (DELETEs too), with a write key, and with no key at all (the
credentials schemathesis generates are sent as they are). Each generated
request goes through the suite's ASGI client, inside a savepoint rolled
back afterwards, and its response must pass every check schemathesis has
for an OpenAPI document (``CHECKS``):

- never be a 5xx;
- if a 4xx, be an RFC 9457 ``application/problem+json`` document whose
  ``type``, ``title`` and ``status`` are set, ``status`` matching the response;
- conform to the document: status code, content type, headers and body
  schema;
- refuse what the document says is invalid (``negative_data_rejection``),
  and accept what it says is valid (``positive_data_acceptance``), except
  for refusals no schema can state: a reference to a record that does not
  exist, a span that is not its source's text, a relay cycle, a cursor the
  server did not issue, and the rules tying one field to another
  (``BEYOND_SCHEMA``, each named);
- answer a method a path does not take with 405 and ``Allow``, and a
  request with invalid credentials with 401 (the keyless run).

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
EXAMPLES_PER_OPERATION = int(os.environ.get("ONRECORD_FUZZ_EXAMPLES", "40"))
KEY_EXAMPLES = max(1, EXAMPLES_PER_OPERATION // 4)
"""Per operation, with a write key and with none (the admin run has them all)."""
STATEFUL_SCENARIOS = 150
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


STATE_REFUSALS = frozenset(
    PROBLEM_BASE + slug
    for slug in (
        "unknown-reference",  # an id, Wikidata id or URL that no stored record has
        "span-mismatch",  # a span that is not the stored source's text at its offsets
        "relay-cycle",  # a relay whose stored chain leads back to the attribution
        "bad-cursor",  # a cursor the server did not issue
        "cursor-mismatch",  # one it issued for another listing
        "invalid-bundle",  # refs between a bundle's records, and to stored rows
        "duplicate",  # a record or part stored already (two equal participants...)
    )
)
"""Problem types of refusals that depend on what is stored: no schema of a
request can state them."""

BEYOND_SCHEMA = [
    # One field against another: JSON Schema has no way to compare values.
    r"time_from must not be after time_to",
    r"latest must not be before earliest",
    r"ended_on must not be before started_on",
    r"end must be greater than start",
    r"text has \d+ code points but the span covers \d+",
    r"precision '\w+' needs earliest and/or latest",
    r"relative_to='\w+' needs anchor_\w+_id",
    r"anchor_\w+_id is only allowed with relative_to='\w+'",
    r"speaker(_id)?( \(or speaker\))? is required unless mode is 'own_voice'",
    r"annotator '[^']*' is given twice",  # one annotator's file sent twice
    r"refused by constraint ck_\w+_not_self",  # a relation, citation... of a record to itself
    r"refused by constraint ck_attributions_speaker_or_own_voice",  # a PATCH against the row
    # Against what is stored.
    r"is past the source text",
    r"no attribution with id",  # an actor split along attributions...
    r"is not one of this actor's",  # ...that are not the actor's
    r"the source has no full_text",
    # A text format of its own: brat standoff lines.
    r"not a brat annotation line",
]
"""Refusals of a request the schema says is valid, and why no schema can
say otherwise: each detail must match one of these."""


def beyond_schema(response: Response | httpx.Response) -> bool:
    """A 422 (or 409) whose every reason is one no schema can state."""
    if response.status_code not in (409, 422):
        return False
    body = json.loads(response.content)
    if body.get("type") in STATE_REFUSALS:
        return True
    details = [error["detail"] for error in body.get("errors") or []] or [body.get("detail", "")]
    return all(any(re.search(rule, detail) for rule in BEYOND_SCHEMA) for detail in details)


def positive_data_acceptance(ctx: CheckContext, response: Response, case: Case[Any]) -> bool | None:
    """schemathesis' check, but for ``beyond_schema`` refusals."""
    if beyond_schema(response):
        return None
    return openapi_checks.positive_data_acceptance(ctx, response, case)


# What every response must satisfy: every check schemathesis has for an
# OpenAPI document. Apart: ignored_auth, in the keyless run only (the other
# runs send a real key in place of the generated credentials), the two that
# follow sequences (stateful), and object_level_authorization (one user's
# records out of another's reach: every key may read and write every record).
CHECKS = [
    problem_details,
    schemathesis.checks.not_a_server_error,
    openapi_checks.status_code_conformance,
    openapi_checks.content_type_conformance,
    openapi_checks.response_headers_conformance,
    openapi_checks.response_schema_conformance,
    openapi_checks.negative_data_rejection,
    positive_data_acceptance,
    openapi_checks.missing_required_header,
    openapi_checks.unsupported_method,
    openapi_checks.allow_header_conformance,
]
KEYLESS_CHECKS = [*CHECKS, openapi_checks.ignored_auth]


def sparse_members(ctx: CheckContext, response: Response, case: Case[Any]) -> bool | None:
    """With ``?fields=``, each document has only the members asked for and
    ``id`` (the schema allows any subset: ``<Read>Members``, app/sparse.py;
    ``tests/test_sparse_fields.py`` checks their values)."""
    names = set(str(sparse_fields(case)).split(",")) | {"id"}
    body = json.loads(response.content)
    documents = body["items"] if isinstance(body, dict) and "next" in body else [body]
    for document in documents:
        assert isinstance(document, dict), document
        assert set(document) <= names, f"{sorted(set(document) - names)} not asked for"
    return None


def sparse_fields(case: Case[Any]) -> object:
    return (case.query or {}).get("fields") if isinstance(case.query, dict) else None


def checks_for(case: Case[Any], response: Response | httpx.Response, checks: list[Any]) -> Any:
    """``checks``, and ``sparse_members`` when ``fields`` picked some members."""
    if response.status_code != 200 or not sparse_fields(case):
        return checks
    return [*checks, sparse_members]


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


def with_real_ids(
    data: st.DataObject,
    values: Any,
    pools: dict[str, list[str]],
    key: str,
    *,
    always: bool = False,
) -> Any:
    """``values`` with some (``always``: all) UUID-valued ``*_id``/``*_ids``
    fields replaced by ids that exist. Only a UUID is replaced (by another
    UUID), so a case generated to be invalid stays invalid."""
    if isinstance(values, dict):
        return {
            name: with_real_ids(data, value, pools, name, always=always)
            for name, value in values.items()
        }
    if isinstance(values, list) and key.endswith("_ids") and all(map(is_uuid, values)):
        # Distinct ids stay distinct: a list naming one id twice is invalid.
        ids: list[Any] = []
        for value in values:
            unused = [i for i in pools[collection_of(key)] if i not in ids and i not in values]
            replace = unused and (always or data.draw(st.booleans()))
            ids.append(data.draw(st.sampled_from(unused)) if replace else value)
        return ids
    if isinstance(values, list):
        return [with_real_ids(data, value, pools, key, always=always) for value in values]
    if re.fullmatch(r".*_id", key) and is_uuid(values) and (always or data.draw(st.booleans())):
        return data.draw(st.sampled_from(pools[collection_of(key)]))
    return values


def _request(case: Case[Any], key_headers: dict[str, str] | None) -> dict[str, Any]:
    """What to send for ``case``: method, url, params, headers, content. The
    key replaces any generated credentials, unless the case is negative in
    its headers (a missing or malformed ``Authorization`` must be refused);
    with no key (None) the generated credentials are sent as they are."""
    request = case.as_transport_kwargs(base_url=BASE_URL)
    headers = dict(request.get("headers") or {})
    negative_headers = case.meta is not None and case.meta.is_negative_at(ParameterLocation.HEADER)
    if key_headers is not None and not negative_headers:
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
    client: httpx.AsyncClient, case: Case[Any], headers: dict[str, str] | None
) -> httpx.Response:
    SENT["stateless"] += 1
    request = _request(case, headers)
    sent = client.build_request(**request)
    if not any(name.lower() == "authorization" for name in request["headers"]):
        # the client's own key must not stand in for credentials the case left out
        sent.headers.pop("authorization", None)
    return await client.send(sent)


KEY_RUNS = {"admin": EXAMPLES_PER_OPERATION, "write": KEY_EXAMPLES, "none": KEY_EXAMPLES}
"""Examples per operation of each run: with an admin key, a write key, no key."""


@pytest.fixture
async def key_headers(connection: AsyncConnection, request: pytest.FixtureRequest) -> Any:
    """Headers with a key of the run's scope (inside the test's transaction),
    or None for the keyless run."""
    scope = request.node.callspec.params["key"]
    if scope == "none":
        return None
    factory = async_sessionmaker(
        bind=connection, expire_on_commit=False, join_transaction_mode="create_savepoint"
    )
    async with factory() as session:
        headers = await write_headers(session, name=f"fuzz-{scope}", scope=scope)
        await session.commit()
    return headers


async def _fuzz(
    client: httpx.AsyncClient,
    connection: AsyncConnection,
    demo_ids: dict[str, list[str]],
    key_headers: dict[str, str] | None,
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
    checks = KEYLESS_CHECKS if key_headers is None else CHECKS
    case.validate_response(response, checks=checks_for(case, response, checks))


def _examples(key: str) -> Any:
    return settings(
        max_examples=KEY_RUNS[key],
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


def _fuzz_test(key: str) -> Any:
    """The stateless fuzz of every operation with a key of ``key``'s scope
    (``KEY_RUNS``), as a test."""

    @pytest.mark.parametrize("key", [key])
    @pytest.mark.parametrize("label", sorted(OPERATIONS))
    @_examples(key)
    @given(data=st.data())
    async def fuzz(client, connection, demo_ids, key_headers, key, label, data):
        await _fuzz(client, connection, demo_ids, key_headers, label, data)

    return fuzz


test_fuzz_operation = _fuzz_test("admin")
test_fuzz_operation_with_a_write_key = _fuzz_test("write")
test_fuzz_operation_without_a_key = _fuzz_test("none")


# -- the positive side: valid generated writes succeed -------------------------

CREATES = [
    "POST /v1/actors",
    "POST /v1/sources",
    "POST /v1/events",
    "POST /v1/claims",
    "POST /v1/claim-relations",
    "POST /v1/attributions",
]
WRITES_EXAMPLES = 25
WRITTEN: Counter[tuple[str, bool]] = Counter()
"""Valid generated writes, by operation and whether they were stored."""


@pytest.mark.parametrize("label", CREATES)
@settings(
    max_examples=WRITES_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
@given(data=st.data())
async def test_valid_generated_writes_are_stored(client, connection, demo_ids, label, data):
    """A body the schema says is valid, every id in it one that exists: it
    is stored (201), or refused only for a reason no schema can state."""
    case = data.draw(OPERATIONS[label].as_strategy(generation_mode=GenerationMode.POSITIVE))
    case.body = with_real_ids(data, case.body, demo_ids, "", always=True)
    savepoint = await connection.begin_nested()
    try:
        response = await send(client, case, {"Authorization": client.headers["authorization"]})
    finally:
        await savepoint.rollback()
    stored = response.status_code == 201
    assert stored or beyond_schema(response), (case.body, response.text)
    WRITTEN[label, stored] += 1


def test_valid_generated_writes_were_mostly_stored() -> None:
    """Runs after the one above (file order): valid writes are stored, a
    fifth of them at least: generated at random, a fuzzy time is often
    inconsistent (a precision without its days, an anchor of another kind)
    and a span rarely the text of the source it names,
    which the schema cannot state."""
    if not all(WRITTEN[label, True] + WRITTEN[label, False] for label in CREATES):
        pytest.skip("only part of the writes ran")
    for label in CREATES:
        stored, refused = WRITTEN[label, True], WRITTEN[label, False]
        print(f"{label}: {stored} stored, {refused} refused beyond the schema")
        assert stored * 5 >= stored + refused, (label, stored, refused)


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
        self.app = create_app(database_url=url)  # its lifespan: no other database
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
            case.validate_response(
                response,
                checks=checks_for(case, response, STATEFUL_CHECKS),
                recorder=self.recorder,
            )

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
