"""GET /v1/export and onrecord import/export: out and back in, byte for byte."""

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from app.bundles.export import ExportFilter, export_lines
from app.bundles.format import BundleSummary
from app.bundles.importer import Importer, ImportFailed
from app.db import create_engine
from tests.factories import make_attribution, problem

JSON = dict[str, Any]


@pytest.fixture
def empty_url(server_url_: str) -> Iterator[str]:
    from tests.conftest import migrated_database

    with migrated_database(server_url_, "export") as url:
        yield url


@pytest.fixture
async def empty_engine(empty_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(empty_url, pool_size=2)
    yield engine
    await engine.dispose()


async def export_text(client: httpx.AsyncClient, **params: Any) -> bytes:
    response = await client.get("/v1/export", params=params)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/x-ndjson"
    return response.content


async def export_of(engine: AsyncEngine) -> bytes:
    async with async_sessionmaker(engine)() as session:
        lines = [line async for line in export_lines(session, ExportFilter())]
        await session.rollback()
    return b"".join(lines)


async def import_into(engine: AsyncEngine, path: Path) -> Importer:
    importer = Importer(engine)
    await importer.run([path], advance=lambda _n: None)
    return importer


async def test_the_export_holds_every_record_once_in_load_order(client, demo: BundleSummary):
    lines = [orjson.loads(line) for line in (await export_text(client)).splitlines()]
    assert len(lines) == len(demo.ids)
    assert {line["ref"] for line in lines} == {str(i) for i in demo.ids.values()}
    order = ["actors", "sources", "events", "claims", "attributions", "claim_relations"]
    kinds = [line["collection"] for line in lines]
    assert kinds == sorted(kinds, key=order.index)
    relayed = next(line for line in lines if line["ref"] == str(demo.ids["A-C1-S0"]))
    assert relayed["relayed_through"] == str(demo.ids["A-C1-S1"])
    assert relayed["span"]["text"].startswith("Le président Trump aurait donné")


async def test_export_import_export_is_identical(
    client, demo: BundleSummary, tmp_path: Path, empty_engine: AsyncEngine
):
    # An annotated attribution too: its spans must survive the trip.
    s0 = (await client.get(f"/v1/sources/{demo.ids['S0']}")).json()
    cue_at = s0["full_text"].index("ont confié")
    cue = {"role": "cue", "start": cue_at, "end": cue_at + 10, "text": "ont confié"}
    annotated = await make_attribution(
        client,
        source_id=str(demo.ids["S0"]),
        claim_id=str(demo.ids["C1"]),
        speaker_id=str(demo.ids["us-diplomats"]),
        spans=[cue],
    )
    first = await export_text(client)
    line = next(line for line in first.splitlines() if annotated["id"].encode() in line)
    assert orjson.loads(line)["spans"] == [cue]
    path = tmp_path / "onrecord.ndjson"
    path.write_bytes(first)
    importer = await import_into(empty_engine, path)
    assert importer.report.records == len(demo.ids) + 1
    assert sum(importer.report.created.values()) == len(demo.ids) + 1
    assert await export_of(empty_engine) == first
    again = await import_into(empty_engine, path)  # idempotent
    assert sum(again.report.created.values()) == 0


async def test_a_filtered_export_carries_what_it_needs(
    client, demo: BundleSummary, tmp_path: Path, empty_engine: AsyncEngine
):
    pompeo = demo.ids["pompeo"]
    text = await export_text(client, speaker_id=str(pompeo))
    lines = [orjson.loads(line) for line in text.splitlines()]
    attributions = [line for line in lines if line["collection"] == "attributions"]
    assert attributions
    assert all(a["speaker"] == str(pompeo) for a in attributions)
    refs = {line["ref"] for line in lines}
    assert all(a["claim"] in refs and a["source"] in refs for a in attributions)
    path = tmp_path / "pompeo.ndjson"
    path.write_bytes(text)
    await import_into(empty_engine, path)  # loads into an empty database: nothing missing
    assert await export_of(empty_engine) == text


async def test_changed_since_the_future_exports_nothing(client, demo: BundleSummary):
    assert await export_text(client, changed_since="2999-01-01T00:00:00Z") == b""


async def test_an_upside_down_window_is_a_problem(client):
    response = await client.get(
        "/v1/export", params={"time_from": "2020-02-01", "time_to": "2020-01-01"}
    )
    problem(response, 422, "invalid-field")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'{"format": "onrecord-bundle", "version": 1, "id": "x"}\n{"format": ', "truncated"),
        (b'{"collection": "actors", "ref": "a", "kind": "person", "name": "\xff"}\n', "UTF-8"),
        (b'{"collection": "rumours", "ref": "a"}\n', "rumours"),
        (b"[1, 2]\n", "neither a bundle"),
        (
            b'{"collection": "actors", "ref": "a", "kind": "wizard", "name": "A"}\n',
            "lines.ndjson:1: kind",
        ),
    ],
)
async def test_bad_lines_stop_the_import_naming_file_and_line(
    tmp_path: Path, empty_engine: AsyncEngine, content: bytes, message: str
):
    path = tmp_path / "lines.ndjson"
    path.write_bytes(content)
    with pytest.raises(ImportFailed) as failed:
        await import_into(empty_engine, path)
    assert message in str(failed.value)
    assert str(path) in str(failed.value)
    assert await export_of(empty_engine) == b""


