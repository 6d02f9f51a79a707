"""The fast path (app/fastpath.py) answers exactly as the routes do.

Every path below is asked twice on the same data: of the app as it runs, and
of the same app with its fast path switched off, so the routes themselves
answer. Status, headers (but the request id) and bytes must be the same,
for plain reads, filters, pages, windows, and every refusal. The fast path
must also have served the plain reads (else the comparison would prove
nothing), and left to the routes what it does not take.
"""

from collections.abc import AsyncIterator
from urllib.parse import quote

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncConnection

from app.bundles.format import BundleSummary
from tests.conftest import app_on

UNKNOWN = "0190f5a2-0000-7000-8000-000000000000"


@pytest.fixture
async def routes_only(connection: AsyncConnection) -> AsyncIterator[httpx.AsyncClient]:
    """The app with its fast path off: the routes answer every request."""
    app = app_on(connection)
    app.state.fast_fetch = None
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://onrecord.test") as client:
        yield client


def _fast_reads(client: httpx.AsyncClient) -> int:
    app = client._transport.app  # type: ignore[attr-defined]
    return int(getattr(app.state, "fast_reads", 0))


def _comparable(response: httpx.Response) -> tuple[int, list[tuple[str, str]], bytes]:
    headers = sorted((k, v) for k, v in response.headers.items() if k != "x-request-id")
    return response.status_code, headers, response.content


async def _same(
    client: httpx.AsyncClient,
    routes_only: httpx.AsyncClient,
    path: str,
    *,
    fast: bool,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    before = _fast_reads(client)
    answered = await client.get(path, headers=headers)
    served_fast = _fast_reads(client) - before
    expected = await routes_only.get(path, headers=headers)
    assert _fast_reads(routes_only) == 0
    assert _comparable(answered) == _comparable(expected), path
    assert served_fast == (1 if fast else 0), (path, answered.status_code, answered.text[:300])
    return answered


def _next(response: httpx.Response) -> str:
    cursor = response.json()["next"]
    assert cursor, response.text
    return quote(cursor)


async def test_reads_are_the_routes_own(
    client: httpx.AsyncClient, routes_only: httpx.AsyncClient, demo: BundleSummary
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
        f"/v1/claims/{c1}?limit=7&unknown=1",  # unknown parameters are ignored alike
    ]
    for path in plain:
        response = await _same(client, routes_only, path, fast=True)
        assert response.status_code == 200, (path, response.text)

    # Following pages: the cursor each path hands out leads on the same way.
    first = await _same(client, routes_only, f"/v1/attributions?source_id={s0}&limit=2", fast=True)
    second = await _same(
        client,
        routes_only,
        f"/v1/attributions?source_id={s0}&limit=2&cursor={_next(first)}",
        fast=True,
    )
    assert second.json()["items"]
    assert second.json()["items"] != first.json()["items"]
    first = await _same(
        client, routes_only, f"/v1/actors/{diplomats}/statements?limit=1", fast=True
    )
    await _same(
        client,
        routes_only,
        f"/v1/actors/{diplomats}/statements?limit=1&cursor={_next(first)}",
        fast=True,
    )


async def test_what_the_fast_path_does_not_take_goes_to_the_routes(
    client: httpx.AsyncClient, routes_only: httpx.AsyncClient, demo: BundleSummary
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
    ]
    for path in refused:
        response = await _same(client, routes_only, path, fast=False)
        assert response.status_code >= 400, path
        assert response.headers["content-type"] == "application/problem+json", path

    # Past states and linked data are the routes' own.
    as_of = "2030-01-01T00:00:00Z"
    for path in (f"/v1/claims/{c1}?as_of={as_of}", f"/v1/claims/{c1}/provenance?as_of={as_of}"):
        response = await _same(client, routes_only, path, fast=False)
        assert response.status_code == 200, (path, response.text)
    jsonld = {"Accept": "application/ld+json"}
    response = await _same(client, routes_only, f"/v1/claims/{c1}", fast=False, headers=jsonld)
    assert response.headers["content-type"].startswith("application/ld+json")
    # HEAD is left to the routes too.
    before = _fast_reads(client)
    assert (await client.head(f"/v1/claims/{c1}")).status_code in (200, 405)
    assert _fast_reads(client) == before


async def test_a_fast_read_is_counted_and_logged_as_its_route(
    client: httpx.AsyncClient, demo: BundleSummary
) -> None:
    before = _fast_reads(client)
    response = await client.get(f"/v1/claims/{demo.ids['C1']}", headers={"X-Request-ID": "abc-1"})
    assert response.status_code == 200
    assert _fast_reads(client) == before + 1
    assert response.headers["x-request-id"] == "abc-1"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["etag"]
    metrics = (await client.get("/metrics")).text
    assert 'route="/v1/claims/{claim_id}"' in metrics


async def test_private_reads_are_left_to_the_routes(
    client: httpx.AsyncClient, demo: BundleSummary, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.config import get_settings

    monkeypatch.setenv("ONRECORD_PUBLIC_READS", "false")
    get_settings.cache_clear()
    try:
        before = _fast_reads(client)
        anonymous = await client.get(f"/v1/claims/{demo.ids['C1']}", headers={"Authorization": ""})
        assert anonymous.status_code == 401
        assert _fast_reads(client) == before
    finally:
        get_settings.cache_clear()
