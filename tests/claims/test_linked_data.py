"""A claim as linked data: ``GET /v1/claims/{id}`` with ``Accept:
application/ld+json`` answers JSON-LD (schema.org, PROV-O, the onrecord:
vocabulary) that a JSON-LD processor turns into RDF with no network access.
The default answer stays the JSON document."""

import contextlib
import json
import socket
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from rdflib import RDF, Graph, Literal, Namespace, URIRef

from app.claims.linked_data import NAMESPACE, prefers_jsonld
from tests.factories import make_actor, make_attribution, make_claim, make_source, problem

SCHEMA = Namespace("https://schema.org/")
PROV = Namespace("http://www.w3.org/ns/prov#")
ONRECORD = Namespace(NAMESPACE)
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
BASE = "http://onrecord.test/v1/"
LD = {"Accept": "application/ld+json"}
# rdflib's JSON-LD parser builds a ConjunctiveGraph internally (its own deprecation).
pytestmark = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
DEMO = json.loads(
    (Path(__file__).parents[2] / "app" / "demo" / "libya-haftar.json").read_text("utf-8")
)


def demo_record(kind: str, ref: str) -> dict[str, Any]:
    (record,) = [record for record in DEMO[kind] if record["ref"] == ref]
    found: dict[str, Any] = record
    return found


def node(collection: str, id: object) -> URIRef:
    return URIRef(f"{BASE}{collection}/{id}")


@contextlib.contextmanager
def offline() -> Iterator[None]:
    """Any attempt to open a connection fails the test."""

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("JSON-LD processing tried to reach the network")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(socket, "create_connection", refuse)
        patch.setattr(socket.socket, "connect", refuse)
        patch.setattr(urllib.request, "urlopen", refuse)
        yield


async def linked_data(client: httpx.AsyncClient, claim_id: object) -> Graph:
    """The claim's JSON-LD, fetched over HTTP and parsed to RDF offline."""
    response = await client.get(f"/v1/claims/{claim_id}", headers=LD)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/ld+json"
    assert "accept" in response.headers["vary"].lower()
    document = response.json()
    assert set(document["@context"].values()) >= {
        "https://schema.org/",
        "http://www.w3.org/ns/prov#",
        NAMESPACE,
    }
    with offline():
        graph = Graph().parse(data=response.text, format="json-ld")
        # N-Triples: the N-Quads of the default graph, where every triple is.
        triples = graph.serialize(format="nt")
    assert len(graph) > 0
    assert f"<{BASE}claims/{claim_id}> <{RDF.type}> <{SCHEMA.Claim}> ." in triples
    return graph


