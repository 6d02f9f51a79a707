from uuid import UUID

from sqlalchemy import (
    CheckConstraint,
    Index,
    Integer,
    Text,
    UniqueConstraint,
    func,
    literal_column,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Entity, one_of, part_of, refers_to
from app.fuzzytime import FuzzyTimeColumns, fuzzy_time_checks
from app.search.indexes import search_vector_column, search_vector_index
from app.sources.schemas import SourceKind


class Source(Entity, FuzzyTimeColumns):
    """A document in which something is recorded. ``time_*`` is its publication time."""

    __tablename__ = "sources"
    __table_args__ = (
        one_of("kind", SourceKind),
        *fuzzy_time_checks(),
        Index(None, "time_range", postgresql_using="gist"),
        search_vector_index("ix_sources_search"),
        # Bundles name stored sources by URL (migration 0007), and find a
        # re-imported text by its content (migration 0008).
        Index(None, "url", postgresql_using="hash"),
        Index(
            "ix_sources_text_md5",
            func.md5(literal_column("full_text")),
            postgresql_using="hash",
            postgresql_where=literal_column("full_text IS NOT NULL"),
        ),
    )

    kind: Mapped[str] = mapped_column(Text)
    title: Mapped[str] = mapped_column(Text)
    publisher_id: Mapped[UUID | None] = refers_to("actors")
    url: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(Text)
    full_text: Mapped[str | None] = mapped_column(Text)
    search_vector: Mapped[str] = search_vector_column(
        "onrecord_source_tsvector(language, title, full_text)"
    )


class SourceAuthor(Entity):
    __tablename__ = "source_authors"
    __table_args__ = (UniqueConstraint("source_id", "actor_id"),)

    source_id: Mapped[UUID] = part_of("sources")
    actor_id: Mapped[UUID] = refers_to("actors")
    position: Mapped[int] = mapped_column(Integer)


class SourceCitation(Entity):
    """``citing_source_id`` cites (relays, quotes, links to) ``cited_source_id``."""

    __tablename__ = "source_citations"
    __table_args__ = (
        UniqueConstraint("citing_source_id", "cited_source_id"),
        CheckConstraint("citing_source_id <> cited_source_id", name="not_self"),
    )

    citing_source_id: Mapped[UUID] = part_of("sources")
    cited_source_id: Mapped[UUID] = refers_to("sources")
