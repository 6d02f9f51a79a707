"""Hot reads (app/fastpath.py) answer exactly as the framework's path does.

The founding article is committed to a database of its own, and two apps
run on it with their lifespans, as the server runs them: one whose hot
routes read on the real asyncpg pool, and one with no pool, so the same
endpoints run through FastAPI's dependency solving on a session. Every path
below is asked of both: status, headers (but the request id) and bytes must
be the same, for plain reads, filters, pages, windows, past states, linked
data and every refusal; and the pool must have served each of them (else
the comparison would prove nothing).
"""

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from fastapi import FastAPI
from starlette.types import Message

from app.bundles.format import BundleSummary
from app.demo import load_demo_summary
from app.main import create_app
from app.sqlcompile import DriverSQL
from tests.committed import key_headers
from tests.conftest import migrated_database

UNKNOWN = "0190f5a2-0000-7000-8000-000000000000"


@pytest.fixture(scope="module")
def committed(server_url_: str) -> Iterator[tuple[str, BundleSummary]]:
    """A migrated database holding the committed founding article."""
    import asyncio

    with migrated_database(server_url_, "fastpath") as url:
        yield url, asyncio.run(load_demo_summary(url))


@asynccontextmanager
async def running(url: str, *, pool: bool) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(database_url=url)
    async with app.router.lifespan_context(app):
        if not pool:
            app.state.fast_fetch = None  # the hot routes take the framework's path
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://onrecord.test") as c:
            yield c


@pytest.fixture(scope="module")
async def hot(committed: tuple[str, BundleSummary]) -> AsyncIterator[httpx.AsyncClient]:
    async with running(committed[0], pool=True) as client:
        yield client


@pytest.fixture(scope="module")
async def framework(committed: tuple[str, BundleSummary]) -> AsyncIterator[httpx.AsyncClient]:
    async with running(committed[0], pool=False) as client:
        yield client


@pytest.fixture(scope="module")
def demo(committed: tuple[str, BundleSummary]) -> BundleSummary:
    return committed[1]


def _app(client: httpx.AsyncClient) -> FastAPI:
    app: FastAPI = client._transport.app  # type: ignore[attr-defined]
    return app


def _pool_reads(client: httpx.AsyncClient) -> int:
    return int(getattr(_app(client).state, "fast_reads", 0))


def _comparable(response: httpx.Response) -> tuple[int, list[tuple[str, str]], bytes]:
    headers = sorted((k, v) for k, v in response.headers.items() if k != "x-request-id")
    return response.status_code, headers, response.content


