"""Curation from the explorer, in Chromium, on a server of its own holding the
founding article and a curator's work (curation_data.py): merging two records
of Mike Pompeo from his page, the survivor, undoing the merge, "not the same
person"; refusals (a concurrent change, an actor merged meanwhile, a key the
server does not know, a key that may only read) shown in the API's words with
nothing changed; the write key kept in the tab's sessionStorage only and sent
to this origin only; the curation queue by kind and by page; how each speaker
was resolved, where an attribution is shown. Every page at 1280 and 390
pixels wide with axe-core, and screenshots (docs/explorer/ with
ONRECORD_WRITE_DOCS=1).
"""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

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
from tests.browser.curation_data import Curation, seed
from tests.write_keys import write_headers_for

# A live server and a browser. This module's server is made before the
# module's browser opens: its database is set up with asyncio.run, which
# cannot run once Playwright's event loop is.
pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("curated")]

CURATION_WRITES = [r"POST /v1/actors/[0-9a-f-]{36}/(merge|unmerge|distinct)"]


@dataclass
class Curated:
    server: ScratchServer
    ids: Curation
    read_only: dict[str, str]  # headers with a key of scope read

    @property
    def key(self) -> str:
        return self.server.write["Authorization"].removeprefix("Bearer ")

    def actor(self, actor_id: str) -> dict[str, Any]:
        found: dict[str, Any] = self.server.api(f"/v1/actors/{actor_id}")
        return found

    def candidates(self, actor_id: str) -> set[str]:
        items = self.server.api(f"/v1/actors/{actor_id}/duplicates")["items"]
        return {item["actor"]["id"] for item in items}

    def write(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = {**self.server.write, **kwargs.pop("headers", {})}
        return httpx.request(
            method, f"{self.server.url}{path}", headers=headers, timeout=30, **kwargs
        )

    def double(self, name: str, description: str) -> str:
        """A second record of someone, typed by hand: a duplicate candidate by its name."""
        response = self.write(
            "POST", "/v1/actors", json={"kind": "person", "name": name, "description": description}
        )
        assert response.status_code == 201, response.text
        actor_id: str = response.json()["id"]
        return actor_id


@pytest.fixture(scope="module")
def curated(server_url_: str) -> Iterator[Curated]:
    with scratch_live_server(server_url_, "browser_curation", demo=True) as server:
        ids = seed(server.url, server.write)
        reader = write_headers_for(server.database_url, name="reader", scope="read")
        yield Curated(server=server, ids=ids, read_only=reader)


@pytest.fixture
def tab(browser: Any, curated: Curated, offline: Offline) -> Iterator[Any]:
    with browsing(browser, curated.server, offline) as page:
        yield page


def give_key(page: Any, key: str) -> None:
    """Type ``key`` into the dialog the header's button opens."""
    page.click("#write-key-button")
    page.fill("#write-key-input", key)
    page.click("#write-key-dialog button[type=submit]")
    expect(page.locator("#write-key-button")).to_have_text("Write key set")


def candidate(page: Any, actor_id: str) -> Any:
    return page.locator(f'[data-testid=duplicates] [data-candidate="{actor_id}"]')


def choose_kind(page: Any, label: str) -> None:
    page.get_by_role("link", name=label).click()
    expect(page.get_by_role("link", name=label)).to_have_attribute("aria-current", "page")
    page.wait_for_selector('main[aria-busy="false"]')


def storage(page: Any) -> dict[str, Any]:
    found: dict[str, Any] = page.evaluate(
        """() => ({
          session: {...sessionStorage}, local: localStorage.length, cookie: document.cookie,
        })"""
    )
    return found


# ---------------------------------------------------------------- screenshots


@pytest.fixture(scope="module")
def routes(curated: Curated) -> dict[str, tuple[str, str]]:
    ids = curated.ids
    return {
        "curation-actor": (f"/actors/{ids.pompeo}", "[data-testid=duplicates]"),
        "curation-merged": (f"/actors/{ids.bodde}", "[data-testid=merged-notice]"),
        "curation-queue": ("/curation", "[data-testid=queue]"),
        "write-key": (f"/actors/{ids.pompeo}", "[data-testid=duplicates]"),
    }


PAGES = ["curation-actor", "curation-merged", "curation-queue", "write-key"]


@pytest.mark.parametrize(("name", "width"), [(name, width) for name in PAGES for width in SCREENS])
def test_page_at_width(
    name: str, width: int, curated: Curated, routes: dict[str, tuple[str, str]], browser: Any
) -> None:
    offline = Offline()
    route, ready = routes[name]
    with browsing(browser, curated.server, offline, width=width, height=SCREENS[width]) as page:
        open_view(page, route, ready)
        if name == "curation-actor":
            page.locator("#duplicates-heading").scroll_into_view_if_needed()
            page.evaluate("() => window.scrollBy(0, -16)")
        if name == "write-key":
            candidate(page, curated.ids.michael_r).get_by_role(
                "button", name="Merge that one here"
            ).click()
            expect(page.locator("#write-key-dialog")).to_be_visible()
        assert_fits_and_accessible(page, name, width)
        if name != "write-key":  # the dialog keeps its focused field
            page.evaluate("() => document.activeElement?.blur()")  # no focus ring in the picture
        screenshot(page, name, width)
    assert_public_api_only(offline)  # looking writes nothing
    assert offline.authorized == []


# ---------------------------------------------------------------- merging


def test_merge_from_the_page_see_the_survivor_undo_then_not_the_same_person(
    tab: Any, curated: Curated, offline: Offline
) -> None:
    ids, page = curated.ids, tab
    assert {ids.michael_r, ids.tie} <= curated.candidates(ids.pompeo)
    open_view(page, f"/actors/{ids.pompeo}", "[data-testid=duplicates]")
    expect(page.locator("#write-key-button")).to_have_text("Read-only")
    typed = candidate(page, ids.michael_r)
    expect(typed.locator(f'a[href="#/actors/{ids.michael_r}"]')).to_have_text("Michael R. Pompeo")
    expect(typed).to_contain_text("score 0.90")
    expect(typed).to_contain_text("shared name or alias: michael pompeo")
    expect(candidate(page, ids.tie)).to_contain_text("tie:")

    # Merging asks for the key first (nothing is sent before), then merges.
    typed.get_by_role("button", name="Merge that one here").click()
    dialog = page.locator("#write-key-dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Merging two actors needs a write key.")
    assert not [m for m, path in offline.api_requests() if m != "GET"]
    page.fill("#write-key-input", curated.key)
    page.keyboard.press("Enter")
    status = page.locator("[data-testid=curation-status]")
    expect(status).to_contain_text("Michael R. Pompeo was merged into this actor.")
    expect(status).to_be_focused()
    expect(candidate(page, ids.michael_r)).to_have_count(0)
    expect(page.locator(".facts")).to_contain_text("Michael R. Pompeo")  # its names, here now
    merged = curated.actor(ids.michael_r)
    assert (merged["status"], merged["merged_into"]) == ("merged", ids.pompeo)

    # The merged actor's page names the survivor, and undoes the merge.
    status.get_by_role("link").click()
    page.wait_for_selector("[data-testid=merged-notice]")
    notice = page.locator("[data-testid=merged-notice]")
    expect(notice.locator("[data-testid=survivor]")).to_have_text("Mike Pompeo")
    expect(notice.locator("[data-testid=survivor]")).to_have_attribute(
        "href", f"#/actors/{ids.pompeo}"
    )
    notice.get_by_role("button", name="Undo merge").click()  # the tab has the key: no dialog
    expect(page.locator("[data-testid=curation-status]")).to_contain_text("Merge undone")
    expect(page.locator("[data-testid=merged-notice]")).to_have_count(0)
    restored = curated.actor(ids.michael_r)
    assert (restored["status"], restored["merged_into"]) == ("active", None)

    # Undoing recorded "not the same person"; the other candidate is marked so from the page.
    open_view(page, f"/actors/{ids.pompeo}", "[data-testid=duplicates]")
    expect(candidate(page, ids.michael_r)).to_have_count(0)
    candidate(page, ids.tie).get_by_role("button", name="Not the same person").click()
    expect(page.locator("[data-testid=curation-status]")).to_contain_text(
        "Mike Pompeo and Michael Pompeo are different people"
    )
    expect(page.locator("[data-testid=no-duplicates]")).to_be_visible()
    assert not {ids.michael_r, ids.tie} & curated.candidates(ids.pompeo)

    writes = [(m, path) for m, path in offline.api_requests() if m != "GET"]
    assert writes == [
        ("POST", f"/v1/actors/{ids.michael_r}/merge"),
        ("POST", f"/v1/actors/{ids.michael_r}/unmerge"),
        ("POST", f"/v1/actors/{ids.pompeo}/distinct"),
    ]
    assert_public_api_only(offline, CURATION_WRITES)
    assert [(m, url.split("/v1/")[1]) for m, url, _ in offline.authorized] == [
        (m, path.removeprefix("/v1/")) for m, path in writes
    ]
    assert {header for _, _, header in offline.authorized} == {f"Bearer {curated.key}"}


def test_a_concurrent_change_and_a_merge_made_meanwhile_are_refused_with_nothing_changed(
    tab: Any, curated: Curated, offline: Offline
) -> None:
    page = tab
    haftar = curated.server.api("/v1/actors", name="Khalifa Haftar", status="active")["items"]
    [original] = [actor for actor in haftar if actor["description"] != "Typed twice"]
    first = curated.double("Khalifa Haftar", "Typed twice")
    second = curated.double("Khalifa Haftar", "Typed twice")
    open_view(page, f"/actors/{original['id']}", "[data-testid=duplicates]")
    give_key(page, curated.key)

    # Changed after the page read it: 412, in the API's words, and a way to read it again.
    changed = curated.write(
        "PATCH", f"/v1/actors/{first}", json={"description": "Edited meanwhile"}
    )
    assert changed.status_code == 200, changed.text
    card = candidate(page, first)
    card.get_by_role("button", name="Merge that one here").click()
    problem = card.locator(".problem")
    expect(problem).to_contain_text("has changed since the ETag you sent")
    expect(problem).to_contain_text("Nothing was changed.")
    assert curated.actor(first)["status"] == "active"
    problem.get_by_role("button", name="Read the page again").click()
    expect(candidate(page, first)).to_contain_text("Edited meanwhile")
    candidate(page, first).get_by_role("button", name="Merge that one here").click()
    expect(page.locator("[data-testid=curation-status]")).to_contain_text(
        "was merged into this actor"
    )
    assert curated.actor(first)["merged_into"] == original["id"]

    # Merged by someone else meanwhile: 409 naming the survivor, nothing changed.
    etag = httpx.get(f"{curated.server.url}/v1/actors/{second}").headers["etag"]
    merged = curated.write(
        "POST",
        f"/v1/actors/{second}/merge",
        json={"into": original["id"]},
        headers={"If-Match": etag},
    )
    assert merged.status_code == 200, merged.text
    before = curated.actor(original["id"])
    card = candidate(page, second)
    card.get_by_role("button", name="Merge this one into that").click()
    problem = card.locator(".problem")
    expect(problem).to_contain_text("merged")
    expect(problem).to_contain_text("Nothing was changed.")
    expect(
        problem.get_by_role("link", name="Go to the actor it was merged into")
    ).to_have_attribute("href", f"#/actors/{original['id']}")
    assert curated.actor(original["id"]) == before
    assert refusals(page, 2) == [412, 409]
    assert_public_api_only(offline, CURATION_WRITES)


# ---------------------------------------------------------------- the write key


def test_the_write_key_stays_in_the_tab_and_goes_to_this_origin_only(
    browser: Any, tab: Any, curated: Curated, offline: Offline
) -> None:
    page = tab
    bolton = curated.server.api("/v1/actors", name="John Bolton", status="active")["items"][0]
    double = curated.double("John Bolton", "Typed twice")
    open_view(page, f"/actors/{bolton['id']}", "[data-testid=duplicates]")
    expect(page.locator(".key-note .when-no-key")).to_be_visible()
    expect(page.locator(".key-note")).to_contain_text(
        "onrecord keys create --name you --scope write"
    )

    give_key(page, curated.key)
    kept = storage(page)
    assert kept == {"session": {"onrecord.write-key": curated.key}, "local": 0, "cookie": ""}
    assert page.context.cookies() == []
    assert curated.key not in page.url
    expect(page.locator(".key-note .when-key")).to_be_visible()

    # Another tab does not have it.
    other = page.context.new_page()
    other.goto(f"/explore#/actors/{bolton['id']}")
    other.wait_for_selector('main[aria-busy="false"]')
    expect(other.locator("#write-key-button")).to_have_text("Read-only")
    assert storage(other)["session"] == {}
    other.close()

    # Whatever path a write is given, it goes to this origin.
    for hostile in (
        "//elsewhere.example/v1/x",
        "@elsewhere.example/x",
        "/../../http://elsewhere.example/",
    ):
        page.evaluate(
            """async (path) => {
                const api = await import('/explore/static/js/api.js');
                try { await api.post(path, {}, { key: 'probe-key-123' }); } catch {}
            }""",
            hostile,
        )
    assert offline.blocked == []
    assert len(refusals(page, 3)) == 3  # the server refused each probe
    assert {url.split("/")[2] for _, url, _ in offline.authorized} == {
        f"{curated.server.host}:{curated.server.port}"
    }

    # Forgotten on demand.
    page.click("#write-key-button")
    expect(page.locator("#write-key-dialog .key-current")).to_contain_text("onr_")
    assert curated.key.split("_")[-1] not in page.locator("#write-key-dialog").inner_text()
    page.get_by_role("button", name="Forget the key").click()
    expect(page.locator("#write-key-button")).to_have_text("Read-only")
    assert storage(page)["session"] == {}

    # A key the server does not know: explained, forgotten, nothing changed.
    card = candidate(page, double)
    card.get_by_role("button", name="Not the same person").click()
    page.fill("#write-key-input", "onr_000000000000_not-a-key-the-server-knows")
    page.keyboard.press("Enter")
    expect(card.locator(".problem")).to_contain_text("did not accept the write key")
    expect(page.locator("#write-key-button")).to_have_text("Read-only")
    assert storage(page)["session"] == {}

    # A key that may only read: explained, nothing changed.
    card.get_by_role("button", name="Not the same person").click()
    page.fill("#write-key-input", curated.read_only["Authorization"].removeprefix("Bearer "))
    page.keyboard.press("Enter")
    expect(card.locator(".problem")).to_contain_text("may read but not write")
    expect(card.locator(".problem")).to_contain_text("--scope write")
    assert double in curated.candidates(bolton["id"])
    assert refusals(page, 2) == [401, 403]
    statuses = [m for m, _, _ in offline.authorized]
    assert statuses.count("POST") == 5  # the three probes, the two refused writes


# ---------------------------------------------------------------- the queue


def test_the_queue_pages_by_kind_and_links_to_actors_and_attributions(
    tab: Any, curated: Curated, offline: Offline
) -> None:
    page, ids = tab, curated.ids
    expected, cursor = [], None
    while True:
        found = curated.server.api(
            "/v1/curation", limit=1, **({"cursor": cursor} if cursor else {})
        )
        expected += found["items"]
        cursor = found["next"]
        if not cursor:
            break
    assert len(expected) >= 2  # at least the pronoun and "They", which no other test touches

    open_view(page, "/curation?limit=1", "[data-testid=queue]")
    seen = []
    for number in range(1, len(expected) + 1):
        expect(page.locator("[data-testid=pager]")).to_contain_text(
            f"Page {number}: items {number}"
        )
        item = page.locator("[data-testid=queue] > li")
        expect(item).to_have_count(1)
        seen.append(item.get_attribute("data-kind"))
        next_link = page.locator("[data-testid=pager] a[rel=next]")
        if number < len(expected):
            next_link.click()
            page.wait_for_selector('main[aria-busy="false"]')
        else:
            expect(next_link).to_have_count(0)
    assert seen == [item["kind"] for item in expected]
    page.locator("[data-testid=pager]").get_by_role("link", name="First page").click()
    expect(page.locator("[data-testid=pager]")).to_contain_text("Page 1: items 1")

    # By kind: the speaker the resolver could not place, and the pronoun it placed unsurely.
    choose_kind(page, "Unresolved speakers")
    items = page.locator("[data-testid=queue] > li")
    assert set(items.evaluate_all("(all) => all.map((li) => li.dataset.kind)")) == {"unresolved"}
    unplaced = page.locator(f'a[href="#/sources/{ids.note}?attribution={ids.unplaced}"]')
    expect(unplaced).to_have_text("“They”")
    choose_kind(page, "Low-confidence resolutions")
    pronoun = page.locator("[data-testid=queue] > li", has=page.locator("q", has_text="He"))
    expect(pronoun).to_contain_text("resolved as a pronoun")
    expect(pronoun).to_contain_text("confidence 0.45")
    expect(pronoun.locator(f'a[href="#/actors/{ids.tie}"]')).to_have_text("Michael Pompeo")

    # The attribution opens in its source, saying how its speaker was resolved.
    choose_kind(page, "Unresolved speakers")
    page.locator(f'a[href="#/sources/{ids.note}?attribution={ids.unplaced}"]').click()
    panel = page.locator("[data-testid=attribution]")
    expect(panel).to_contain_text("Resolved")
    expect(panel.locator(".resolution q")).to_have_text("They")
    expect(panel.locator(".resolution")).to_contain_text(
        "They, matched nobody: a new actor, confidence 0.30"
    )
    expect(panel.locator(".resolution .worth-a-check")).to_be_visible()
    assert_public_api_only(offline)


def test_an_actor_page_says_how_each_statement_s_speaker_was_resolved(
    tab: Any, curated: Curated
) -> None:
    page, ids = tab, curated.ids
    open_view(page, f"/actors/{ids.tie}", "[data-testid=statements-undated]")
    lines = page.locator("[data-testid=statements-undated] .resolution")
    expect(lines).to_have_count(2)
    texts = sorted(lines.all_inner_texts())
    assert texts[0].startswith(
        "He, resolved as a pronoun (through the attribution it refers back to)"
    )
    assert "confidence 0.45" in texts[0]
    assert texts[1].startswith("Michael Pompeo, matched nobody: a new actor")
    through = page.locator("[data-testid=statements-undated] .resolution a")
    talks = curated.server.api(f"/v1/attributions/{ids.pronoun}")["speaker_resolution"]
    expect(through).to_have_attribute(
        "href", f"#/sources/{ids.note}?attribution={talks['through_attribution_id']}"
    )
