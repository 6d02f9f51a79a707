"""The bundle format, property by property (Hypothesis), through POST /v1/bundles.

Generated valid bundles (actors, sources with text, claims with translations,
attributions whose spans are cut from their source's text and which relay
earlier ones, claim relations) load: every record is created, every ref
mapped to an id, and a second load writes nothing. Generated invalid ones
(each a valid bundle with one defect: a dangling or duplicated ref, a span
that misses its text or runs past it, a relay cycle, a ref to the wrong
collection, an unknown enum value, NUL in a text...) are refused with a
422 whose errors point into the bundle, and nothing is written.
"""

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import problem

JSON = dict[str, Any]
TABLES = ("actors", "sources", "events", "claims", "attributions", "claim-relations")
WORDS = st.text(
    st.characters(codec="utf-8", categories=("L", "N", "Zs", "P"), exclude_characters="\x00"),
    min_size=1,
    max_size=30,
).filter(lambda value: value.strip() != "")


@st.composite
def bundles(draw: st.DrawFn) -> JSON:
    n_actors = draw(st.integers(1, 4))
    actors = [
        {
            "ref": f"a{i}",
            "kind": draw(st.sampled_from(["person", "media", "anonymous", "government"])),
            "name": draw(WORDS),
            "names": [{"name": draw(WORDS), "kind": "alias"}] if draw(st.booleans()) else [],
        }
        for i in range(n_actors)
    ]
    sources = []
    for i in range(draw(st.integers(1, 3))):
        source: JSON = {
            "ref": f"s{i}",
            "kind": draw(st.sampled_from(["article", "report", "transcript"])),
            "title": draw(WORDS),
            "full_text": draw(WORDS) + " " + draw(WORDS) + " " + draw(WORDS),
        }
        if draw(st.booleans()):
            source["publisher"] = f"a{draw(st.integers(0, n_actors - 1))}"
        sources.append(source)
    claims = [
        {
            "ref": f"c{i}",
            "text": draw(WORDS),
            "language": draw(st.sampled_from(["fr", "en", "ar"])),
            "translations": [{"language": "en", "text": draw(WORDS)}]
            if draw(st.booleans())
            else [],
        }
        for i in range(draw(st.integers(1, 3)))
    ]
    attributions: list[JSON] = []
    for i in range(draw(st.integers(1, 5))):
        source = draw(st.sampled_from(sources))
        own_voice = draw(st.booleans())
        attribution: JSON = {
            "ref": f"t{i}",
            "claim": draw(st.sampled_from(claims))["ref"],
            "source": source["ref"],
            "mode": "own_voice"
            if own_voice
            else draw(st.sampled_from(["paraphrase", "direct_quote"])),
            "certainty": draw(st.sampled_from(["asserted", "alleged", "unknown"])),
        }
        if not own_voice:
            attribution["speaker"] = f"a{draw(st.integers(0, n_actors - 1))}"
        text = source["full_text"]
        if draw(st.booleans()):
            start = draw(st.integers(0, len(text) - 1))
            end = draw(st.integers(start + 1, len(text)))
            attribution["span"] = {"start": start, "end": end, "text": text[start:end]}
        relays = draw(st.booleans())
        if attributions and relays:
            earlier: JSON = draw(st.sampled_from(attributions))
            attribution["relayed_through"] = earlier["ref"]
        attributions.append(attribution)
    relations = []
    if len(claims) > 1 and draw(st.booleans()):
        relations.append(
            {
                "ref": "r0",
                "kind": draw(st.sampled_from(["contradicts", "supports", "same_as"])),
                "from_claim": claims[0]["ref"],
                "to_claim": claims[1]["ref"],
            }
        )
    return {
        "format": "onrecord-bundle",
        "version": 1,
        "id": "prop-" + draw(st.text("abcdef0123456789", min_size=6, max_size=6)),
        "actors": actors,
        "sources": sources,
        "claims": claims,
        "attributions": attributions,
        "claim_relations": relations,
    }


def _span_past_the_end(bundle: JSON) -> str:
    source = bundle["sources"][0]
    n = len(source["full_text"])
    bundle["attributions"][0] |= {
        "source": source["ref"],
        "span": {"start": n, "end": n + 3, "text": "abc"},
    }
    return "/attributions/0"


