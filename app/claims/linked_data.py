"""A claim as linked data: JSON-LD with schema.org and W3C PROV-O terms.

``GET /v1/claims/{id}`` with ``Accept: application/ld+json`` answers the
claim's graph: the claim (``schema:Claim``, its wording and translations as
language-tagged ``schema:text`` values), each attribution of it as a
``schema:Quotation`` (``schema:spokenByCharacter`` and
``prov:wasAttributedTo`` the speaker, ``schema:isPartOf`` the source,
``prov:wasDerivedFrom`` the attribution it relays), every attribution up its
relay chains (also those of other claims, with those claims), the sources
(``schema:NewsArticle`` ... by kind, with publisher and authors), the actors
(``schema:Person``/``schema:Organization`` ... by kind; Wikidata ids as
``schema:sameAs``; anonymous actors typed ``onrecord:AnonymousActor``, never
given a ``sameAs``) and the events the claims are about. Node IRIs are the
API's own URLs (``<base>/v1/claims/<id>``...). What schema.org and PROV have
no term for is in the ``onrecord:`` vocabulary (:data:`NAMESPACE`):

- on attributions: ``mode``, ``certainty`` (the API's values, as strings),
  ``cue`` (tagged with the source's language), ``claim`` (the claim it
  records; the claim lists it as ``schema:appearance``), ``spanStart``/``spanEnd``
  (code points; ``schema:text`` is then the span's text, else the claim's);
- fuzzy times (attributions; sources and events, which also get
  ``schema:datePublished``/``schema:startDate`` when exactly one day is
  known): ``timeExpression``, ``timePrecision``, ``earliest``/``latest``
  (``xsd:date``, inclusive), ``timeAnchor`` (the source or event it is
  relative to), ``offsetDays``; an unknown time has none of them;
- on claims: ``independentOrigins``, ``onRecord``; ``schema:dateCreated`` and
  ``schema:dateModified`` are the record's timestamps;
- on actors: ``kind``, ``anonymous``, ``nationality``, ``roleDescription``;
  the type ``AnonymousActor``; on sources and events: ``kind``;
- on events: ``participant`` (each actor) and ``participation`` (blank
  ``Participation`` nodes: ``agent`` and ``role``).

Two steps, so an export can reuse the second:

1. :func:`fetch_claim_graph`: ONE statement (a recursive CTE walks the relay
   chains; PostgreSQL builds the JSON) returns the claim's graph as plain
   data: ``{claim_id, claims, attributions, sources, actors, events}``.
2. :func:`claim_graph_jsonld`: a pure function from that data (and the base
   URL the node IRIs are built on) to the JSON-LD document, whose
   ``@context`` is inline, so processing it needs no network.
"""

import functools
from collections.abc import Iterable, Mapping
from typing import Any
from uuid import UUID

import orjson
from sqlalchemy import (
    FromClause,
    bindparam,
    case,
    func,
    literal_column,
    select,
    union,
)
from sqlalchemy.dialects.postgresql import UUID as PG_UUID
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from app import documents, sqlcompile
from app.actors.models import ActorName
from app.claims.models import ClaimEvent
from app.claims.service import claim_document
from app.events.models import Event, EventParticipant
from app.fuzzytime import fuzzy_time_json
from app.provenance.corroboration import ACTORS, ATTRIBUTIONS, CLAIMS, SOURCES
from app.sources.models import SourceAuthor

MEDIA_TYPE = "application/ld+json"
NAMESPACE = "https://onrecord.dev/ns#"
"""The OnRecord vocabulary: terms schema.org and PROV-O do not have."""
WIKIDATA_ENTITY = "http://www.wikidata.org/entity/"

CONTEXT: dict[str, str] = {
    "schema": "https://schema.org/",
    "prov": "http://www.w3.org/ns/prov#",
    "onrecord": NAMESPACE,
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}

