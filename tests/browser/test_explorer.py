"""The explorer in a real browser, on the founding article: the green-light
claim's chain of reporting, Pompeo's timeline, accessibility, the keyboard.

Screenshots go to test-artifacts/. With ONRECORD_WRITE_DOCS=1 the claim page's
also replaces docs/explorer.png (the README's), so CI never edits the repo.
"""

import os
import shutil
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import ROOT, LiveServer, Offline, run_axe

pytestmark = pytest.mark.slow  # a live server and a browser


@pytest.fixture(scope="module")
def ids(live_server: LiveServer) -> dict[str, str]:
    """Ids found through the API, as a reader would."""

    def first(q: str, kind: str, contains: str) -> dict[str, Any]:
        found = live_server.api("/v1/search", q=q, types=kind, limit=20)["results"]
        match = [r for r in found if contains in str(r["summary"])]
        assert match, (q, found)
        result: dict[str, Any] = match[0]
        return result

    green_light = first("feu vert", "claim", "aurait donné son feu vert")
    diplomats = first("diplomates américains", "actor", "US diplomats")
    pompeo = first("Pompeo", "actor", "Mike Pompeo")
    provenance = live_server.api(f"/v1/claims/{green_light['id']}/provenance")
    sources = {
        hop["source"]["kind"]: hop["source"] for c in provenance["chains"] for hop in c["hops"]
    }
    return {
        "claim": green_light["id"],
        "diplomats": diplomats["id"],
        "pompeo": pompeo["id"],
        "bloomberg_report": sources["report"]["id"],
        "bloomberg": sources["report"]["publisher"]["id"],
        "article": sources["article"]["id"],
    }


def open_view(page: Any, hash_route: str, ready: str) -> None:
    page.goto(f"/explore#{hash_route}")
    page.wait_for_selector('main[aria-busy="false"]')
    page.wait_for_selector(ready)


