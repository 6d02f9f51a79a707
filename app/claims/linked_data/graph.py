"""The records a claim's linked-data graph names, gathered by ONE statement
(a recursive CTE walks the relay chains; PostgreSQL builds the JSON)."""

import functools
from typing import Any
from uuid import UUID

import orjson
from sqlalchemy import FromClause, case, func, literal_column, select, union
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.sql.elements import ColumnElement

from app import documents, sqlcompile
from app.actors.service import ACTORS, NAMES
from app.claim_attribution_documents import (
    ATTRIBUTIONS,
    CLAIM_EVENTS,
    CLAIMS,
    claim_document,
    speaker_resolution_json,
)
from app.claims.linked_data.serialization import JSON, claim_graph_jsonld
from app.events.service import EVENTS, PARTICIPANTS
from app.fuzzytime import fuzzy_time_json
from app.sources.service import AUTHORS, SOURCES

EMPTY_ARRAY: ColumnElement[Any] = literal_column("'[]'::json")


def _columns(table: FromClause, *names: str) -> list[Any]:
    """``json_build_object`` arguments: each column under its own name, as
    the API names its fields."""
    return [part for name in names for part in (name, table.c[name])]


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


def _attribution_json(attribution: FromClause) -> ColumnElement[Any]:
    span = func.json_build_object(
        "start",
        attribution.c.span_start,
        "end",
        attribution.c.span_end,
        "text",
        attribution.c.span_text,
    )
    return func.json_build_object(
        *_columns(
            attribution,
            "id",
            "claim_id",
            "speaker_id",
            "source_id",
            "relayed_through_id",
            "mode",
            "cue",
            "certainty",
        ),
        "time",
        fuzzy_time_json(attribution),
        "span",
        case((attribution.c.span_start.is_(None), None), else_=span),
        "speaker_resolution",
        speaker_resolution_json(attribution),
    )


def _source_json(source: FromClause) -> ColumnElement[Any]:
    authors = AUTHORS.alias("ld_authors")
    return func.json_build_object(
        *_columns(source, "id", "kind", "title", "url", "language", "publisher_id"),
        "author_ids",
        documents.linked_ids(
            authors.c.actor_id, authors.c.source_id, source.c.id, order_by=authors.c.position
        ),
        "published",
        fuzzy_time_json(source),
    )


def _actor_json(actor: FromClause) -> ColumnElement[Any]:
    names = NAMES.alias("ld_names")
    return func.json_build_object(
        *_columns(actor, "id", "kind", "name"),
        "names",
        documents.json_array(
            func.json_build_object(*_columns(names, "name", "language")),
            names.c.actor_id == actor.c.id,
            order_by=names.c.id,
        ),
        *_columns(actor, "description", "nationality", "role_description", "wikidata_id"),
    )


def _event_json(event: FromClause) -> ColumnElement[Any]:
    participants = PARTICIPANTS.alias("ld_participants")
    return func.json_build_object(
        *_columns(event, "id", "kind", "title", "description", "place"),
        "time",
        fuzzy_time_json(event),
        "participants",
        documents.json_array(
            func.json_build_object(*_columns(participants, "actor_id", "role")),
            participants.c.event_id == event.c.id,
            order_by=participants.c.id,
        ),
    )


@functools.cache  # built once: building it costs more than running it
def claim_graph_document() -> ColumnElement[Any]:
    """The JSON of the claim whose id is the ``sqlcompile.ROW_ID`` parameter and of
    everything its linked-data graph names; see :func:`fetch_claim_graph`."""
    claim_id = sqlcompile.uuid_param(sqlcompile.ROW_ID)
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
    attribution = ATTRIBUTIONS.alias("ld_attribution")
    source = SOURCES.alias("ld_source")
    actor = ACTORS.alias("ld_actor")
    event = EVENTS.alias("ld_event")
    return func.json_build_object(
        "claim_id",
        CLAIMS.c.id,
        "claims",
        _documents(claim_document(claims), claims, claim_ids),  # the API's own claim document
        "attributions",
        _documents(_attribution_json(attribution), attribution, hops),
        "sources",
        _documents(_source_json(source), source, source_ids),
        "actors",
        _documents(_actor_json(actor), actor, actor_ids),
        "events",
        _documents(_event_json(event), event, event_ids),
    )


async def fetch_claim_graph(reader: sqlcompile.Reader, *, claim_id: UUID) -> JSON:
    """The claim's graph as plain data, in ONE statement (404 when there is no
    such claim): ``{"claim_id", "claims", "attributions", "sources",
    "actors", "events"}``, each list ordered by id. ``attributions`` are the
    claim's and every one up their relay chains; ``claims`` the claim and
    those of these attributions; ``sources`` and ``actors`` those they name
    (speakers, publishers, authors, event participants); ``events`` those the
    claims are about. Fields are the API's own names (fuzzy times as the API
    shapes them)."""
    text = await sqlcompile.fetch_one(
        reader, claim_graph_document(), CLAIMS.c.id, what="claim", id=claim_id
    )
    graph: JSON = orjson.loads(text)
    return graph


async def claim_jsonld(reader: sqlcompile.Reader, *, claim_id: UUID, base_url: str) -> bytes:
    """The JSON-LD document of the claim, serialised (one statement; on a
    session or the fast path's pool)."""
    graph = await fetch_claim_graph(reader, claim_id=claim_id)
    return orjson.dumps(claim_graph_jsonld(graph, base_url=base_url))
