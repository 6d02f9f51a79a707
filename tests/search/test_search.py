"""GET /v1/search: accents, case, stems in French and English, fuzzy names,
aliases, type filter, and input that must not break it."""

from typing import Any

import httpx

from tests.factories import (
    JSON,
    make_actor,
    make_attribution,
    make_claim,
    make_source,
    pointers,
    problem,
)


async def search(client: httpx.AsyncClient, q: str, **params: Any) -> dict[str, Any]:
    response = await client.get("/v1/search", params={"q": q, **params})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert body["query"] == q
    return body


async def found(client: httpx.AsyncClient, q: str, **params: Any) -> list[str]:
    return [result["id"] for result in (await search(client, q, **params))["results"]]


async def test_accents_and_case_do_not_matter(client):
    claim = await make_claim(
        client, text="Sîssi a demandé aux États-Unis de soutenir Haftar", language="fr"
    )
    for q in ("Sissi", "sîssi", "SISSI", "Etats-Unis", "états-unis", "etats unis"):
        assert claim["id"] in await found(client, q), q


async def test_french_stems(client):
    claim = await make_claim(
        client, text="Ces déclarations vont au-delà du communiqué", language="fr"
    )
    assert claim["id"] in await found(client, "déclaration")
    assert claim["id"] in await found(client, "declarations")
    assert claim["id"] in await found(client, "communiqués")


async def test_english_stems_and_translations(client):
    claim = await make_claim(
        client,
        text="Tripoli est une ligne rouge",
        language="fr",
        translations=[{"language": "en", "text": "Tripoli is a red line"}],
    )
    assert claim["id"] in await found(client, "lines")
    assert claim["id"] in await found(client, "red line")
    assert claim["id"] in await found(client, "ligne rouge")
    # One result per claim, even when both wordings match.
    assert (await found(client, "Tripoli")).count(claim["id"]) == 1


async def test_a_result_names_its_match_and_highlights_it(client):
    claim = await make_claim(
        client,
        text="Tripoli est une ligne rouge",
        language="fr",
        translations=[{"language": "en", "text": "Tripoli is a red line"}],
    )
    (result,) = (await search(client, "red lines"))["results"]
    assert result["type"] == "claim"
    assert result["id"] == claim["id"]
    assert result["matched_in"] == "translation"
    assert result["language"] == "en"
    assert result["snippet"] == "Tripoli is a <mark>red</mark> <mark>line</mark>"
    assert result["summary"] == {
        "text": "Tripoli est une ligne rouge",
        "language": "fr",
        "records": [],  # nothing records it yet
        "record_count": 0,
    }
    assert result["score"] > 0
    (result,) = (await search(client, "ligne rouge"))["results"]
    assert result["matched_in"] == "text"
    assert result["snippet"] == "Tripoli est une <mark>ligne</mark> <mark>rouge</mark>"


async def test_snippets_escape_html(client):
    await make_claim(client, text="Une <b>ligne</b> rouge & le reste", language="fr")
    (result,) = (await search(client, "ligne"))["results"]
    assert "<b>" not in result["snippet"]
    assert "&lt;b&gt;" in result["snippet"]
    assert "&amp;" in result["snippet"]
    assert "<mark>ligne</mark>" in result["snippet"]


async def test_misspelt_and_transliterated_names_find_the_actor(client):
    bode = await make_actor(client, name="Peter Bode")
    sissi = await make_actor(
        client, name="Abdel Fattah Al-Sissi", names=[{"name": "el-Sisi", "kind": "spelling"}]
    )
    assert bode["id"] in await found(client, "Bodde")
    assert sissi["id"] in await found(client, "Sisi")
    assert sissi["id"] in await found(client, "al sissi")
    (result,) = [r for r in (await search(client, "Bodde"))["results"] if r["id"] == bode["id"]]
    assert result["type"] == "actor"
    assert result["matched_in"] == "name"
    assert result["snippet"] == "<mark>Peter Bode</mark>"
    assert result["summary"] == {"name": "Peter Bode", "kind": "person"}


async def test_an_alias_finds_the_actor(client):
    mbz = await make_actor(
        client,
        name="Mohammed Bin Zayed Al Nahyan",
        names=[{"name": "MBZ", "kind": "abbreviation"}, {"name": "Mohamed bin Zayed"}],
    )
    results = (await search(client, "MBZ"))["results"]
    assert results[0]["id"] == mbz["id"]
    assert results[0]["matched_in"] == "alias"
    assert results[0]["snippet"] == "<mark>MBZ</mark>"
    assert results[0]["summary"]["name"] == "Mohammed Bin Zayed Al Nahyan"
    # Several matching names: the actor is listed once.
    assert (await found(client, "Mohammed bin Zayed")).count(mbz["id"]) == 1


async def test_unrelated_names_are_not_found(client):
    await make_actor(client, name="Peter Bode")
    assert await found(client, "Pompeo", types="actor") == []


