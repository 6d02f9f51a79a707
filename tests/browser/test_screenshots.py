"""Every page of the explorer at 1280 and 390 pixels wide, on the founding
article: it fits the width (nothing but the graphs' own scrolling regions
runs wider), axe-core finds no serious or critical violation, and a
screenshot is taken.

Screenshots go to test-artifacts/; with ONRECORD_WRITE_DOCS=1 they also
replace docs/explorer/<page>-<width>.png, linked from the README (demo data
only: the server of these tests holds nothing else).
"""

from typing import Any

import pytest

from tests.browser.conftest import (
    SCREENS,
    LiveServer,
    Offline,
    assert_fits_and_accessible,
    assert_public_api_only,
    browsing,
    open_view,
    screenshot,
)

pytestmark = pytest.mark.slow  # a live server and a browser


@pytest.fixture(scope="module")
def routes(live_server: LiveServer) -> dict[str, tuple[str, str]]:
    """Each page: its route, and what shows it is drawn."""

    def found(q: str, kind: str) -> str:
        result: str = live_server.api("/v1/search", q=q, types=kind)["results"][0]["id"]
        return result

    claim = found("feu vert", "claim")
    article = found("feu vert", "source")
    pompeo = found("Pompeo", "actor")
    diplomats = found("diplomates américains", "actor")
    [green] = [
        a
        for a in live_server.api("/v1/attributions", source_id=article, limit=200)["items"]
        if a["speaker_id"] == diplomats and a["cue"] == "ont confié"
    ]
    return {
        "home": ("/", "[data-testid=home-claims]"),
        "search": ("/search?q=ligne rouge", "[data-testid=results-claim]"),
        "claim": (f"/claims/{claim}", "[data-testid=provenance-graph]"),
        "actor": (f"/actors/{pompeo}", "[data-testid=timeline]"),
        "source": (f"/sources/{article}?attribution={green['id']}", "[data-testid=relay-chain]"),
        "sources": ("/sources", "[data-testid=source-group]"),
        "events": ("/events", "[data-testid=events-timeline]"),
    }


@pytest.mark.parametrize("width", sorted(SCREENS, reverse=True))
@pytest.mark.parametrize(
    "name", ["home", "search", "claim", "actor", "source", "sources", "events"]
)
def test_page_at_width(
    browser: Any,
    live_server: LiveServer,
    routes: dict[str, tuple[str, str]],
    name: str,
    width: int,
) -> None:
    offline = Offline()
    route, ready = routes[name]
    with browsing(browser, live_server, offline, width=width, height=SCREENS[width]) as page:
        open_view(page, route, ready)
        assert_fits_and_accessible(page, name, width)
        page.evaluate("() => document.activeElement?.blur()")  # no focus ring in the picture
        if name == "source":
            # The opened highlight in view (the page scrolls to it), the attribution beside it.
            page.locator("mark.hl-selected").first.scroll_into_view_if_needed()
        screenshot(page, name, width)
    assert_public_api_only(offline)