ACTOR_TYPES: dict[str, list[str]] = {
    "person": ["schema:Person"],
    "organisation": ["schema:Organization"],
    "government": ["schema:GovernmentOrganization"],
    "media": ["schema:NewsMediaOrganization"],
    "group": ["schema:Organization"],
    "anonymous": ["onrecord:AnonymousActor"],
}
SOURCE_TYPES: dict[str, str] = {
    "article": "schema:NewsArticle",
    "report": "schema:Report",
    "social_post": "schema:SocialMediaPosting",
    "document": "schema:DigitalDocument",
}
"""Source kinds with a schema.org type of their own; the others are ``schema:CreativeWork``."""

EMPTY_ARRAY: ColumnElement[Any] = literal_column("'[]'::json")
CLAIM_EVENTS = ClaimEvent.__table__
EVENTS = Event.__table__
PARTICIPANTS = EventParticipant.__table__
AUTHORS = SourceAuthor.__table__
NAMES = ActorName.__table__

JSON = dict[str, Any]


# --- content negotiation -----------------------------------------------------


def _quality(parameters: list[str]) -> float:
    for parameter in parameters:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "q":
            try:
                return min(max(float(value.strip()), 0.0), 1.0)
            except ValueError:
                return 0.0
    return 1.0


def prefers_jsonld(accept: str | None) -> bool:
    """Whether an ``Accept`` header asks for JSON-LD rather than JSON: it names
    ``application/ld+json`` itself (wildcards keep JSON, the default) with a
    quality above zero and at least that of ``application/json``."""
    if not accept:
        return False
    jsonld: float | None = None
    json_quality = 0.0
    for entry in accept.split(","):
        media_range, *parameters = entry.split(";")
        media_range = media_range.strip().lower()
        quality = _quality(parameters)
        if media_range == MEDIA_TYPE:
            jsonld = max(jsonld or 0.0, quality)
        elif media_range in ("application/json", "application/*", "*/*"):
            json_quality = max(json_quality, quality)
    return jsonld is not None and jsonld > 0 and jsonld >= json_quality


OPENAPI_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The claim. With `Accept: application/ld+json`: its graph as JSON-LD"
        " (schema.org and W3C PROV-O terms, inline `@context`): the claim, its attributions"
        " and every attribution up their relay chains, sources, actors and events.",
        "content": {
            MEDIA_TYPE: {
                "schema": {
                    "type": "object",
                    "required": ["@context", "@graph"],
                    "properties": {
                        "@context": {"type": "object"},
                        "@graph": {"type": "array", "items": {"type": "object"}},
                    },
                },
            }
        },
    }
}
"""``responses=`` of the claim GET: documents the JSON-LD alternative."""


# --- the one statement ------------------------------------------------------


def _each(column: ColumnElement[Any], *where: ColumnElement[bool]) -> ColumnElement[Any]:
    """One row per value of ``column`` where ``where`` holds (correlated): the
    rows are gathered by a subquery run per outer row, which PostgreSQL cannot
    turn into a join."""
    return func.unnest(select(func.array_agg(column)).where(*where).scalar_subquery())


def _documents(document: ColumnElement[Any], table: FromClause, ids: Any) -> Any:
    """JSON array of ``document`` (built on ``table``) for each id of the
    ``ids`` CTE (column ``id``; NULLs skipped), in id order: one primary-key
    lookup per id."""
    one = select(document).where(table.c.id == ids.c.id).scalar_subquery()
    return (
        select(func.coalesce(func.json_agg(aggregate_order_by(one, ids.c.id)), EMPTY_ARRAY))
        .where(ids.c.id.is_not(None))
        .scalar_subquery()
    )