async def test_green_light_claim_as_rdf(client, demo):
    graph = await linked_data(client, demo.ids["C1"])
    c1 = node("claims", demo.ids["C1"])
    article_hop = node("attributions", demo.ids["A-C1-S0"])
    bloomberg_hop = node("attributions", demo.ids["A-C1-S1"])
    claim = demo_record("claims", "C1")

    # The claim, in its original wording and its translation.
    assert (c1, RDF.type, SCHEMA.Claim) in graph
    assert (c1, SCHEMA.text, Literal(claim["text"], lang="fr")) in graph
    (translation,) = claim["translations"]
    assert (c1, SCHEMA.text, Literal(translation["text"], lang="en")) in graph
    assert (c1, SCHEMA.inLanguage, Literal("fr")) in graph
    created = graph.value(c1, SCHEMA.dateCreated)
    assert isinstance(created, Literal)
    assert created.datatype == XSD.dateTime
    assert set(graph.objects(c1, SCHEMA.appearance)) == {article_hop, bloomberg_hop}

    # On whose report: the article's attribution derives from Bloomberg's.
    assert (article_hop, PROV.wasDerivedFrom, bloomberg_hop) in graph
    assert graph.value(bloomberg_hop, PROV.wasDerivedFrom) is None
    for hop in (article_hop, bloomberg_hop):
        assert (hop, RDF.type, SCHEMA.Quotation) in graph
    assert (article_hop, ONRECORD.certainty, Literal("alleged")) in graph
    assert (article_hop, ONRECORD.mode, Literal("paraphrase")) in graph
    assert (article_hop, ONRECORD.cue, Literal("ont confié", lang="fr")) in graph
    assert (bloomberg_hop, ONRECORD.certainty, Literal("unknown")) in graph

    # ... whose speaker is the anonymous US diplomats, kept anonymous.
    diplomats = graph.value(bloomberg_hop, PROV.wasAttributedTo)
    assert diplomats == node("actors", demo.ids["us-diplomats"])
    assert (bloomberg_hop, SCHEMA.spokenByCharacter, diplomats) in graph
    assert (article_hop, PROV.wasAttributedTo, diplomats) in graph
    name = demo_record("actors", "us-diplomats")["name"]
    assert (diplomats, SCHEMA.name, Literal(name)) in graph
    assert (diplomats, RDF.type, ONRECORD.AnonymousActor) in graph
    assert (diplomats, ONRECORD.anonymous, Literal(True)) in graph
    assert graph.value(diplomats, SCHEMA.sameAs) is None

    # The sources: the article (publisher unknown in the demo) and Bloomberg's report.
    article = graph.value(article_hop, SCHEMA.isPartOf)
    assert article == node("sources", demo.ids["S0"])
    assert (article, RDF.type, SCHEMA.NewsArticle) in graph
    assert graph.value(article, SCHEMA.headline) == Literal(demo_record("sources", "S0")["title"])
    assert graph.value(article, SCHEMA.publisher) is None
    assert graph.value(article, ONRECORD.earliest) == Literal("2019-04-24", datatype=XSD.date)
    assert graph.value(article, ONRECORD.latest) == Literal("2019-04-30", datatype=XSD.date)
    assert graph.value(article, SCHEMA.datePublished) is None  # a range, not a day
    report = graph.value(bloomberg_hop, SCHEMA.isPartOf)
    assert report == node("sources", demo.ids["S1"])
    assert graph.value(report, SCHEMA.datePublished) == Literal("2019-04-24", datatype=XSD.date)
    publisher = graph.value(report, SCHEMA.publisher)
    assert publisher == node("actors", demo.ids["bloomberg"])
    assert (publisher, RDF.type, SCHEMA.NewsMediaOrganization) in graph
    assert (publisher, SCHEMA.name, Literal("Bloomberg")) in graph

    # The event the claim is about, whose participants include Trump (Wikidata Q22686).
    event = node("events", demo.ids["E2"])
    assert (c1, SCHEMA.about, event) in graph
    assert (event, RDF.type, SCHEMA.Event) in graph
    trump = node("actors", demo.ids["trump"])
    assert (event, ONRECORD.participant, trump) in graph
    assert (trump, RDF.type, SCHEMA.Person) in graph
    assert (trump, SCHEMA.sameAs, URIRef("http://www.wikidata.org/entity/Q22686")) in graph
    assert graph.value(node("actors", demo.ids["haftar"]), SCHEMA.sameAs) is None


async def test_relay_chain_crosses_into_other_claims(client):
    """The whole chain is in the graph, upstream hops of another claim and
    that claim included; sources carry publisher, authors, URL, day."""
    reuters = await make_actor(client, kind="media", name="Reuters", wikidata_id="Q130879")
    author = await make_actor(client, name="Jane Reporter")
    speaker = await make_actor(client, name="Mike Pompeo", wikidata_id="Q473239")
    day = {"earliest": "2019-04-07", "latest": "2019-04-07", "precision": "day"}
    statement = await make_source(client, kind="statement", title="Statement", language="en")
    article = await make_source(
        client,
        kind="article",
        title="Pompeo opposes the offensive",
        publisher_id=reuters["id"],
        author_ids=[author["id"]],
        url="https://example.org/pompeo",
        language="en",
        published=day,
    )
    upstream = await make_claim(client, text="We oppose the offensive", language="en")
    origin = await make_attribution(
        client,
        claim_id=upstream["id"],
        speaker_id=speaker["id"],
        source_id=statement["id"],
        mode="direct_quote",
        certainty="asserted",
        time={
            "expression": "le 7 avril",
            "relative_to": "source",
            "anchor_source_id": article["id"],
            **day,
        },
    )
    claim = await make_claim(client, text="Washington opposes the offensive", language="en")
    relaying = await make_attribution(
        client,
        claim_id=claim["id"],
        speaker_id=speaker["id"],
        source_id=article["id"],
        relayed_through_id=origin["id"],
        cue="said",
        certainty="asserted",
    )
    own_voice = await make_attribution(
        client, claim_id=claim["id"], source_id=article["id"], mode="own_voice"
    )

    graph = await linked_data(client, claim["id"])
    hop, origin_hop = node("attributions", relaying["id"]), node("attributions", origin["id"])
    assert (hop, PROV.wasDerivedFrom, origin_hop) in graph
    assert (origin_hop, RDF.type, SCHEMA.Quotation) in graph
    assert (origin_hop, PROV.wasAttributedTo, node("actors", speaker["id"])) in graph
    assert (origin_hop, SCHEMA.isPartOf, node("sources", statement["id"])) in graph
    assert (origin_hop, ONRECORD.timeExpression, Literal("le 7 avril")) in graph
    assert (origin_hop, ONRECORD.earliest, Literal("2019-04-07", datatype=XSD.date)) in graph
    assert (origin_hop, ONRECORD.latest, Literal("2019-04-07", datatype=XSD.date)) in graph
    assert (origin_hop, ONRECORD.timeAnchor, node("sources", article["id"])) in graph
    # The upstream claim is a node of its own, of which that hop is an appearance.
    other = node("claims", upstream["id"])
    assert (other, RDF.type, SCHEMA.Claim) in graph
    assert (other, SCHEMA.appearance, origin_hop) in graph
    assert (node("claims", claim["id"]), SCHEMA.appearance, origin_hop) not in graph
    # The source's own voice has no speaker to attribute it to.
    voice = node("attributions", own_voice["id"])
    assert (voice, RDF.type, SCHEMA.Quotation) in graph
    assert graph.value(voice, PROV.wasAttributedTo) is None

    source = node("sources", article["id"])
    assert (source, RDF.type, SCHEMA.NewsArticle) in graph
    assert (source, SCHEMA.publisher, node("actors", reuters["id"])) in graph
    assert (source, SCHEMA.author, node("actors", author["id"])) in graph
    assert (source, SCHEMA.url, URIRef("https://example.org/pompeo")) in graph
    assert (source, SCHEMA.datePublished, Literal("2019-04-07", datatype=XSD.date)) in graph
    assert (node("sources", statement["id"]), RDF.type, SCHEMA.CreativeWork) in graph
    wikidata = URIRef("http://www.wikidata.org/entity/Q473239")
    assert (node("actors", speaker["id"]), SCHEMA.sameAs, wikidata) in graph
    assert (node("actors", reuters["id"]), RDF.type, SCHEMA.NewsMediaOrganization) in graph


