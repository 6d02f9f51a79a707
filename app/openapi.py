"""What the OpenAPI document says beyond the routes: stable operation ids,
the tags' descriptions, and the app's one ``openapi()`` override
(``install_openapi``), which adds what other modules contribute.

Clients are generated from ``/openapi.json`` (``tests/test_generated_clients.py``
does it for Python and TypeScript), so an ``operationId`` is a public name:
``docs/operation-ids.txt`` lists them all and a test keeps it in step.
"""

import re
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute

# Function names that read badly as an operation id (or clash across resources).
OPERATION_ID_OVERRIDES: dict[str, str] = {
    "claim_provenance": "getClaimProvenance",
    "search": "searchRecords",
    "export": "exportRecords",
    "actor_statements": "listActorStatements",
    "source_claims": "listSourceClaims",
    "published_claims": "listPublishedClaims",
    "claim_conflicts": "getClaimConflicts",
    "event_timeline": "getEventTimeline",
    "list_relations": "listClaimRelations",
    "get_relation": "getClaimRelation",
    "create_relation": "createClaimRelation",
    "update_relation": "updateClaimRelation",
    "delete_relation": "deleteClaimRelation",
    "changes": "listChanges",
    "record_history": "getRecordHistory",
    "health": "getHealth",
    "ready": "getReadiness",
}

CAMEL_CASE = re.compile(r"^[a-z][a-zA-Z0-9]*$")


def camel_case(name: str) -> str:
    head, *rest = [part for part in name.split("_") if part]
    return head.lower() + "".join(part[:1].upper() + part[1:] for part in rest)


def operation_id(route: APIRoute) -> str:
    """``generate_unique_id_function`` of the app: the route function's name in
    camelCase, unless ``OPERATION_ID_OVERRIDES`` names it better."""
    return OPERATION_ID_OVERRIDES.get(route.name) or camel_case(route.name)


OPENAPI_TAGS: list[dict[str, str]] = [
    {
        "name": "actors",
        "description": "People, organisations, governments, media, groups, and anonymous "
        "actors known only by description (nationality, role), with their aliases in several "
        "languages and their roles over time.",
    },
    {
        "name": "curation",
        "description": "What a person does when the speaker resolver could not decide or "
        "decided wrong: the duplicates of an actor, merge (and unmerge) two actors that are one "
        "person, split an actor that is several, record that two are not the same person, and "
        "the queue of what is worth a look.",
    },
    {
        "name": "sources",
        "description": "Documents that record what was said: kind, title, publisher, authors, "
        "URL, language, fuzzy publication time, full text, and the sources they cite.",
    },
    {
        "name": "events",
        "description": "What happened: fuzzy time (absolute, or relative to a source or another "
        "event), place, participants, temporal relations, and the timeline.",
    },
    {
        "name": "claims",
        "description": "What was said, in its original wording and language, with translations, "
        "the events it is about and the sources it refers to.",
    },
    {
        "name": "claim relations",
        "description": "How two claims relate (contradicts, supports, refines, same_as, "
        "follows_from), and who asserts it.",
    },
    {
        "name": "attributions",
        "description": "Who said a claim, in which source, when, how (mode, cue), how certain "
        "the reporting is, the span of the source text, and which attribution it relays.",
    },
    {
        "name": "provenance",
        "description": "On whose report: relay chains back to the original speaker, "
        "corroboration, what an actor said over time, what a source or publisher reported.",
    },
    {
        "name": "conflicts",
        "description": "Claims that contradict each other, and actors contradicting themselves.",
    },
    {
        "name": "search",
        "description": "Full-text search over claims (both languages) and sources, fuzzy "
        "search over actor names and aliases.",
    },
    {
        "name": "bundles",
        "description": "Many records in one request (all or nothing), the bundle format as a "
        "JSON Schema, and NDJSON export.",
    },
    {
        "name": "imports",
        "description": "Articles annotated in other formats (brat standoff), converted and "
        "imported as bundles.",
    },
    {
        "name": "extraction",
        "description": "From raw English or French news text to proposed attributions (speaker, "
        "cue, content, relays, certainty, time), reviewed and then stored as a bundle.",
    },
    {
        "name": "history",
        "description": "Every change of every record (who, when, before and after), and a feed "
        "of all changes to sync from.",
    },
    {
        "name": "meta",
        "description": "The service itself: liveness and readiness.",
    },
]


Contribution = Callable[[dict[str, Any]], None]
"""Adds to an OpenAPI document, in place, what the routes do not say."""


def install_openapi(app: FastAPI, *contributions: Contribution) -> None:
    """``app.openapi()`` gives FastAPI's document with ``contributions``
    applied, in order, once per document FastAPI builds (it builds a new one
    when routes are added)."""
    build = app.openapi
    contributed: dict[str, Any] | None = None

    def openapi() -> dict[str, Any]:
        nonlocal contributed
        document = build()
        if document is not contributed:
            for contribute in contributions:
                contribute(document)
            contributed = document
        return document

    app.openapi = openapi  # type: ignore[method-assign]
