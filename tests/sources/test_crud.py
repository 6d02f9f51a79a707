"""Sources: create, read (with text), partial update, delete, list filters, expand."""

from tests.factories import (
    ids,
    make_actor,
    make_attribution,
    make_claim,
    make_event,
    make_source,
    pointers,
    problem,
)

TEXT = "Le président Trump aurait donné son feu vert à Khalifa Haftar."


async def test_create_returns_the_document_its_location_serves(client):
    publisher = await make_actor(client, kind="media", name="Bloomberg")
    author = await make_actor(client, name="A reporter")
    cited = await make_source(client, title="White House statement", language="en")
    response = await client.post(
        "/v1/sources",
        json={
            "kind": "article",
            "title": "Libye: Trump a donné son feu vert à Haftar",
            "publisher_id": publisher["id"],
            "url": "https://example.org/libye",
            "language": "fr",
            "published": {"earliest": "2019-04-25", "latest": "2019-04-30"},
            "full_text": TEXT,
            "author_ids": [author["id"]],
            "cites_source_ids": [cited["id"]],
        },
    )
    assert response.status_code == 201
    created = response.json()
    assert response.headers["location"] == f"/v1/sources/{created['id']}"
    assert created["full_text"] == TEXT
    assert created["text_length"] == len(TEXT)
    assert created["author_ids"] == [author["id"]]
    assert created["cites_source_ids"] == [cited["id"]]
    assert created["published"]["earliest"] == "2019-04-25"
    assert created["published"]["latest"] == "2019-04-30"
    assert created["published"]["precision"] == "range"
    followed = await client.get(response.headers["location"])
    assert followed.json() == created


async def test_lists_leave_the_full_text_out(client):
    source = await make_source(client, full_text=TEXT)
    (listed,) = [
        s for s in (await client.get("/v1/sources")).json()["items"] if s["id"] == source["id"]
    ]
    assert "full_text" not in listed or listed["full_text"] is None
    assert listed["text_length"] == len(TEXT)


async def test_text_length_counts_code_points(client):
    text = "🇱🇾 « ligne rouge » — naïve"
    source = await make_source(client, full_text=text)
    assert source["text_length"] == len(text)


async def test_patch_changes_only_what_is_sent_and_replaces_lists_whole(client):
    first, second, third = [await make_actor(client, name=n) for n in ("A", "B", "C")]
    source = await make_source(
        client, language="fr", url="https://example.org/a", author_ids=[first["id"], second["id"]]
    )
    response = await client.patch(
        f"/v1/sources/{source['id']}", json={"author_ids": [third["id"], first["id"]]}
    )
    assert response.status_code == 200
    patched = response.json()
    assert patched["author_ids"] == [third["id"], first["id"]]
    for unchanged in ("title", "kind", "language", "url", "published", "cites_source_ids"):
        assert patched[unchanged] == source[unchanged], unchanged

    response = await client.patch(f"/v1/sources/{source['id']}", json={"url": None})
    assert response.json()["url"] is None
    assert response.json()["author_ids"] == [third["id"], first["id"]]


async def test_patching_the_text_keeps_or_refuses_existing_spans(client):
    source = await make_source(client, full_text=TEXT)
    start = TEXT.index("Trump")
    attribution = await make_attribution(
        client,
        source_id=source["id"],
        span={"start": start, "end": start + 5, "text": "Trump"},
    )
    # Appending keeps the span valid.
    longer = TEXT + " Selon Bloomberg."
    response = await client.patch(f"/v1/sources/{source['id']}", json={"full_text": longer})
    assert response.status_code == 200, response.text

    for broken in ("Le président Biden aurait donné son feu vert.", "Le", None):
        response = await client.patch(f"/v1/sources/{source['id']}", json={"full_text": broken})
        problem(response, 409, "conflict")
        assert (await client.get(f"/v1/sources/{source['id']}")).json()["full_text"] == longer
    assert (await client.get(f"/v1/attributions/{attribution['id']}")).json() == attribution


async def test_delete_then_gone(client):
    source = await make_source(client)
    assert (await client.delete(f"/v1/sources/{source['id']}")).status_code == 204
    problem(await client.get(f"/v1/sources/{source['id']}"), 404, "not-found")
    problem(await client.delete(f"/v1/sources/{source['id']}"), 404, "not-found")


async def test_delete_cascades_to_its_own_author_and_citation_links(client):
    author = await make_actor(client)
    cited = await make_source(client)
    source = await make_source(client, author_ids=[author["id"]], cites_source_ids=[cited["id"]])
    assert (await client.delete(f"/v1/sources/{source['id']}")).status_code == 204
    # Its links went with it: the author and the cited source are free to go.
    assert (await client.delete(f"/v1/actors/{author['id']}")).status_code == 204
    assert (await client.delete(f"/v1/sources/{cited['id']}")).status_code == 204