async def _same(
    hot: httpx.AsyncClient,
    framework: httpx.AsyncClient,
    path: str,
    *,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    before = _pool_reads(hot)
    answered = await hot.get(path, headers=headers)
    on_pool = _pool_reads(hot) - before
    expected = await framework.get(path, headers=headers)
    assert _pool_reads(framework) == 0
    assert _comparable(answered) == _comparable(expected), path
    assert on_pool == 1, (path, answered.status_code, answered.text[:300])
    return answered


def _next(response: httpx.Response) -> str:
    cursor = response.json()["next"]
    assert cursor, response.text
    return quote(cursor)


async def test_reads_are_the_frameworks_own(
    hot: httpx.AsyncClient, framework: httpx.AsyncClient, demo: BundleSummary
) -> None:
    c1, trump, pompeo = demo.ids["C1"], demo.ids["trump"], demo.ids["pompeo"]
    diplomats = demo.ids["us-diplomats"]
    s0 = demo.ids["S0"]
    plain = [
        f"/v1/claims/{c1}",
        f"/v1/claims/{c1}?expand=attributions,events",
        f"/v1/claims/{c1}/provenance",
        f"/v1/claims/{c1}/provenance?include=retracted",
        f"/v1/actors/{pompeo}/statements",
        f"/v1/actors/{pompeo}/statements?limit=1",
        f"/v1/actors/{trump}/statements",  # no statements: an empty page
        f"/v1/actors/{diplomats}/statements?time_from=2019-04-01&time_to=2019-04-30",
        f"/v1/actors/{diplomats}/statements?direct=true&certainty=alleged",
        "/v1/attributions",
        f"/v1/attributions?speaker_id={pompeo}&limit=50",
        f"/v1/attributions?source_id={s0}&limit=2",
        f"/v1/attributions?claim_id={c1}&expand=speaker,source",
        "/v1/attributions?time_from=2019-04-04&time_to=2019-04-20&mode=paraphrase",
        "/v1/attributions?certainty=alleged&include=retracted",
        f"/v1/search?q={quote('feu vert')}",
        "/v1/search?q=Haftar&types=actor&limit=2",
        "/v1/search?q=Bodde",
        "/v1/events/timeline",
        "/v1/events/timeline?time_from=2019-04-01&time_to=2019-04-30&limit=3",
        f"/v1/events/timeline?participant_id={trump}",
    ]
    for path in plain:
        response = await _same(hot, framework, path)
        assert response.status_code == 200, (path, response.text)

    # Following pages: the cursor each path hands out leads on the same way.
    first = await _same(hot, framework, f"/v1/attributions?source_id={s0}&limit=2")
    second = await _same(
        hot, framework, f"/v1/attributions?source_id={s0}&limit=2&cursor={_next(first)}"
    )
    assert second.json()["items"]
    assert second.json()["items"] != first.json()["items"]
    first = await _same(hot, framework, f"/v1/actors/{diplomats}/statements?limit=1")
    await _same(hot, framework, f"/v1/actors/{diplomats}/statements?limit=1&cursor={_next(first)}")
    # ... and no other way: a cursor belongs to its listing, on both paths.
    other = await _same(hot, framework, f"/v1/actors/{pompeo}/statements?cursor={_next(first)}")
    assert other.status_code == 400, other.text


async def test_refusals_past_states_and_linked_data_are_answered_on_the_pool(
    hot: httpx.AsyncClient, framework: httpx.AsyncClient, demo: BundleSummary
) -> None:
    c1, trump = demo.ids["C1"], demo.ids["trump"]
    refused = [
        f"/v1/claims/{UNKNOWN}",  # 404
        f"/v1/claims/{UNKNOWN}/provenance",
        f"/v1/actors/{UNKNOWN}/statements",
        "/v1/claims/not-a-uuid",  # 422
        f"/v1/claims/{c1}?expand=nothing",
        "/v1/attributions?limit=0",
        "/v1/attributions?limit=201",
        "/v1/attributions?speaker_id=nobody",
        "/v1/attributions?cursor=not-a-cursor",
        "/v1/attributions?time_from=2019-05-01&time_to=2019-04-01",
        "/v1/attributions?mode=shouted",
        f"/v1/actors/{trump}/statements?cursor=bm9wZQ",
        f"/v1/actors/{trump}/statements?time_from=2019-02-30",
        "/v1/search",
        "/v1/search?q=",
        "/v1/search?q=Haftar&types=planets",
        "/v1/search?q=Haftar&limit=101",
        "/v1/events/timeline?limit=1001",
        "/v1/events/timeline?time_from=2019-05-01&time_to=2019-04-01",
        f"/v1/claims/{c1}?limit=7&unknown=1",  # 400: strict parameters, the same rule
        "/v1/attributions?spekaer=x",
        "/v1/attributions?mode=paraphrase&mode=direct_quote",
    ]
    for path in refused:
        response = await _same(hot, framework, path)
        assert response.status_code >= 400, path
        assert response.headers["content-type"] == "application/problem+json", path

    as_of = "2030-01-01T00:00:00Z"
    for path in (f"/v1/claims/{c1}?as_of={as_of}", f"/v1/claims/{c1}/provenance?as_of={as_of}"):
        response = await _same(hot, framework, path)
        assert response.status_code == 200, (path, response.text)
    jsonld = {"Accept": "application/ld+json"}
    response = await _same(hot, framework, f"/v1/claims/{c1}", headers=jsonld)
    assert response.headers["content-type"].startswith("application/ld+json")
    # HEAD takes the framework's path.
    before = _pool_reads(hot)
    assert (await hot.head(f"/v1/claims/{c1}")).status_code in (200, 405)
    assert _pool_reads(hot) == before


async def test_a_pool_read_is_counted_and_logged_as_its_route(
    hot: httpx.AsyncClient, demo: BundleSummary, committed: tuple[str, BundleSummary]
) -> None:
    client = hot
    before = _pool_reads(client)
    response = await client.get(f"/v1/claims/{demo.ids['C1']}", headers={"X-Request-ID": "abc-1"})
    assert response.status_code == 200
    assert _pool_reads(client) == before + 1
    assert response.headers["x-request-id"] == "abc-1"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["etag"]
    admin = await key_headers(committed[0], scope="admin")  # /metrics is an admin's
    metrics = (await client.get("/metrics", headers=admin)).text
    assert 'route="/v1/claims/{claim_id}"' in metrics


async def _plans_made(fetch: Any, sql: DriverSQL) -> tuple[int, int]:
    """The generic and custom plans a pooled connection made for ``sql``
    (a ``DriverSQL``), on the pool that runs it."""
    (prepared,) = await fetch(
        "SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE statement = $1",
        [sql.sql],
        generic_plan=sql.generic_plan,
    )
    return prepared[0], prepared[1]


async def test_statements_planned_once_run_on_connections_that_plan_them_once(
    hot: httpx.AsyncClient, demo: BundleSummary
) -> None:
    """Search, the timeline's window and an actor's first page of statements
    are planned once per connection (``app.db.GENERIC_PLANS``) on a pool of
    their own; every other read plans afresh on the hot reads' pool."""
    from app.search.service import _search_sql

    fetch = _app(hot).state.fast_fetch
    for generic, mode in ((True, "force_generic_plan"), (False, "force_custom_plan")):
        rows = await fetch("SELECT current_setting('plan_cache_mode')", [], generic_plan=generic)
        assert rows[0][0] == mode
    assert _search_sql(("claim",)).generic_plan
    # Searches one after the other: on one connection of that pool, the
    # statement (22 KiB for every type, past asyncpg's default cache limit)
    # is prepared once and planned once.
    for q in ("Haftar", "ligne rouge", "Haftar"):
        assert (await hot.get("/v1/search", params={"q": q})).status_code == 200
    prepared = await _plans_made(fetch, _search_sql(("claim", "actor", "source")))
    assert (prepared[0] >= 3, prepared[1]) == (True, 0)
    # The timeline's window too (its GiST reads suit any window).
    from app.events.timeline import _timeline_sql

    for window in ("2019-04-01", "2019-04-05", "2019-04-20"):
        path = f"/v1/events/timeline?time_from={window}&time_to=2019-04-30"
        assert (await hot.get(path)).status_code == 200
    prepared = await _plans_made(fetch, _timeline_sql(True))
    assert (prepared[0] >= 3, prepared[1]) == (True, 0)
    # An actor's first page of statements (no filter, no cursor) too; a
    # filtered page is planned for its values.
    from app.provenance.statements import _statements_sql

    for actor in ("pompeo", "trump", "pompeo"):
        path = f"/v1/actors/{demo.ids[actor]}/statements"
        assert (await hot.get(path)).status_code == 200
        assert (await hot.get(path, params={"certainty": "alleged"})).status_code == 200
    for first_page, planned in ((True, 0), (False, 1)):  # generic, custom plans
        sql = _statements_sql("time", None, first_page)
        assert sql.generic_plan == first_page
        prepared = await _plans_made(fetch, sql)
        assert prepared[planned] >= 3
    # A document read by id, and a claim's provenance: every read in them is
    # by an id.
    from app.claim_attribution_documents import CLAIM_RECORDS
    from app.provenance.service import INCLUDE_RETRACTED, _provenance_document
    from app.sqlcompile import _by_id_sql

    claims = [demo.ids[name] for name in ("C1", "C9", "C1")]
    for claim in claims:
        assert (await hot.get(f"/v1/claims/{claim}")).status_code == 200
        assert (await hot.get(f"/v1/claims/{claim}/provenance")).status_code == 200
    document = CLAIM_RECORDS.document(expand=frozenset(), fields=None)
    claim_id = CLAIM_RECORDS.table.c.id
    claim_sql = _by_id_sql(document, claim_id, True, generic_plan=True)
    provenance_sql = _by_id_sql(
        _provenance_document(), claim_id, names=frozenset({INCLUDE_RETRACTED}), generic_plan=True
    )
    for sql in (claim_sql, provenance_sql):
        prepared = await _plans_made(fetch, sql)
        assert (prepared[0] >= 3, prepared[1]) == (True, 0)


async def test_private_reads_take_the_frameworks_path(
    hot: httpx.AsyncClient, demo: BundleSummary, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = hot
    from app.config import get_settings

    monkeypatch.setenv("ONRECORD_PUBLIC_READS", "false")
    get_settings.cache_clear()
    try:
        before = _pool_reads(client)
        anonymous = await client.get(f"/v1/claims/{demo.ids['C1']}", headers={"Authorization": ""})
        assert anonymous.status_code == 401
        assert _pool_reads(client) == before
    finally:
        get_settings.cache_clear()


async def test_the_lifespan_passes_through_every_layer(
    committed: tuple[str, BundleSummary],
) -> None:
    """As a server drives it (the ASGI lifespan protocol, not
    ``lifespan_context``): a layer that took the lifespan scope for a
    request would make the server run the app with no pool and no sessions."""
    app = create_app(database_url=committed[0])
    incoming: list[Message] = [{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}]
    sent: list[str] = []

    async def receive() -> Message:
        return incoming.pop(0)

    async def send(message: Message) -> None:
        sent.append(message["type"])

    await app({"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}}, receive, send)
    assert sent == ["lifespan.startup.complete", "lifespan.shutdown.complete"]
