"""The extraction review page (#/review), in Chromium, on a server of its own
with the demo loaded (what is stored here never shows in another test's
screenshots): the founding article (French) and an English text of our own
sent to POST /v1/extractions, the proposal highlighted as on a source's page
(one mark per proposed span, each showing exactly its words) and one card
per proposed attribution, moved through with the keyboard.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from playwright.sync_api import expect

from app.demo import demo_bundle
from tests.browser.conftest import (
    Offline,
    ScratchServer,
    assert_public_api_only,
    browsing,
    open_view,
    scratch_live_server,
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
PROPOSAL_TIMEOUT = 120_000  # ms: the first French text loads spaCy in a worker


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
    import httpx

    response = httpx.post(
        f"{reviewing.server.url}/v1/extractions",
        json={"text": text, "language": language, "published": day},
        timeout=120,
    )
    assert response.status_code == 200, response.text
    return response.json()
