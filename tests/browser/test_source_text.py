"""A source's page with its text: every attribution's speaker, cue and content
highlighted, one ``<mark data-role>`` per span (split where spans cross),
each opening its attribution. On the founding article, on a generated source
of 100,000 code points (rendered by the chunk in view, and not freezing the
page), and on one PolNeAR dev article imported through the importer (skipped
without ../shared/polnear; its text is never written anywhere).
"""

import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.browser.conftest import (
    LiveServer,
    Offline,
    ScratchServer,
    assert_public_api_only,
    open_view,
    run_axe,
)
from tests.browser.long_source import LENGTH, long_bundle

# A live server and a browser. The scratch server is made first: its database
# is set up with asyncio.run, which cannot run once the module's browser (and
# Playwright's event loop) is open.
pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("scratch_server")]

POLNEAR = Path(__file__).resolve().parents[3] / "shared" / "polnear"
POLNEAR_ARTICLE = "politico_2016-09-08_flynn-says-trump-absolutely-righ"
"""Six annotators over one short article: the same words marked up to six
times, discontinuous contents, spans that cross."""

READY_WITHIN_S = 5.0
"""Time from navigation to a highlighted, clickable text; a bound on a shared
2-core machine, not a benchmark."""
LONGEST_TASK_MS = 1000
"""A main-thread task longer than this would freeze the page."""

# Every highlight, grouped by span: its role, and its pieces' text joined
# (a span cut where another crosses it is two marks with the same data-span).
MARKS_BY_SPAN = """(root) => {
  const spans = {};
  for (const mark of root.querySelectorAll("mark.hl")) {
    const span = (spans[mark.dataset.span] ||= {
      role: mark.dataset.role, group: mark.dataset.group, text: "", firsts: 0,
    });
    span.text += mark.textContent;
    if (mark.dataset.piece === "first") span.firsts += 1;
  }
  return spans;
}"""


DRAWN = "document.querySelectorAll('[data-testid=source-text] .hl-chunk[data-rendered]').length"


def fragments(server: LiveServer, source_id: str) -> list[dict[str, Any]]:
    """Every span of every attribution recorded in the source, from the API."""
    found: list[dict[str, Any]] = []
    cursor = None
    while True:
        page = server.api(
            "/v1/attributions",
            source_id=source_id,
            limit=200,
            **({"cursor": cursor} if cursor else {}),
        )
        for attribution in page["items"]:
            spans = attribution["spans"] or (
                [{"role": "content", **attribution["span"]}] if attribution["span"] else []
            )
            found += [{**span, "attribution": attribution["id"]} for span in spans]
        cursor = page["next"]
        if not cursor:
            return found


def check_marks(page: Any, expected: list[dict[str, Any]]) -> dict[str, int]:
    """Each span of the API is one highlight of its role, showing exactly its
    words, and focusable once; returns the count per role."""
    text = page.locator("[data-testid=source-text]")
    marks = text.evaluate(MARKS_BY_SPAN)
    assert len(marks) == len(expected)
    per_role = Counter(mark["role"] for mark in marks.values())
    assert per_role == Counter(span["role"] for span in expected)
    wanted = Counter((s["attribution"], s["role"], s["text"]) for s in expected)
    shown = Counter((m["group"], m["role"], m["text"]) for m in marks.values())
    assert shown == wanted
    assert all(mark["firsts"] == 1 for mark in marks.values())
    return dict(per_role)


