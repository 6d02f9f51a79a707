"""The JSON documents of claims and of attributions, as PostgreSQL builds them.

They live together, below both packages, because they embed each other: a
claim with ``?expand=attributions`` embeds its attribution documents, and an
attribution with ``?expand=claim`` embeds its claim's. Kept here, app/claims
need not import app/attributions, which stands above it.
"""

import functools
from typing import Any

from sqlalchemy import FromClause, case, func
from sqlalchemy.sql.elements import ColumnElement

from app import documents
from app.actors.service import embedded_actor
from app.attributions.models import Attribution, AttributionSpan
from app.claims.models import Claim, ClaimEvent, ClaimSourceReference, ClaimTranslation
from app.events.service import EVENT_RECORDS, embedded_event
from app.fuzzytime import fuzzy_time_json
from app.records import Records, columns, stored
from app.sources.service import embedded_source
from app.sparse import Fields, pick

CLAIMS = Claim.__table__
TRANSLATIONS = ClaimTranslation.__table__
CLAIM_EVENTS = ClaimEvent.__table__
REFERENCES = ClaimSourceReference.__table__
ATTRIBUTIONS = Attribution.__table__
SPANS = AttributionSpan.__table__


def translations_json(claim_id: ColumnElement[Any]) -> ColumnElement[Any]:
    """The claim's translations, by language: ``[{language, text, note}]``."""
    translations = TRANSLATIONS.alias()
    return documents.json_array(
        func.json_build_object(*columns(translations, "language", "text", "note")),
        translations.c.claim_id == claim_id,
        order_by=translations.c.language,
    )


# Built once per shape: building it costs more than running it. Bounded: a
# client chooses the shape (`expand`, `fields`: thousands of combinations).
@functools.lru_cache(maxsize=512)
def claim_document(
    claims: FromClause = CLAIMS, *, expand: frozenset[str] = frozenset(), fields: Fields = None
) -> ColumnElement[Any]:
    """A claim's document: the members ``fields`` names (all when None),
    those ``expand`` names embedded."""
    claim_events = CLAIM_EVENTS.alias()
    references = REFERENCES.alias()
    members = stored(
        claims,
        *columns(claims, "text", "language"),
        "translations",
        translations_json(claims.c.id),
        "event_ids",
        documents.linked_ids(claim_events.c.event_id, claim_events.c.claim_id, claims.c.id),
        "referenced_source_ids",
        documents.linked_ids(references.c.source_id, references.c.claim_id, claims.c.id),
        *columns(claims, "independent_origins", "on_record"),
    )
    if "attributions" in expand:
        attributions = ATTRIBUTIONS.alias()
        members += [
            "attributions",
            documents.json_array(
                attribution_document(attributions, expand=frozenset({"speaker", "source"})),
                attributions.c.claim_id == claims.c.id,
                order_by=attributions.c.id,
            ),
        ]
    if "events" in expand:
        members += [
            "events",
            EVENT_RECORDS.embedded_through(
                CLAIM_EVENTS, link="event_id", parent="claim_id", parent_id=claims.c.id
            ),
        ]
    return func.json_build_object(*pick(members, fields))


CLAIM_RECORDS = Records(CLAIMS, claim_document, what="claim")
embedded_claim = CLAIM_RECORDS.embedded


def spans_json(attribution_id: ColumnElement[Any]) -> ColumnElement[Any]:
    """The attribution's annotated spans, grouped by role (content, cue,
    speaker: alphabetical), each role in ordinal order; ``[]`` when none. A
    correlated subquery on the primary key (attribution_id, role, ordinal)."""
    spans = SPANS.alias()
    return documents.json_array(
        func.json_build_object(*columns(spans, "role", "start", "end", "text")),
        spans.c.attribution_id == attribution_id,
        order_by=(spans.c.role, spans.c.ordinal),
    )


def speaker_resolution_json(attributions: FromClause) -> ColumnElement[Any]:
    """How the attribution's speaker was resolved, or null (own voice)."""
    a = attributions.c
    return case(
        (a.resolution_method.is_(None), None),
        else_=func.json_build_object(
            *columns(attributions, "method", "confidence", prefix="resolution_"),
            "mention",
            a.speaker_mention,
            "through_attribution_id",
            a.resolution_through_id,
        ),
    )


# Built once per shape: building it costs more than running it. Bounded: a
# client chooses the shape (`expand`, `fields`: thousands of combinations).
@functools.lru_cache(maxsize=512)
def attribution_document(
    attributions: FromClause = ATTRIBUTIONS,
    *,
    expand: frozenset[str] = frozenset(),
    fields: Fields = None,
) -> ColumnElement[Any]:
    """An attribution's document: the members ``fields`` names (all when
    None), those ``expand`` names embedded."""
    a = attributions.c
    members = stored(
        attributions,
        *columns(
            attributions,
            "claim_id",
            "speaker_id",
            "source_id",
            "occasion_event_id",
            "relayed_through_id",
            "mode",
            "cue",
            "certainty",
        ),
        "span",
        case(
            (a.span_start.is_(None), None),
            else_=func.json_build_object(
                *columns(attributions, "start", "end", "text", prefix="span_")
            ),
        ),
        "spans",
        spans_json(a.id),
        "time",
        fuzzy_time_json(attributions),
        *columns(attributions, "note"),
        "retraction",
        case(
            (a.retracted_at.is_(None), None),
            else_=func.json_build_object("at", a.retracted_at, "reason", a.retraction_reason),
        ),
        "speaker_resolution",
        speaker_resolution_json(attributions),
        "extraction",
        case(
            (a.extraction_model.is_(None), None),
            else_=func.json_build_object(
                *columns(attributions, "model", "version", "confidence", prefix="extraction_")
            ),
        ),
        *columns(attributions, "review"),
    )
    if "claim" in expand:
        members += ["claim", embedded_claim(a.claim_id)]
    if "speaker" in expand:
        members += ["speaker", embedded_actor(a.speaker_id)]
    if "source" in expand:
        members += ["source", embedded_source(a.source_id)]
    if "occasion_event" in expand:
        members += ["occasion_event", embedded_event(a.occasion_event_id)]
    if "relayed_through" in expand:
        members += ["relayed_through", ATTRIBUTION_RECORDS.embedded(a.relayed_through_id)]
    return func.json_build_object(*pick(members, fields))


ATTRIBUTION_RECORDS = Records(ATTRIBUTIONS, attribution_document, what="attribution")
