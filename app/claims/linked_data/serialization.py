"""A claim graph's records as JSON-LD nodes: pure functions, no I/O, so an
export can call them on each record it streams.

The claim is a ``schema:Claim`` (wording and translations as language-tagged
``schema:text``); each attribution a ``schema:Quotation``
(``schema:spokenByCharacter`` and ``prov:wasAttributedTo`` the speaker,
``schema:isPartOf`` the source, ``prov:wasDerivedFrom`` the attribution it
relays); sources and actors typed by kind (``context``; Wikidata ids as
``schema:sameAs``, never for anonymous actors); events ``schema:Event``.
Node IRIs are the API's own URLs (``<base>/v1/claims/<id>``...).
"""

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from app.claims.linked_data.context import ACTOR_TYPES, CONTEXT, SOURCE_TYPES, WIKIDATA_ENTITY

JSON = dict[str, Any]


def _ref(iri: str) -> JSON:
    return {"@id": iri}


def _text(value: str, language: str | None) -> JSON | str:
    return {"@value": value, "@language": language} if language else value


def _typed(value: Any, datatype: str) -> JSON:
    return {"@value": value, "@type": datatype}


def _copy(node: JSON, record: Mapping[str, Any], terms: Mapping[str, str]) -> None:
    """Each field of ``record`` that has a value, under its term."""
    for field, term in terms.items():
        if record.get(field):
            node[term] = record[field]


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

    def node(self, collection: str, record: Mapping[str, Any], rdf_type: str | list[str]) -> JSON:
        """A record's node with its IRI, type and identifier."""
        return {
            "@id": self(collection, record["id"]),
            "@type": rdf_type,
            "schema:identifier": str(record["id"]),
        }


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
    node = iri.node("claims", claim, "schema:Claim")
    node["schema:text"] = texts
    node["schema:inLanguage"] = claim["language"]
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
    node = iri.node("attributions", attribution, ["schema:Quotation", "prov:Entity"])
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
    resolution = attribution.get("speaker_resolution")
    if resolution:
        node["onrecord:speakerResolution"] = _resolution_node(resolution, source_language, iri)
    node.update(_time_fields(attribution.get("time"), iri))
    return node


def _resolution_node(
    resolution: Mapping[str, Any], source_language: str | None, iri: _Iris
) -> JSON:
    """How the speaker was resolved: a blank node (method, confidence, the
    mention as written, the attribution it was resolved through)."""
    node: JSON = {
        "@type": "onrecord:SpeakerResolution",
        "onrecord:method": resolution["method"],
        "onrecord:confidence": resolution["confidence"],
    }
    if resolution.get("mention"):
        node["onrecord:mention"] = _text(resolution["mention"], source_language)
    if resolution.get("through_attribution_id"):
        node["onrecord:resolvedThrough"] = iri.ref(
            "attributions", resolution["through_attribution_id"]
        )
    return node


def _source_node(source: Mapping[str, Any], iri: _Iris) -> JSON:
    node = iri.node("sources", source, SOURCE_TYPES.get(source["kind"], "schema:CreativeWork"))
    node["schema:headline"] = source["title"]
    node["onrecord:kind"] = source["kind"]
    if source.get("url"):
        node["schema:url"] = _ref(source["url"])
    _copy(node, source, {"language": "schema:inLanguage"})
    if source.get("publisher_id"):
        node["schema:publisher"] = iri.ref("actors", source["publisher_id"])
    if source.get("author_ids"):
        node["schema:author"] = iri.refs("actors", source["author_ids"])
    node.update(_time_fields(source.get("published"), iri, exact_day="schema:datePublished"))
    return node


def _actor_node(actor: Mapping[str, Any], iri: _Iris) -> JSON:
    anonymous = actor["kind"] == "anonymous"
    types = [*ACTOR_TYPES.get(actor["kind"], ["schema:Organization"]), "prov:Agent"]
    node = iri.node("actors", actor, types)
    node["schema:name"] = actor["name"]
    node["onrecord:kind"] = actor["kind"]
    node["onrecord:anonymous"] = anonymous
    aliases = [_text(n["name"], n.get("language")) for n in actor.get("names") or ()]
    if aliases:
        node["schema:alternateName"] = aliases
    _copy(
        node,
        actor,
        {
            "description": "schema:description",
            "nationality": "onrecord:nationality",
            "role_description": "onrecord:roleDescription",
        },
    )
    if actor.get("wikidata_id") and not anonymous:
        node["schema:sameAs"] = _ref(WIKIDATA_ENTITY + actor["wikidata_id"])
    return node


def _event_node(event: Mapping[str, Any], iri: _Iris) -> JSON:
    node = iri.node("events", event, "schema:Event")
    node["schema:name"] = event["title"]
    node["onrecord:kind"] = event["kind"]
    _copy(node, event, {"description": "schema:description", "place": "schema:location"})
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
    """The JSON-LD document of a claim graph as ``graph.fetch_claim_graph``
    returns it: ``{"@context": CONTEXT, "@graph": [nodes]}``, the claim's node
    first, then the other claims, attributions, sources, actors and events.
    Node IRIs are the API's URLs under ``base_url`` (``<base>/v1/claims/<id>``)."""
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


_STANDALONE: dict[str, Callable[[Mapping[str, Any], _Iris], JSON]] = {
    "claims": lambda claim, iri: _claim_node(claim, [], iri),
    "attributions": lambda attribution, iri: _attribution_node(attribution, None, None, iri),
    "sources": _source_node,
    "actors": _actor_node,
    "events": _event_node,
}


def record_node(collection: str, document: Mapping[str, Any], *, base_url: str) -> JSON | None:
    """The JSON-LD node of one record as the API documents it (the export's
    linked-data form); None for a collection with no node of its own (claim
    relations). Attributions name their claim (``onrecord:claim``) rather than
    claims listing their appearances: each node stands alone."""
    build = _STANDALONE.get(collection)
    return build(document, _Iris(base_url)) if build else None
