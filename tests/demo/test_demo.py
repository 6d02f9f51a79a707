"""The demo data: every fact of the founding article, read back over HTTP.

One test per hard case of seed-facts.md (relay chain, anonymous actor reused,
conditional certainty, relative time, translation, code-point span,
contradiction), plus idempotence and the bundle loader's refusals.
"""

import copy
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncConnection, async_sessionmaker

from app.bundles.bulk import load_bundle
from app.bundles.format import (
    Bundle,
    BundleActor,
    BundleAttribution,
    BundleClaim,
    BundleClaimRelation,
    BundleEvent,
    BundleSource,
    BundleSummary,
    InvalidBundle,
    record_id,
)
from app.demo import demo_bundle
from app.errors import SpanMismatch

JSON = dict[str, Any]


async def items(client: httpx.AsyncClient, path: str, **params: Any) -> list[JSON]:
    """Every item of a listing, all pages."""
    found: list[JSON] = []
    cursor = None
    while True:
        query = {"limit": 200, **params, **({"cursor": cursor} if cursor else {})}
        response = await client.get(path, params=query)
        assert response.status_code == 200, response.text
        page = response.json()
        found += page["items"]
        cursor = page["next"]
        if not cursor:
            return found


async def one(client: httpx.AsyncClient, path: str, **params: Any) -> JSON:
    found = await items(client, path, **params)
    assert len(found) == 1, found
    return found[0]


async def claim_saying(client: httpx.AsyncClient, words: str) -> JSON:
    """The one claim whose wording or a translation contains ``words``."""
    claims = await items(client, "/v1/claims")
    matching = [
        claim
        for claim in claims
        if words in claim["text"] or any(words in t["text"] for t in claim["translations"])
    ]
    assert len(matching) == 1, [claim["text"] for claim in matching]
    return matching[0]


async def actor_called(client: httpx.AsyncClient, name: str) -> JSON:
    return await one(client, "/v1/actors", name=name)


async def source_titled(client: httpx.AsyncClient, words: str) -> JSON:
    matching = [s for s in await items(client, "/v1/sources") if words in s["title"]]
    assert len(matching) == 1, matching
    return matching[0]


async def event_titled(client: httpx.AsyncClient, words: str) -> JSON:
    matching = [e for e in await items(client, "/v1/events") if words in e["title"]]
    assert len(matching) == 1, matching
    return matching[0]


async def the_article(client: httpx.AsyncClient) -> JSON:
    """S0, with its full text."""
    s0 = await one(client, "/v1/sources", kind="article", language="fr")
    response = await client.get(f"/v1/sources/{s0['id']}")
    document: JSON = response.json()
    return document


async def attribution_in(
    client: httpx.AsyncClient, claim: JSON, source: JSON, **params: Any
) -> JSON:
    return await one(
        client, "/v1/attributions", claim_id=claim["id"], source_id=source["id"], **params
    )


async def snapshot(client: httpx.AsyncClient) -> dict[str, list[JSON]]:
    paths = ("actors", "sources", "events", "claims", "attributions", "claim-relations")
    return {path: await items(client, f"/v1/{path}") for path in paths}


async def test_the_demo_holds_every_claim_in_french_and_english(client, demo):
    article = await the_article(client)
    claims = await items(client, "/v1/claims")
    assert len(claims) == 11
    for claim in claims:
        assert claim["language"] == "fr"
        assert claim["text"] in article["full_text"], claim["text"]
        assert [t["language"] for t in claim["translations"]] == ["en"]
    for words in (
        "green light",
        "decisive turn",
        "last Friday",
        "tacitly recognised",
        "6 days after",
        "asked his American counterpart",
        "pleaded Haftar's cause",
        "clearly opposed",
        "red line",
        "Bolton",
        "draft resolution",
    ):
        await claim_saying(client, words)


