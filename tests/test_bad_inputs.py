"""A table of bad inputs: each row is a request, the status and problem
``type`` it must get, and the database must hold exactly the same rows
afterwards (every table counted before and after).

Decisions recorded here:

- a body with a ``Content-Encoding`` (gzip, deflate, br) is refused with
  **415** ``unsupported-encoding``: bodies are read as sent (a decompressed
  body could dodge the size limit);
- a body sent with a non-JSON ``Content-Type`` is **422**
  ``validation-error`` (FastAPI reads it as a string, not an object);
- JSON nested past the parser's depth is **400** ``malformed-body``;
- SQL metacharacters in a free-text filter are data (200, matching
  nothing); in an enumerated, id or cursor filter they are a 422.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from app.main import create_app
from tests.factories import make_actor, make_attribution, make_claim, make_event, make_source

JSON = dict[str, Any]
SOURCE_TEXT = "Le ministre a déclaré : « Nous ne négocierons pas. »"
UUID0 = "00000000-0000-0000-0000-000000000000"
SQL_METACHARACTERS = [
    "' OR '1'='1",
    "'; DROP TABLE claims; --",
    "%",
    "_",
    "\\",
    '" OR ""="',
    "1; SELECT pg_sleep(10)",
    "$1",
    "*/ /*",
]


@dataclass
class Row:
    name: str
    method: str
    path: str
    status: int
    slug: str | None
    json: Any = None
    content: bytes | None = None
    params: dict[str, Any] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    body: Callable[[dict[str, str]], Any] | None = None
    """Builds the JSON body from the ids of the rows made for the table."""

    def __str__(self) -> str:
        return self.name


def nested(depth: int) -> bytes:
    return b'{"kind": "person", "name": "x", "names": ' + b"[" * depth + b"]" * depth + b"}"


ROWS: list[Row] = [
    # -- NUL and lone surrogates ------------------------------------------------------
    Row(
        "nul-in-body",
        "POST",
        "/v1/actors",
        422,
        "validation-error",
        json={"kind": "person", "name": "Tr\x00mp"},
    ),
    Row(
        "nul-in-long-text",
        "POST",
        "/v1/claims",
        422,
        "validation-error",
        json={"text": "a\x00b", "language": "fr"},
    ),
    Row("nul-in-query", "GET", "/v1/actors", 422, "validation-error", params={"name": "a\x00b"}),
    Row("nul-in-search", "GET", "/v1/search", 422, "validation-error", params={"q": "a\x00b"}),
    Row(
        "lone-surrogate-in-body",
        "POST",
        "/v1/actors",
        422,
        "validation-error",
        content=b'{"kind": "person", "name": "\\ud800"}',
    ),
    Row(
        "lone-surrogate-in-translation",
        "POST",
        "/v1/claims",
        422,
        "validation-error",
        content=b'{"text": "ok", "language": "fr", "translations": '
        b'[{"language": "en", "text": "\\udfff"}]}',
    ),
    Row(
        "invalid-utf8-body",
        "POST",
        "/v1/actors",
        422,
        "validation-error",
        content=b'{"kind": "person", "name": "\xed\xa0\x80"}',
    ),
    # -- sizes ------------------------------------------------------------------------
    Row(
        "1mb-name",
        "POST",
        "/v1/actors",
        422,
        "validation-error",
        json={"kind": "person", "name": "a" * 1_000_000},
    ),
    Row(
        "1mb-cue",
        "POST",
        "/v1/events",
        422,
        "validation-error",
        json={"kind": "meeting", "title": "t", "place": "p" * 1_000_000},
    ),
    # a URL holds 64 KiB at most (httpx; servers cut sooner): the longest we can send
    Row("64kb-query", "GET", "/v1/search", 422, "validation-error", params={"q": "q" * 60_000}),
    Row(
        "64kb-cursor",
        "GET",
        "/v1/claims",
        422,
        "validation-error",
        params={"cursor": "c" * 60_000},
    ),
    Row(
        "million-item-array",
        "POST",
        "/v1/sources",
        422,
        "validation-error",
        content=b'{"kind": "article", "title": "t", "author_ids": [' + b"1," * 999_999 + b"1]}",
    ),
    Row(
        "million-item-bundle",
        "POST",
        "/v1/bundles",
        422,
        "validation-error",
        content=b'{"format": "onrecord-bundle", "version": 1, "id": "m", "actors": ['
        + b"{}," * 1_000_000  # one more than a bundle may hold
        + b"{}]}",
    ),
    Row("deeply-nested-json", "POST", "/v1/actors", 400, "malformed-body", content=nested(100_000)),
    Row(
        "nested-json-in-a-field", "POST", "/v1/actors", 422, "validation-error", content=nested(50)
    ),
    Row(
        "huge-integer",
        "POST",
        "/v1/events",
        422,
        "validation-error",
        json={
            "kind": "k",
            "title": "t",
            "relations": [{"relation": "before", "event_id": UUID0, "offset_days": 10**30}],
        },
    ),
    Row(
        "page-size-too-large",
        "GET",
        "/v1/claims",
        422,
        "validation-error",
        params={"limit": 10**20},
    ),
    # -- ids --------------------------------------------------------------------------
    Row("invalid-uuid-in-path", "GET", "/v1/claims/not-a-uuid", 422, "validation-error"),
    Row("sql-in-uuid-path", "GET", "/v1/claims/1' OR '1'='1", 422, "validation-error"),
    Row(
        "invalid-uuid-in-body",
        "POST",
        "/v1/claims",
        422,
        "validation-error",
        json={"text": "t", "language": "fr", "event_ids": ["123"]},
    ),
    Row(
        "invalid-uuid-in-filter",
        "GET",
        "/v1/attributions",
        422,
        "validation-error",
        params={"claim_id": "' OR 1=1 --"},
    ),
    Row(
        "unknown-uuid-reference",
        "POST",
        "/v1/attributions",
        422,
        "unknown-reference",
        body=lambda ids: {"claim_id": UUID0, "source_id": ids["source"], "mode": "own_voice"},
    ),
    # -- dates ------------------------------------------------------------------------
    Row(
        "date-year-zero",
        "POST",
        "/v1/events",
        422,
        "validation-error",
        json={"kind": "k", "title": "t", "time": {"earliest": "0000-01-01"}},
    ),
    Row(
        "date-first-day",
        "POST",
        "/v1/events",
        422,
        "validation-error",
        json={"kind": "k", "title": "t", "time": {"earliest": "0001-01-01"}},
    ),
    Row(
        "date-last-day",
        "POST",
        "/v1/events",
        422,
        "validation-error",
        json={"kind": "k", "title": "t", "time": {"latest": "9999-12-31"}},
    ),
    Row(
        "date-year-10000",
        "POST",
        "/v1/events",
        422,
        "validation-error",
        json={"kind": "k", "title": "t", "time": {"latest": "10000-01-01"}},
    ),
    Row(
        "date-february-30",
        "POST",
        "/v1/events",
        422,
        "validation-error",
        json={"kind": "k", "title": "t", "time": {"earliest": "2019-02-30"}},
    ),
    Row(
        "date-as-number",
        "POST",
        "/v1/events",
        422,
        "validation-error",
        json={"kind": "k", "title": "t", "time": {"earliest": 1555632000}},
    ),
    Row(
        "date-filter-out-of-range",
        "GET",
        "/v1/events",
        422,
        "validation-error",
        params={"time_from": "0000-12-31"},
    ),
    Row(
        "role-ends-before-it-starts",
        "POST",
        "/v1/actors",
        422,
        "validation-error",
        json={
            "kind": "person",
            "name": "n",
            "roles": [{"title": "t", "started_on": "2020-01-01", "ended_on": "2019-01-01"}],
        },
    ),
    # -- spans ------------------------------------------------------------------------
    Row(
        "span-past-the-end",
        "POST",
        "/v1/attributions",
        422,
        "span-mismatch",
        body=lambda ids: {
            "claim_id": ids["claim"],
            "source_id": ids["source"],
            "mode": "own_voice",
            "span": {"start": 1000, "end": 1003, "text": "abc"},
        },
    ),
    Row(
        "span-text-mismatch",
        "POST",
        "/v1/attributions",
        422,
        "span-mismatch",
        body=lambda ids: {
            "claim_id": ids["claim"],
            "source_id": ids["source"],
            "mode": "own_voice",
            "span": {"start": 0, "end": 2, "text": "Xx"},
        },
    ),
    Row(
        "span-length-mismatch",
        "POST",
        "/v1/attributions",
        422,
        "validation-error",
        body=lambda ids: {
            "claim_id": ids["claim"],
            "source_id": ids["source"],
            "mode": "own_voice",
            "span": {"start": 0, "end": 5, "text": "Le"},
        },
    ),
    Row(
        "span-upside-down",
        "POST",
        "/v1/attributions",
        422,
        "validation-error",
        body=lambda ids: {
            "claim_id": ids["claim"],
            "source_id": ids["source"],
            "mode": "own_voice",
            "span": {"start": 5, "end": 3, "text": "Le"},
        },
    ),
    Row(
        "span-negative",
        "POST",
        "/v1/attributions",
        422,
        "validation-error",
        body=lambda ids: {
            "claim_id": ids["claim"],
            "source_id": ids["source"],
            "mode": "own_voice",
            "span": {"start": -2, "end": 0, "text": "Le"},
        },
    ),
    Row(
        "text-change-moving-spans",
        "PATCH",
        "/v1/sources/{source}",
        409,
        "conflict",
        json={"full_text": "Autre texte."},
    ),
    # -- relays and relations -----------------------------------------------------------
    Row(
        "relay-cycle",
        "PATCH",
        "/v1/attributions/{origin}",
        422,
        "relay-cycle",
        body=lambda ids: {"relayed_through_id": ids["relay"]},
    ),
    Row(
        "self-relay",
        "PATCH",
        "/v1/attributions/{origin}",
        422,
        "relay-cycle",
        body=lambda ids: {"relayed_through_id": ids["origin"]},
    ),
    Row(
        "self-contradiction",
        "POST",
        "/v1/claim-relations",
        422,
        "invalid-field",
        body=lambda ids: {
            "kind": "contradicts",
            "from_claim_id": ids["claim"],
            "to_claim_id": ids["claim"],
        },
    ),
    Row(
        "speaker-missing",
        "POST",
        "/v1/attributions",
        422,
        "validation-error",
        body=lambda ids: {
            "claim_id": ids["claim"],
            "source_id": ids["source"],
            "mode": "paraphrase",
        },
    ),
    Row("delete-still-referenced", "DELETE", "/v1/claims/{claim}", 409, "still-referenced"),
    # -- enums ------------------------------------------------------------------------
    Row(
        "unknown-actor-kind",
        "POST",
        "/v1/actors",
        422,
        "validation-error",
        json={"kind": "alien", "name": "n"},
    ),
    Row(
        "unknown-mode",
        "POST",
        "/v1/attributions",
        422,
        "validation-error",
        body=lambda ids: {"claim_id": ids["claim"], "source_id": ids["source"], "mode": "whisper"},
    ),
    Row(
        "unknown-certainty",
        "PATCH",
        "/v1/attributions/{origin}",
        422,
        "validation-error",
        json={"certainty": "rumoured"},
    ),
    Row(
        "unknown-relation-kind",
        "POST",
        "/v1/claim-relations",
        422,
        "validation-error",
        body=lambda ids: {
            "kind": "hates",
            "from_claim_id": ids["claim"],
            "to_claim_id": ids["other_claim"],
        },
    ),
    Row(
        "unknown-precision",
        "POST",
        "/v1/events",
        422,
        "validation-error",
        json={"kind": "k", "title": "t", "time": {"precision": "decade"}},
    ),
    Row(
        "enum-wrong-case",
        "POST",
        "/v1/actors",
        422,
        "validation-error",
        json={"kind": "Person", "name": "n"},
    ),
    Row("unknown-expand", "GET", "/v1/claims", 422, "invalid-field", params={"expand": "all"}),
    Row("unknown-sort", "GET", "/v1/claims", 422, "validation-error", params={"sort": "random"}),
    Row(
        "unknown-field",
        "POST",
        "/v1/actors",
        422,
        "validation-error",
        json={"kind": "person", "name": "n", "nickname": "x"},
    ),
    # -- bodies and media types -----------------------------------------------------------
    Row(
        "gzip-body",
        "POST",
        "/v1/actors",
        415,
        "unsupported-encoding",
        content=b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03",
        headers={"content-encoding": "gzip"},
    ),
    Row(
        "deflate-body",
        "PATCH",
        "/v1/claims/{claim}",
        415,
        "unsupported-encoding",
        content=b"x\x9c\x03\x00\x00\x00\x00\x01",
        headers={"content-encoding": "deflate"},
    ),
    Row(
        "text-plain-body",
        "POST",
        "/v1/actors",
        422,
        "validation-error",
        content=b'{"kind": "person", "name": "n"}',
        headers={"content-type": "text/plain"},
    ),
    Row(
        "form-body",
        "POST",
        "/v1/claims",
        422,
        "validation-error",
        content=b"text=t&language=fr",
        headers={"content-type": "application/x-www-form-urlencoded"},
    ),
    Row("array-body", "POST", "/v1/actors", 422, "validation-error", json=[1, 2]),
    Row("empty-body", "POST", "/v1/claims", 422, "validation-error", content=b""),
    Row("truncated-json", "POST", "/v1/claims", 400, "malformed-body", content=b'{"text": '),
    Row(
        "trailing-garbage",
        "POST",
        "/v1/claims",
        400,
        "malformed-body",
        content=b'{"text": "t", "language": "fr"} x',
    ),
    Row(
        "nan-literal",
        "POST",
        "/v1/events",
        422,
        "validation-error",
        content=b'{"kind": "k", "title": "t", "time": {"offset_days": NaN}}',
    ),
    Row(
        "null-for-required",
        "PATCH",
        "/v1/claims/{claim}",
        422,
        "validation-error",
        json={"text": None},
    ),
    Row("bad-cursor", "GET", "/v1/actors", 422, "bad-cursor", params={"cursor": "' OR 1=1"}),
    # -- issue 17: strict parameters, bodies, cursors, moments, methods --------------------
    Row(
        "unknown-parameter",
        "GET",
        "/v1/attributions",
        400,
        "unknown-parameter",
        params={"spekaer": "x"},
    ),
    Row(
        "unknown-parameter-on-a-write",
        "POST",
        "/v1/claims",
        400,
        "unknown-parameter",
        params={"dry_run": "1"},
        json={"text": "t", "language": "fr"},
    ),
    Row(
        "repeated-parameter",
        "GET",
        "/v1/attributions",
        400,
        "repeated-parameter",
        params={"mode": ["paraphrase", "direct_quote"]},
    ),
    Row(
        "duplicate-key",
        "POST",
        "/v1/actors",
        400,
        "duplicate-key",
        content=b'{"kind": "person", "name": "A", "name": "B"}',
    ),
    Row(
        "duplicate-key-in-a-bundle",
        "POST",
        "/v1/bundles",
        400,
        "duplicate-key",
        content=b'{"format": "onrecord-bundle", "version": 1, "id": "d", "id": "e"}',
    ),
    Row(
        "cursor-of-another-listing",
        "GET",
        "/v1/actors",
        400,
        "cursor-mismatch",
        params={"cursor": "{claims_cursor}"},
    ),
    Row(
        "cursor-with-other-filters",
        "GET",
        "/v1/claims",
        400,
        "cursor-mismatch",
        params={"language": "en", "cursor": "{claims_cursor}"},
    ),
    Row(
        "moment-as-a-number",
        "GET",
        "/v1/export",
        422,
        "validation-error",
        params={"changed_since": "0.5"},
    ),
    Row(
        "moment-without-a-zone",
        "GET",
        "/v1/claims/{claim}",
        422,
        "validation-error",
        params={"as_of": "2019-04-24T10:00:00"},
    ),
    Row(
        "method-a-fixed-path-lacks",
        "PATCH",
        "/v1/events/timeline",
        405,
        "method-not-allowed",
        json={},
    ),
    Row(
        "repeated-id",
        "POST",
        "/v1/claims",
        422,
        "validation-error",
        body=lambda ids: {
            "text": "t",
            "language": "fr",
            "referenced_source_ids": [ids["source"]] * 2,
        },
    ),
    Row(
        "integer-as-true",
        "POST",
        "/v1/events",
        422,
        "validation-error",
        json={"kind": "k", "title": "t", "time": {"offset_days": True}},
    ),
    Row(
        "redaction-past-the-text",
        "POST",
        "/v1/sources/{source}/redactions",
        422,
        "invalid-field",
        json={"start": 0, "end": 99_999, "reason": "x"},
    ),
    Row(
        "redaction-of-an-unknown-field",
        "POST",
        "/v1/actors/{actor}/redactions",
        422,
        "validation-error",
        json={"fields": ["password"], "reason": "x"},
    ),
    Row(
        "delete-an-actor-still-referred-to",
        "DELETE",
        "/v1/actors/{speaker}",
        409,
        "still-referenced",
    ),
]


# SQL metacharacters in every string filter of every listing: free text is
# data (200); enumerations, cursors and expansions are refused.
Expected = tuple[int, str | None]
"""Status and problem slug a row must get."""
# Free text with a length limit: longer values are refused.
MAX_LENGTHS = {("/v1/actors", "wikidata_id"): 20}
# Parameters a listing requires, sent along with the one under test.
REQUIRED = {"/v1/search": {"q": "Tripoli"}}
STRING_FILTERS: dict[tuple[str, str], Expected] = {
    ("/v1/actors", "name"): (200, None),
    ("/v1/actors", "wikidata_id"): (200, None),
    ("/v1/actors", "kind"): (422, "validation-error"),
    ("/v1/sources", "language"): (200, None),
    ("/v1/sources", "kind"): (422, "validation-error"),
    ("/v1/events", "kind"): (200, None),
    ("/v1/claims", "language"): (200, None),
    ("/v1/claims", "sort"): (422, "validation-error"),
    ("/v1/claim-relations", "kind"): (422, "validation-error"),
    ("/v1/attributions", "mode"): (422, "validation-error"),
    ("/v1/attributions", "certainty"): (422, "validation-error"),
    ("/v1/search", "q"): (200, None),
    ("/v1/search", "types"): (422, "invalid-field"),
}
EXPAND: Expected = (422, "invalid-field")
CURSOR: Expected = (422, "bad-cursor")
FIELDS: Expected = (400, "unknown-field")


def _string_filters() -> list[tuple[str, str]]:
    """(path, name) of every string query parameter of a GET without path parameters."""
    document = create_app().openapi()
    found = []
    for path, item in document["paths"].items():
        operation = item.get("get")
        if operation is None or "{" in path:
            continue
        for parameter in operation.get("parameters", []):
            schema = parameter["schema"]
            alternatives = schema.get("anyOf", [schema])
            if parameter["in"] == "query" and any(
                alt.get("type") == "string" and "format" not in alt for alt in alternatives
            ):
                found.append((path, parameter["name"]))
    return found


def _sql_rows() -> list[Row]:
    rows = []
    for path, name in _string_filters():
        if name == "expand":
            expected = EXPAND
        elif name == "cursor":
            expected = CURSOR
        elif name == "fields":
            expected = FIELDS
        else:
            # 0: a filter not classified yet, checked as "200 or a 422 problem"
            expected = STRING_FILTERS.get((path, name), (0, None))
        for index, value in enumerate(SQL_METACHARACTERS):
            status, slug = expected
            if len(value) > MAX_LENGTHS.get((path, name), len(value)):
                status, slug = 422, "validation-error"
            rows.append(
                Row(
                    f"sql-{path.strip('/').replace('/', '-')}-{name}-{index}",
                    "GET",
                    path,
                    status,
                    slug,
                    params={**REQUIRED.get(path, {}), name: value},
                )
            )
    return rows


SQL_ROWS = _sql_rows()
SQL_BY_FILTER: dict[str, list[Row]] = {}
for _row in SQL_ROWS:
    SQL_BY_FILTER.setdefault(_row.name.rsplit("-", 1)[0], []).append(_row)


@pytest.fixture
async def table_ids(client: httpx.AsyncClient) -> dict[str, str]:
    """Rows the table's requests refer to."""
    source = await make_source(client, full_text=SOURCE_TEXT)
    claim = await make_claim(client)
    other_claim = await make_claim(client, text="Autre chose")
    origin = await make_attribution(
        client,
        claim_id=claim["id"],
        source_id=source["id"],
        mode="own_voice",
        span={"start": 0, "end": 2, "text": "Le"},
    )
    relay = await make_attribution(client, claim_id=claim["id"], relayed_through_id=origin["id"])
    await make_event(client)
    actor = await make_actor(client)
    claims = (await client.get("/v1/claims", params={"limit": 1})).json()
    return {
        "actor": actor["id"],
        "speaker": relay["speaker_id"],
        "claims_cursor": claims["next"],
        "source": source["id"],
        "claim": claim["id"],
        "other_claim": other_claim["id"],
        "origin": origin["id"],
        "relay": relay["id"],
    }


