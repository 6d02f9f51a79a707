"""The extraction review page (#/review), in Chromium, on a server of its own
with the demo loaded (what is stored here never shows in another test's
screenshots): the founding article (French) and an English text of our own
sent to POST /v1/extractions, the proposal highlighted as on a source's page
(one mark per proposed span, each showing exactly its words) and one card
per proposed attribution, moved through with the keyboard; a span corrected
by selecting words in the text, a speaker changed (a stored actor found by
search, a proposed one), accepted and rejected proposals stored as one
bundle with the tab's write key, then found through the API with `review`
set; the same bundle downloaded without a key; refusals (a text the API
refuses, a key that may only read) shown with nothing stored.
"""

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from app.demo import demo_bundle
from tests.browser.conftest import (
    SCREENS,
    Offline,
    ScratchServer,
    assert_fits_and_accessible,
    assert_public_api_only,
    browsing,
    open_view,
    refusals,
    scratch_live_server,
    screenshot,
)
from tests.write_keys import write_headers_for

# A live server and a browser; the module's server is made before the browser
# opens (its database is set up with asyncio.run, which cannot run once
# Playwright's event loop is).
pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("reviewing")]

ARTICLE = next(s for s in demo_bundle()["sources"] if s["ref"] == "S0")["full_text"]
ENGLISH = (
    "The mayor of Riverton, Dana Okafor, said on Tuesday that the bridge would reopen in "
    "March. “We will not cut corners,” she told reporters. Officials familiar with the "
    "plan said it had been delayed twice."
)
EXTRACTION = [r"POST /v1/extractions"]
STORING = [r"POST /v1/extractions", r"POST /v1/bundles"]
PROPOSAL_TIMEOUT = 120_000  # ms: the first French text loads spaCy in a worker
POLNEAR_TEXT = (
    Path(__file__).resolve().parents[3]
    / "shared"
    / "polnear"
    / "dev"
    / "text"
    / "politico_2016-09-08_flynn-says-trump-absolutely-righ.txt"
)


@dataclass
class Reviewing:
    server: ScratchServer
    read_only: dict[str, str]

    @property
    def key(self) -> str:
        return self.server.write["Authorization"].removeprefix("Bearer ")

    def reviewed(self) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = self.server.api(
            "/v1/attributions", reviewed="true", limit=200, expand="speaker,claim"
        )["items"]
        return items


@pytest.fixture(scope="module")
def reviewing(server_url_: str) -> Iterator[Reviewing]:
    with scratch_live_server(server_url_, "browser_review", demo=True) as server:
        reader = write_headers_for(server.database_url, name="reader", scope="read")
        yield Reviewing(server=server, read_only=reader)


@pytest.fixture
def tab(browser: Any, reviewing: Reviewing, offline: Offline) -> Iterator[Any]:
    with browsing(browser, reviewing.server, offline) as page:
        yield page


def propose(page: Any, text: str, language: str, published: str) -> None:
    """Fill the form and wait for the proposal's cards."""
    open_view(page, "/review", "[data-testid=review-form]")
    page.fill("#review-text", text)
    page.select_option("#review-language", language)
    page.fill("#review-published", published)
    page.get_by_role("button", name="Propose attributions").click()
    page.wait_for_selector("[data-testid=review-cards]", timeout=PROPOSAL_TIMEOUT)


def card(page: Any, ref: str) -> Any:
    return page.locator(f'[data-testid=review-cards] [data-ref="{ref}"]')


def editing(page: Any, ref: str) -> Any:
    """The card of ``ref`` with its speaker, mode, certainty, relay and time shown."""
    found = card(page, ref)
    details = found.locator("details.review-edit")
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    expect(details).to_have_attribute("open", "")
    return found