async def test_the_demo_holds_every_actor_with_its_spellings(client, demo):
    assert len(await items(client, "/v1/actors")) == 14
    for display, spellings in {
        "Donald Trump": ["le président Trump", "le chef de la Maison-Blanche"],
        "Khalifa Haftar": ["le général à la retraite"],
        "Abdel Fattah Al-Sissi": ["Al-Sissi", "al-Sisi", "el-Sisi", "Sissi", "Sisi"],
        "Mohammed Bin Zayed Al Nahyan": ["MBZ", "Mohamed bin Zayed"],
        "Mike Pompeo": ["le chef de la diplomatie américaine"],
        "Peter Bode": ["Peter Bodde"],
        "John Bolton": ["Bolton"],
        "White House": ["la Maison-Blanche"],
        "United States": ["Washington"],
        "Bloomberg": [],
        "Government of National Accord": ["GNA"],
        "UN Security Council": ["Conseil de sécurité"],
        "United Kingdom": ["Royaume-Uni"],
        "US diplomats": ["des diplomates américains"],
    }.items():
        actor = await actor_called(client, display)
        for spelling in spellings:
            assert (await actor_called(client, spelling))["id"] == actor["id"], spelling
    pompeo = await actor_called(client, "Mike Pompeo")
    assert [(r["title"], r["started_on"]) for r in pompeo["roles"]] == [
        ("Secretary of state", "2018-04-26")
    ]
    assert (await actor_called(client, "Bloomberg"))["kind"] == "media"
    assert (await actor_called(client, "Donald Trump"))["wikidata_id"] == "Q22686"


async def test_relay_chain_green_light_comes_from_anonymous_diplomats_via_bloomberg(client, demo):
    article = await the_article(client)
    green_light = await claim_saying(client, "green light")
    in_article = await attribution_in(client, green_light, article)
    assert in_article["relayed_through_id"] is not None

    response = await client.get(
        f"/v1/attributions/{in_article['relayed_through_id']}",
        params={"expand": "source,speaker"},
    )
    relayed = response.json()
    assert relayed["claim_id"] == green_light["id"]
    assert relayed["source"]["language"] == "en"
    bloomberg = await actor_called(client, "Bloomberg")
    assert relayed["source"]["publisher_id"] == bloomberg["id"]
    assert relayed["speaker"]["kind"] == "anonymous"
    assert relayed["speaker"]["id"] == in_article["speaker_id"]
    assert relayed["relayed_through_id"] is None  # the diplomats are the origin
    assert article["cites_source_ids"].count(relayed["source_id"]) == 1


async def test_nested_relay_bode_quote_inside_anonymous_sources(client, demo):
    article = await the_article(client)
    red_line = await claim_saying(client, "red line")
    diplomats = await actor_called(client, "US diplomats")
    outer = await attribution_in(client, red_line, article, speaker_id=diplomats["id"])
    assert outer["cue"] == "affirment"
    inner = (await client.get(f"/v1/attributions/{outer['relayed_through_id']}")).json()
    bode = await actor_called(client, "Peter Bodde")
    assert inner["speaker_id"] == bode["id"]
    assert inner["source_id"] == article["id"]
    assert inner["mode"] in {"partial_quote", "direct_quote"}
    assert inner["cue"] == "en déclarant"
    meeting = await event_titled(client, "Abu Dhabi")
    assert inner["occasion_event_id"] == meeting["id"]
    assert (inner["time"]["earliest"], inner["time"]["latest"]) == ("2019-02-01", "2019-02-28")
    assert inner["time"]["precision"] == "month"
    assert inner["relayed_through_id"] is None


async def test_anonymous_actor_is_one_actor_reused(client, demo):
    anonymous = await items(client, "/v1/actors", kind="anonymous")
    assert len(anonymous) == 1
    diplomats = anonymous[0]
    assert (diplomats["nationality"], diplomats["role_description"]) == ("US", "diplomats")
    names = {(n["name"], n["language"]) for n in diplomats["names"]}
    assert {
        ("des diplomates américains", "fr"),
        ("les mêmes sources", "fr"),
        ("ces sources diplomatiques", "fr"),
    } <= names

    article = await the_article(client)
    said_by_them = await items(
        client, "/v1/claims", speaker_id=diplomats["id"], source_id=article["id"]
    )
    expected = [
        await claim_saying(client, words)
        for words in ("green light", "6 days after", "asked his American", "pleaded", "red line")
    ]
    assert {c["id"] for c in said_by_them} == {c["id"] for c in expected}


async def test_conditional_certainty_alleged_versus_asserted(client, demo):
    article = await the_article(client)
    green_light = await attribution_in(client, await claim_saying(client, "green light"), article)
    assert green_light["certainty"] == "alleged"
    assert green_light["cue"] == "ont confié"
    assert green_light["mode"] == "paraphrase"
    pompeo = await attribution_in(client, await claim_saying(client, "clearly opposed"), article)
    assert pompeo["certainty"] == "asserted"
    assert pompeo["speaker_id"] == (await actor_called(client, "Mike Pompeo"))["id"]
    # ... on the record: relayed from his own statement of 7 April
    statement = (await client.get(f"/v1/attributions/{pompeo['relayed_through_id']}")).json()
    assert statement["speaker_id"] == pompeo["speaker_id"]
    assert statement["time"]["earliest"] == statement["time"]["latest"] == "2019-04-07"
    own_voice = await items(client, "/v1/attributions", mode="own_voice")
    assert len(own_voice) == 5
    assert all(a["speaker_id"] is None and a["certainty"] == "asserted" for a in own_voice)
    assert {a["claim_id"] for a in own_voice} == {
        (await claim_saying(client, words))["id"]
        for words in ("decisive turn", "last Friday", "tacitly", "Bolton", "draft resolution")
    }


