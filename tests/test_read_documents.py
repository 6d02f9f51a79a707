"""The JSON that PostgreSQL builds is the JSON the ``Read`` schemas declare.

Reads are answered with documents built in SQL (``json_build_object``,
``app/documents.py``), sent as bytes without going through Pydantic; the
``Read`` models are the declaration clients see (OpenAPI, generated
clients). Nothing at run time keeps the two together, so this test does:
over generated data (``bench/generate.py``, the benchmark's generator, plus
the founding article and a few records made to reach the rare shapes:
retractions, relays, roles, translations), every document every listing
returns, plain and fully expanded, must

- have every field its schema declares and no other (at every depth, the
  embedded documents checked against their own ``Read`` schema);
- validate against it as JSON (formats, enums, constraints), numbers,
  booleans and strings being of the JSON type declared;
- be null only where the schema allows null;

and every field that may be null must be seen both null and not null, so a
field the generated data never fills cannot pass unchecked.

The other reads (provenance, statements, search, timeline, conflicts,
history...) are checked the same way against the ``response_model`` their
route declares, every GET route of the app with path parameters filled
from the data: a route added later is checked without a line here.
"""

import io
import types
import typing
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import orjson
import pytest
from fastapi.routing import APIRoute
from pydantic import BaseModel, TypeAdapter
from sqlalchemy.ext.asyncio import AsyncConnection, async_sessionmaker

from app.actors.schemas import ActorRead
from app.attributions.schemas import AttributionRead
from app.bundles.bulk import load_bundle
from app.bundles.format import parse_bundle
from app.claims.schemas import ClaimRead, ClaimRelationRead
from app.events.schemas import EventRead, Participant
from app.history.schemas import Resource
from app.main import API_ROUTERS, create_app
from app.sources.schemas import RecordCounts, SourceRead
from bench.generate import write
from tests.factories import (
    ids,
    make_actor,
    make_attribution,
    make_event,
    make_source,
    post,
    walk,
)

CLAIMS = 150
"""Enough generated claims that every shape occurs, few enough to load in seconds."""

JSON = dict[str, Any]


@dataclass(frozen=True)
class Embedded:
    """What an expansion embeds: documents of ``schema``, themselves
    expanded by ``embedded``."""

    schema: type[BaseModel]
    embedded: dict[str, "Embedded"] = field(default_factory=dict)


@dataclass(frozen=True)
class Listing:
    path: str
    schema: type[BaseModel]
    embedded: dict[str, Embedded] = field(default_factory=dict)
    """``?expand=`` name → what it embeds."""


LISTINGS = (
    Listing("/v1/actors", ActorRead),
    Listing(
        "/v1/sources",
        SourceRead,
        {
            "publisher": Embedded(ActorRead),
            "authors": Embedded(ActorRead),
            "counts": Embedded(RecordCounts),
        },
    ),
    # Participants are always there: expanding them embeds each one's actor.
    Listing(
        "/v1/events",
        EventRead,
        {"participants": Embedded(Participant, {"actor": Embedded(ActorRead)})},
    ),
    Listing(
        "/v1/claims",
        ClaimRead,
        {
            # Who said it, where: each attribution with its speaker and source.
            "attributions": Embedded(
                AttributionRead,
                {"speaker": Embedded(ActorRead), "source": Embedded(SourceRead)},
            ),
            "events": Embedded(EventRead),
        },
    ),
    Listing(
        "/v1/attributions",
        AttributionRead,
        {
            "claim": Embedded(ClaimRead),
            "speaker": Embedded(ActorRead),
            "source": Embedded(SourceRead),
            "occasion_event": Embedded(EventRead),
            "relayed_through": Embedded(AttributionRead),
        },
    ),
    Listing(
        "/v1/claim-relations",
        ClaimRelationRead,
        {
            "from_claim": Embedded(ClaimRead),
            "to_claim": Embedded(ClaimRead),
            "asserted_by": Embedded(ActorRead),
        },
    ),
)


# A source's text comes only with the source itself (GET /v1/sources/{id}).
_ABSENT: dict[type[BaseModel], frozenset[str]] = defaultdict(
    frozenset, {SourceRead: frozenset({"full_text"})}
)

# The fields present only when asked for with ``?expand=``.
_EXPANSIONS: dict[type[BaseModel], frozenset[str]] = defaultdict(frozenset)
_EXPANSIONS.update(
    {listing.schema: frozenset(listing.embedded) - {"participants"} for listing in LISTINGS}
)
_EXPANSIONS[Participant] = frozenset({"actor"})


