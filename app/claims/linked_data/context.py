"""The vocabulary of a claim's JSON-LD: its inline ``@context``, the
schema.org types by kind, and whether a request asks for JSON-LD."""

from typing import Any

MEDIA_TYPE = "application/ld+json"
NAMESPACE = "https://onrecord.dev/ns#"
"""The OnRecord vocabulary: terms schema.org and PROV-O do not have:

- on attributions: ``mode``, ``certainty`` (the API's values, as strings),
  ``cue`` (tagged with the source's language), ``claim`` (the claim it
  records; the claim lists it as ``schema:appearance``), ``spanStart``/``spanEnd``
  (code points; ``schema:text`` is then the span's text, else the claim's),
  ``speakerResolution`` (a ``SpeakerResolution``: ``method``, ``confidence``,
  ``mention``, ``resolvedThrough`` the attribution a pronoun was resolved by);
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
  ``Participation`` nodes: ``agent`` and ``role``)."""
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
