"""/docs and /redoc work in a real browser that can reach nothing but OnRecord:
every tag is rendered, and Swagger UI's "Try it out" runs a search."""

from typing import Any

import pytest

from tests.browser.conftest import LiveServer, Offline

pytestmark = pytest.mark.slow  # a live server and a browser


def tag_names(document: dict[str, Any]) -> set[str]:
    used = {
        tag
        for item in document["paths"].values()
        for operation in item.values()
        if isinstance(operation, dict)
        for tag in operation.get("tags", [])
    }
    return used | {tag["name"] for tag in document.get("tags", [])}


def test_swagger_ui_renders_every_tag_and_runs_a_search(
    page: Any, live_server: LiveServer, offline: Offline, artifacts: Any
) -> None:
    tags = tag_names(live_server.api("/openapi.json"))
    assert {"claims", "actors", "search"} <= tags

    page.goto("/docs")
    page.wait_for_selector(".swagger-ui .opblock-tag-section")
    for tag in sorted(tags):
        assert page.locator(f'.opblock-tag[data-tag="{tag}"]').count() == 1, tag

    search = page.locator(".opblock-get").filter(
        has=page.locator('.opblock-summary-path[data-path="/v1/search"]')
    )
    search.locator(".opblock-summary").first.click()
    search.locator("button.try-out__btn").click()
    search.locator('tr[data-param-name="q"] input').fill("ligne rouge")
    search.locator("button.execute").click()
    status = search.locator(".live-responses-table .response .response-col_status").first
    status.wait_for()
    assert status.inner_text().strip() == "200"
    body = search.locator(".live-responses-table .response-col_description pre").first
    assert "ligne" in body.inner_text()
    page.screenshot(path=str(artifacts / "docs-try-it-out.png"))
    assert offline.blocked == [], "the page tried to reach another host"


def test_redoc_renders_offline(page: Any, live_server: LiveServer, offline: Offline) -> None:
    tags = tag_names(live_server.api("/openapi.json"))
    page.goto("/redoc")
    page.wait_for_selector("redoc .api-content h1")
    menu = page.locator(".menu-content").inner_text().lower()
    for tag in tags:
        assert tag.lower() in menu, tag
    assert offline.blocked == [], "the page tried to reach another host"