def marks_shown(page: Any) -> dict[str, list[tuple[str, str]]]:
    """Every proposal's marks in the text: (role, words) by proposal ref (the
    words of a mark cut in pieces by a crossing one joined)."""
    found: dict[str, list[list[str]]] = page.evaluate(
        """() => {
          const out = {};
          const text = document.querySelector('[data-testid=review-text]');
          for (const mark of text.querySelectorAll('mark[data-piece=first]')) {
            const pieces = text.querySelectorAll(`mark[data-span="${mark.dataset.span}"]`);
            const words = [...pieces].map((p) => p.textContent).join('');
            (out[mark.dataset.group] ||= []).push([mark.dataset.role, words]);
          }
          return out;
        }"""
    )
    return {ref: [(role, words) for role, words in marks] for ref, marks in found.items()}


def test_a_french_proposal_is_highlighted_with_a_card_each(
    tab: Any, reviewing: Reviewing, offline: Offline
) -> None:
    page = tab
    expected = reviewing_proposal(reviewing, ARTICLE, "fr", "2019-04-26")
    propose(page, ARTICLE, "auto", "2019-04-26")
    expect(page.locator("[data-testid=review-summary]")).to_contain_text(
        f"French text, read by {expected['model']['name']}"
    )
    refs = [a["ref"] for a in expected["attributions"]]
    expect(page.locator("[data-testid=review-cards] > [data-card]")).to_have_count(len(refs))
    # One mark per proposed span, showing exactly its words.
    marks = marks_shown(page)
    for attribution in expected["attributions"]:
        shown = marks.get(attribution["ref"], [])
        spans = [(s["role"], s["text"]) for s in attribution["spans"]]
        assert sorted(shown) == sorted(spans), attribution["ref"]
    confided = next(
        a for a in expected["attributions"] if any(s["text"] == "ont confié" for s in a["spans"])
    )
    green = card(page, confided["ref"])
    expect(green).to_contain_text("des diplomates américains")
    expect(green.locator(f"#{confided['ref']}-certainty")).to_have_value("alleged")
    expect(green).to_contain_text("The model read it from “aurait”.")
    expect(green.locator("[data-testid=review-facts]")).to_contain_text(
        f"paraphrase · alleged · time not given · relays A{confided['relayed_through']}"
    )
    expect(green.locator("[data-testid=review-status]")).to_have_text("not decided")
    # A proposal in a source the text names (Bloomberg's report) has a card, no words.
    relayed = card(page, f"A{confided['relayed_through']}")
    expect(relayed).to_contain_text("Said in Report of Bloomberg")

    # Keyboard: a highlight opens its card; arrow keys move between cards.
    page.locator(f'[data-testid=review-text] mark[data-group="{confided["ref"]}"]').first.click()
    expect(green.locator("[data-primary]")).to_be_focused()
    page.keyboard.press("ArrowDown")
    following = refs[refs.index(confided["ref"]) + 1]
    expect(card(page, following).locator("[data-primary]")).to_be_focused()
    page.keyboard.press("Home")
    expect(card(page, refs[0]).locator("[data-primary]")).to_be_focused()
    # Enter on a card's title shows its words in the text, focused.
    page.keyboard.press("Enter")
    expect(page.locator(f'mark[data-group="{refs[0]}"].hl-selected').first).to_be_visible()
    assert page.evaluate("() => document.activeElement.dataset.group") == refs[0]
    assert_public_api_only(offline, EXTRACTION)


def test_an_english_proposal_with_its_own_words(
    tab: Any, reviewing: Reviewing, offline: Offline
) -> None:
    page = tab
    propose(page, ENGLISH, "en", "2026-12-01")
    expect(page.locator("[data-testid=review-summary]")).to_contain_text("English text")
    expect(page.locator("[data-testid=review-cards] > [data-card]")).to_have_count(3)
    marks = marks_shown(page)
    assert ("content", "We will not cut corners") in marks["A1"]
    expect(card(page, "A1")).to_contain_text("Dana Okafor")
    expect(card(page, "A1").locator("#A1-mode")).to_have_value("direct_quote")
    expect(card(page, "A0").locator("#A0-earliest")).to_have_value("2026-12-01")
    assert_public_api_only(offline, EXTRACTION)


def reviewing_proposal(reviewing: Reviewing, text: str, language: str, day: str) -> Any:
    """The proposal as the API gives it to any client."""
    response = httpx.post(
        f"{reviewing.server.url}/v1/extractions",
        json={"text": text, "language": language, "published": day},
        timeout=120,
    )
    assert response.status_code == 200, response.text
    return response.json()