class Nulls:
    """Which nullable fields were seen null and which not, per schema."""

    def __init__(self) -> None:
        self.null: dict[str, set[str]] = defaultdict(set)
        self.filled: dict[str, set[str]] = defaultdict(set)
        self.nullable: dict[str, set[str]] = defaultdict(set)

    def unseen(self) -> list[str]:
        return sorted(
            f"{schema}.{name} never {state}"
            for schema, names in self.nullable.items()
            for name in names
            for state, seen in (("null", self.null), ("filled", self.filled))
            if name not in seen[schema]
        )


def _allows_none(annotation: Any) -> bool:
    return annotation is None or type(None) in typing.get_args(annotation)


def _union_members(annotation: Any) -> tuple[Any, ...]:
    union = typing.get_origin(annotation) in (typing.Union, types.UnionType)
    return typing.get_args(annotation) if union else ()


def _models_in(annotation: Any) -> Iterator[type[BaseModel]]:
    """The models an annotation holds (``X | None``, ``list[X]``...)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    for argument in typing.get_args(annotation):
        yield from _models_in(argument)


def _check(
    document: Any,
    schema: type[BaseModel],
    *,
    where: str,
    nulls: Nulls,
    embedded: dict[str, Embedded] | None = None,
) -> None:
    """``document`` has exactly ``schema``'s fields (save ``_ABSENT``), each
    null only where allowed; recursing into nested models and into the
    embedded documents of ``embedded``."""
    assert isinstance(document, dict), f"{where}: {document!r} is not an object"
    fields = schema.model_fields
    expected = {name for name in fields if name not in _ABSENT[schema]}
    # Expansions are present exactly when asked for.
    expected -= {name for name in fields if name in _EXPANSIONS[schema]} - set(embedded or ())
    assert set(document) == expected, (
        f"{where} ({schema.__name__}): missing {sorted(expected - set(document))},"
        f" undeclared {sorted(set(document) - expected)}"
    )
    for name, value in document.items():
        annotation = fields[name].annotation
        here = f"{where}.{name}"
        if _allows_none(annotation):
            # An expansion is null when what it embeds is (no publisher):
            # its id field's coverage says as much.
            if name not in _EXPANSIONS[schema]:
                nulls.nullable[schema.__name__].add(name)
                (nulls.null if value is None else nulls.filled)[schema.__name__].add(name)
        else:
            assert value is not None, f"{here}: null, and {schema.__name__} says it never is"
        if value is None:
            continue
        # Lax validation (below) would take "3" for 3 and "true" for true.
        for kind, accepted in ((bool, bool), (int, int), (float, int | float), (str, str)):
            if annotation is kind or kind in _union_members(annotation):
                wrong = f"{here}: {value!r} is not a JSON {kind.__name__}"
                assert isinstance(value, accepted), wrong
                assert kind is bool or not isinstance(value, bool), wrong
                break
        if embedded and name in embedded:
            inner = embedded[name]
            for index, item in enumerate(value if isinstance(value, list) else [value]):
                _check(
                    item,
                    inner.schema,
                    where=f"{here}[{index}]",
                    nulls=nulls,
                    embedded=inner.embedded,
                )
            continue
        for model in _models_in(annotation):
            for index, item in enumerate(value if isinstance(value, list) else [value]):
                _check(item, model, where=f"{here}[{index}]", nulls=nulls)


@pytest.fixture
async def generated(connection: AsyncConnection, client: httpx.AsyncClient) -> dict[str, list[str]]:
    """The generated bundles, the founding article and the rare shapes,
    loaded in the test's transaction; returns the ids of records gone from
    the listings (listing → ids), whose history is still there."""
    from app.demo import demo_bundle

    out = io.BytesIO()
    write(CLAIMS, out, polnear=None)
    factory = async_sessionmaker(
        bind=connection, expire_on_commit=False, join_transaction_mode="create_savepoint"
    )
    async with factory() as session:
        for line in out.getvalue().splitlines():
            await load_bundle(session, parse_bundle(orjson.loads(line)))
        await load_bundle(session, demo_bundle())
        await session.commit()
    # What the generator never makes: a retraction, a correction, a deletion,
    # an actor's role in an organisation (and one in none, undated: both show
    # in the duplicate candidates of the founding article's Mike Pompeo), a
    # translation with and one without a note, a contradiction asserted by an
    # actor in a source, a time relative to an event.
    organisation = await make_actor(client, kind="organisation", name="Département d'État")
    await make_actor(
        client,
        name="Mike Pompeo",
        roles=[
            {
                "title": "Secretary of State",
                "organisation_id": organisation["id"],
                "started_on": "2018-04-26",
                "ended_on": "2021-01-20",
            },
            {"title": "Director of the CIA"},
        ],
    )
    claims = [
        await post(
            client,
            "/v1/claims",
            {
                "text": "Tripoli est une ligne rouge",
                "language": "fr",
                "translations": [
                    {"language": "en", "text": "Tripoli is a red line", "note": "ours"},
                    {"language": "de", "text": "Tripolis ist eine rote Linie"},
                ],
            },
        ),
        await post(client, "/v1/claims", {"text": "Haftar had a green light", "language": "en"}),
    ]
    await post(
        client,
        "/v1/claim-relations",
        {
            "kind": "contradicts",
            "from_claim_id": claims[0]["id"],
            "to_claim_id": claims[1]["id"],
            "asserted_by_actor_id": organisation["id"],
            "asserted_in_source_id": (await make_source(client))["id"],
        },
    )
    summit = await make_event(client, time={"earliest": "2019-04-04", "precision": "day"})
    await make_event(
        client,
        title="The offensive",
        time={
            "expression": "le lendemain",
            "relative_to": "event",
            "anchor_event_id": summit["id"],
            "offset_days": 1,
        },
    )
    await make_attribution(
        client,
        time={
            "expression": "le lendemain du sommet",
            "relative_to": "event",
            "anchor_event_id": summit["id"],
            "offset_days": 1,
        },
    )
    retracted = await make_attribution(client, cue="a dit")
    response = await client.post(
        f"/v1/attributions/{retracted['id']}/retraction", json={"reason": "misattributed"}
    )
    assert response.status_code in (200, 201), response.text
    corrected = await make_attribution(client, cue="a dit")
    response = await client.post(
        f"/v1/attributions/{corrected['id']}/corrections",
        json={"reason": "the cue was misread", "changes": {"cue": "a affirmé"}},
    )
    assert response.status_code == 200, response.text
    gone = await make_actor(client, name="A duplicate")
    assert (await client.delete(f"/v1/actors/{gone['id']}")).status_code == 204
    # A merged actor, and a pronoun resolved through another attribution.
    twin, survivor = await make_actor(client, name="M. Pompeo"), await make_actor(client)
    merged = await client.post(f"/v1/actors/{twin['id']}/merge", json={"into": survivor["id"]})
    assert merged.status_code == 200, merged.text
    pronoun = {
        "format": "onrecord-bundle",
        "version": 1,
        "id": "read-documents-pronoun",
        "actors": [{"ref": "p", "kind": "person", "name": "Mike Pompeo"}],
        "claims": [{"ref": "c", "text": "x", "language": "fr"}],
        "sources": [{"ref": "s", "kind": "article", "title": "t"}],
        "attributions": [
            {"ref": "a", "claim": "c", "source": "s", "speaker": "p", "mode": "paraphrase"},
            {
                "ref": "b",
                "claim": "c",
                "source": "s",
                "speaker": "p",
                "mode": "paraphrase",
                "speaker_resolution": {
                    "mention": "il",
                    "method": "pronoun",
                    "confidence": 0.8,
                    "through_attribution": "a",
                },
                # proposed by an extraction model, and corrected by a person
                "extraction": {"model": "onrecord-fr-rules", "version": "1", "confidence": 0.7},
                "review": "corrected",
            },
        ],
    }
    assert (await client.post("/v1/bundles", json=pronoun)).status_code == 201
    return {"/v1/actors": [gone["id"]]}


async def test_every_listed_document_is_its_read_schema(
    client: httpx.AsyncClient, generated: dict[str, list[str]]
) -> None:
    nulls = Nulls()
    for listing in LISTINGS:
        adapter = TypeAdapter(listing.schema)
        plain = await walk(client, listing.path)
        assert len(plain) >= 5, f"{listing.path}: too few documents to check"
        readings: list[tuple[str, list[JSON], dict[str, Embedded]]] = [("", plain, {})]
        if listing.embedded:
            expanded = await walk(client, listing.path, expand=",".join(listing.embedded))
            assert len(expanded) == len(plain)
            readings.append(("?expand", expanded, listing.embedded))
        for query, documents, embedded in readings:
            for document in documents:
                adapter.validate_json(orjson.dumps(document))
                _check(
                    document,
                    listing.schema,
                    where=f"{listing.path}{query}/{document.get('id')}",
                    nulls=nulls,
                    embedded=embedded,
                )
    assert not nulls.unseen(), (
        "nullable fields the data never showed both ways (add a record that does): "
        + "; ".join(nulls.unseen())
    )


SAMPLE = 40
"""Records per resource whose other reads are checked."""

PARAMETERS = {
    "actor_id": "/v1/actors",
    "source_id": "/v1/sources",
    "event_id": "/v1/events",
    "claim_id": "/v1/claims",
    "attribution_id": "/v1/attributions",
    "relation_id": "/v1/claim-relations",
}
"""Path parameter → the listing whose ids fill it."""

QUERIES: dict[str, list[dict[str, str | int]]] = {
    "/v1/search": [{"q": "Haftar"}, {"q": "Trump"}, {"q": "diplomats"}]
}
"""Routes that need a query to answer, and the queries they get."""

LISTED = {listing.path for listing in LISTINGS}


def _is_listing_or_record(path: str) -> bool:
    parent, _, last = path.rpartition("/")
    return path in LISTED or (parent in LISTED and last.startswith("{"))


def _other_reads() -> list[APIRoute]:
    """The API's GET routes that declare a JSON document, but the listings
    and their records."""
    return [
        route
        for router in API_ROUTERS
        for route in router.routes
        if isinstance(route, APIRoute)
        and "GET" in (route.methods or ())
        and isinstance(route.response_model, type)
        and issubclass(route.response_model, BaseModel)
        and not _is_listing_or_record(route.path)
    ]


def test_every_documented_read_is_checked() -> None:
    """Every GET of the API (``/v1``) the OpenAPI document says answers
    JSON is a listing, one of its records, or one of ``_other_reads``."""
    document = create_app().openapi()
    documented = {
        path
        for path, operations in document["paths"].items()
        if path.startswith("/v1/")
        and "application/json"
        in operations.get("get", {}).get("responses", {}).get("200", {}).get("content", {})
    }
    others = {route.path for route in _other_reads()}
    assert {path for path in documented if not _is_listing_or_record(path)} == others


def _fillings(
    names: list[str], samples: dict[str, list[str]], gone: dict[str, list[str]]
) -> list[dict[str, str]] | None:
    """Path parameters to read ``names`` with, from ``samples`` (listing →
    ids) and, for history, the ``gone`` records; None when a name is not
    known here."""
    if names == ["resource", "record_id"]:  # /v1/{resource}/{record_id}/history
        return [
            {"resource": resource, "record_id": record}
            for resource in typing.get_args(Resource)
            for record in [*samples[f"/v1/{resource}"][-5:], *gone.get(f"/v1/{resource}", [])]
        ]
    if any(name not in PARAMETERS for name in names):
        return None
    columns = [samples[PARAMETERS[name]] for name in names]
    return [dict(zip(names, values, strict=True)) for values in zip(*columns, strict=False)]


@pytest.mark.slow
async def test_every_other_read_is_its_declared_response_model(
    client: httpx.AsyncClient, generated: dict[str, list[str]]
) -> None:
    samples = {
        listing: (await ids(client, listing))[-SAMPLE:] for listing in set(PARAMETERS.values())
    }

    nulls = Nulls()
    unfilled: list[str] = []
    for route in _other_reads():
        names = [parameter.name for parameter in route.dependant.path_params]
        fillings = _fillings(names, samples, generated)
        if fillings is None:
            unfilled.append(route.path)
            continue
        schema = route.response_model
        adapter = TypeAdapter(schema)
        queries = QUERIES.get(route.path, [{}])
        if any(parameter.name == "limit" for parameter in route.dependant.query_params):
            queries = [*queries, *({**query, "limit": 1} for query in queries)]  # a `next`
        for values in fillings:
            for query in queries:
                url = route.path.format(**values)
                response = await client.get(url, params=query)
                assert response.status_code == 200, f"{url}: {response.text}"
                adapter.validate_json(response.content)
                _check(response.json(), schema, where=url, nulls=nulls)
    assert not unfilled, f"GET routes this test cannot fill (add their parameters): {unfilled}"
    # A listing's own record embedded here (the actor of a duplicate candidate)
    # has its fields' coverage checked by the listing test: an actor merged
    # away is never a candidate, and need not be.
    listed = {listing.schema.__name__ for listing in LISTINGS}
    unseen = [entry for entry in nulls.unseen() if entry.split(".")[0] not in listed]
    assert unseen == [], (
        "nullable fields the data never showed both ways (add a record that does): "
        + "; ".join(unseen)
    )