async def test_a_bad_bundle_in_a_stream_keeps_earlier_batches_and_names_its_line(
    tmp_path: Path, empty_engine: AsyncEngine
):
    def bundle(name: str, speaker: str) -> bytes:
        document = {
            "format": "onrecord-bundle",
            "version": 1,
            "id": name,
            "actors": [{"ref": "x", "kind": "person", "name": f"Speaker {name}"}],
            "sources": [{"ref": "s", "kind": "article", "title": name}],
            "claims": [{"ref": "c", "text": f"claim {name}", "language": "en"}],
            "attributions": [
                {"ref": "a", "claim": "c", "speaker": speaker, "source": "s", "mode": "paraphrase"}
            ],
        }
        return orjson.dumps(document) + b"\n"

    # Into a database that holds records: batches commit one by one (a first
    # import is one transaction: tests/bundles/test_fresh_import.py).
    (tmp_path / "zero.ndjson").write_bytes(bundle("zero", "x"))
    await import_into(empty_engine, tmp_path / "zero.ndjson")
    path = tmp_path / "stream.ndjson"
    path.write_bytes(bundle("one", "x") + bundle("two", "x") + bundle("three", "nobody"))
    importer = Importer(empty_engine, batch_attributions=1)  # commits after each bundle
    with pytest.raises(ImportFailed) as failed:
        await importer.run([path], advance=lambda _n: None)
    assert f"{path}:3: attributions[0] (a): speaker refers to 'nobody'" in str(failed.value)
    exported = (await export_of(empty_engine)).splitlines()
    assert sum(1 for line in exported if b'"attributions"' in line) == 3
    path.write_bytes(bundle("one", "x") + bundle("two", "x"))
    again = Importer(empty_engine)
    await again.run([path], advance=lambda _n: None)
    assert sum(again.report.created.values()) == 0


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
async def test_the_export_as_linked_data(client, demo: BundleSummary):
    from rdflib import RDF, Graph, Namespace, URIRef

    from tests.claims.test_linked_data import offline

    schema = Namespace("https://schema.org/")
    prov = Namespace("http://www.w3.org/ns/prov#")
    response = await client.get("/v1/export", headers={"Accept": "application/ld+json"})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/ld+json"
    with offline():
        graph = Graph().parse(data=response.text, format="json-ld")

    def node(collection: str, ref: str) -> URIRef:
        return URIRef(f"http://onrecord.test/v1/{collection}/{demo.ids[ref]}")

    assert (node("claims", "C1"), RDF.type, schema.Claim) in graph
    relayed = (
        node("attributions", "A-C1-S0"),
        prov.wasDerivedFrom,
        node("attributions", "A-C1-S1"),
    )
    assert relayed in graph
    assert (
        node("attributions", "A-C1-S1"),
        prov.wasAttributedTo,
        node("actors", "us-diplomats"),
    ) in graph
    assert (
        node("actors", "trump"),
        schema.sameAs,
        URIRef("http://www.wikidata.org/entity/Q22686"),
    ) in graph
    claims = set(graph.subjects(RDF.type, schema.Claim))
    assert len(claims) == sum(1 for ref in demo.ids if ref.startswith("C"))
