"""POST /v1/extractions: the founding article proposed and stored, a text of
our own in English, and every bad input refused with nothing stored."""

import asyncio
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.config import get_settings
from app.demo import demo_bundle
from tests.factories import make_source, problem

ARTICLE = next(s for s in demo_bundle()["sources"] if s["ref"] == "S0")["full_text"]
ENGLISH = (
    "The mayor of Riverton, Dana Okafor, said on Tuesday that the bridge would reopen in "
    "March. “We will not cut corners,” she told reporters. Officials familiar with the "
    "plan said it had been delayed twice."
)


async def extract(client: httpx.AsyncClient, **body: Any) -> dict[str, Any]:
    response = await client.post("/v1/extractions", json=body)
    assert response.status_code == 200, response.text
    document: dict[str, Any] = response.json()
    return document


def said_by(proposal: dict[str, Any], cue: str) -> dict[str, Any]:
    return next(
        a
        for a in proposal["attributions"]
        if any(s["role"] == "cue" and s["text"] == cue for s in a["spans"])
    )


def actor(proposal: dict[str, Any], ref: str | None) -> dict[str, Any]:
    return next(a for a in proposal["actors"] if a["ref"] == ref)


async def test_the_founding_article_is_proposed_with_relays_certainty_and_time(client):
    proposal = await extract(client, text=ARTICLE, language="auto", published="2019-04-26")
    assert proposal["language"] == "fr"
    assert proposal["model"]["name"]
    assert proposal["model"]["version"]
    for attribution in proposal["attributions"]:
        for span in attribution["spans"]:
            assert ARTICLE[span["start"] : span["end"]] == span["text"]
            assert span["role"] in {"speaker", "cue", "content"}
    confided = said_by(proposal, "ont confié")
    diplomats = actor(proposal, confided["speaker"])
    assert (diplomats["kind"], diplomats["scope"]) == ("anonymous", "document")
    assert confided["certainty"] == "alleged"
    assert confided["certainty_cue"] == "aurait"
    # ... through Bloomberg: an attribution in a proposed source, no spans.
    relayed = proposal["attributions"][confided["relayed_through"]]
    bloomberg = next(s for s in proposal["sources"] if s["ref"] == relayed["source"])
    assert (bloomberg["proposed"], bloomberg["publisher"]) == (True, "Bloomberg")
    assert relayed["spans"] == []
    # "selon les mêmes sources", "révèlent les mêmes sources": the diplomats.
    for cue in ("Selon", "révèlent"):
        same = said_by(proposal, cue)
        assert same["speaker"] == confided["speaker"]
        assert same["speaker_resolution"]["method"] == "same_sources"
    # "affirment ces sources diplomatiques" relays Bode's "ligne rouge".
    affirm = said_by(proposal, "affirment")
    bode = proposal["attributions"][affirm["relayed_through"]]
    assert actor(proposal, bode["speaker"])["name"] == "Peter Bode"
    days = {
        (a["time"] or {}).get("expression"): (a["time"] or {}).get("earliest")
        for a in proposal["attributions"]
    } | {
        (s["published"] or {}).get("expression"): (s["published"] or {}).get("earliest")
        for s in proposal["sources"]
    }
    assert days["jeudi dernier"] == "2019-04-18"
    assert days["le 7 avril"] == "2019-04-07"
    assert days["vendredi dernier"] == "2019-04-19"
    assert days["en février"] == "2019-02-01"


async def test_a_stored_proposal_keeps_its_model_and_storing_it_twice_creates_nothing(client):
    proposal = await extract(client, text=ARTICLE, language="fr", published="2019-04-26")
    stored = await client.post("/v1/bundles", json=proposal["bundle"])
    assert stored.status_code == 201, stored.text
    ids = stored.json()["ids"]
    confided = said_by(proposal, "ont confié")
    attribution = (await client.get(f"/v1/attributions/{ids[confided['ref']]}")).json()
    assert attribution["extraction"]["model"] == proposal["model"]["name"]
    assert attribution["extraction"]["confidence"] == confided["confidence"]
    assert attribution["review"] is None
    assert attribution["relayed_through_id"] is not None
    again = await client.post("/v1/bundles", json=proposal["bundle"])
    assert again.status_code == 200, again.text
    assert sum(again.json()["created"].values()) == 0
    # A person corrects one before storing it: ?reviewed=true finds only that one.
    await client.patch(f"/v1/attributions/{ids[confided['ref']]}", json={"review": "corrected"})
    reviewed = (await client.get("/v1/attributions", params={"reviewed": "true"})).json()
    assert [item["id"] for item in reviewed["items"]] == [ids[confided["ref"]]]