# ---------------------------------------------------------------- corrections and storing


def select_words(page: Any, words: str) -> None:
    """Select ``words`` in the highlighted text, as a mouse would (the first
    place they occur; they may run across marks)."""
    page.evaluate(
        """(words) => {
          const root = document.querySelector('[data-testid=review-text]');
          const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
          const nodes = [];
          let all = '';
          for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            nodes.push([node, all.length]);
            all += node.data;
          }
          const start = all.indexOf(words);
          if (start < 0) throw new Error(`not in the text: ${words}`);
          const at = (offset) => {
            const [node, from] = nodes.filter(([n, f]) => f <= offset).at(-1);
            return [node, offset - from];
          };
          const range = document.createRange();
          range.setStart(...at(start));
          range.setEnd(...at(start + words.length));
          getSelection().removeAllRanges();
          getSelection().addRange(range);
        }""",
        words,
    )
    expect(page.locator("[data-testid=review-selection] q")).to_have_text(words)


def give_key_when_asked(page: Any, key: str) -> None:
    dialog = page.locator("#write-key-dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Storing reviewed attributions needs a write key.")
    page.fill("#write-key-input", key)
    page.keyboard.press("Enter")


def by_cue(proposal: dict[str, Any], cue: str) -> str:
    ref: str = next(
        a["ref"]
        for a in proposal["attributions"]
        if any(s["role"] == "cue" and s["text"] == cue for s in a["spans"])
    )
    return ref