@functools.cache  # built once: building it costs more than running it
def claim_graph_document() -> ColumnElement[Any]:
    """The JSON of the claim whose id is the ``sqlcompile.ROW_ID`` parameter and of
    everything its linked-data graph names; see :func:`fetch_claim_graph`."""
    claim_id = bindparam(sqlcompile.ROW_ID, type_=PG_UUID(as_uuid=True))
    # The claim's attributions and every one up their relay chains, each step
    # a primary-key lookup. UNION (not ALL): a hop shared by two chains is
    # kept once.
    seed = ATTRIBUTIONS.alias("ld_seed")
    hops = (
        select(
            seed.c.id,
            seed.c.relayed_through_id.label("next_id"),
            seed.c.claim_id,
            seed.c.source_id,
            seed.c.speaker_id,
        )
        .where(seed.c.claim_id == claim_id)
        .cte("ld_hops", recursive=True)
    )
    step = ATTRIBUTIONS.alias("ld_step")
    hops = hops.union(
        select(
            step.c.id,
            step.c.relayed_through_id,
            step.c.claim_id,
            step.c.source_id,
            step.c.speaker_id,
        ).where(step.c.id == hops.c.next_id)
    )
    # The ids the graph names. The planner cannot know how few rows a
    # recursive CTE yields: every row below is reached from these ids by
    # correlated subqueries (indexed lookups, one per id), never by a join
    # that could hash a whole table.
    claim_ids = union(select(claim_id.label("id")), select(hops.c.claim_id)).cte("ld_claim_ids")
    source_ids = select(hops.c.source_id.label("id")).distinct().cte("ld_source_ids")
    about = CLAIM_EVENTS.alias("ld_about")
    event_ids = (
        select(_each(about.c.event_id, about.c.claim_id == claim_ids.c.id).label("id"))
        .distinct()
        .select_from(claim_ids)
        .cte("ld_event_ids")
    )
    publishing = SOURCES.alias("ld_publishing")
    authoring = AUTHORS.alias("ld_authoring")
    participating = PARTICIPANTS.alias("ld_participating")
    actor_ids = union(
        select(hops.c.speaker_id.label("id")),
        select(
            select(publishing.c.publisher_id)
            .where(publishing.c.id == source_ids.c.id)
            .scalar_subquery()
        ).select_from(source_ids),
        select(_each(authoring.c.actor_id, authoring.c.source_id == source_ids.c.id)).select_from(
            source_ids
        ),
        select(
            _each(participating.c.actor_id, participating.c.event_id == event_ids.c.id)
        ).select_from(event_ids),
    ).cte("ld_actor_ids")

    claims = CLAIMS.alias("ld_claim")
    claim_json = claim_document(claims)  # the API's own claim document

    attribution = ATTRIBUTIONS.alias("ld_attribution")
    attribution_json = func.json_build_object(
        "id",
        attribution.c.id,
        "claim_id",
        attribution.c.claim_id,
        "speaker_id",
        attribution.c.speaker_id,
        "source_id",
        attribution.c.source_id,
        "relayed_through_id",
        attribution.c.relayed_through_id,
        "mode",
        attribution.c.mode,
        "cue",
        attribution.c.cue,
        "certainty",
        attribution.c.certainty,
        "time",
        fuzzy_time_json(attribution),
        "span",
        case(
            (attribution.c.span_start.is_(None), None),
            else_=func.json_build_object(
                "start",
                attribution.c.span_start,
                "end",
                attribution.c.span_end,
                "text",
                attribution.c.span_text,
            ),
        ),
    )

    source = SOURCES.alias("ld_source")
    authors = AUTHORS.alias("ld_authors")
    source_json = func.json_build_object(
        "id",
        source.c.id,
        "kind",
        source.c.kind,
        "title",
        source.c.title,
        "url",
        source.c.url,
        "language",
        source.c.language,
        "publisher_id",
        source.c.publisher_id,
        "author_ids",
        documents.json_array(
            authors.c.actor_id, authors.c.source_id == source.c.id, order_by=authors.c.position
        ),
        "published",
        fuzzy_time_json(source),
    )

    actor = ACTORS.alias("ld_actor")
    names = NAMES.alias("ld_names")
    actor_json = func.json_build_object(
        "id",
        actor.c.id,
        "kind",
        actor.c.kind,
        "name",
        actor.c.name,
        "names",
        documents.json_array(
            func.json_build_object("name", names.c.name, "language", names.c.language),
            names.c.actor_id == actor.c.id,
            order_by=names.c.id,
        ),
        "description",
        actor.c.description,
        "nationality",
        actor.c.nationality,
        "role_description",
        actor.c.role_description,
        "wikidata_id",
        actor.c.wikidata_id,
    )

    event = EVENTS.alias("ld_event")
    participants = PARTICIPANTS.alias("ld_participants")
    event_json = func.json_build_object(
        "id",
        event.c.id,
        "kind",
        event.c.kind,
        "title",
        event.c.title,
        "description",
        event.c.description,
        "place",
        event.c.place,
        "time",
        fuzzy_time_json(event),
        "participants",
        documents.json_array(
            func.json_build_object(
                "actor_id", participants.c.actor_id, "role", participants.c.role
            ),
            participants.c.event_id == event.c.id,
            order_by=participants.c.id,
        ),
    )

    return func.json_build_object(
        "claim_id",
        CLAIMS.c.id,
        "claims",
        _documents(claim_json, claims, claim_ids),
        "attributions",
        _documents(attribution_json, attribution, hops),
        "sources",
        _documents(source_json, source, source_ids),
        "actors",
        _documents(actor_json, actor, actor_ids),
        "events",
        _documents(event_json, event, event_ids),
    )