async def test_delete_while_referenced_is_refused_and_keeps_the_source(client):
    recorded = await make_source(client, title="recorded")
    await make_attribution(client, source_id=recorded["id"])
    cited = await make_source(client, title="cited")
    await make_source(client, cites_source_ids=[cited["id"]])
    referenced = await make_source(client, title="referenced")
    await make_claim(client, referenced_source_ids=[referenced["id"]])
    anchor = await make_source(client, title="anchor", published={"earliest": "2019-04-26"})
    await make_event(
        client,
        time={
            "expression": "vendredi dernier",
            "relative_to": "source",
            "anchor_source_id": anchor["id"],
            "offset_days": -7,
        },
    )
    for source in (recorded, cited, referenced, anchor):
        problem(await client.delete(f"/v1/sources/{source['id']}"), 409, "still-referenced")
        assert (await client.get(f"/v1/sources/{source['id']}")).json() == source


async def test_list_filters(client):
    bloomberg = await make_actor(client, kind="media", name="Bloomberg")
    author = await make_actor(client, name="Reporter")
    s1 = await make_source(
        client,
        kind="report",
        language="en",
        publisher_id=bloomberg["id"],
        published={"earliest": "2019-04-24", "latest": "2019-04-24", "precision": "day"},
    )
    s2 = await make_source(
        client,
        kind="statement",
        language="en",
        author_ids=[author["id"]],
        published={"earliest": "2019-04-07", "latest": "2019-04-07", "precision": "day"},
    )
    s0 = await make_source(
        client,
        kind="article",
        language="fr",
        published={"earliest": "2019-04-25", "latest": "2019-04-30"},
    )
    unknown = await make_source(client, kind="article", language="fr")

    assert await ids(client, "/v1/sources", kind="statement") == [s2["id"]]
    assert await ids(client, "/v1/sources", publisher_id=bloomberg["id"]) == [s1["id"]]
    assert await ids(client, "/v1/sources", author_id=author["id"]) == [s2["id"]]
    assert await ids(client, "/v1/sources", language="fr") == [s0["id"], unknown["id"]]
    window = {"time_from": "2019-04-20", "time_to": "2019-04-25"}
    assert await ids(client, "/v1/sources", **window) == [s1["id"], s0["id"]]
    assert await ids(client, "/v1/sources", time_from="2019-04-29") == [s0["id"]]
    assert await ids(client, "/v1/sources", time_to="2019-04-07") == [s2["id"]]
    assert await ids(client, "/v1/sources", language="en", time_to="2019-04-10") == [s2["id"]]


async def test_expand_publisher_and_authors(client):
    bloomberg = await make_actor(client, kind="media", name="Bloomberg")
    first = await make_actor(client, name="First")
    second = await make_actor(client, name="Second")
    source = await make_source(
        client, publisher_id=bloomberg["id"], author_ids=[second["id"], first["id"]]
    )
    response = await client.get(
        f"/v1/sources/{source['id']}", params={"expand": "publisher,authors"}
    )
    assert response.status_code == 200
    expanded = response.json()
    assert expanded["publisher"] == bloomberg
    assert expanded["authors"] == [second, first]
    listed = await client.get(
        "/v1/sources", params={"expand": "authors", "publisher_id": bloomberg["id"]}
    )
    (item,) = listed.json()["items"]
    assert item["authors"] == [second, first]
    assert "publisher" not in item
    plain = (await client.get(f"/v1/sources/{source['id']}")).json()
    assert "publisher" not in plain
    assert "authors" not in plain


async def test_expand_counts_what_a_source_records(client):
    """The sources view lists each with how many claims and attributions it
    records: one claim said twice counts once among claims; a retracted
    record is not counted, as lists leave it out."""
    source = await make_source(client)
    empty = await make_source(client)
    twice = await make_claim(client)
    await make_attribution(client, source_id=source["id"], claim_id=twice["id"])
    await make_attribution(client, source_id=source["id"], claim_id=twice["id"], mode="own_voice")
    await make_attribution(client, source_id=source["id"])
    retracted = await make_attribution(client, source_id=source["id"])
    response = await client.post(
        f"/v1/attributions/{retracted['id']}/retraction", json={"reason": "not in the text"}
    )
    assert response.status_code == 200, response.text
    one = await client.get(f"/v1/sources/{source['id']}", params={"expand": "counts"})
    assert one.json()["counts"] == {"claims": 2, "attributions": 3}
    listed = await client.get("/v1/sources", params={"expand": "counts,publisher", "limit": 200})
    counts = {item["id"]: item["counts"] for item in listed.json()["items"]}
    assert counts[source["id"]] == {"claims": 2, "attributions": 3}
    assert counts[empty["id"]] == {"claims": 0, "attributions": 0}
    plain = (await client.get(f"/v1/sources/{source['id']}")).json()
    assert "counts" not in plain


async def test_expand_of_a_missing_publisher_is_null(client):
    source = await make_source(client)
    response = await client.get(f"/v1/sources/{source['id']}", params={"expand": "publisher"})
    assert response.json()["publisher"] is None
    assert pointers(response.json()) == set()


async def test_a_new_text_may_not_break_annotated_spans_either(client):
    source = await make_source(client, full_text=TEXT)
    start = TEXT.index("Trump")
    cue = {"role": "cue", "start": start, "end": start + 5, "text": "Trump"}
    await make_attribution(client, source_id=source["id"], spans=[cue])
    moved = "Selon Bloomberg, " + TEXT  # every offset shifts
    response = await client.patch(f"/v1/sources/{source['id']}", json={"full_text": moved})
    problem(response, 409, "conflict")
    assert (await client.get(f"/v1/sources/{source['id']}")).json()["full_text"] == TEXT