def test_the_founding_article_highlights_every_speaker_cue_and_content(
    page: Any, live_server: LiveServer, offline: Offline
) -> None:
    article = live_server.api("/v1/search", q="feu vert", types="source")["results"][0]["id"]
    expected = fragments(live_server, article)
    open_view(page, f"/sources/{article}", "[data-testid=source-text] mark")
    counts = check_marks(page, expected)
    # 12 records: 12 contents; a speaker and a cue each save the own voice (5) and C6 (no cue).
    assert counts == {"content": 12, "speaker": 7, "cue": 6}
    assert (
        "7 speakers, 6 cues, 12 content spans"
        in page.get_by_test_id("highlight-counts").inner_text()
    )
    # Nested: Bode's words "une ligne rouge" inside the diplomats' content.
    outer = page.locator(
        'mark[data-role=content]:has(mark[data-role=content]:text-is("une ligne rouge"))'
    )
    assert outer.count() == 1
    assert outer.inner_text() == 'la capitale Tripoli était "une ligne rouge"'
    # Colour is not the only cue: each role has its own underline style.
    styles = {
        role: page.locator(f"mark[data-role={role}]").first.evaluate(
            "e => getComputedStyle(e).borderBottomStyle"
        )
        for role in ("speaker", "cue", "content")
    }
    assert styles == {"speaker": "solid", "cue": "double", "content": "dashed"}

    # Click the cue "ont confié": the green-light attribution, with its relay chain.
    page.locator('mark[data-role=cue]:text-is("ont confié")').click()
    panel = page.get_by_test_id("attribution")
    page.wait_for_selector("[data-testid=relay-chain]")
    facts = panel.locator(".attribution-facts").inner_text()
    assert "US diplomats" in facts
    assert "ANONYMOUS" in facts.upper()
    assert "paraphrase, cue ont confié" in facts  # the cue in <q>
    assert "alleged" in facts
    assert "not given" in facts  # time
    chain = panel.get_by_test_id("relay-chain").locator("li").all_inner_texts()
    assert len(chain) == 2
    assert "Bloomberg's report" in chain[0]
    assert "unknown" in chain[0]
    assert "this source" in chain[1]
    assert "this highlight" in chain[1]
    attribution = panel.get_attribute("data-attribution")
    assert page.evaluate("location.hash").endswith(f"?attribution={attribution}")
    green = live_server.api(f"/v1/attributions/{attribution}")
    assert green["cue"] == "ont confié"
    assert green["certainty"] == "alleged"

    # The same place on a narrow screen, reached by its address: Bode's quote.
    bode = live_server.api("/v1/search", q="Bodde", types="actor")["results"][0]["id"]
    [quote] = live_server.api("/v1/attributions", speaker_id=bode)["items"]
    open_view(page, f"/sources/{article}?attribution={quote['id']}", "[data-testid=relay-chain]")
    assert panel.get_attribute("data-attribution") == quote["id"]
    assert "February 2019" in panel.inner_text()
    assert "en février" in panel.inner_text()
    chain = panel.get_by_test_id("relay-chain").locator("li").all_inner_texts()
    assert "Peter Bode" in chain[0]
    assert "this highlight" in chain[0]
    assert "US diplomats" in chain[1]
    assert "affirment" in chain[1]
    assert not run_axe(page)
    assert_public_api_only(offline)


def test_keyboard_moves_through_highlights_and_opens_one(
    page: Any, live_server: LiveServer
) -> None:
    article = live_server.api("/v1/search", q="feu vert", types="source")["results"][0]["id"]
    open_view(page, f"/sources/{article}", "[data-testid=source-text] mark")
    # One Tab stop for the whole text: the first highlight.
    tabbable = page.locator('[data-testid=source-text] mark[tabindex="0"]')
    assert tabbable.count() == 1
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.tagName") == "MARK":
            break
    active = "() => [document.activeElement.dataset.role, document.activeElement.textContent]"
    role, text = page.evaluate(active)
    assert (role, text.startswith("Le président Trump")) == ("content", True)
    assert page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle") != "none"
    page.keyboard.press("ArrowRight")  # in text order: the next span is C2's content
    assert page.evaluate(active)[1].startswith("marquant un tournant")
    page.keyboard.press("ArrowRight")
    assert page.evaluate(active) == ["cue", "ont confié"]
    page.keyboard.press("Enter")
    page.wait_for_selector("[data-testid=relay-chain]")
    assert "ont confié" in page.get_by_test_id("attribution").inner_text()
    page.keyboard.press("Escape")  # closes it, the focus stays in the text
    assert page.get_by_test_id("attribution").get_attribute("data-open") is None
    assert page.evaluate(active) == ["cue", "ont confié"]
    page.keyboard.press("End")
    assert page.evaluate(active)[1].startswith("Washington qui a initialement")
    page.keyboard.press(" ")
    panel = page.get_by_test_id("attribution")
    page.wait_for_function(
        "() => document.querySelector('[data-testid=attribution]').innerText.includes('own voice')"
    )
    assert "the source's own voice" in panel.locator(".attribution-facts").inner_text()
    panel.get_by_role("button", name="Close the attribution").click()
    assert panel.get_attribute("data-open") is None
    assert page.evaluate(active)[0] == "content"  # back in the text, where it was