async def test_sources_by_title_and_text(client):
    source = await make_source(
        client,
        title="Statement by the Press Secretary",
        language="en",
        full_text="The President recognized Field Marshal Haftar's significant role.",
    )
    assert source["id"] in await found(client, "press secretaries")
    assert source["id"] in await found(client, "recognizes roles")
    (result,) = (await search(client, "significant roles"))["results"]
    assert result["type"] == "source"
    assert result["matched_in"] == "title_or_text"
    assert "<mark>significant</mark> <mark>role</mark>" in result["snippet"]
    summary = result["summary"]
    assert summary.pop("published")["precision"] == "unknown"
    assert summary == {
        "title": "Statement by the Press Secretary",
        "kind": "article",
        "language": "en",
        "publisher": None,
    }


async def test_types_filter(client):
    actor = await make_actor(client, name="Khalifa Haftar")
    claim = await make_claim(client, text="Haftar lance une offensive", language="fr")
    both = await found(client, "Haftar")
    assert actor["id"] in both
    assert claim["id"] in both
    assert await found(client, "Haftar", types="claim") == [claim["id"]]
    assert await found(client, "Haftar", types="actor") == [actor["id"]]
    assert set(await found(client, "Haftar", types="claim,actor")) == {actor["id"], claim["id"]}
    assert (await search(client, "Haftar", types="source,claim"))["types"] == ["claim", "source"]
    body = problem(
        await client.get("/v1/search", params={"q": "x", "types": "tweet"}), 422, "invalid-field"
    )
    assert pointers(body, "query") == {"/types"}


async def test_results_are_ordered_by_score_and_limited(client):
    for n in range(5):
        await make_claim(client, text=f"Offensive numéro {n}" + " offensive" * n, language="fr")
    results = (await search(client, "offensive", limit=3))["results"]
    assert len(results) == 3
    scores = [r["score"] for r in results]
    assert scores == sorted(scores, reverse=True)
    problem(
        await client.get("/v1/search", params={"q": "x", "limit": 101}), 422, "validation-error"
    )


async def test_web_search_syntax(client):
    red = await make_claim(client, text="Tripoli is a red line", language="en")
    other = await make_claim(client, text="The line is red and blue", language="en")
    assert set(await found(client, "red line")) == {red["id"], other["id"]}
    assert await found(client, '"red line"') == [red["id"]]
    assert await found(client, "red -blue") == [red["id"]]


async def test_punctuation_and_stop_words_find_nothing(client):
    await make_claim(client, text="Tripoli est une ligne rouge", language="fr")
    await make_actor(client, name="Peter Bode")
    for q in ("!!!", "?", "&|!():*'\"", "-", "le la les", "the", "<->", "\\"):
        assert (await search(client, q))["results"] == [], q


async def test_bad_queries_are_refused(client):
    for params in ({}, {"q": ""}, {"q": "   "}, {"q": "x" * 10_240}, {"q": "ligne\x00rouge"}):
        response = await client.get("/v1/search", params=params)
        body = problem(response, 422, "validation-error")
        assert pointers(body, "query") == {"/q"}, params
    # Exactly at the limit is fine.
    assert (await search(client, "x" * 500))["results"] == []


async def test_search_is_one_statement(client, statements):
    await make_claim(client, text="Tripoli est une ligne rouge", language="fr")
    await make_actor(client, name="Peter Bode", names=[{"name": "Bodde"}])
    await make_source(client, title="La ligne rouge", full_text="Tripoli, ligne rouge")
    statements.clear()
    body = await search(client, "ligne rouge Bode")
    assert len(statements) == 1, statements.statements
    statements.clear()
    body = await search(client, "ligne")
    assert {r["type"] for r in body["results"]} == {"claim", "source"}
    assert len(statements) == 1, statements.statements


async def agency_dispatch(client: httpx.AsyncClient, published: dict[str, Any]) -> JSON:
    """A source about Geneva, published by a news agency on ``published``."""
    publisher = await make_actor(client, kind="media", name="Agence Exemple")
    return await make_source(
        client, title="Dépêche sur Genève", publisher_id=publisher["id"], published=published
    )


def day(iso: str, expression: str | None = None) -> dict[str, Any]:
    return {"expression": expression, "earliest": iso, "latest": iso, "precision": "day"}


