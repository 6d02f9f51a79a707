"""Hot reads at realistic size: one round trip, on the intended index.

Each case calls the real endpoint through the app (ASGI), captures the SQL it
sends (``before_cursor_execute``), and has PostgreSQL plan each statement
with its own parameters (``PREPARE`` + ``EXPLAIN (FORMAT JSON) EXECUTE``),
in the plan cache mode the app's connections use (custom plans: a generic
plan, which PostgreSQL may otherwise switch to once asyncpg's prepared
statement has run five times, ignores the parameters). The plan must use one of the case's indexes
and never ``Seq Scan`` a large table. No timing is asserted: figures come from
``python -m bench`` (bench/README.md).

To cover a new endpoint, add a :class:`Case` to ``HOT_READS`` or
``EXTENDED_READS``; a case whose route the app does not have yet is skipped
with the route named.
"""

import json
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import asyncpg
import httpx
import pytest
from sqlalchemy.engine import make_url

from app.db import SERVER_SETTINGS
from app.embedded import _asyncpg_params
from app.search.service import MIN_NAME_SIMILARITY
from bench.explain import explain_prepared, plan_cache_mode
from tests.perf.conftest import PERF_ATTRIBUTIONS, Captured

pytestmark = pytest.mark.slow  # builds the realistic-size dataset the plans are read on

LARGE_ROWS = 10_000
"""A table is large, and must never be scanned whole, from this many rows on
(at 100k attributions: attributions, claims, actors, actor_names,
claim_translations, source_citations; sources are 4k and may be hashed)."""
# The plans PostgreSQL makes for the app: its connections set plan_cache_mode
# (app/db.py), so generic plans, which ignore the parameters, never run;
# except for the statements the fast path runs on connections that plan
# them once (app.db.GENERIC_PLANS: documents by id, provenance, search, the
# timeline's window, an actor's first page of statements), planned here as
# they run.
PLAN_MODE = plan_cache_mode(generic_plan=False)


def plan_mode(captured: Captured, statement: str) -> str:
    """The plan cache mode ``statement`` runs under in the app."""
    return plan_cache_mode(statement in captured.planned_once)


@dataclass(frozen=True)
class Case:
    name: str
    path: str
    """Request path; ``{placeholders}`` are filled from the ``ids`` fixture."""
    uses_any: tuple[str, ...]
    """At least one of these indexes must appear in the plan."""
    route: str | None = None
    """Route template the case needs (skipped while the app lacks it)."""
    round_trips: int = 1
    uses_all: tuple[str, ...] = ()
    """Every one of these indexes must appear (a query with several paths)."""
    page_two: bool = False
    """Follow ``next`` from the first page and check the second page's query."""
    known_bad_plan: str | None = None
    """Why the app's query misses its index today: the case is a strict xfail
    (it fails loudly once the query is fixed, so the marker gets removed)."""


# Every index that leads with speaker_id serves a speaker's rows; PostgreSQL 15
# picked the descending time-order one (migration 0012) for page 2.
SPEAKER_INDEXES = (
    "ix_attributions_speaker_id",
    "ix_attributions_speaker_id_earliest_day",
    "ix_attributions_speaker_id_earliest_day_desc",
)