_COUNT_ALL: list[Any] = []


async def row_counts(connection: AsyncConnection) -> dict[str, int]:
    """Rows in every table of the schema, in one statement."""
    if not _COUNT_ALL:
        tables = (
            await connection.execute(
                text(
                    "SELECT table_name FROM information_schema.tables"
                    " WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
                    " ORDER BY table_name"
                )
            )
        ).scalars()
        counts = ", ".join(
            "'{0}', (SELECT count(*) FROM \"{0}\")".format(name.replace('"', '""'))
            for name in tables
        )
        _COUNT_ALL.append(text(f"SELECT json_build_object({counts})"))
    result: dict[str, int] = (await connection.execute(_COUNT_ALL[0])).scalar_one()
    return result


async def check(
    client: httpx.AsyncClient, connection: AsyncConnection, row: Row, ids: dict[str, str]
) -> None:
    """Send ``row``; its answer must be the expected problem, and no table may change."""
    path = row.path.format(**ids)
    params = {
        name: value.format(**ids) if isinstance(value, str) and "{" in value else value
        for name, value in row.params.items()
    }
    kwargs: JSON = {"params": params, "headers": dict(row.headers)}
    if row.body is not None:
        kwargs["json"] = row.body(ids)
    elif row.json is not None:
        kwargs["json"] = row.json
    elif row.content is not None:
        kwargs["content"] = row.content
        kwargs["headers"].setdefault("content-type", "application/json")
    before = await row_counts(connection)
    response = await client.request(row.method, path, **kwargs)
    assert await row_counts(connection) == before, (row.name, "the database changed")
    assert response.status_code < 500, (row.name, response.text[:1000])
    assert "Traceback" not in response.text
    if row.status == 0:  # a filter nobody classified yet: data or a clean refusal
        assert response.status_code in {200, 422}, (row.name, response.text[:1000])
    else:
        assert response.status_code == row.status, (row.name, response.text[:1000])
    if response.status_code >= 400:
        assert response.headers["content-type"] == "application/problem+json"
        problem = response.json()
        assert problem["status"] == response.status_code
        if row.slug:
            assert problem["type"] == f"https://onrecord.dev/problems/{row.slug}", problem
        assert len(response.content) < 100_000, "a refusal must not echo a huge input"
    elif row.name.startswith("sql-"):
        # a metacharacter is data: it matches nothing here (no wildcard, no injection)
        found = response.json()
        items = found.get("items", found.get("results"))
        assert items == [], (row.name, response.text[:500])


def test_the_table_is_large() -> None:
    size = len(ROWS) + len(SQL_ROWS)
    print(f"\nbad inputs: {size} rows ({len(ROWS)} cases, {len(SQL_ROWS)} SQL metacharacters)")
    assert size >= 150


@pytest.mark.parametrize("row", ROWS, ids=str)
async def test_bad_input(client, connection, table_ids, row: Row) -> None:
    await check(client, connection, row, table_ids)


@pytest.mark.parametrize("name", sorted(SQL_BY_FILTER))
async def test_sql_metacharacters_in_a_filter(client, connection, name: str) -> None:
    """Every value of ``SQL_METACHARACTERS`` in one string filter (one row each)."""
    await make_claim(client)
    await make_actor(client)
    for row in SQL_BY_FILTER[name]:
        await check(client, connection, row, {})
