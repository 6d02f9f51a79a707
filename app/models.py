"""Every table, imported once so ``Base.metadata`` is complete (Alembic, tests)."""

from app.actors.models import Actor, ActorName, ActorRole
from app.attributions.models import Attribution
from app.claims.models import (
    Claim,
    ClaimEvent,
    ClaimRelation,
    ClaimSourceReference,
    ClaimTranslation,
)
from app.concurrency.models import IdempotencyKey
from app.db import Base
from app.events.models import Event, EventParticipant, EventRelation
from app.history.models import Revision
from app.identity.models import ActorDistinction, ActorDuplicate, ActorKey, ActorMerge
from app.keys.models import ApiKey
from app.redaction.models import Redaction
from app.sources.models import Source, SourceAuthor, SourceCitation

__all__ = [
    "Actor",
    "ActorDistinction",
    "ActorDuplicate",
    "ActorKey",
    "ActorMerge",
    "ActorName",
    "ActorRole",
    "ApiKey",
    "Attribution",
    "Base",
    "Claim",
    "ClaimEvent",
    "ClaimRelation",
    "ClaimSourceReference",
    "ClaimTranslation",
    "Event",
    "EventParticipant",
    "EventRelation",
    "IdempotencyKey",
    "Redaction",
    "Revision",
    "Source",
    "SourceAuthor",
    "SourceCitation",
]