HOT_READS = [
    Case("actor by id", "/v1/actors/{actor_id}", ("pk_actors",)),
    Case("source by id", "/v1/sources/{source_id}", ("pk_sources",)),
    Case("claim by id", "/v1/claims/{claim_id}", ("pk_claims",)),
    Case(
        "attribution by id, expanded",
        "/v1/attributions/{attribution_id}?expand=speaker,source",
        ("pk_attributions",),
    ),
    Case("claims, first page", "/v1/claims", ("pk_claims",)),
    Case("claims, page 2 by cursor", "/v1/claims", ("pk_claims",), page_two=True),
    Case(
        "attributions, page 2 by cursor",
        "/v1/attributions?speaker_id={busy_speaker_id}",
        SPEAKER_INDEXES,
        page_two=True,
    ),
    Case(
        "attributions by speaker",
        "/v1/attributions?speaker_id={speaker_id}",
        SPEAKER_INDEXES,
    ),
    Case(
        "attributions by source",
        "/v1/attributions?source_id={source_id}",
        ("ix_attributions_source_id", "ix_attributions_source_id_claim_id"),
    ),
    Case(
        "attributions by claim",
        "/v1/attributions?claim_id={claim_id}",
        ("ix_attributions_claim_id",),
    ),
    Case(
        "attributions said on a day (overlap)",
        "/v1/attributions?time_from={day}&time_to={day}",
        ("ix_attributions_time_range",),
    ),
    Case(
        "sources published on a day (overlap)",
        "/v1/sources?time_from={day}&time_to={day}",
        ("ix_sources_time_range",),
    ),
    Case(
        "events on a day (overlap)",
        "/v1/events?time_from={day}&time_to={day}",
        ("ix_events_time_range",),
    ),
    Case(
        "claims by speaker",
        "/v1/claims?speaker_id={speaker_id}",
        SPEAKER_INDEXES,
    ),
]

# Endpoints of the provenance, search and conflicts work: checked as soon as
# their routes exist.
EXTENDED_READS = [
    Case(
        "claim provenance",
        "/v1/claims/{claim_id}/provenance",
        ("ix_attributions_claim_id", "ix_attributions_relayed_through_id"),
        route="/v1/claims/{claim_id}/provenance",
    ),
    Case(
        "actor statements",
        "/v1/actors/{speaker_id}/statements",
        SPEAKER_INDEXES,
        route="/v1/actors/{actor_id}/statements",
    ),
    Case(
        "source claims",
        "/v1/sources/{source_id}/claims",
        ("ix_attributions_source_id_claim_id", "ix_attributions_source_id"),
        route="/v1/sources/{source_id}/claims",
    ),
    Case(
        "search",
        "/v1/search?q=ceasefire",
        ("ix_claims_search", "pk_claims"),
        route="/v1/search",
        # Every search path on an index: text (GIN, or newest first for a
        # frequent term such as this one, in 7% of the claims: see
        # test_search_reads_a_bounded_number_of_claims) and names (GiST trigrams).
        uses_all=(
            "ix_sources_search",
            "ix_actors_name_trgm",
            "ix_actor_names_name_trgm",
        ),
    ),
    Case(
        "publisher's claims",
        "/v1/actors/{publisher_id}/published-claims",
        ("ix_attributions_source_id_claim_id", "ix_attributions_source_id"),
        route="/v1/actors/{actor_id}/published-claims",
    ),
    Case(
        "open conflicts",
        "/v1/conflicts",
        ("ix_claim_relations_to_claim_id", "pk_claim_relations", "pk_claims"),
        route="/v1/conflicts",
    ),
    Case(
        "claim conflicts",
        "/v1/claims/{claim_id}/conflicts",
        ("ix_claim_relations_to_claim_id", "uq_claim_relations_from_claim_id_to_claim_id_kind"),
        route="/v1/claims/{claim_id}/conflicts",
    ),
    Case(
        "claims with 2+ independent origins",
        "/v1/claims?min_origins=2",
        ("ix_claims_independent_origins_id", "pk_claims"),
    ),
    # ?sort= and ?fields= (migration 0012_time_order): a page in time order
    # walks its index, never sorts every attribution.
    Case(
        "attributions in time order, page 2",
        "/v1/attributions?sort=time",
        ("ix_attributions_earliest_day",),
        page_two=True,
    ),
    Case(
        "attributions latest first, page 2",
        "/v1/attributions?sort=-time",
        ("ix_attributions_earliest_day_desc",),
        page_two=True,
    ),
    Case(
        "attributions newest first, page 2",
        "/v1/attributions?sort=-created&fields=time",
        ("pk_attributions",),
        page_two=True,
    ),
    Case(
        "actor statements latest first, page 2",
        "/v1/actors/{busy_speaker_id}/statements?sort=-time",
        ("ix_attributions_speaker_id_earliest_day_desc",),
        route="/v1/actors/{actor_id}/statements",
        page_two=True,
    ),
    Case(
        "actor statements in time order, page 2, no chains",
        "/v1/actors/{busy_speaker_id}/statements?sort=time&fields=claim,time",
        ("ix_attributions_speaker_id_earliest_day",),
        route="/v1/actors/{actor_id}/statements",
        page_two=True,
    ),
    Case("claim by id, names only", "/v1/claims/{claim_id}?fields=text", ("pk_claims",)),
    Case(
        "events timeline",
        "/v1/events/timeline?time_from={day}&time_to={day}",
        ("ix_events_time_range",),
        route="/v1/events/timeline",
    ),
]