async def test_known_actors_are_found_and_a_stored_source_is_named(client):
    pompeo = await client.post("/v1/actors", json={"kind": "person", "name": "Peter Bode"})
    source = await make_source(client, full_text=ARTICLE, language="fr")
    proposal = await extract(client, text=ARTICLE, source={"id": source["id"]})
    bode = next(a for a in proposal["actors"] if a["name"] == "Peter Bode")
    assert bode["actor_id"] == pompeo.json()["id"]
    assert proposal["sources"][0]["id"] == source["id"]
    assert all(a["ref"] != bode["ref"] for a in proposal["bundle"]["actors"])


async def test_english_text_of_our_own(client):
    proposal = await extract(client, text=ENGLISH, language="en", published="2026-12-01")
    assert proposal["language"] == "en"
    speakers = {actor(proposal, a["speaker"])["name"] for a in proposal["attributions"]}
    assert "Dana Okafor" in speakers
    she = next(
        a
        for a in proposal["attributions"]
        if a["speaker_resolution"] and a["speaker_resolution"]["mention"] == "she"
    )
    assert actor(proposal, she["speaker"])["name"] == "Dana Okafor"
    assert she["mode"] == "direct_quote"


@pytest.mark.parametrize(
    ("body", "status", "slug", "pointer"),
    [
        ({"text": ""}, 422, "invalid-field", "/text"),
        ({"text": "   \n\t "}, 422, "invalid-field", "/text"),
        ({"text": "x" * 200_001}, 413, "text-too-long", None),
        ({"text": "Hello.", "language": "de"}, 422, "validation-error", "/language"),
        ({"text": "Bad \x00 byte."}, 422, "validation-error", "/text"),
        ({"text": "Hello.", "published": "last Friday"}, 422, "validation-error", "/published"),
        (
            {"text": "Hello.", "source": {"id": "00000000-0000-0000-0000-000000000001"}},
            422,
            "unknown-reference",
            "/source/id",
        ),
        ({"txt": "Hello."}, 422, "validation-error", "/txt"),
    ],
)
async def test_bad_input_is_a_clear_problem(client, body, status, slug, pointer):
    response = await client.post("/v1/extractions", json=body)
    found = problem(response, status, slug)
    if pointer is not None:
        assert pointer in {e["pointer"] for e in found["errors"]}


async def test_a_source_whose_text_differs_and_a_body_that_is_not_json(client):
    source = await make_source(client, full_text="Another text.")
    refused = await client.post(
        "/v1/extractions", json={"text": ARTICLE, "source": {"id": source["id"]}}
    )
    assert {e["pointer"] for e in problem(refused, 422, "invalid-field")["errors"]} == {"/text"}
    broken = await client.post(
        "/v1/extractions", content=b'{"text": ', headers={"content-type": "application/json"}
    )
    problem(broken, 400, "malformed-body")


@pytest.fixture
def one_at_a_time(monkeypatch) -> Iterator[None]:
    monkeypatch.setenv("ONRECORD_EXTRACTION_IN_FLIGHT", "1")
    get_settings.cache_clear()
    yield
    monkeypatch.undo()
    get_settings.cache_clear()


async def test_too_many_at_once_is_429_with_retry_after(client, one_at_a_time):
    long_text = "\n\n".join([ARTICLE] * 10)  # long enough to still run when the next comes
    first = asyncio.create_task(client.post("/v1/extractions", json={"text": long_text}))
    await asyncio.sleep(0.05)
    second = await client.post("/v1/extractions", json={"text": ENGLISH})
    assert (await first).status_code == 200
    assert problem(second, 429, "too-many-extractions")
    assert int(second.headers["retry-after"]) > 0


async def test_it_is_a_read_needing_no_key_where_reads_are_public(client):
    del client.headers["authorization"]
    response = await client.post("/v1/extractions", json={"text": ENGLISH})
    assert response.status_code == 200, response.text


# Run in a clean interpreter: other tests of this session import the models
# directly (tests/extraction), so this process's sys.modules proves nothing.
API_PROCESS = """
import asyncio, json, sys
import httpx
from app.main import create_app

async def main():
    app = create_app()
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            texts = json.loads(sys.stdin.read())
            for language, text in texts:
                answer = await client.post(
                    "/v1/extractions", json={"text": text, "language": language}
                )
                assert answer.status_code == 200, answer.text
                assert answer.json()["attributions"], language
    print(json.dumps(sorted(m for m in ("spacy", "pycrfsuite", "thinc") if m in sys.modules)))

asyncio.run(main())
"""


@pytest.mark.slow  # a process of its own, whose extraction worker loads both models
def test_models_load_in_the_worker_never_in_the_api_process(database_url):
    environment = {**os.environ, "ONRECORD_DATABASE_URL": database_url}
    run = subprocess.run(  # noqa: S603 - this interpreter, fixed code
        [sys.executable, "-c", API_PROCESS],
        input=json.dumps([["fr", ARTICLE], ["en", ENGLISH]]),
        capture_output=True, text=True, env=environment, timeout=300,
        cwd=Path(__file__).resolve().parents[2],
    )  # fmt: skip
    assert run.returncode == 0, run.stderr[-2000:]
    assert json.loads(run.stdout.strip().splitlines()[-1]) == []