async def fetch_claim_graph(session: AsyncSession, *, claim_id: UUID) -> JSON:
    """The claim's graph as plain data, in ONE statement (404 when there is no
    such claim): ``{"claim_id", "claims", "attributions", "sources",
    "actors", "events"}``, each list ordered by id. ``attributions`` are the
    claim's and every one up their relay chains; ``claims`` the claim and
    those of these attributions; ``sources`` and ``actors`` those they name
    (speakers, publishers, authors, event participants); ``events`` those the
    claims are about. Fields are the API's own names (fuzzy times as the API
    shapes them)."""
    text = await sqlcompile.fetch_one(
        session, claim_graph_document(), CLAIMS.c.id, what="claim", id=claim_id
    )
    graph: JSON = orjson.loads(text)
    return graph


async def claim_jsonld(session: AsyncSession, *, claim_id: UUID, base_url: str) -> bytes:
    """The JSON-LD document of the claim, serialised (one statement)."""
    graph = await fetch_claim_graph(session, claim_id=claim_id)
    return orjson.dumps(claim_graph_jsonld(graph, base_url=base_url))


# --- the pure transformation ----------------------------------------------------


def _ref(iri: str) -> JSON:
    return {"@id": iri}


def _text(value: str, language: str | None) -> JSON | str:
    return {"@value": value, "@language": language} if language else value


def _typed(value: Any, datatype: str) -> JSON:
    return {"@value": value, "@type": datatype}


class _Iris:
    """IRIs of the API's resources under a base URL."""

    def __init__(self, base_url: str) -> None:
        self.base = base_url.rstrip("/") + "/v1/"

    def __call__(self, collection: str, id: Any) -> str:
        return f"{self.base}{collection}/{id}"

    def ref(self, collection: str, id: Any) -> JSON:
        return _ref(self(collection, id))

    def refs(self, collection: str, ids: Iterable[Any]) -> list[JSON]:
        return [self.ref(collection, id) for id in ids]


def _time_fields(
    time: Mapping[str, Any] | None, iri: _Iris, *, exact_day: str | None = None
) -> JSON:
    """A fuzzy time as ``onrecord:`` terms (unknown stays absent); ``exact_day``
    names the schema.org property that gets the day when exactly one is known."""
    if not time:
        return {}
    fields: JSON = {}
    if time.get("expression"):
        fields["onrecord:timeExpression"] = time["expression"]
    if time.get("precision") and time["precision"] != "unknown":
        fields["onrecord:timePrecision"] = time["precision"]
    earliest, latest = time.get("earliest"), time.get("latest")
    if earliest:
        fields["onrecord:earliest"] = _typed(earliest, "xsd:date")
    if latest:
        fields["onrecord:latest"] = _typed(latest, "xsd:date")
    if exact_day and earliest and earliest == latest:
        fields[exact_day] = _typed(earliest, "xsd:date")
    if time.get("anchor_source_id"):
        fields["onrecord:timeAnchor"] = iri.ref("sources", time["anchor_source_id"])
    elif time.get("anchor_event_id"):
        fields["onrecord:timeAnchor"] = iri.ref("events", time["anchor_event_id"])
    if time.get("offset_days") is not None:
        fields["onrecord:offsetDays"] = time["offset_days"]
    return fields