@pytest.fixture(scope="session")
async def raw(perf_database_url: str) -> AsyncIterator[asyncpg.Connection]:
    # The app's session settings (no JIT, no parallel workers, custom plans):
    # the plans read here are the ones its statements get.
    connection = await asyncpg.connect(
        **_asyncpg_params(make_url(perf_database_url)), server_settings=SERVER_SETTINGS
    )
    yield connection
    await connection.close()


@pytest.fixture(scope="session")
async def ids(raw: asyncpg.Connection) -> dict[str, str]:
    """Typical rows of the generated data: medians, not outliers."""
    speaker = await raw.fetchval(
        """
        SELECT speaker_id FROM (
          SELECT speaker_id, count(*) AS n FROM attributions
          WHERE speaker_id IS NOT NULL GROUP BY speaker_id
        ) AS s ORDER BY n DESC, speaker_id OFFSET (SELECT count(DISTINCT speaker_id) / 2
                                                   FROM attributions) LIMIT 1
        """
    )
    busy_speaker = await raw.fetchval(
        """
        SELECT speaker_id FROM attributions WHERE speaker_id IS NOT NULL
        GROUP BY speaker_id HAVING count(*) > 120 ORDER BY count(*) LIMIT 1
        """
    )
    source = await raw.fetchval(
        """
        SELECT source_id FROM attributions GROUP BY source_id
        ORDER BY count(*), source_id OFFSET (SELECT count(*) / 2 FROM sources) LIMIT 1
        """
    )
    # A claim relayed through a chain of 3 links, said by someone.
    claim = await raw.fetchval(
        """
        SELECT a.claim_id FROM attributions AS a
        JOIN attributions AS b ON b.id = a.relayed_through_id
        WHERE b.relayed_through_id IS NOT NULL ORDER BY a.id LIMIT 1
        """
    )
    attribution = await raw.fetchval(
        "SELECT id FROM attributions WHERE relayed_through_id IS NOT NULL"
        " AND speaker_id IS NOT NULL ORDER BY id LIMIT 1"
    )
    actor = await raw.fetchval(
        "SELECT actor_id FROM actor_names WHERE kind = 'spelling' ORDER BY id LIMIT 1"
    )
    # A publisher of a median number of sources.
    publisher = await raw.fetchval(
        """
        SELECT publisher_id FROM sources WHERE publisher_id IS NOT NULL
        GROUP BY publisher_id ORDER BY count(*), publisher_id
        OFFSET (SELECT count(DISTINCT publisher_id) / 2 FROM sources) LIMIT 1
        """
    )
    day = await raw.fetchval(
        "SELECT lower(time_range) FROM sources WHERE time_precision = 'day'"
        " ORDER BY id OFFSET 100 LIMIT 1"
    )
    values = {
        "speaker_id": speaker,
        "busy_speaker_id": busy_speaker,
        "source_id": source,
        "publisher_id": publisher,
        "claim_id": claim,
        "attribution_id": attribution,
        "actor_id": actor,
        "day": day,
    }
    assert all(value is not None for value in values.values()), values
    return {key: str(value) for key, value in values.items()}