async def test_relative_time_to_an_event_and_to_the_article(client, demo):
    article = await the_article(client)
    visit = await event_titled(client, "visit to Washington")
    call = await event_titled(client, "Trump–Haftar")
    assert call["time"] == {
        "expression": "6 jours après",
        "relative_to": "event",
        "anchor_source_id": None,
        "anchor_event_id": visit["id"],
        "offset_days": 6,
        "earliest": "2019-04-15",
        "latest": "2019-04-15",
        "precision": "day",
        "resolution": "given",
    }
    assert {
        "relation": "after",
        "event_id": visit["id"],
        "offset_days": 6,
        "expression": "6 jours après",
    } in call["relations"]

    white_house = await event_titled(client, "White House statement")
    assert white_house["time"]["expression"] == "vendredi dernier"
    assert white_house["time"]["relative_to"] == "source"
    assert white_house["time"]["anchor_source_id"] == article["id"]
    assert white_house["time"]["earliest"] == "2019-04-19"
    thursday = await event_titled(client, "Mohammed Bin Zayed")
    assert (thursday["time"]["expression"], thursday["time"]["anchor_source_id"]) == (
        "jeudi dernier",
        article["id"],
    )
    february = await event_titled(client, "Abu Dhabi")
    assert (february["time"]["expression"], february["time"]["precision"]) == (
        "en février",
        "month",
    )
    # Unknown stays unknown: the Security Council event is placed by order only.
    council = await event_titled(client, "Security Council")
    assert council["time"]["precision"] == "unknown"
    assert council["time"]["earliest"] is None
    offensive = await event_titled(client, "offensive on Tripoli")
    assert ("after", offensive["id"]) in {
        (r["relation"], r["event_id"]) for r in council["relations"]
    }
    # The article's own date is not in its text: a range, no expression.
    assert article["published"]["expression"] is None
    assert article["published"]["precision"] == "range"


SEED = Path(__file__).resolve().parents[3] / "shared" / "seed" / "libya-haftar-fr.txt"


@pytest.mark.skipif(not SEED.exists(), reason="needs ../shared/seed")
async def test_the_article_text_is_the_seed_text_exactly(client, demo):
    article = await the_article(client)
    assert article["full_text"] == SEED.read_text(encoding="utf-8")


async def test_translation_ligne_rouge_and_red_line_are_one_claim(client, demo):
    french = await claim_saying(client, "ligne rouge")
    english = await claim_saying(client, "red line")
    assert french["id"] == english["id"]
    assert french["text"] == 'la capitale Tripoli était "une ligne rouge"'
    assert "red line" in french["translations"][0]["text"]


async def test_code_point_span_of_ligne_rouge(client, demo):
    article = await the_article(client)
    text = article["full_text"]
    bode = await actor_called(client, "Peter Bode")
    quote = await one(client, "/v1/attributions", speaker_id=bode["id"])
    span = quote["span"]
    assert span["text"] == "une ligne rouge"
    assert text[span["start"] : span["end"]] == "une ligne rouge"
    assert span["start"] == text.find("une ligne rouge")
    # Code points, not UTF-8 bytes: accented letters come before the span.
    assert len(text[: span["start"]].encode()) > span["start"]
    assert article["text_length"] == len(text)
    spans = await items(client, "/v1/attributions", source_id=article["id"])
    assert len(spans) == 12  # every attribution recorded in S0 has its span
    for attribution in spans:
        found = attribution["span"]
        assert found is not None, attribution
        assert text[found["start"] : found["end"]] == found["text"]


