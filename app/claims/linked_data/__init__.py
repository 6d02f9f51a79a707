"""A claim as linked data: JSON-LD with schema.org and W3C PROV-O terms.

``GET /v1/claims/{id}`` with ``Accept: application/ld+json`` answers the
claim's graph: the claim, its attributions and every attribution up their
relay chains (with their claims), the sources, actors and events they name.
``context`` holds the vocabulary and the inline ``@context`` (processing
needs no network); ``graph`` gathers the records in ONE statement;
``serialization`` turns them into nodes, purely, so an export reuses it.
"""

from app.claims.linked_data.context import (
    ACTOR_TYPES,
    CONTEXT,
    MEDIA_TYPE,
    NAMESPACE,
    OPENAPI_RESPONSES,
    SOURCE_TYPES,
    WIKIDATA_ENTITY,
    prefers_jsonld,
)
from app.claims.linked_data.graph import claim_graph_document, claim_jsonld, fetch_claim_graph
from app.claims.linked_data.serialization import JSON, claim_graph_jsonld, record_node

__all__ = [
    "ACTOR_TYPES",
    "CONTEXT",
    "JSON",
    "MEDIA_TYPE",
    "NAMESPACE",
    "OPENAPI_RESPONSES",
    "SOURCE_TYPES",
    "WIKIDATA_ENTITY",
    "claim_graph_document",
    "claim_graph_jsonld",
    "claim_jsonld",
    "fetch_claim_graph",
    "prefers_jsonld",
    "record_node",
]