def test_a_french_review_corrected_and_stored_in_one_bundle(
    tab: Any, reviewing: Reviewing, offline: Offline
) -> None:
    page = tab
    proposal = reviewing_proposal(reviewing, ARTICLE, "fr", "2019-04-26")
    pompeo = reviewing.server.api("/v1/search", q="Mike Pompeo", types="actor")["results"][0]
    assert pompeo["summary"]["name"] == "Mike Pompeo"
    before = {a["id"] for a in reviewing.reviewed()}
    opposed = by_cue(proposal, "s'est clairement opposé")
    confided = by_cue(proposal, "ont confié")
    bloomberg = (
        f"A{next(a for a in proposal['attributions'] if a['ref'] == confided)['relayed_through']}"
    )
    rejected = by_cue(proposal, "Selon")
    propose(page, ARTICLE, "fr", "2019-04-26")

    # The content of "s'est clairement opposé", corrected by selecting its words.
    words = "à l'offensive militaire menée par les troupes de Khalifa Haftar"
    select_words(page, words)
    corrected = card(page, opposed)
    corrected.locator(f"#{opposed}-role").select_option("content")
    corrected.get_by_role("button", name="Replace with the selection").click()
    expect(corrected.locator(".review-spans [data-role=content] q")).to_have_text(words)
    expect(corrected.locator("[data-testid=review-status]")).to_contain_text("corrected: spans")
    content_marks = page.locator(
        f'[data-testid=review-text] mark[data-group="{opposed}"][data-role=content]'
    )
    expect(content_marks).to_have_text([words])

    # Its speaker: Mike Pompeo, a stored actor found by search.
    corrected = editing(page, opposed)
    corrected.locator(f"#{opposed}-find").fill("Pompeo")
    corrected.get_by_role("button", name="Find", exact=True).click()
    corrected.get_by_role("button", name="Choose Mike Pompeo").click()
    expect(corrected.locator(f"#{opposed}-speaker")).to_have_value(f"id:{pompeo['id']}")
    expect(corrected.locator("[data-testid=review-status]")).to_contain_text(
        "corrected: spans, speaker"
    )
    # It relays nothing: the statement of 7 April is not stored.
    corrected.locator(f"#{opposed}-relay").select_option("")
    expect(corrected.locator("[data-testid=review-status]")).to_contain_text(
        "corrected: spans, speaker, relay"
    )
    corrected.get_by_role("button", name="Accept").click()
    # Bloomberg's report says what the article's attribution relaying it says: not alone.
    card(page, bloomberg).get_by_role("button", name="Accept").click()
    store = page.get_by_role("button", name="Store the accepted attributions")
    expect(page.locator("[data-testid=review-blocking]")).to_contain_text(
        f"{bloomberg}: it says what the attribution relaying it says: accept that one too"
    )
    expect(store).to_be_disabled()
    card(page, confided).get_by_role("button", name="Accept").click()
    expect(page.locator("[data-testid=review-blocking] li")).to_have_count(0)
    expect(store).to_be_enabled()
    card(page, rejected).get_by_role("button", name="Reject").click()
    expect(page.locator(f'[data-testid=review-text] mark[data-group="{rejected}"]')).to_have_count(
        0
    )
    expect(page.locator("[data-testid=review-counts]")).to_contain_text(
        "3 accepted (1 corrected), 1 rejected"
    )

    page.get_by_role("button", name="Store the accepted attributions").click()
    give_key_when_asked(page, reviewing.key)
    stored = page.locator("[data-testid=store-status]")
    expect(stored).to_contain_text("Stored as one bundle: 3 attributions")
    expect(stored).to_be_focused()

    # Through the API: the three, with what the person decided.
    found = [a for a in reviewing.reviewed() if a["id"] not in before]
    by_review: dict[str, list[dict[str, Any]]] = {"accepted": [], "corrected": []}
    for a in found:
        by_review[a["review"]].append(a)
    assert {k: len(v) for k, v in by_review.items()} == {"accepted": 2, "corrected": 1}, found
    [fixed] = by_review["corrected"]
    assert fixed["speaker_id"] == pompeo["id"]
    assert [s["text"] for s in fixed["spans"] if s["role"] == "content"] == [words]
    assert fixed["claim"]["text"] == words
    assert fixed["speaker_resolution"]["method"] == "manual"
    assert fixed["relayed_through_id"] is None
    assert fixed["extraction"]["model"] == proposal["model"]["name"]
    green = next(a for a in by_review["accepted"] if a["cue"] == "ont confié")
    relay = next(a for a in by_review["accepted"] if a is not green)
    assert green["relayed_through_id"] == relay["id"]  # through Bloomberg's report
    assert green["certainty"] == "alleged"
    assert relay["claim_id"] == green["claim_id"]
    assert_public_api_only(offline, STORING)
    assert [m for m, _, _ in offline.authorized] == ["POST"]
    assert all(url.endswith("/v1/bundles") for _, url, _ in offline.authorized)


def test_an_english_review_corrected_stored_and_downloaded(
    tab: Any, reviewing: Reviewing, offline: Offline
) -> None:
    page = tab
    before = {a["id"] for a in reviewing.reviewed()}
    propose(page, ENGLISH, "en", "2026-12-01")
    select_words(page, "the bridge would reopen in March")
    card(page, "A0").get_by_role("button", name="Replace with the selection").click()
    expect(card(page, "A0").locator("[data-testid=review-status]")).to_contain_text(
        "corrected: spans"
    )
    # The officials were the mayor all along: a proposed actor chosen from the list.
    okafor = card(page, "A1").locator("#A1-speaker").input_value()
    editing(page, "A2").locator("#A2-speaker").select_option(okafor)
    card(page, "A2").locator("#A2-certainty").select_option("alleged")
    card(page, "A2").locator("#A2-earliest").fill("2026-11-20")
    card(page, "A2").locator("#A2-latest").fill("2026-11-30")
    expect(card(page, "A2").locator("[data-testid=review-status]")).to_contain_text(
        "corrected: speaker, certainty, time"
    )
    for ref in ("A0", "A1", "A2"):
        card(page, ref).get_by_role("button", name="Accept").click()

    # Without a key, the bundle is there to download.
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the bundle (JSON)").click()
    bundle = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    reviews = {a["ref"]: a["review"] for a in bundle["attributions"]}
    assert reviews == {"A0": "corrected", "A1": "accepted", "A2": "corrected"}
    assert offline.authorized == []
    assert [m for m, _ in offline.api_requests() if m != "GET"] == ["POST"]  # the extraction

    page.get_by_role("button", name="Store the accepted attributions").click()
    give_key_when_asked(page, reviewing.key)
    expect(page.locator("[data-testid=store-status]")).to_contain_text("3 attributions (3 new)")
    mine = [a for a in reviewing.reviewed() if a["id"] not in before]
    found = {f"{a['cue']}:{a['claim']['text']}": a for a in mine}
    assert set(found) == {
        "said:the bridge would reopen in March",
        "told:We will not cut corners",
        "said:it had been delayed twice",
    }
    assert found["said:the bridge would reopen in March"]["review"] == "corrected"
    assert found["told:We will not cut corners"]["review"] == "accepted"
    officials = found["said:it had been delayed twice"]
    assert (officials["review"], officials["certainty"]) == ("corrected", "alleged")
    assert officials["speaker"]["name"] == "Dana Okafor"
    assert (officials["time"]["earliest"], officials["time"]["latest"]) == (
        "2026-11-20",
        "2026-11-30",
    )
    assert officials["speaker_id"] == found["told:We will not cut corners"]["speaker_id"]
    assert_public_api_only(offline, STORING)