async def test_article_attributions_carry_speaker_cue_and_content_spans(client, demo):
    """Each record of the article marks its content, its cue as written and
    its speaker's mention; the source's own voice has no speaker or cue."""
    article = await the_article(client)
    text = article["full_text"]
    records = await items(client, "/v1/attributions", source_id=article["id"], expand="speaker")
    marked: dict[str, list[str]] = {}
    for record in records:
        by_role: dict[str, list[str]] = {"content": [], "cue": [], "speaker": []}
        for fragment in record["spans"]:
            assert text[fragment["start"] : fragment["end"]] == fragment["text"], fragment
            by_role[fragment["role"]].append(fragment["text"])
        assert by_role["content"] == [record["span"]["text"]]
        assert by_role["cue"] == ([record["cue"]] if record["cue"] else [])
        if record["mode"] == "own_voice":
            assert by_role["speaker"] == []
        else:
            assert len(by_role["speaker"]) == 1, record
            marked.setdefault(by_role["speaker"][0], []).append(record["speaker"]["name"])
    assert marked == {
        "des diplomates américains": ["US diplomats"],
        "les mêmes sources": ["US diplomats"] * 3,  # C5, C6 (continuing C5), C7
        "le chef de la diplomatie américaine": ["Mike Pompeo"],
        "Peter Bode": ["Peter Bode"],
        "ces sources diplomatiques": ["US diplomats"],
    }


async def test_contradiction_and_consequences_of_the_green_light(client, demo):
    green_light = await claim_saying(client, "green light")
    contradicting = await items(
        client, "/v1/claim-relations", claim_id=green_light["id"], kind="contradicts"
    )
    assert {r["from_claim_id"] for r in contradicting} == {green_light["id"]}
    assert {r["to_claim_id"] for r in contradicting} == {
        (await claim_saying(client, "clearly opposed"))["id"],
        (await claim_saying(client, "red line"))["id"],
    }
    assert all(r["asserted_by_actor_id"] is None and r["note"] for r in contradicting)
    following = await items(
        client, "/v1/claim-relations", claim_id=green_light["id"], kind="follows_from"
    )
    assert {r["to_claim_id"] for r in following} == {green_light["id"]}
    assert {r["from_claim_id"] for r in following} == {
        (await claim_saying(client, words))["id"]
        for words in ("decisive turn", "tacitly", "Bolton")
    }
    compares = await claim_saying(client, "last Friday")
    statement = await source_titled(client, "White House statement")
    assert compares["referenced_source_ids"] == [statement["id"]]


async def test_red_line_is_not_attributed_to_bloomberg(client, demo):
    red_line = await claim_saying(client, "red line")
    attributions = await items(client, "/v1/attributions", claim_id=red_line["id"], expand="source")
    assert len(attributions) == 2
    bloomberg = await actor_called(client, "Bloomberg")
    assert all(a["source"]["publisher_id"] != bloomberg["id"] for a in attributions)


async def test_q6_what_bloomberg_reported(client, demo):
    bloomberg = await actor_called(client, "Bloomberg")
    reported: set[str] = set()
    for source in await items(client, "/v1/sources", publisher_id=bloomberg["id"]):
        reported |= {c["id"] for c in await items(client, "/v1/claims", source_id=source["id"])}
    assert reported == {
        (await claim_saying(client, words))["id"]
        for words in ("green light", "6 days after", "asked his American", "pleaded")
    }


async def test_loading_twice_changes_nothing(client, connection: AsyncConnection, demo):
    before = await snapshot(client)
    factory = async_sessionmaker(
        bind=connection, expire_on_commit=False, join_transaction_mode="create_savepoint"
    )
    async with factory() as session:
        again = await load_bundle(session, demo_bundle())
        await session.commit()
    assert sum(again.created.values()) == 0
    assert again.line().endswith("(already loaded: nothing changed)")
    assert again.existing == {kind: demo.total(kind) for kind in demo.created}
    assert again.ids == demo.ids
    assert await snapshot(client) == before
    assert (await claim_saying(client, "green light"))["id"] == str(record_id("libya-haftar", "C1"))


async def test_summary_line_counts_what_was_loaded(demo: BundleSummary):
    assert demo.line() == (
        "founding article: 14 actors, 5 sources, 8 events, 11 claims, 17 attributions, "
        "5 claim relations (all new)"
    )


# -- the loader's refusals ----------------------------------------------------


def small_bundle() -> JSON:
    return {
        "format": "onrecord-bundle",
        "version": 1,
        "id": "refusals",
        "actors": [{"ref": "someone", "kind": "person", "name": "Someone"}],
        "sources": [
            {"ref": "doc", "kind": "article", "title": "Doc", "full_text": "Il a dit oui."}
        ],
        "claims": [{"ref": "yes", "text": "oui", "language": "fr"}],
        "attributions": [
            {
                "ref": "first",
                "claim": "yes",
                "speaker": "someone",
                "source": "doc",
                "mode": "direct_quote",
                "span": {"start": 9, "end": 12, "text": "oui"},
            }
        ],
    }