async def explain(
    raw: asyncpg.Connection, statement: str, parameters: Any, mode: str
) -> dict[str, Any]:
    """The JSON plan of ``statement`` run with ``parameters`` under ``plan_cache_mode``."""
    (text,) = await explain_prepared(raw, statement, parameters, plan_cache_mode=mode)
    plan: dict[str, Any] = json.loads(text)[0]["Plan"]
    return plan


def nodes(plan: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield plan
    for child in plan.get("Plans", []):
        yield from nodes(child)


def summary(plan: dict[str, Any]) -> str:
    lines = []
    for node in nodes(plan):
        what = node["Node Type"]
        if "Index Name" in node:
            what += f" using {node['Index Name']}"
        if "Relation Name" in node:
            what += f" on {node['Relation Name']}"
        lines.append(what)
    return "; ".join(lines)


def _route_exists(client: httpx.AsyncClient, route: str) -> bool:
    app = client._transport.app  # type: ignore[attr-defined]
    # FastAPI wraps included routers (``_IncludedRouter``, no ``path``): ask
    # the OpenAPI document, which lists every route with its full path.
    return route in app.openapi()["paths"]


async def _check(
    case: Case,
    client: httpx.AsyncClient,
    captured: Captured,
    raw: asyncpg.Connection,
    ids: dict[str, str],
) -> None:
    if case.route and not _route_exists(client, case.route):
        pytest.skip(f"{case.route} is not in the app yet")
    path = case.path.format(**ids)
    if case.page_two:
        first = await client.get(path)
        assert first.status_code == 200, first.text
        cursor = first.json()["next"]
        assert cursor, f"{path} has a single page: no page 2 to check"
        path += ("&" if "?" in path else "?") + f"cursor={cursor}"
    captured.statements.clear()
    captured.active = True
    try:
        response = await client.get(path)
    finally:
        captured.active = False
    assert response.status_code == 200, response.text
    reads = [
        (s, p) for s, p in captured.statements if s.lstrip().upper().startswith(("SELECT", "WITH"))
    ]
    assert len(reads) == case.round_trips, [s[:200] for s, _ in reads]
    large = await large_tables(raw)
    used: set[str] = set()
    for statement, parameters in reads:
        mode = plan_mode(captured, statement)
        plan = await explain(raw, statement, parameters, mode)
        seq = [
            n["Relation Name"]
            for n in nodes(plan)
            if n["Node Type"] == "Seq Scan" and n.get("Relation Name") in large
        ]
        assert not seq, f"{case.name} ({mode}): Seq Scan on {seq}: {summary(plan)}"
        # Starting workers cost a search 20 ms for a branch it skipped.
        gathers = [n["Node Type"] for n in nodes(plan) if n["Node Type"].startswith("Gather")]
        assert not gathers, f"{case.name} ({mode}): parallel {gathers}: {summary(plan)}"
        indexes = {n["Index Name"] for n in nodes(plan) if "Index Name" in n}
        assert indexes & set(case.uses_any), (
            f"{case.name} ({mode}): none of {case.uses_any} used: {summary(plan)}"
        )
        used |= indexes
    assert used
    assert set(case.uses_all) <= used, f"{case.name}: {set(case.uses_all) - used} not used"


async def large_tables(raw: asyncpg.Connection) -> set[str]:
    rows = await raw.fetch(
        "SELECT relname FROM pg_class WHERE relkind = 'r' AND reltuples >= $1"
        " AND relnamespace = 'public'::regnamespace",
        LARGE_ROWS,
    )
    tables = {row["relname"] for row in rows}
    assert {"attributions", "claims", "actors"} <= tables, tables
    return tables


def _params(cases: list[Case]) -> list[Any]:
    return [
        pytest.param(
            case,
            id=case.name,
            marks=[pytest.mark.xfail(reason=case.known_bad_plan, strict=True)]
            if case.known_bad_plan
            else [],
        )
        for case in cases
    ]


@pytest.mark.parametrize("case", _params(HOT_READS))
async def test_hot_read_plan(case, perf_client, captured, raw, ids):
    await _check(case, perf_client, captured, raw, ids)


@pytest.mark.parametrize("case", _params(EXTENDED_READS))
async def test_extended_read_plan(case, perf_client, captured, raw, ids):
    await _check(case, perf_client, captured, raw, ids)


async def test_dataset_has_realistic_shape(raw):
    """The plans above are only meaningful at this size and with these shapes."""
    counts = {
        table: await raw.fetchval(f"SELECT count(*) FROM {table}")
        for table in ("attributions", "claims", "actors", "sources")
    }
    assert counts["attributions"] == PERF_ATTRIBUTIONS
    assert counts["actors"] >= counts["attributions"] // 5
    assert counts["sources"] >= counts["attributions"] // 30
    depth = await raw.fetchval(
        """
        WITH RECURSIVE chain(id, depth) AS (
          SELECT id, 1 FROM attributions WHERE relayed_through_id IS NULL
          UNION ALL
          SELECT a.id, chain.depth + 1 FROM attributions AS a
          JOIN chain ON a.relayed_through_id = chain.id
        ) SELECT max(depth) FROM chain
        """
    )
    assert 3 <= depth <= 5


async def test_app_connections_use_custom_plans_without_jit_or_parallel_workers(perf_engine):
    """The plans above are the ones the app gets only if its connections
    (app.db.create_engine) really run with these settings."""
    from sqlalchemy import text

    async with perf_engine.connect() as connection:
        shown = {
            name: (await connection.execute(text(f"SHOW {name}"))).scalar_one()
            for name in (
                "plan_cache_mode",
                "jit",
                "max_parallel_workers_per_gather",
                "pg_trgm.word_similarity_threshold",
            )
        }
    threshold = float(shown.pop("pg_trgm.word_similarity_threshold"))
    assert shown == {
        "plan_cache_mode": "force_custom_plan",
        "jit": "off",
        "max_parallel_workers_per_gather": "0",
    }
    # What search's %> prunes must be below what it keeps.
    assert MIN_NAME_SIMILARITY - 0.05 < threshold < MIN_NAME_SIMILARITY


async def test_a_write_recounts_corroboration_on_indexes(perf_engine, raw):
    """Every write that touches an attribution recounts its claims' origins
    (``refresh_corroboration``): at this size that statement must reach its
    few rows by index, never by scanning attributions or claims. A single
    write's recount runs inside ``onrecord_recount_few`` (migration 0015):
    the statements it runs are those ``_lock_sql`` and ``_refresh_sql``
    compile, planned with ``_FEW_ROWS`` off."""
    from app.provenance.corroboration import _FEW_ROWS, _lock_sql, _refresh_sql

    relaying = await raw.fetchval(
        "SELECT id FROM attributions WHERE relayed_through_id IS NOT NULL ORDER BY id LIMIT 1"
    )
    lock = _lock_sql(False, True)
    ids = {"claim_ids": [], "attribution_ids": [relaying], "speaker_ids": []}
    async with raw.transaction():
        locked = [row[0] for row in await raw.fetch(lock.sql, *lock.arguments(ids))]
    assert locked
    recount = _refresh_sql(True, False)
    update = (recount.sql, recount.arguments({**ids, "claim_ids": locked, "attribution_ids": []}))
    large = await large_tables(raw)
    # The settings refresh_corroboration gives its statement, as it runs it.
    for name in _FEW_ROWS:
        await raw.execute(f"SET {name} = off")
    try:
        plan = await explain(raw, update[0], update[1], PLAN_MODE)
    finally:
        for name in _FEW_ROWS:
            await raw.execute(f"RESET {name}")
    seq = [
        n["Relation Name"]
        for n in nodes(plan)
        if n["Node Type"] == "Seq Scan" and n.get("Relation Name") in large
    ]
    assert not seq, f"Seq Scan on {seq}: {summary(plan)}"
    indexes = {n["Index Name"] for n in nodes(plan) if "Index Name" in n}
    assert {"ix_attributions_relayed_through_id", "ix_attributions_claim_id"} <= indexes, summary(
        plan
    )


# -- search: bounded work for rare, common and very common terms ------------------------

SEARCH_TERMS = {
    # class: (query, lowest and highest share of claims it must match here)
    "rare": ("{claim_number}", 0.0, 0.001),
    "common": ("senator", 0.05, 0.2),
    "very common": ("dossier", 0.3, 0.6),
}


async def explain_analyze(
    raw: asyncpg.Connection, statement: str, parameters: Any, mode: str
) -> Any:
    """The JSON plan of ``statement`` under ``mode``, run (row counts, not
    timings, are read)."""
    (text,) = await explain_prepared(
        raw, statement, parameters, plan_cache_mode=mode, options="ANALYZE, TIMING OFF, FORMAT JSON"
    )
    return json.loads(text)[0]["Plan"]


def rows_read(node: dict[str, Any]) -> int:
    """Rows a scan node looked at: those it returned and those its filter dropped."""
    looked = sum(
        int(node.get(key, 0)) for key in ("Rows Removed by Filter", "Rows Removed by Index Recheck")
    )
    return (int(node["Actual Rows"]) + looked) * int(node.get("Actual Loops", 1))


@pytest.mark.parametrize("term_class", list(SEARCH_TERMS))
async def test_search_reads_a_bounded_number_of_claims(term_class, perf_client, captured, raw):
    """A frequent term walks the claims newest first (the primary key,
    backwards) and stops after ``CANDIDATES`` matches, within ``EXAMINED``
    rows or, found there too seldom, on a second walk: the rows read depend
    on the term's share, not on the table's size. A rare term reads those
    rows, then every match through the GIN index (all of them ranked),
    whatever the planner estimates: the order is written in the statement."""
    from app.search.service import CANDIDATES, EXAMINED

    number = await raw.fetchval(
        r"SELECT substring(text from '\((?:file|dossier) (\d+)\)') FROM claims"
        " ORDER BY id OFFSET 1000 LIMIT 1"
    )
    q, lowest, highest = SEARCH_TERMS[term_class]
    q = q.format(claim_number=number)
    claims = await raw.fetchval("SELECT count(*) FROM claims")
    matches = await claims_matching(raw, q)
    assert lowest < matches / claims <= highest, (q, matches, claims)

    statement, parameters = await search_statement(perf_client, captured, q)
    plan = await explain_analyze(raw, statement, parameters, plan_mode(captured, statement))
    large = await large_tables(raw)
    seq = [
        n["Relation Name"]
        for n in nodes(plan)
        if n["Node Type"] == "Seq Scan" and n.get("Relation Name") in large
    ]
    assert not seq, f"Seq Scan on {seq}: {summary(plan)}"
    # The candidates: the newest rows tested one by one (the filter is above
    # the scan and its LIMIT), then a second walk (a term found often enough
    # there) or the GIN index (a rare one).
    walk, further = claims_walks(plan)
    (index,) = [
        n
        for n in nodes(plan)
        if n.get("Relation Name") == "claims" and n["Node Type"] == "Bitmap Heap Scan"
    ]
    assert "ix_claims_search" in {n.get("Index Name") for n in nodes(index)}
    if term_class == "rare":
        assert rows_read(walk) == EXAMINED
        assert rows_read(further) == 0, summary(plan)
        assert rows_read(index) == matches <= CANDIDATES
    else:
        assert index["Actual Loops"] == 0, summary(plan)  # never run
        # About CANDIDATES / share rows (2,000 for a term in 10% of the claims)
        # on the walk that found them, the first or the second.
        found = walk if rows_read(further) == 0 else further
        assert rows_read(walk) <= EXAMINED
        assert CANDIDATES <= rows_read(found) <= 2 * CANDIDATES * claims / matches


async def claims_matching(raw: asyncpg.Connection, q: str) -> int:
    """Claims whose own wording matches ``q`` as search matches it."""
    from app.search.matching import matches

    match = matches("search_vector", "language").replace(":q", "$1")
    found: int = await raw.fetchval(f"SELECT count(*) FROM claims WHERE {match}", q)
    return found


async def captured_search(
    client: httpx.AsyncClient, captured: Any, params: dict[str, str]
) -> tuple[httpx.Response, str, Any]:
    """A search's response and the one statement (and its parameters) it ran."""
    captured.statements.clear()
    captured.active = True
    try:
        response = await client.get("/v1/search", params=params)
    finally:
        captured.active = False
    assert response.status_code == 200, response.text
    ((statement, parameters),) = [
        (s, p) for s, p in captured.statements if s.lstrip().upper().startswith(("SELECT", "WITH"))
    ]
    # Planned once per connection on the fast path: the plans read are those.
    assert statement in captured.planned_once
    return response, statement, parameters


async def search_statement(client: httpx.AsyncClient, captured: Any, q: str) -> tuple[str, Any]:
    """The one statement (and its parameters) the app runs to search claims for ``q``."""
    response, statement, parameters = await captured_search(
        client, captured, {"q": q, "types": "claim"}
    )
    assert response.json()["results"]
    return statement, parameters


def claims_walks(plan: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The backward scans of the claims' primary key under the ``newest``
    (first walk) and ``further`` (second walk) CTEs of the search statement."""
    found: dict[str, dict[str, Any]] = {}
    for node in nodes(plan):
        name = node.get("Subplan Name", "")
        if name not in ("CTE newest", "CTE further"):
            continue
        # Translations and sources walk their tables under CTEs of these names too.
        for scan in nodes(node):
            if scan.get("Relation Name") == "claims" and scan.get("Scan Direction") == "Backward":
                assert (scan["Node Type"], scan["Index Name"]) == ("Index Scan", "pk_claims")
                assert name not in found, summary(plan)
                found[name] = scan
    return found["CTE newest"], found["CTE further"]


async def test_search_walks_on_for_a_term_too_sparse_among_the_newest(perf_client, captured, raw):
    """A term in too few of the newest rows to fill its candidates there, but
    frequent enough that walking on costs less than reading all its matches
    through the index, walks on newest first, stops at the last candidate,
    and answers what the index would have. The bench database at 1M claims
    takes this path for terms in 1-10% of the claims; here the same statement
    is run with a shorter first walk (``examined``), which puts "senator"
    (5-20% of these claims) in that band."""
    from app.search.service import CANDIDATES, MAX_WALK, _search_sql

    q = SEARCH_TERMS["common"][0]
    claims = await raw.fetchval("SELECT count(*) FROM claims")
    matches = await claims_matching(raw, q)
    statement, parameters = await search_statement(perf_client, captured, q)
    # The statement's parameters are positional: change a named one where
    # the compiled statement's slots put it.
    slots = [str(getattr(slot, "name", "")) for slot in _search_sql(("claim",)).slots]
    assert len(slots) == len(parameters)

    def with_values(**changed: Any) -> tuple[Any, ...]:
        pairs = zip(slots, parameters, strict=True)
        return tuple(changed.get(name, value) for name, value in pairs)

    examined = 400  # about 40 matches of "senator" there: fewer than CANDIDATES
    walked = with_values(examined=examined)
    plan = await explain_analyze(raw, statement, walked, plan_mode(captured, statement))
    walk, further = claims_walks(plan)
    assert rows_read(walk) == examined, summary(plan)
    assert CANDIDATES <= rows_read(further) <= min(MAX_WALK, 2 * CANDIDATES * claims / matches)
    (index,) = [
        n
        for n in nodes(plan)
        if n.get("Relation Name") == "claims" and n["Node Type"] == "Bitmap Heap Scan"
    ]
    assert index["Actual Loops"] == 0, summary(plan)  # never run

    # The same page through the index (no second walk allowed): same answer.
    by_walk = await raw.fetchval(statement, *walked)
    by_index = await raw.fetchval(statement, *with_values(examined=examined, max_walk=0))
    assert by_walk == by_index


async def test_search_walks_on_for_a_frequent_term_missing_from_the_newest(
    perf_client, captured, raw
):
    """A term frequent in the table but missing from its newest rows (last
    year's topic) is not taken for a rare one: the column's statistics say
    it is frequent, so the search walks on past the newest rows instead of
    reading every match through the GIN index, and answers what the index
    would have. The newest claims are written here, in a transaction rolled
    back at the end."""
    import uuid_utils

    from app.search.service import CANDIDATES, EXAMINED, MAX_WALK, _search_sql

    q = SEARCH_TERMS["very common"][0]
    newer = EXAMINED + 500
    statement, parameters = await search_statement(perf_client, captured, q)
    slots = [str(getattr(slot, "name", "")) for slot in _search_sql(("claim",)).slots]
    transaction = raw.transaction()
    await transaction.start()
    try:
        await raw.executemany(
            "INSERT INTO claims (id, text, language) VALUES ($1, $2, 'en')",
            [
                (UUID(str(uuid_utils.uuid7())), f"An unrelated remark, number {n}")
                for n in range(newer)
            ],
        )
        assert await claims_matching(raw, q) > 0.3 * await raw.fetchval(
            "SELECT count(*) FROM claims"
        )
        plan = await explain_analyze(raw, statement, parameters, plan_mode(captured, statement))
        walk, further = claims_walks(plan)
        assert rows_read(walk) == EXAMINED, summary(plan)
        assert newer + CANDIDATES <= rows_read(further) <= MAX_WALK, summary(plan)
        (index,) = [
            n
            for n in nodes(plan)
            if n.get("Relation Name") == "claims" and n["Node Type"] == "Bitmap Heap Scan"
        ]
        assert index["Actual Loops"] == 0, summary(plan)  # never run
        # The same page through the index (no second walk allowed).
        by_index = [
            0 if name == "max_walk" else value
            for name, value in zip(slots, parameters, strict=True)
        ]
        assert await raw.fetchval(statement, *parameters) == await raw.fetchval(
            statement, *by_index
        )
    finally:
        await transaction.rollback()


async def test_search_reads_names_nearest_first_only_when_a_name_is_like_the_query(
    perf_client, captured, raw
):
    """Names are read nearest first on the GiST trigram indexes, which prune a
    miss poorly when the query's trigrams are common in names; a GIN gate per
    table asks first whether any name is like the query (migration 0016). A
    word that names no one never reaches the GiST scans; a name does."""
    name = await raw.fetchval("SELECT name FROM actors WHERE kind = 'person' ORDER BY id LIMIT 1")
    for q, named in (("dossier", False), (name, True)):
        response, statement, parameters = await captured_search(
            perf_client, captured, {"q": q, "types": "actor"}
        )
        assert bool(response.json()["results"]) == named, (q, response.json())
        plan = await explain_analyze(raw, statement, parameters, plan_mode(captured, statement))
        scans = {n["Index Name"]: n for n in nodes(plan) if "Index Name" in n}
        for gate in ("ix_actors_name_trgm_gate", "ix_actor_names_name_trgm_gate"):
            assert scans[gate]["Actual Loops"] == 1, summary(plan)
        assert (scans["ix_actors_name_trgm"]["Actual Loops"] > 0) == named, summary(plan)
        if not named:
            assert scans["ix_actor_names_name_trgm"]["Actual Loops"] == 0, summary(plan)