async def test_a_claim_result_says_who_said_it_where_and_when(client):
    """A list of claims is read by who said what, where and when: the summary
    names the first records' speakers (null for the source's own voice), their
    sources with publisher and date, and counts them all, retracted ones left out."""
    claim = await make_claim(client, text="Les négociations de Genève ont échoué", language="fr")
    source = await agency_dispatch(client, day("2019-04-24"))
    envoy = await make_actor(client, name="Un envoyé de l'ONU")
    said = await make_attribution(
        client,
        claim_id=claim["id"],
        source_id=source["id"],
        speaker_id=envoy["id"],
        cue="selon",
        time=day("2019-04-23", "mardi"),
    )
    own = await make_attribution(
        client, claim_id=claim["id"], source_id=source["id"], mode="own_voice"
    )
    others = [await make_attribution(client, claim_id=claim["id"]) for _ in range(3)]
    response = await client.post(
        f"/v1/attributions/{others[-1]['id']}/retraction", json={"reason": "wrong claim"}
    )
    assert response.status_code == 200, response.text

    [result] = (await search(client, "Genève", types="claim"))["results"]
    summary = result["summary"]
    assert summary["record_count"] == 4  # five recorded, one retracted
    first, second, third = summary["records"]
    assert first["attribution_id"] == said["id"]
    assert first["speaker"] == {
        "id": envoy["id"],
        "name": "Un envoyé de l'ONU",
        "kind": "person",
        "anonymous": False,
    }
    assert first["source"]["title"] == "Dépêche sur Genève"
    assert first["source"]["publisher"] == {
        "id": source["publisher_id"],
        "name": "Agence Exemple",
    }
    assert first["source"]["published"]["earliest"] == "2019-04-24"
    assert (first["time"]["expression"], first["time"]["earliest"]) == ("mardi", "2019-04-23")
    assert (first["mode"], first["cue"], first["certainty"]) == ("paraphrase", "selon", "unknown")
    assert second["attribution_id"] == own["id"]
    assert second["speaker"] is None
    assert third["attribution_id"] == others[0]["id"]


async def test_a_source_result_says_who_published_it_and_when(client):
    month = {"expression": "en février", "earliest": "2019-02-01", "latest": "2019-02-28"}
    dated = await agency_dispatch(client, {**month, "precision": "month"})
    undated = await make_source(client, title="Note sur Genève")
    results = {
        r["id"]: r["summary"] for r in (await search(client, "Genève", types="source"))["results"]
    }
    assert results[dated["id"]]["publisher"] == {
        "id": dated["publisher_id"],
        "name": "Agence Exemple",
    }
    assert results[dated["id"]]["published"]["precision"] == "month"
    assert results[dated["id"]]["published"]["expression"] == "en février"
    assert results[undated["id"]]["publisher"] is None
    assert results[undated["id"]]["published"]["precision"] == "unknown"
    assert results[undated["id"]]["published"]["earliest"] is None


async def test_pages_follow_the_cursor_without_repeats(client):
    claims = [
        await make_claim(client, text=f"Blocus numéro {n}" + " blocus" * (n % 4), language="fr")
        for n in range(7)
    ]
    await make_actor(client, name="Blocus Média")  # an actor among the claims
    pages = []
    body = await search(client, "blocus", limit=3)
    pages.append(body["results"])
    while body["next"]:
        response = await client.get(
            "/v1/search", params={"q": "blocus", "limit": 3, "cursor": body["next"]}
        )
        assert response.status_code == 200, response.text
        body = response.json()
        pages.append(body["results"])
    results = [r for page in pages for r in page]
    assert [len(page) for page in pages] == [3, 3, 2]
    assert len({(r["type"], r["id"]) for r in results}) == 8
    assert {c["id"] for c in claims} <= {r["id"] for r in results}
    # One order across pages, as one long page would have it.
    whole = (await search(client, "blocus", limit=20))["results"]
    assert [r["id"] for r in results] == [r["id"] for r in whole]
    assert whole == results
    assert (await search(client, "blocus", limit=20))["next"] is None


async def test_a_cursor_continues_only_its_own_search(client):
    for n in range(3):
        await make_claim(client, text=f"Embargo numéro {n}", language="fr")
    first = await search(client, "embargo", limit=1, types="claim")
    cursor = first["next"]
    assert cursor
    for params in (
        {"q": "blocus", "types": "claim"},
        {"q": "embargo"},
        {"q": "embargo", "types": "claim,source"},
    ):
        response = await client.get("/v1/search", params={**params, "cursor": cursor})
        problem(response, 400, "cursor-mismatch")
    # Only the page size may change.
    response = await client.get(
        "/v1/search", params={"q": "embargo", "types": "claim", "limit": 5, "cursor": cursor}
    )
    assert response.status_code == 200, response.text
    assert len(response.json()["results"]) == 2
    for bad in ("not-ours", "e30", cursor[:-4]):
        response = await client.get(
            "/v1/search", params={"q": "embargo", "types": "claim", "cursor": bad}
        )
        problem(response, 422, "bad-cursor")


async def test_a_frequent_word_is_ranked_among_its_most_recent_matches(client, monkeypatch):
    """Beyond ``CANDIDATES`` matches of a kind, only the newest are ranked: the
    best-matching but oldest claim drops out (the documented trade)."""
    from app.search import service

    monkeypatch.setattr(service, "CANDIDATES", 3)
    oldest = await make_claim(client, text="Sanctions, sanctions, sanctions", language="en")
    newer = [
        await make_claim(client, text=f"A long sentence that mentions sanctions once ({n})")
        for n in range(3)
    ]
    found_ids = await found(client, "sanctions", types="claim")
    assert set(found_ids) == {c["id"] for c in newer}
    assert oldest["id"] in await found(client, '"sanctions sanctions"', types="claim")
    monkeypatch.setattr(service, "CANDIDATES", 4)
    assert (await found(client, "sanctions", types="claim"))[0] == oldest["id"]