def test_refusals_are_shown_and_nothing_is_stored(
    tab: Any, reviewing: Reviewing, offline: Offline
) -> None:
    page = tab
    before = reviewing.reviewed()
    # A text the API refuses (white space only): its words, no proposal.
    open_view(page, "/review", "[data-testid=review-form]")
    page.fill("#review-text", "   ")
    page.get_by_role("button", name="Propose attributions").click()
    problem = page.locator("[data-testid=review-problem]")
    expect(problem).to_contain_text("No proposal.")
    expect(problem).to_contain_text("/text")
    expect(page.locator("[data-testid=review-cards]")).to_have_count(0)
    assert refusals(page, 1) == [422]

    # A key that may only read: 403 in words, nothing stored.
    propose(page, ENGLISH, "en", "2026-12-01")
    card(page, "A1").get_by_role("button", name="Accept").click()
    page.get_by_role("button", name="Store the accepted attributions").click()
    give_key_when_asked(page, reviewing.read_only["Authorization"].removeprefix("Bearer "))
    refused = page.locator("[data-testid=store-problem]")
    expect(refused).to_contain_text("This key may read but not write, so nothing was changed.")
    expect(page.get_by_role("button", name="Store the accepted attributions")).to_be_enabled()
    assert refusals(page, 1) == [403]
    assert reviewing.reviewed() == before
    assert_public_api_only(offline, STORING)


def test_a_stored_source_opened_for_review(
    tab: Any, reviewing: Reviewing, offline: Offline
) -> None:
    page = tab
    article = reviewing.server.api("/v1/search", q="feu vert", types="source")["results"][0]["id"]
    open_view(page, f"/sources/{article}", "[data-testid=source-text]")
    page.get_by_role("link", name="Review what the extraction model proposes for this text").click()
    page.wait_for_selector("[data-testid=review-form]")
    expect(page.locator("#review-text")).to_have_value(ARTICLE)
    expect(page.locator("#review-text")).to_have_attribute("readonly", "")
    expect(page.locator("#review-language")).to_have_value("fr")
    # Stored as published 24–30 April 2019: the day is the reader's to give.
    expect(page.locator("#review-published")).to_have_value("")
    expect(page.locator("[data-testid=published-help]")).to_contain_text(
        "published 24 – 30 April 2019"
    )
    page.fill("#review-published", "2019-04-26")
    page.get_by_role("button", name="Propose attributions").click()
    page.wait_for_selector("[data-testid=review-cards]", timeout=PROPOSAL_TIMEOUT)
    card(page, "A0").get_by_role("button", name="Accept").click()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the bundle (JSON)").click()
    bundle = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    # The stored source is named by its id: no new source, its text not sent again.
    assert [a["source"] for a in bundle["attributions"]] == [article]
    assert all(s["ref"] != "S0" for s in bundle["sources"])
    assert_public_api_only(offline, EXTRACTION)