def _claim_node(claim: Mapping[str, Any], appearances: list[Any], iri: _Iris) -> JSON:
    texts = [_text(claim["text"], claim["language"])]
    texts += [_text(t["text"], t["language"]) for t in claim.get("translations") or ()]
    node: JSON = {
        "@id": iri("claims", claim["id"]),
        "@type": "schema:Claim",
        "schema:identifier": str(claim["id"]),
        "schema:text": texts,
        "schema:inLanguage": claim["language"],
    }
    if claim.get("created_at"):
        node["schema:dateCreated"] = _typed(claim["created_at"], "xsd:dateTime")
    if claim.get("updated_at"):
        node["schema:dateModified"] = _typed(claim["updated_at"], "xsd:dateTime")
    if appearances:
        node["schema:appearance"] = iri.refs("attributions", appearances)
    if claim.get("event_ids"):
        node["schema:about"] = iri.refs("events", claim["event_ids"])
    if claim.get("independent_origins") is not None:
        node["onrecord:independentOrigins"] = claim["independent_origins"]
    if claim.get("on_record") is not None:
        node["onrecord:onRecord"] = claim["on_record"]
    return node


def _attribution_node(
    attribution: Mapping[str, Any],
    claim: Mapping[str, Any] | None,
    source_language: str | None,
    iri: _Iris,
) -> JSON:
    node: JSON = {
        "@id": iri("attributions", attribution["id"]),
        "@type": ["schema:Quotation", "prov:Entity"],
        "schema:identifier": str(attribution["id"]),
    }
    span = attribution.get("span")
    if span:
        # The words as the source has them, in the source's language.
        node["schema:text"] = _text(span["text"], source_language)
    elif claim is not None:
        node["schema:text"] = _text(claim["text"], claim["language"])
    if attribution.get("speaker_id"):
        speaker = iri.ref("actors", attribution["speaker_id"])
        node["schema:spokenByCharacter"] = speaker
        node["prov:wasAttributedTo"] = speaker
    node["schema:isPartOf"] = iri.ref("sources", attribution["source_id"])
    node["onrecord:claim"] = iri.ref("claims", attribution["claim_id"])
    if attribution.get("relayed_through_id"):
        node["prov:wasDerivedFrom"] = iri.ref("attributions", attribution["relayed_through_id"])
    node["onrecord:mode"] = attribution["mode"]
    if attribution.get("cue"):
        node["onrecord:cue"] = _text(attribution["cue"], source_language)
    node["onrecord:certainty"] = attribution["certainty"]
    if span:
        node["onrecord:spanStart"] = span["start"]
        node["onrecord:spanEnd"] = span["end"]
    node.update(_time_fields(attribution.get("time"), iri))
    return node


def _source_node(source: Mapping[str, Any], iri: _Iris) -> JSON:
    node: JSON = {
        "@id": iri("sources", source["id"]),
        "@type": SOURCE_TYPES.get(source["kind"], "schema:CreativeWork"),
        "schema:identifier": str(source["id"]),
        "schema:headline": source["title"],
        "onrecord:kind": source["kind"],
    }
    if source.get("url"):
        node["schema:url"] = _ref(source["url"])
    if source.get("language"):
        node["schema:inLanguage"] = source["language"]
    if source.get("publisher_id"):
        node["schema:publisher"] = iri.ref("actors", source["publisher_id"])
    if source.get("author_ids"):
        node["schema:author"] = iri.refs("actors", source["author_ids"])
    node.update(_time_fields(source.get("published"), iri, exact_day="schema:datePublished"))
    return node


