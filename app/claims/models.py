from uuid import UUID

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Index,
    Integer,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.claims.schemas import ClaimRelationKind
from app.db import Entity, directed_relation, part_of, refers_to
from app.search.indexes import search_vector_column, search_vector_index


class Claim(Entity):
    """What is said, in its original wording and language."""

    __tablename__ = "claims"
    __table_args__ = (
        # Corroboration filters and sort (app/provenance/corroboration.py).
        Index(None, "independent_origins", "id"),
        Index(None, "on_record", "id"),
        search_vector_index("ix_claims_search"),
    )

    text: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(Text)
    search_vector: Mapped[str] = search_vector_column("onrecord_tsvector(language, text)")
    # Derived from the attributions' relay chains, kept current by
    # refresh_corroboration after every write that can change them.
    independent_origins: Mapped[int] = mapped_column(Integer, server_default="0")
    on_record: Mapped[bool | None] = mapped_column(Boolean)


class ClaimTranslation(Entity):
    __tablename__ = "claim_translations"
    __table_args__ = (
        UniqueConstraint("claim_id", "language"),
        search_vector_index("ix_claim_translations_search"),
    )

    claim_id: Mapped[UUID] = part_of("claims")
    language: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    search_vector: Mapped[str] = search_vector_column("onrecord_tsvector(language, text)")
    note: Mapped[str | None] = mapped_column(Text)


class ClaimEvent(Entity):
    """An event the claim is about."""

    __tablename__ = "claim_events"
    __table_args__ = (UniqueConstraint("claim_id", "event_id"),)

    claim_id: Mapped[UUID] = part_of("claims")
    event_id: Mapped[UUID] = refers_to("events")


class ClaimSourceReference(Entity):
    """A source the claim refers to ("la déclaration publiée par la Maison-Blanche")."""

    __tablename__ = "claim_source_references"
    __table_args__ = (UniqueConstraint("claim_id", "source_id"),)

    claim_id: Mapped[UUID] = part_of("claims")
    source_id: Mapped[UUID] = refers_to("sources")


class ClaimRelation(Entity):
    """``from_claim`` ``kind`` ``to_claim`` (C1 contradicts C8), and who says so."""

    __tablename__ = "claim_relations"
    __table_args__ = directed_relation("from_claim_id", "to_claim_id", "kind", ClaimRelationKind)

    kind: Mapped[str] = mapped_column(Text)
    from_claim_id: Mapped[UUID] = mapped_column(ForeignKey("claims.id", ondelete="RESTRICT"))
    to_claim_id: Mapped[UUID] = refers_to("claims")
    asserted_by_actor_id: Mapped[UUID | None] = refers_to("actors")
    asserted_in_source_id: Mapped[UUID | None] = refers_to("sources")
    note: Mapped[str | None] = mapped_column(Text)