async def load_refused(connection: AsyncConnection, document: JSON) -> Exception:
    factory = async_sessionmaker(
        bind=connection, expire_on_commit=False, join_transaction_mode="create_savepoint"
    )
    async with factory() as session:
        with pytest.raises((InvalidBundle, SpanMismatch)) as refused:
            await load_bundle(session, document)
        await session.rollback()
    return refused.value


async def count_refusal_rows(client: httpx.AsyncClient) -> int:
    found = await items(client, "/v1/actors", name="Someone")
    return len(found)


async def test_a_small_bundle_loads(client, connection):
    factory = async_sessionmaker(
        bind=connection, expire_on_commit=False, join_transaction_mode="create_savepoint"
    )
    async with factory() as session:
        summary = await load_bundle(session, small_bundle())
        await session.commit()
    assert summary.created["attributions"] == 1
    assert await count_refusal_rows(client) == 1


async def test_unknown_ref_is_refused_naming_record_and_field(client, connection):
    document = small_bundle()
    document["attributions"][0]["speaker"] = "nobody"
    refused = await load_refused(connection, document)
    assert isinstance(refused, InvalidBundle)
    assert "attributions[0] (first): speaker" in str(refused)
    assert "'nobody'" in str(refused)
    assert refused.errors is not None
    assert refused.errors[0].pointer == "/attributions/0/speaker"
    assert await count_refusal_rows(client) == 0


async def test_ref_of_the_wrong_kind_is_refused(client, connection):
    document = small_bundle()
    document["attributions"][0]["speaker"] = "doc"
    refused = await load_refused(connection, document)
    assert "must refer to one of the actors" in str(refused)
    assert await count_refusal_rows(client) == 0


async def test_relay_cycle_is_refused(client, connection):
    document = small_bundle()
    first = document["attributions"][0]
    second = {**copy.deepcopy(first), "ref": "second", "relayed_through": "first"}
    first["relayed_through"] = "second"
    document["attributions"].append(second)
    refused = await load_refused(connection, document)
    assert isinstance(refused, InvalidBundle)
    assert "relay" in str(refused)
    assert "first, second" in str(refused)
    assert await count_refusal_rows(client) == 0


async def test_span_not_matching_the_text_is_refused_and_nothing_stays(client, connection):
    document = small_bundle()
    document["attributions"][0]["span"] = {"start": 8, "end": 11, "text": "oui"}
    refused = await load_refused(connection, document)
    assert isinstance(refused, InvalidBundle)
    assert str(refused).startswith("attributions[0] (first): the source text at [8, 11)")
    assert refused.errors is not None
    assert refused.errors[0].pointer == "/attributions/0/span/text"
    assert await count_refusal_rows(client) == 0


async def test_invalid_record_fields_are_refused_with_a_pointer(client, connection):
    document = small_bundle()
    document["attributions"][0]["mode"] = "rumour"
    refused = await load_refused(connection, document)
    assert isinstance(refused, InvalidBundle)
    assert refused.errors is not None
    assert refused.errors[0].pointer == "/attributions/0/mode"
    assert await count_refusal_rows(client) == 0


def test_bundle_records_mirror_the_api_create_schemas():
    """A bundle record has the fields of its Create schema, ``x_id`` as ``x``."""
    from app.actors.schemas import ActorCreate
    from app.attributions.schemas import AttributionCreate
    from app.claims.schemas import ClaimCreate, ClaimRelationCreate
    from app.events.schemas import EventCreate
    from app.sources.schemas import SourceCreate

    def bundle_name(field: str) -> str:
        if field.endswith("_ids"):
            return field.removesuffix("_ids") + "s"
        return field.removesuffix("_id") if field != "wikidata_id" else field

    pairs: list[tuple[type[BaseModel], type[BaseModel]]] = [
        (BundleActor, ActorCreate),
        (BundleSource, SourceCreate),
        (BundleEvent, EventCreate),
        (BundleClaim, ClaimCreate),
        (BundleAttribution, AttributionCreate),
        (BundleClaimRelation, ClaimRelationCreate),
    ]
    # An importer that groups mentions says how it resolved each speaker; the
    # API works that out itself.
    bundle_only: dict[type[BaseModel], set[str]] = {BundleAttribution: {"speaker_resolution"}}
    for record, create in pairs:
        expected = {bundle_name(name) for name in create.model_fields} | {"ref"}
        expected |= bundle_only.get(record, set())
        assert set(record.model_fields) == expected, record.__name__
    assert set(Bundle.model_fields) >= {"format", "version", "id", "actors", "claim_relations"}