def test_a_text_of_100000_code_points_renders_the_part_in_view(
    scratch_server: ScratchServer, offline: Offline, scratch_page: Any
) -> None:
    bundle, counts = long_bundle()
    response = httpx.post(
        f"{scratch_server.url}/v1/bundles", json=bundle, headers=scratch_server.write, timeout=60
    )
    assert response.status_code in (200, 201), response.text
    source_id = response.json()["ids"]["long"]
    assert scratch_server.api(f"/v1/sources/{source_id}")["text_length"] == LENGTH
    page = scratch_page
    page.add_init_script(
        "window.__longTasks = [];"
        "new PerformanceObserver((list) => list.getEntries().forEach("
        "(entry) => window.__longTasks.push(entry.duration))"
        ").observe({type: 'longtask', buffered: true});"
    )
    started = time.monotonic()
    open_view(page, f"/sources/{source_id}", "[data-testid=source-text] mark[data-role=speaker]")
    page.locator("[data-testid=source-text] mark[data-role=speaker]").first.click()
    page.wait_for_selector("[data-testid=attribution][data-open]")
    ready = time.monotonic() - started
    chunks = page.locator("[data-testid=source-text] .hl-chunk")
    drawn = page.locator("[data-testid=source-text] .hl-chunk[data-rendered]")
    total, at_first = chunks.count(), drawn.count()
    print(
        f"\n100,000 code points, {sum(counts.values())} spans: clickable after {ready:.2f} s; "
        f"{at_first} of {total} chunks drawn"
    )
    assert ready < READY_WITHIN_S
    assert total >= 30
    assert at_first <= 4

    # To the last highlight by keyboard: its chunk is drawn when reached.
    page.keyboard.press("End")
    last = page.evaluate("() => document.activeElement.textContent")
    assert "adoptée" in last or "Porte-parole" in last
    page.keyboard.press("Enter")
    page.wait_for_function(f"(n) => {DRAWN} > n", arg=at_first)
    # Scrolled through to the end, every span is there, with its exact words
    # (the emoji before each would shift UTF-16 offsets: these are code points).
    page.evaluate("() => window.scrollTo(0, 0)")
    for index in range(total):
        chunks.nth(index).scroll_into_view_if_needed()
    page.wait_for_function(f"(n) => {DRAWN} === n", arg=total)
    check_marks(page, fragments(scratch_server, source_id))
    longest = max(page.evaluate("() => window.__longTasks") or [0])
    print(f"longest main-thread task: {longest:.0f} ms")
    assert longest < LONGEST_TASK_MS
    assert_public_api_only(offline)


@pytest.mark.polnear
@pytest.mark.skipif(
    not (POLNEAR / "dev" / "text" / f"{POLNEAR_ARTICLE}.txt").is_file(),
    reason=f"the PolNeAR corpus is not at {POLNEAR} (../shared/polnear beside the repository)",
)
def test_a_polnear_article_shows_its_annotations(
    scratch_server: ScratchServer, offline: Offline, scratch_page: Any
) -> None:
    from app.bundles.brat.metadata import find_metadata, read_metadata
    from app.bundles.brat.reader import annotator_of, find_articles

    articles, _ = find_articles(POLNEAR / "dev")
    [article] = [a for a in articles if a.name == POLNEAR_ARTICLE]
    metadata = find_metadata(read_metadata(POLNEAR / "metadata.tsv"), "dev", article.name)
    text = article.text.read_text(encoding="utf-8")
    body = {
        "name": article.label,
        "text": text,
        "annotations": [
            {"annotator": annotator_of(ann, article.name), "ann": ann.read_text(encoding="utf-8")}
            for ann in article.annotations
        ],
        "metadata": metadata.model_dump(mode="json") if metadata else None,
    }
    response = httpx.post(
        f"{scratch_server.url}/v1/imports/brat", json=body, headers=scratch_server.write, timeout=60
    )
    assert response.status_code in (200, 201), response.text
    [source] = [
        s
        for s in scratch_server.api("/v1/sources", kind="article", limit=200)["items"]
        if s["text_length"] == len(text)
    ]
    expected = fragments(scratch_server, source["id"])
    assert len({span["attribution"] for span in expected}) > 40  # six annotators' records
    page = scratch_page
    open_view(page, f"/sources/{source['id']}", "[data-testid=source-text] mark")
    counts = check_marks(page, expected)
    assert counts["speaker"]
    assert counts["cue"]
    assert counts["content"]
    # Click through: a speaker highlight opens its own attribution. (Clicking
    # lands on the innermost mark: several annotators marked the same words.)
    speakers = "[data-testid=source-text] mark[data-role=speaker][data-piece=first]"
    mark = page.locator(f"{speakers}:not(:has(mark))").nth(2)
    attribution_id = mark.get_attribute("data-group")
    mark.click()
    page.wait_for_selector("[data-testid=relay-chain]")
    panel = page.get_by_test_id("attribution")
    assert panel.get_attribute("data-attribution") == attribution_id
    record = scratch_server.api(f"/v1/attributions/{attribution_id}", expand="speaker")
    assert record["speaker"]["name"] in panel.locator(".attribution-facts").inner_text()
    # An enclosing mark, by keyboard: Enter opens that one.
    outer = page.locator(f"{speakers}:has(mark)").first
    outer.focus()
    page.keyboard.press("Enter")
    page.wait_for_function(
        "(id) => document.querySelector('[data-testid=attribution]').dataset.attribution === id",
        arg=outer.get_attribute("data-group"),
    )
    assert not run_axe(page)
    assert_public_api_only(offline)