@pytest.mark.polnear
@pytest.mark.skipif(
    not POLNEAR_TEXT.is_file(),
    reason=f"the PolNeAR corpus is not at {POLNEAR_TEXT.parents[2]} (../shared/polnear)",
)
def test_a_polnear_dev_article_reviewed_and_stored(
    tab: Any, reviewing: Reviewing, offline: Offline
) -> None:
    """A real English article (its text goes nowhere but this server's scratch
    database): the first proposal with content corrected and given to the
    source's own voice, stored, found with `review: "corrected"`."""
    page = tab
    text = POLNEAR_TEXT.read_text(encoding="utf-8")
    proposal = reviewing_proposal(reviewing, text, "en", "2016-09-08")
    first = next(
        a for a in proposal["attributions"] if any(s["role"] == "content" for s in a["spans"])
    )
    content = next(s["text"] for s in first["spans"] if s["role"] == "content")
    words = " ".join(content.split()[:4])
    assert words in text
    before = {a["id"] for a in reviewing.reviewed()}
    propose(page, text, "en", "2016-09-08")
    expect(page.locator("[data-testid=review-cards] > [data-card]")).to_have_count(
        len(proposal["attributions"])
    )
    marks = marks_shown(page)
    assert sorted(marks[first["ref"]]) == sorted((s["role"], s["text"]) for s in first["spans"])
    ref = first["ref"]
    select_words(page, words)
    card(page, ref).locator(f"#{ref}-role").select_option("content")
    card(page, ref).get_by_role("button", name="Replace with the selection").click()
    editing(page, ref).locator(f"#{ref}-speaker").select_option("own-voice")
    expect(card(page, ref).locator("[data-testid=review-status]")).to_contain_text(
        "corrected: spans, speaker, mode"
    )
    card(page, ref).get_by_role("button", name="Accept").click()
    page.get_by_role("button", name="Store the accepted attributions").click()
    give_key_when_asked(page, reviewing.key)
    expect(page.locator("[data-testid=store-status]")).to_contain_text("1 attribution")
    [stored] = [a for a in reviewing.reviewed() if a["id"] not in before]
    assert (stored["review"], stored["speaker_id"], stored["mode"]) == (
        "corrected",
        None,
        "own_voice",
    )
    assert stored["claim"]["text"] == words
    assert_public_api_only(offline, STORING)


@pytest.mark.parametrize("width", sorted(SCREENS, reverse=True))
def test_review_page_at_width(browser: Any, reviewing: Reviewing, width: int) -> None:
    """The founding article's proposal, one card corrected and accepted, one
    rejected: it fits the width, axe finds nothing serious, a screenshot."""
    offline = Offline()
    with browsing(browser, reviewing.server, offline, width=width, height=SCREENS[width]) as page:
        open_view(page, "/review", "[data-testid=review-form]")
        assert_fits_and_accessible(page, "review-form", width)
        page.fill("#review-text", ARTICLE)
        page.fill("#review-published", "2019-04-26")
        page.get_by_role("button", name="Propose attributions").click()
        page.wait_for_selector("[data-testid=review-cards]", timeout=PROPOSAL_TIMEOUT)
        card(page, "A0").get_by_role("button", name="Accept").click()
        editing(page, "A1").locator("#A1-certainty").select_option("alleged")
        card(page, "A1").get_by_role("button", name="Accept").click()
        card(page, "A2").get_by_role("button", name="Reject").click()
        assert_fits_and_accessible(page, "review", width)
        page.evaluate("() => document.activeElement?.blur()")  # no focus ring in the picture
        page.evaluate(
            """(narrow) => {
              for (const panel of document.querySelectorAll('.review-reading > .panel')) {
                panel.scrollTop = 0;
              }
              const id = narrow ? 'review-cards-heading' : 'review-heading';
              const top = document.getElementById(id);
              window.scrollTo(0, top.getBoundingClientRect().top + window.scrollY - 12);
            }""",
            width < 800,
        )
        screenshot(page, "review", width)
    assert_public_api_only(offline, EXTRACTION)