async def test_json_stays_the_default(client, demo):
    url = f"/v1/claims/{demo.ids['C1']}"
    no_accept = client.build_request("GET", url)
    del no_accept.headers["accept"]
    bodies = [(await client.send(no_accept))]
    for accept in (
        "*/*",
        "application/json",
        "application/*",
        "text/html,application/xhtml+xml,*/*;q=0.8",
        "application/json, application/ld+json;q=0.5",
        "application/ld+json;q=0",
    ):
        bodies.append(await client.get(url, headers={"Accept": accept}))
    for response in bodies:
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/json"
    first = bodies[0].json()
    assert all(response.json() == first for response in bodies)
    assert set(first) == {
        "id",
        "text",
        "language",
        "translations",
        "event_ids",
        "referenced_source_ids",
        "independent_origins",
        "on_record",
        "created_at",
        "updated_at",
    }
    assert first["id"] == str(demo.ids["C1"])
    expanded = await client.get(url, params={"expand": "attributions"})
    assert len(expanded.json()["attributions"]) == 2


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, False),
        ("", False),
        ("*/*", False),
        ("application/json", False),
        ("application/*", False),
        ("application/ld+json", True),
        ("Application/LD+JSON", True),
        ('application/ld+json;profile="http://www.w3.org/ns/json-ld#expanded"', True),
        ("application/ld+json, application/json", True),
        ("application/json;q=0.9, application/ld+json", True),
        ("application/ld+json;q=0.5, application/json", False),
        ("application/ld+json;q=0", False),
        ("application/ld+json;q=nonsense", False),
        ("text/html, application/ld+json;q=0.9, */*;q=0.8", True),
    ],
)
def test_content_negotiation(accept, expected):
    assert prefers_jsonld(accept) is expected


async def test_unknown_claim_is_a_problem_in_either_representation(client):
    missing = "/v1/claims/00000000-0000-7000-8000-000000000000"
    problem(await client.get(missing, headers=LD), 404, "not-found")
    problem(await client.get("/v1/claims/nope", headers=LD), 422, "validation-error")
    problem(await client.get(missing, headers=LD, params={"expand": "nope"}), 422, "invalid-field")


async def test_linked_data_is_one_statement(client, demo, statements):
    """``statements`` counts the SQL statements the app sends to PostgreSQL
    during the request (tests/conftest.py)."""
    statements.clear()
    response = await client.get(f"/v1/claims/{demo.ids['C1']}", headers=LD)
    assert response.status_code == 200
    assert len(statements) == 1, statements.statements


async def test_openapi_documents_the_linked_data_representation(client):
    document = (await client.get("/openapi.json")).json()
    ok = document["paths"]["/v1/claims/{claim_id}"]["get"]["responses"]["200"]
    assert set(ok["content"]) == {"application/json", "application/ld+json"}
    assert ok["content"]["application/json"]["schema"] == {
        "anyOf": [  # the whole claim, or the members asked for (?fields=, app/sparse.py)
            {"$ref": "#/components/schemas/ClaimRead"},
            {"$ref": "#/components/schemas/ClaimReadMembers"},
        ]
    }
    assert ok["content"]["application/ld+json"]["schema"]["required"] == ["@context", "@graph"]
