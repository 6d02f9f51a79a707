"""The explorer in a real browser, on the founding article: the green-light
claim's chain of reporting, Pompeo's timeline, lists that say who said what
where and when, the sources view, the timeline of events, accessibility, the
keyboard. (The source page with its text: test_source_text.py.)

Screenshots go to test-artifacts/. With ONRECORD_WRITE_DOCS=1 the claim page's
also replaces docs/explorer.png (the README's), so CI never edits the repo.
"""

import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import (
    ROOT,
    LiveServer,
    Offline,
    assert_public_api_only,
    open_view,
    run_axe,
)

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
    own_voice = first("tournant décisif", "claim", "tournant décisif")
    return {
        "claim": green_light["id"],
        "own_voice_claim": own_voice["id"],
        "diplomats": diplomats["id"],
        "pompeo": pompeo["id"],
        "bloomberg_report": sources["report"]["id"],
        "bloomberg": sources["report"]["publisher"]["id"],
        "article": sources["article"]["id"],
    }


def test_claim_page_draws_the_chain_and_links_to_pompeo(
    page: Any, live_server: LiveServer, ids: dict[str, str], offline: Offline, artifacts: Path
) -> None:
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

    assert_public_api_only(offline)


@pytest.mark.parametrize(
    "view", ["claim", "actor", "home", "search", "sources", "sources-by-date", "events"]
)
def test_no_serious_accessibility_violations(
    page: Any, ids: dict[str, str], view: str, artifacts: Path
) -> None:
    route, ready = {
        "claim": (f"/claims/{ids['claim']}", "[data-testid=provenance-graph]"),
        "actor": (f"/actors/{ids['pompeo']}", "[data-testid=timeline]"),
        "home": ("/", ".card-list"),
        "search": ("/search?q=Bodde", "[data-testid=results-actor]"),
        "sources": ("/sources", "[data-testid=source-group]"),
        "sources-by-date": ("/sources?by=date", "[data-testid=source-group]"),
        "events": ("/events", "[data-testid=events-timeline]"),
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


def test_every_claim_list_says_who_where_and_when(
    page: Any, ids: dict[str, str], offline: Offline
) -> None:
    article_title = "Trump aurait donné son feu vert à Haftar pour prendre Tripoli"

    # Home: each card names speaker, source and date; the source's own voice is said so.
    open_view(page, "/", "[data-testid=home-claims]")
    green = page.locator(f'[data-testid=home-claims] > [data-claim="{ids["claim"]}"]')
    records = green.locator(".record").all_inner_texts()
    assert any(
        "US diplomats" in r and "Bloomberg's report" in r and "published 24 April 2019" in r
        for r in records
    ), records
    assert any("US diplomats" in r and article_title in r for r in records), records
    own = page.locator(f'[data-testid=home-claims] > [data-claim="{ids["own_voice_claim"]}"]')
    [record] = own.locator(".record").all_inner_texts()
    assert record.startswith("the source's own voice in " + article_title), record
    assert "April 2019" in record

    # Search results: who, where, when.
    open_view(page, "/search?q=ligne rouge", "[data-testid=results-claim]")
    said = page.locator("[data-testid=results-claim] .record").all_inner_texts()
    assert any("Peter Bode" in r and article_title in r and "said February 2019" in r for r in said)
    assert any("US diplomats" in r for r in said), said
    source_result = page.locator("[data-testid=results-source] .source-meta").inner_text()
    assert "published 24" in source_result, source_result

    # A source's claims.
    open_view(page, f"/sources/{ids['article']}", "[data-testid=source-claims]")
    cards = page.locator("[data-testid=source-claims] > li")
    assert cards.count() == 11
    pompeo = cards.filter(has_text="s'est clairement opposé").locator(".record").inner_text()
    assert "Mike Pompeo" in pompeo
    assert article_title in pompeo
    assert "April 2019" in pompeo

    # An actor's page: each statement with the speaker, its source and its date.
    open_view(page, f"/actors/{ids['pompeo']}", "[data-testid=timeline]")
    statement = page.locator("[data-testid=statements-dated] > li").first.locator(".record")
    text = statement.inner_text()
    assert "Mike Pompeo" in text, text
    assert "statement of 7 April" in text
    assert "said 7 April 2019" in text

    # A chain in the source's own voice is headed as such.
    open_view(page, f"/claims/{ids['own_voice_claim']}", "[data-testid=chain-list]")
    chains = page.locator("[data-testid=chain-list]").inner_text()
    assert "in the source's own voice" in chains
    assert "Origin: the source's own voice of " + article_title in chains
    assert "no named speaker" not in chains
    assert_public_api_only(offline)


def test_sources_view_by_publisher_and_by_date(
    page: Any, live_server: LiveServer, ids: dict[str, str], offline: Offline
) -> None:
    open_view(page, "/sources", "[data-testid=source-group]")
    groups = page.locator("[data-testid=source-group]")
    names = [groups.nth(i).get_attribute("data-group") for i in range(groups.count())]
    assert names == ["Bloomberg", "White House", "No publisher recorded"]
    article = live_server.api(f"/v1/sources/{ids['article']}", expand="counts")
    row = page.locator(f'[data-source="{ids["article"]}"] .source-counts')
    assert row.get_attribute("data-claims") == str(article["counts"]["claims"]) == "11"
    assert row.get_attribute("data-attributions") == str(article["counts"]["attributions"])
    assert "11 claims, 12 attributions" in row.inner_text()
    # Within a publisher, by date: Pompeo's statement (7 April) before the article (24-30 April).
    unpublished = groups.nth(2).locator(".source-title").all_inner_texts()
    assert unpublished[0].startswith("Mike Pompeo's statement"), unpublished
    assert unpublished[-1].startswith("OnRecord editors"), unpublished  # undated, last

    page.get_by_role("link", name="month published").click()
    page.wait_for_selector('[data-testid=source-group][data-group="April 2019"]')
    names = [groups.nth(i).get_attribute("data-group") for i in range(groups.count())]
    assert names == ["April 2019", "Date unknown"]

    page.locator(f'[data-source="{ids["bloomberg_report"]}"] a').click()
    page.wait_for_url(f"**/explore#/sources/{ids['bloomberg_report']}")
    page.wait_for_selector("text=OnRecord does not hold this source's text.")
    assert_public_api_only(offline)


def test_events_timeline_draws_fuzzy_ranges_and_keeps_the_undated_apart(
    page: Any, live_server: LiveServer, offline: Offline
) -> None:
    events = live_server.api("/v1/events/timeline")["items"]
    dated = [e for e in events if e["resolved"]]
    open_view(page, "/events", "[data-testid=events-timeline]")
    chart = page.locator("[data-testid=events-timeline]")
    assert chart.locator("g.row").count() == len(dated) == 7
    # "en février": a month, drawn as a bar over the whole month.
    month = chart.locator('rect.bar[data-earliest="2019-02-01"][data-latest="2019-02-28"]')
    assert month.count() == 1
    assert float(month.get_attribute("width") or 0) > 50
    # The offensive began 4 April and has no known end: open, dashed to the edge.
    opened = chart.locator('rect.bar-open[data-earliest="2019-04-04"]')
    assert opened.count() == 1
    assert opened.evaluate("e => getComputedStyle(e).strokeDasharray") not in ("none", "")
    assert chart.locator("circle.bar-dot").count() == 5  # the days
    listed = page.locator("[data-testid=events-dated] > li").all_inner_texts()
    assert listed[0].startswith("1. February 2019")
    # The Security Council events have no date: placed after the offensive, not on the axis.
    placed = page.locator("[data-testid=events-placed]").inner_text()
    assert "placed after “Haftar's offensive on Tripoli”" in placed
    assert "Security Council" in placed
    assert "Security Council" not in chart.inner_html()
    assert_public_api_only(offline)


def test_arrow_keys_move_between_cards(page: Any) -> None:
    open_view(page, "/", "[data-testid=home-claims]")
    cards = page.locator("[data-testid=home-claims] > li")
    first = cards.nth(0).locator("[data-primary]")
    first.focus()

    def focused_card() -> int:
        return int(
            page.evaluate(
                "() => [...document.querySelectorAll('[data-testid=home-claims] > li')]"
                ".findIndex((card) => card.contains(document.activeElement))"
            )
        )

    page.keyboard.press("ArrowDown")
    assert focused_card() == 1
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowUp")
    assert focused_card() == 1
    page.keyboard.press("End")
    assert focused_card() == cards.count() - 1
    page.keyboard.press("Home")
    assert focused_card() == 0
    page.keyboard.press("Enter")
    page.wait_for_selector("[data-testid=provenance-graph]")
