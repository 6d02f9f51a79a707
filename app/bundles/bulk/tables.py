"""The tables a bundle writes: their models, insert order and the columns staged."""

from sqlalchemy import Table

from app.actors.models import Actor, ActorName, ActorRole
from app.attributions.models import Attribution, AttributionSpan
from app.claims.models import (
    Claim,
    ClaimEvent,
    ClaimRelation,
    ClaimSourceReference,
    ClaimTranslation,
)
from app.db import Base, Entity
from app.events.models import Event, EventParticipant, EventRelation
from app.identity.models import ActorKey
from app.sources.models import Source, SourceAuthor, SourceCitation

# Tables in insert order: each row's links point at rows of earlier tables
# (or of its own, inserted by the same statement), but for the time anchors
# between sources and events, handled by repeated passes.
ENTITIES: dict[str, type[Entity]] = {
    "actors": Actor,
    "sources": Source,
    "events": Event,
    "claims": Claim,
    "attributions": Attribution,
    "claim_relations": ClaimRelation,
}
CHILDREN: dict[str, tuple[type[Base], str, str]] = {
    # child table: (model, parent collection, column naming the parent)
    "actor_names": (ActorName, "actors", "actor_id"),
    "actor_roles": (ActorRole, "actors", "actor_id"),
    "actor_keys": (ActorKey, "actors", "actor_id"),
    "source_authors": (SourceAuthor, "sources", "source_id"),
    "source_citations": (SourceCitation, "sources", "citing_source_id"),
    "event_participants": (EventParticipant, "events", "event_id"),
    "event_relations": (EventRelation, "events", "event_id"),
    "claim_translations": (ClaimTranslation, "claims", "claim_id"),
    "claim_events": (ClaimEvent, "claims", "claim_id"),
    "claim_source_references": (ClaimSourceReference, "claims", "claim_id"),
    "attribution_spans": (AttributionSpan, "attributions", "attribution_id"),
}
INSERT_ORDER = (
    "actors",
    "actor_names",
    "actor_roles",
    "actor_keys",
    "sources",
    "events",
    "source_authors",
    "source_citations",
    "event_participants",
    "event_relations",
    "claims",
    "claim_translations",
    "claim_events",
    "claim_source_references",
    "attributions",
    "attribution_spans",
    "claim_relations",
)
MODELS: dict[str, type[Base]] = {
    **ENTITIES,
    **{name: model for name, (model, _, _) in CHILDREN.items()},
}
# Set by the server: timestamps, and the corroboration counts refreshed last.
SERVER_COLUMNS = frozenset({"created_at", "updated_at", "independent_origins", "on_record"})


def table_of(name: str) -> Table:
    table = MODELS[name].__table__
    assert isinstance(table, Table)
    return table


def _columns(name: str) -> list[str]:
    """The columns we write (not the server's timestamps, not computed columns)."""
    return [
        column.name
        for column in table_of(name).columns
        if column.name not in SERVER_COLUMNS and column.computed is None
    ]


COLUMNS = {name: _columns(name) for name in MODELS}