def _actor_node(actor: Mapping[str, Any], iri: _Iris) -> JSON:
    anonymous = actor["kind"] == "anonymous"
    node: JSON = {
        "@id": iri("actors", actor["id"]),
        "@type": [*ACTOR_TYPES.get(actor["kind"], ["schema:Organization"]), "prov:Agent"],
        "schema:identifier": str(actor["id"]),
        "schema:name": actor["name"],
        "onrecord:kind": actor["kind"],
        "onrecord:anonymous": anonymous,
    }
    aliases = [_text(n["name"], n.get("language")) for n in actor.get("names") or ()]
    if aliases:
        node["schema:alternateName"] = aliases
    if actor.get("description"):
        node["schema:description"] = actor["description"]
    if actor.get("nationality"):
        node["onrecord:nationality"] = actor["nationality"]
    if actor.get("role_description"):
        node["onrecord:roleDescription"] = actor["role_description"]
    if actor.get("wikidata_id") and not anonymous:
        node["schema:sameAs"] = _ref(WIKIDATA_ENTITY + actor["wikidata_id"])
    return node


def _event_node(event: Mapping[str, Any], iri: _Iris) -> JSON:
    node: JSON = {
        "@id": iri("events", event["id"]),
        "@type": "schema:Event",
        "schema:identifier": str(event["id"]),
        "schema:name": event["title"],
        "onrecord:kind": event["kind"],
    }
    if event.get("description"):
        node["schema:description"] = event["description"]
    if event.get("place"):
        node["schema:location"] = event["place"]
    participants = event.get("participants") or []
    if participants:
        node["onrecord:participant"] = iri.refs(
            "actors", dict.fromkeys(p["actor_id"] for p in participants)
        )
        node["onrecord:participation"] = [
            {
                "@type": "onrecord:Participation",
                "onrecord:agent": iri.ref("actors", p["actor_id"]),
                "onrecord:role": p["role"],
            }
            for p in participants
        ]
    node.update(_time_fields(event.get("time"), iri, exact_day="schema:startDate"))
    return node


def claim_graph_jsonld(graph: Mapping[str, Any], *, base_url: str) -> JSON:
    """The JSON-LD document of a claim graph as :func:`fetch_claim_graph`
    returns it: ``{"@context": CONTEXT, "@graph": [nodes]}``, the claim's node
    first, then the other claims, attributions, sources, actors and events.
    Node IRIs are the API's URLs under ``base_url`` (``<base>/v1/claims/<id>``).
    Pure: no I/O, so an export can call it on each claim it streams."""
    iri = _Iris(base_url)
    claims = {str(claim["id"]): claim for claim in graph["claims"]}
    main = str(graph["claim_id"])
    appearances: dict[str, list[Any]] = {claim_id: [] for claim_id in claims}
    for attribution in graph["attributions"]:
        appearances.setdefault(str(attribution["claim_id"]), []).append(attribution["id"])
    languages = {str(s["id"]): s.get("language") for s in graph["sources"]}
    ordered = [main, *(claim_id for claim_id in claims if claim_id != main)]
    nodes: list[JSON] = [
        _claim_node(claims[claim_id], appearances[claim_id], iri)
        for claim_id in ordered
        if claim_id in claims
    ]
    nodes += [
        _attribution_node(
            attribution,
            claims.get(str(attribution["claim_id"])),
            languages.get(str(attribution["source_id"])),
            iri,
        )
        for attribution in graph["attributions"]
    ]
    nodes += [_source_node(source, iri) for source in graph["sources"]]
    nodes += [_actor_node(actor, iri) for actor in graph["actors"]]
    nodes += [_event_node(event, iri) for event in graph.get("events") or ()]
    return {"@context": dict(CONTEXT), "@graph": nodes}


def record_node(collection: str, document: Mapping[str, Any], *, base_url: str) -> JSON | None:
    """The JSON-LD node of one record as the API documents it (the export's
    linked-data form); None for a collection with no node of its own (claim
    relations). Attributions name their claim (``onrecord:claim``) rather than
    claims listing their appearances: each node stands alone."""
    iri = _Iris(base_url)
    if collection == "claims":
        return _claim_node(document, [], iri)
    if collection == "attributions":
        return _attribution_node(document, None, None, iri)
    if collection == "sources":
        return _source_node(document, iri)
    if collection == "actors":
        return _actor_node(document, iri)
    if collection == "events":
        return _event_node(document, iri)
    return None