def _span_text_mismatch(bundle: JSON) -> str:
    source = bundle["sources"][0]
    text = source["full_text"]
    bundle["attributions"][0] |= {
        "source": source["ref"],
        "span": {"start": 0, "end": 1, "text": "\u2603" if text[0] != "\u2603" else "x"},
    }
    return "/attributions/0"


def _relay_cycle(bundle: JSON) -> str:
    first = bundle["attributions"][0]
    first["relayed_through"] = first["ref"]
    return "/attributions/0"


def _dangling_ref(bundle: JSON) -> str:
    bundle["attributions"][0]["claim"] = "nobody-knows-this-ref"
    return "/attributions/0/claim"


def _duplicate_ref(bundle: JSON) -> str:
    bundle["actors"].append({**bundle["actors"][0]})
    return f"/actors/{len(bundle['actors']) - 1}/ref"


def _wrong_collection(bundle: JSON) -> str:
    bundle["attributions"][0]["claim"] = bundle["actors"][0]["ref"]
    return "/attributions/0/claim"


def _unknown_enum(bundle: JSON) -> str:
    bundle["attributions"][0]["certainty"] = "rumoured"
    return "/attributions/0"


def _nul_in_text(bundle: JSON) -> str:
    bundle["claims"][0]["text"] = "before\x00after"
    return "/claims/0"


def _missing_field(bundle: JSON) -> str:
    del bundle["sources"][0]["title"]
    return "/sources/0"


def _speaker_missing(bundle: JSON) -> str:
    attribution = bundle["attributions"][0]
    attribution.pop("speaker", None)
    attribution["mode"] = "paraphrase"
    return "/attributions/0"


DEFECTS = [
    _span_past_the_end,
    _span_text_mismatch,
    _relay_cycle,
    _dangling_ref,
    _duplicate_ref,
    _wrong_collection,
    _unknown_enum,
    _nul_in_text,
    _missing_field,
    _speaker_missing,
]

HYPOTHESIS = settings(
    max_examples=20,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)


async def _counts(client) -> dict[str, int]:
    counts = {}
    for table in TABLES:
        response = await client.get(f"/v1/{table}", params={"limit": 200})
        counts[table] = len(response.json()["items"])
    return counts


@pytest.mark.slow  # generated bundles, loaded one by one
@HYPOTHESIS
@given(bundle=bundles())
async def test_a_generated_valid_bundle_loads_whole_and_once(client, connection, bundle) -> None:
    savepoint = await connection.begin_nested()
    try:
        response = await client.post("/v1/bundles", json=bundle)
        assert response.status_code == 201, response.text
        summary = response.json()
        records = {
            "actors": bundle["actors"],
            "sources": bundle["sources"],
            "claims": bundle["claims"],
            "attributions": bundle["attributions"],
            "claim_relations": bundle["claim_relations"],
        }
        for kind, items in records.items():
            assert summary["created"][kind] == len(items), (kind, summary)
        refs = {item["ref"] for items in records.values() for item in items}
        assert set(summary["ids"]) == refs
        for attribution in bundle["attributions"]:
            stored = await client.get(f"/v1/attributions/{summary['ids'][attribution['ref']]}")
            assert stored.status_code == 200
            body = stored.json()
            assert body["span"] == attribution.get("span")
            relayed = attribution.get("relayed_through")
            assert body["relayed_through_id"] == (summary["ids"][relayed] if relayed else None)
        again = await client.post("/v1/bundles", json=bundle)
        assert again.status_code == 200, again.text
        assert not any(again.json()["created"].values())
    finally:
        await savepoint.rollback()


@pytest.mark.slow  # generated bundles, loaded one by one
@HYPOTHESIS
@given(bundle=bundles(), defect=st.sampled_from(DEFECTS))
async def test_a_generated_invalid_bundle_is_refused_with_pointers_and_writes_nothing(
    client, connection, bundle, defect
) -> None:
    savepoint = await connection.begin_nested()
    try:
        before = await _counts(client)
        where = defect(bundle)
        response = await client.post("/v1/bundles", json=bundle)
        assert response.status_code == 422, (defect.__name__, response.text)
        body = response.json()
        assert response.headers["content-type"] == "application/problem+json"
        pointers = [error["pointer"] for error in body.get("errors") or []]
        assert pointers, body
        assert any(pointer.startswith(where) for pointer in pointers), (
            defect.__name__,
            where,
            pointers,
        )
        problem(response, 422, body["type"].rsplit("/", 1)[-1])
        assert await _counts(client) == before
    finally:
        await savepoint.rollback()
