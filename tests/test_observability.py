"""Operations: request ids, Prometheus metrics, one JSON log line per request."""

import io
import json
import logging
import re
from collections.abc import Iterator

import pytest

from app.observability import JsonFormatter, access_logger

ID = re.compile(r"[0-9a-f]{32}")


async def test_a_request_id_is_made_when_none_is_sent(client):
    first = await client.get("/v1/actors")
    second = await client.get("/v1/actors")
    assert ID.fullmatch(first.headers["x-request-id"])
    assert first.headers["x-request-id"] != second.headers["x-request-id"]


async def test_a_sane_client_request_id_is_echoed(client):
    response = await client.get("/v1/actors", headers={"X-Request-ID": "trace-42.a:b/c"})
    assert response.headers["x-request-id"] == "trace-42.a:b/c"


@pytest.mark.parametrize("sent", ["has space", "x" * 200, "<script>", "-leading-dash", ""])
async def test_an_odd_client_request_id_is_replaced(client, sent):
    response = await client.get("/v1/actors", headers={"X-Request-ID": sent})
    assert ID.fullmatch(response.headers["x-request-id"])


async def test_problems_carry_the_request_id_header(client):
    response = await client.get(
        "/v1/claims/00000000-0000-7000-8000-000000000000", headers={"X-Request-ID": "abc"}
    )
    assert response.status_code == 404
    assert response.headers["x-request-id"] == "abc"


def samples(text: str, name: str) -> dict[str, float]:
    """``{labels: value}`` of one metric in the Prometheus text format."""
    found = {}
    for line in text.splitlines():
        if line.startswith(name + "{") or line.startswith(name + " "):
            labels, _, value = line.rpartition(" ")
            found[labels[len(name) :]] = float(value)
    return found


async def test_metrics_count_requests_by_route_template_and_status(client, demo):
    claim = str(demo.ids["C1"])
    for _ in range(3):
        assert (await client.get(f"/v1/claims/{claim}")).status_code == 200
    await client.get("/v1/claims/00000000-0000-7000-8000-000000000000")
    await client.get("/no/such/path")
    response = await client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    text = response.text
    counts = samples(text, "onrecord_http_requests_total")
    assert counts['{method="GET",route="/v1/claims/{claim_id}",status="200"}'] == 3
    assert counts['{method="GET",route="/v1/claims/{claim_id}",status="404"}'] == 1
    assert counts['{method="GET",route="unmatched",status="404"}'] == 1
    assert not any(claim in labels for labels in counts), "raw paths must not become labels"
    buckets = samples(text, "onrecord_http_request_duration_seconds_count")
    assert buckets['{method="GET",route="/v1/claims/{claim_id}"}'] == 4
    assert "onrecord_http_request_duration_seconds_bucket{" in text


async def test_metrics_show_the_database_pool(client):
    await client.get("/v1/actors")
    text = (await client.get("/metrics")).text
    assert samples(text, "onrecord_db_pool_size")[""] >= 1
    assert samples(text, "onrecord_db_pool_checked_out")[""] >= 0


@pytest.fixture
def access_log() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    level, propagate = access_logger.level, access_logger.propagate
    access_logger.addHandler(handler)
    access_logger.setLevel(logging.INFO)
    access_logger.propagate = False
    try:
        yield stream
    finally:
        access_logger.removeHandler(handler)
        access_logger.setLevel(level)
        access_logger.propagate = propagate


async def test_one_json_log_line_per_request(client, access_log):
    await client.get("/v1/actors", headers={"X-Request-ID": "log-me"})
    await client.get("/v1/claims/not-an-id")
    lines = [json.loads(line) for line in access_log.getvalue().splitlines()]
    assert len(lines) == 2
    first, second = lines
    assert first["method"] == "GET"
    assert first["route"] == "/v1/actors"
    assert first["status"] == 200
    assert first["request_id"] == "log-me"
    assert isinstance(first["duration_ms"], float)
    assert first["level"] == "info"
    assert first["logger"] == "onrecord.access"
    assert (second["route"], second["status"]) == ("/v1/claims/{claim_id}", 422)
    assert ID.fullmatch(second["request_id"])


def test_json_formatter_keeps_exceptions_on_one_line():
    formatter = JsonFormatter()
    try:
        raise ValueError("boom")
    except ValueError:
        record = logging.LogRecord("onrecord", logging.ERROR, __file__, 1, "failed", None, None)
        import sys

        record.exc_info = sys.exc_info()
    line = formatter.format(record)
    assert "\n" not in line
    document = json.loads(line)
    assert document["message"] == "failed"
    assert "ValueError: boom" in document["exception"]


# -- who may read /metrics ---------------------------------------------------------


async def test_metrics_need_an_admin_key(client, connection):
    from tests.conftest import make_key

    anonymous = await client.get("/metrics", headers={"Authorization": ""})
    assert anonymous.status_code == 401, anonymous.text
    assert anonymous.headers["content-type"] == "application/problem+json"
    assert anonymous.headers["www-authenticate"].startswith("Bearer")
    assert "onrecord_http_requests" not in anonymous.text
    writer = await make_key(connection, scope="write", name="not-an-operator")
    refused = await client.get("/metrics", headers={"Authorization": f"Bearer {writer}"})
    assert refused.status_code == 403, refused.text
    assert "onrecord_http_requests" not in refused.text
    assert (await client.get("/metrics")).status_code == 200  # the client's admin key


async def test_metrics_on_an_address_of_their_own(database_url, monkeypatch):
    import socket

    import httpx

    from app.config import get_settings
    from app.main import create_app

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("ONRECORD_METRICS_ADDRESS", f"127.0.0.1:{port}")
    get_settings.cache_clear()
    try:
        app = create_app(database_url=database_url)
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
            async with httpx.AsyncClient(transport=transport, base_url="http://api.test") as api:
                assert (await api.get("/health")).status_code == 200
                assert (await api.get("/metrics")).status_code == 404  # not on the API's address
            async with httpx.AsyncClient() as scraper:
                scraped = await scraper.get(f"http://127.0.0.1:{port}/metrics")
            assert scraped.status_code == 200
            counts = samples(scraped.text, "onrecord_http_requests_total")
            assert counts['{method="GET",route="/health",status="200"}'] == 1
        with (
            pytest.raises(ConnectionRefusedError),
            socket.create_connection(("127.0.0.1", port), timeout=2),
        ):
            pass  # stopped with the app
    finally:
        get_settings.cache_clear()