def test_claim_page_draws_the_chain_and_links_to_pompeo(
    page: Any, live_server: LiveServer, ids: dict[str, str], offline: Offline, artifacts: Path
) -> None:
    requested: list[str] = []
    page.on("request", lambda request: requested.append(urlsplit(request.url).path))
    open_view(page, f"/claims/{ids['claim']}", "[data-testid=provenance-graph]")

    # French and English side by side.
    bilingual = page.locator("[data-testid=bilingual]")
    assert "aurait donné son feu vert" in bilingual.locator('h1[lang="fr"]').inner_text()
    assert "green light" in bilingual.locator('[lang="en"]').inner_text()

    # The chain: US diplomats (anonymous) -> Bloomberg's report -> the article.
    graph = page.locator("[data-testid=provenance-graph]")
    diplomats = graph.locator(f'[data-node="actor:{ids["diplomats"]}"]')
    report = graph.locator(f'[data-node="source:{ids["bloomberg_report"]}"]')
    article = graph.locator(f'[data-node="source:{ids["article"]}"]')
    assert "US diplomats" in diplomats.inner_html()
    assert "ANONYMOUS" in diplomats.inner_html()
    assert "node-anonymous" in (diplomats.get_attribute("class") or "")
    assert "BLOOMBERG" in report.inner_html()
    assert "Trump aurait donné son feu vert" in (article.get_attribute("data-name") or "")
    layers = [int(n.get_attribute("data-layer") or -1) for n in (diplomats, report, article)]
    assert layers == [0, 1, 2]
    said = graph.locator(
        f'path[data-from="actor:{ids["diplomats"]}"][data-to="source:{ids["bloomberg_report"]}"]'
    )
    relayed = graph.locator(
        f'path[data-from="source:{ids["bloomberg_report"]}"][data-to="source:{ids["article"]}"]'
    )
    assert said.get_attribute("data-certainty") == "unknown"
    assert relayed.get_attribute("data-certainty") == "alleged"
    # Line style is certainty: dashed for alleged, dotted for unknown, as the legend says.
    assert relayed.evaluate("e => getComputedStyle(e).strokeDasharray") not in ("none", "")
    assert "alleged" in page.locator("ul.legend").inner_text()
    assert graph.locator("title").first.text_content() == "Provenance graph"

    # The text alternative says the same, origin first.
    chains = page.locator("[data-testid=chain-list]").inner_text()
    assert "Origin: US diplomats" in chains
    assert "Said in: Bloomberg's report" in chains
    assert "Relayed in: Trump aurait donné son feu vert" in chains
    assert "ont confié" in chains

    # Conflicts: Pompeo's opposition (C8) and Bode's red line (C9).
    conflicts = page.locator("[data-testid=conflicts]").inner_text()
    assert "s'est clairement opposé" in conflicts
    assert "ligne rouge" in conflicts

    page.screenshot(path=str(artifacts / "explorer-claim.png"), full_page=True)
    top = artifacts / "explorer-claim-top.png"
    graph_box = page.locator(".graph-figure").bounding_box()
    assert graph_box is not None
    bottom = graph_box["y"] + graph_box["height"] + 24
    page.screenshot(path=str(top), clip={"x": 0, "y": 0, "width": 1280, "height": bottom})
    if os.environ.get("ONRECORD_WRITE_DOCS") == "1":
        shutil.copyfile(top, ROOT / "docs" / "explorer.png")

    # Follow a link to Pompeo's page: his timeline.
    page.locator("[data-testid=conflicts]").get_by_role("link", name="Mike Pompeo").first.click()
    page.wait_for_url(f"**/explore#/actors/{ids['pompeo']}")
    page.wait_for_selector("[data-testid=timeline]")
    assert page.locator("h1").inner_text() == "Mike Pompeo"
    entry = page.locator("[data-testid=statements-dated] li").first
    assert "7 April 2019" in entry.inner_text()
    assert "s'est clairement opposé" in entry.inner_text()
    assert "7 April 2019" in page.locator("[data-testid=timeline]").inner_html()
    assert page.locator("[data-testid=statements-undated] li").count() >= 1
    page.screenshot(path=str(artifacts / "explorer-actor.png"), full_page=True)

    assert offline.blocked == []
    api = [path for path in requested if not path.startswith("/explore")]
    assert api, requested
    assert all(path.startswith("/v1/") for path in api), api


@pytest.mark.parametrize("view", ["claim", "actor", "home", "search"])
def test_no_serious_accessibility_violations(
    page: Any, ids: dict[str, str], view: str, artifacts: Path
) -> None:
    route, ready = {
        "claim": (f"/claims/{ids['claim']}", "[data-testid=provenance-graph]"),
        "actor": (f"/actors/{ids['pompeo']}", "[data-testid=timeline]"),
        "home": ("/", ".card-list"),
        "search": ("/search?q=Bodde", "[data-testid=results-actor]"),
    }[view]
    open_view(page, route, ready)
    violations = run_axe(page)
    assert not violations, [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in violations
    ]


def test_keyboard_reaches_search_and_follows_a_link(page: Any, ids: dict[str, str]) -> None:
    open_view(page, "/", ".card-list")

    def tab_to(predicate: str, limit: int = 40) -> None:
        for _ in range(limit):
            page.keyboard.press("Tab")
            if page.evaluate(f"() => {{ const e = document.activeElement; return {predicate}; }}"):
                return
        raise AssertionError(f"Tab never reached {predicate}")

    tab_to("e.id === 'search-input'", limit=6)
    page.keyboard.type("Bodde")
    page.keyboard.press("Enter")
    page.wait_for_selector("[data-testid=results-actor]")
    tab_to("e.tagName === 'A' && e.getAttribute('href').startsWith('#/actors/')")
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("none", ""), "the focused link shows no focus ring"
    page.keyboard.press("Enter")
    page.wait_for_selector("main[data-view=actors] h1")
    assert page.locator("h1").inner_text() == "Peter Bode"
    assert page.evaluate("() => document.activeElement.id") == "page-title"
