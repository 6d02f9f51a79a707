"""Initial schema: actors, sources, events, claims, attributions and their links.

Every row has a UUID id (UUIDv7, set by the application) and created/updated
timestamps. Fuzzy times are daterange columns with a GiST index each; enums are
text with CHECK constraints so adding a value is a one-line migration.

Revision ID: 0001
Revises: -
Create Date: 2026-11-25 13:22:58.417244
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "actors",
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("nationality", sa.Text(), nullable=True),
        sa.Column("role_description", sa.Text(), nullable=True),
        sa.Column("wikidata_id", sa.Text(), nullable=True),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "kind IN ('person', 'organisation', 'government', 'media', 'group', 'anonymous')",
            name=op.f("ck_actors_kind"),
        ),
        sa.CheckConstraint("wikidata_id ~ '^Q[1-9][0-9]*$'", name=op.f("ck_actors_wikidata_id")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_actors")),
        sa.UniqueConstraint("wikidata_id", name=op.f("uq_actors_wikidata_id")),
    )
    op.create_table(
        "claims",
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("language", sa.Text(), nullable=False),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claims")),
    )
    op.create_table(
        "events",
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("place", sa.Text(), nullable=True),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("time_expression", sa.Text(), nullable=True),
        sa.Column("time_relative_to", sa.Text(), server_default="none", nullable=False),
        sa.Column("time_offset_days", sa.Integer(), nullable=True),
        sa.Column("time_range", postgresql.DATERANGE(), nullable=True),
        sa.Column("time_precision", sa.Text(), server_default="unknown", nullable=False),
        sa.Column("time_anchor_source_id", sa.UUID(), nullable=True),
        sa.Column("time_anchor_event_id", sa.UUID(), nullable=True),
        sa.CheckConstraint(
            "(time_range IS NULL) = (time_precision = 'unknown')",
            name=op.f("ck_events_time_range_known"),
        ),
        sa.CheckConstraint(
            "(time_relative_to = 'none' AND time_anchor_source_id IS NULL AND time_anchor_event_id IS NULL) OR (time_relative_to = 'source' AND time_anchor_source_id IS NOT NULL AND time_anchor_event_id IS NULL) OR (time_relative_to = 'event' AND time_anchor_event_id IS NOT NULL AND time_anchor_source_id IS NULL)",
            name=op.f("ck_events_time_anchor"),
        ),
        sa.CheckConstraint(
            "time_precision IN ('day', 'week', 'month', 'year', 'range', 'unknown')",
            name=op.f("ck_events_time_precision"),
        ),
        sa.CheckConstraint(
            "time_relative_to IN ('none', 'source', 'event')",
            name=op.f("ck_events_time_relative_to"),
        ),
        sa.CheckConstraint("NOT isempty(time_range)", name=op.f("ck_events_time_range_not_empty")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_events")),
    )
    op.create_index(
        op.f("ix_events_time_range"),
        "events",
        ["time_range"],
        unique=False,
        postgresql_using="gist",
    )
    op.create_table(
        "actor_names",
        sa.Column("actor_id", sa.UUID(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("language", sa.Text(), nullable=True),
        sa.Column("kind", sa.Text(), server_default="alias", nullable=False),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "kind IN ('primary', 'alias', 'spelling', 'abbreviation', 'epithet', 'description')",
            name=op.f("ck_actor_names_kind"),
        ),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["actors.id"],
            name=op.f("fk_actor_names_actor_id_actors"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_actor_names")),
        sa.UniqueConstraint(
            "actor_id",
            "name",
            "language",
            name=op.f("uq_actor_names_actor_id_name_language"),
            postgresql_nulls_not_distinct=True,
        ),
    )
    op.create_table(
        "actor_roles",
        sa.Column("actor_id", sa.UUID(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("organisation_id", sa.UUID(), nullable=True),
        sa.Column("started_on", sa.Date(), nullable=True),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "ended_on IS NULL OR started_on IS NULL OR started_on <= ended_on",
            name=op.f("ck_actor_roles_period"),
        ),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["actors.id"],
            name=op.f("fk_actor_roles_actor_id_actors"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["actors.id"],
            name=op.f("fk_actor_roles_organisation_id_actors"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_actor_roles")),
    )
    op.create_index(op.f("ix_actor_roles_actor_id"), "actor_roles", ["actor_id"], unique=False)
    op.create_index(
        op.f("ix_actor_roles_organisation_id"), "actor_roles", ["organisation_id"], unique=False
    )
    op.create_table(
        "claim_events",
        sa.Column("claim_id", sa.UUID(), nullable=False),
        sa.Column("event_id", sa.UUID(), nullable=False),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["claim_id"],
            ["claims.id"],
            name=op.f("fk_claim_events_claim_id_claims"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_claim_events_event_id_events"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim_events")),
        sa.UniqueConstraint("claim_id", "event_id", name=op.f("uq_claim_events_claim_id_event_id")),
    )
    op.create_index(op.f("ix_claim_events_event_id"), "claim_events", ["event_id"], unique=False)
    op.create_table(
        "claim_translations",
        sa.Column("claim_id", sa.UUID(), nullable=False),
        sa.Column("language", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["claim_id"],
            ["claims.id"],
            name=op.f("fk_claim_translations_claim_id_claims"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim_translations")),
        sa.UniqueConstraint(
            "claim_id", "language", name=op.f("uq_claim_translations_claim_id_language")
        ),
    )
    op.create_table(
        "event_participants",
        sa.Column("event_id", sa.UUID(), nullable=False),
        sa.Column("actor_id", sa.UUID(), nullable=False),
        sa.Column("role", sa.Text(), server_default="participant", nullable=False),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["actors.id"],
            name=op.f("fk_event_participants_actor_id_actors"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_event_participants_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_participants")),
        sa.UniqueConstraint(
            "event_id",
            "actor_id",
            "role",
            name=op.f("uq_event_participants_event_id_actor_id_role"),
        ),
    )
    op.create_index(
        op.f("ix_event_participants_actor_id"), "event_participants", ["actor_id"], unique=False
    )
    op.create_table(
        "event_relations",
        sa.Column("event_id", sa.UUID(), nullable=False),
        sa.Column("related_event_id", sa.UUID(), nullable=False),
        sa.Column("relation", sa.Text(), nullable=False),
        sa.Column("offset_days", sa.Integer(), nullable=True),
        sa.Column("expression", sa.Text(), nullable=True),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "relation IN ('before', 'after', 'during', 'same_time')",
            name=op.f("ck_event_relations_relation"),
        ),
        sa.CheckConstraint(
            "event_id <> related_event_id", name=op.f("ck_event_relations_not_self")
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_event_relations_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["related_event_id"],
            ["events.id"],
            name=op.f("fk_event_relations_related_event_id_events"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_relations")),
        sa.UniqueConstraint(
            "event_id",
            "related_event_id",
            "relation",
            name=op.f("uq_event_relations_event_id_related_event_id_relation"),
        ),
    )
    op.create_index(
        op.f("ix_event_relations_related_event_id"),
        "event_relations",
        ["related_event_id"],
        unique=False,
    )
    op.create_table(
        "sources",
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("publisher_id", sa.UUID(), nullable=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("language", sa.Text(), nullable=True),
        sa.Column("full_text", sa.Text(), nullable=True),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("time_expression", sa.Text(), nullable=True),
        sa.Column("time_relative_to", sa.Text(), server_default="none", nullable=False),
        sa.Column("time_offset_days", sa.Integer(), nullable=True),
        sa.Column("time_range", postgresql.DATERANGE(), nullable=True),
        sa.Column("time_precision", sa.Text(), server_default="unknown", nullable=False),
        sa.Column("time_anchor_source_id", sa.UUID(), nullable=True),
        sa.Column("time_anchor_event_id", sa.UUID(), nullable=True),
        sa.CheckConstraint(
            "(time_range IS NULL) = (time_precision = 'unknown')",
            name=op.f("ck_sources_time_range_known"),
        ),
        sa.CheckConstraint(
            "(time_relative_to = 'none' AND time_anchor_source_id IS NULL AND time_anchor_event_id IS NULL) OR (time_relative_to = 'source' AND time_anchor_source_id IS NOT NULL AND time_anchor_event_id IS NULL) OR (time_relative_to = 'event' AND time_anchor_event_id IS NOT NULL AND time_anchor_source_id IS NULL)",
            name=op.f("ck_sources_time_anchor"),
        ),
        sa.CheckConstraint(
            "kind IN ('article', 'report', 'statement', 'press_release', 'transcript', 'interview', 'broadcast', 'social_post', 'document', 'other')",
            name=op.f("ck_sources_kind"),
        ),
        sa.CheckConstraint(
            "time_precision IN ('day', 'week', 'month', 'year', 'range', 'unknown')",
            name=op.f("ck_sources_time_precision"),
        ),
        sa.CheckConstraint(
            "time_relative_to IN ('none', 'source', 'event')",
            name=op.f("ck_sources_time_relative_to"),
        ),
        sa.CheckConstraint("NOT isempty(time_range)", name=op.f("ck_sources_time_range_not_empty")),
        sa.ForeignKeyConstraint(
            ["publisher_id"],
            ["actors.id"],
            name=op.f("fk_sources_publisher_id_actors"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sources")),
    )
    op.create_index(op.f("ix_sources_publisher_id"), "sources", ["publisher_id"], unique=False)
    op.create_index(
        op.f("ix_sources_time_range"),
        "sources",
        ["time_range"],
        unique=False,
        postgresql_using="gist",
    )
    op.create_table(
        "attributions",
        sa.Column("claim_id", sa.UUID(), nullable=False),
        sa.Column("speaker_id", sa.UUID(), nullable=True),
        sa.Column("source_id", sa.UUID(), nullable=False),
        sa.Column("occasion_event_id", sa.UUID(), nullable=True),
        sa.Column("relayed_through_id", sa.UUID(), nullable=True),
        sa.Column("mode", sa.Text(), nullable=False),
        sa.Column("cue", sa.Text(), nullable=True),
        sa.Column("certainty", sa.Text(), server_default="unknown", nullable=False),
        sa.Column("span_start", sa.Integer(), nullable=True),
        sa.Column("span_end", sa.Integer(), nullable=True),
        sa.Column("span_text", sa.Text(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("time_expression", sa.Text(), nullable=True),
        sa.Column("time_relative_to", sa.Text(), server_default="none", nullable=False),
        sa.Column("time_offset_days", sa.Integer(), nullable=True),
        sa.Column("time_range", postgresql.DATERANGE(), nullable=True),
        sa.Column("time_precision", sa.Text(), server_default="unknown", nullable=False),
        sa.Column("time_anchor_source_id", sa.UUID(), nullable=True),
        sa.Column("time_anchor_event_id", sa.UUID(), nullable=True),
        sa.CheckConstraint(
            "(time_range IS NULL) = (time_precision = 'unknown')",
            name=op.f("ck_attributions_time_range_known"),
        ),
        sa.CheckConstraint(
            "(time_relative_to = 'none' AND time_anchor_source_id IS NULL AND time_anchor_event_id IS NULL) OR (time_relative_to = 'source' AND time_anchor_source_id IS NOT NULL AND time_anchor_event_id IS NULL) OR (time_relative_to = 'event' AND time_anchor_event_id IS NOT NULL AND time_anchor_source_id IS NULL)",
            name=op.f("ck_attributions_time_anchor"),
        ),
        sa.CheckConstraint(
            "certainty IN ('asserted', 'alleged', 'denied', 'hypothetical', 'unknown')",
            name=op.f("ck_attributions_certainty"),
        ),
        sa.CheckConstraint(
            "mode IN ('direct_quote', 'partial_quote', 'paraphrase', 'own_voice')",
            name=op.f("ck_attributions_mode"),
        ),
        sa.CheckConstraint(
            "speaker_id IS NOT NULL OR mode = 'own_voice'",
            name=op.f("ck_attributions_speaker_or_own_voice"),
        ),
        sa.CheckConstraint(
            "time_precision IN ('day', 'week', 'month', 'year', 'range', 'unknown')",
            name=op.f("ck_attributions_time_precision"),
        ),
        sa.CheckConstraint(
            "time_relative_to IN ('none', 'source', 'event')",
            name=op.f("ck_attributions_time_relative_to"),
        ),
        sa.CheckConstraint(
            "(span_start IS NULL) = (span_end IS NULL) AND (span_start IS NULL) = (span_text IS NULL)",
            name=op.f("ck_attributions_span_complete"),
        ),
        sa.CheckConstraint(
            "NOT isempty(time_range)", name=op.f("ck_attributions_time_range_not_empty")
        ),
        sa.CheckConstraint("relayed_through_id <> id", name=op.f("ck_attributions_not_self_relay")),
        sa.CheckConstraint(
            "span_start >= 0 AND span_end > span_start", name=op.f("ck_attributions_span_order")
        ),
        sa.ForeignKeyConstraint(
            ["claim_id"],
            ["claims.id"],
            name=op.f("fk_attributions_claim_id_claims"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["occasion_event_id"],
            ["events.id"],
            name=op.f("fk_attributions_occasion_event_id_events"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["relayed_through_id"],
            ["attributions.id"],
            name=op.f("fk_attributions_relayed_through_id_attributions"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["sources.id"],
            name=op.f("fk_attributions_source_id_sources"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["speaker_id"],
            ["actors.id"],
            name=op.f("fk_attributions_speaker_id_actors"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attributions")),
    )
    op.create_index(op.f("ix_attributions_claim_id"), "attributions", ["claim_id"], unique=False)
    op.create_index(
        op.f("ix_attributions_occasion_event_id"),
        "attributions",
        ["occasion_event_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_attributions_relayed_through_id"),
        "attributions",
        ["relayed_through_id"],
        unique=False,
    )
    op.create_index(op.f("ix_attributions_source_id"), "attributions", ["source_id"], unique=False)
    op.create_index(
        op.f("ix_attributions_speaker_id"), "attributions", ["speaker_id"], unique=False
    )
    op.create_index(
        op.f("ix_attributions_time_range"),
        "attributions",
        ["time_range"],
        unique=False,
        postgresql_using="gist",
    )
    op.create_table(
        "claim_relations",
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("from_claim_id", sa.UUID(), nullable=False),
        sa.Column("to_claim_id", sa.UUID(), nullable=False),
        sa.Column("asserted_by_actor_id", sa.UUID(), nullable=True),
        sa.Column("asserted_in_source_id", sa.UUID(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "kind IN ('contradicts', 'supports', 'refines', 'same_as', 'follows_from')",
            name=op.f("ck_claim_relations_kind"),
        ),
        sa.CheckConstraint(
            "from_claim_id <> to_claim_id", name=op.f("ck_claim_relations_not_self")
        ),
        sa.ForeignKeyConstraint(
            ["asserted_by_actor_id"],
            ["actors.id"],
            name=op.f("fk_claim_relations_asserted_by_actor_id_actors"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["asserted_in_source_id"],
            ["sources.id"],
            name=op.f("fk_claim_relations_asserted_in_source_id_sources"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["from_claim_id"],
            ["claims.id"],
            name=op.f("fk_claim_relations_from_claim_id_claims"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["to_claim_id"],
            ["claims.id"],
            name=op.f("fk_claim_relations_to_claim_id_claims"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim_relations")),
        sa.UniqueConstraint(
            "from_claim_id",
            "to_claim_id",
            "kind",
            name=op.f("uq_claim_relations_from_claim_id_to_claim_id_kind"),
        ),
    )
    op.create_index(
        op.f("ix_claim_relations_asserted_by_actor_id"),
        "claim_relations",
        ["asserted_by_actor_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_claim_relations_asserted_in_source_id"),
        "claim_relations",
        ["asserted_in_source_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_claim_relations_to_claim_id"), "claim_relations", ["to_claim_id"], unique=False
    )
    op.create_table(
        "claim_source_references",
        sa.Column("claim_id", sa.UUID(), nullable=False),
        sa.Column("source_id", sa.UUID(), nullable=False),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["claim_id"],
            ["claims.id"],
            name=op.f("fk_claim_source_references_claim_id_claims"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["sources.id"],
            name=op.f("fk_claim_source_references_source_id_sources"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim_source_references")),
        sa.UniqueConstraint(
            "claim_id", "source_id", name=op.f("uq_claim_source_references_claim_id_source_id")
        ),
    )
    op.create_index(
        op.f("ix_claim_source_references_source_id"),
        "claim_source_references",
        ["source_id"],
        unique=False,
    )
    op.create_table(
        "source_authors",
        sa.Column("source_id", sa.UUID(), nullable=False),
        sa.Column("actor_id", sa.UUID(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["actors.id"],
            name=op.f("fk_source_authors_actor_id_actors"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["sources.id"],
            name=op.f("fk_source_authors_source_id_sources"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_source_authors")),
        sa.UniqueConstraint(
            "source_id", "actor_id", name=op.f("uq_source_authors_source_id_actor_id")
        ),
    )
    op.create_index(
        op.f("ix_source_authors_actor_id"), "source_authors", ["actor_id"], unique=False
    )
    op.create_table(
        "source_citations",
        sa.Column("citing_source_id", sa.UUID(), nullable=False),
        sa.Column("cited_source_id", sa.UUID(), nullable=False),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "citing_source_id <> cited_source_id", name=op.f("ck_source_citations_not_self")
        ),
        sa.ForeignKeyConstraint(
            ["cited_source_id"],
            ["sources.id"],
            name=op.f("fk_source_citations_cited_source_id_sources"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["citing_source_id"],
            ["sources.id"],
            name=op.f("fk_source_citations_citing_source_id_sources"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_source_citations")),
        sa.UniqueConstraint(
            "citing_source_id",
            "cited_source_id",
            name=op.f("uq_source_citations_citing_source_id_cited_source_id"),
        ),
    )
    op.create_index(
        op.f("ix_source_citations_cited_source_id"),
        "source_citations",
        ["cited_source_id"],
        unique=False,
    )
    # Time anchors point across sources and events both ways: added once both exist.
    op.create_foreign_key(
        op.f("fk_events_time_anchor_event_id_events"),
        "events",
        "events",
        ["time_anchor_event_id"],
        ["id"],
        ondelete="RESTRICT",
    )
    op.create_foreign_key(
        op.f("fk_events_time_anchor_source_id_sources"),
        "events",
        "sources",
        ["time_anchor_source_id"],
        ["id"],
        ondelete="RESTRICT",
    )
    op.create_foreign_key(
        op.f("fk_sources_time_anchor_event_id_events"),
        "sources",
        "events",
        ["time_anchor_event_id"],
        ["id"],
        ondelete="RESTRICT",
    )
    op.create_foreign_key(
        op.f("fk_sources_time_anchor_source_id_sources"),
        "sources",
        "sources",
        ["time_anchor_source_id"],
        ["id"],
        ondelete="RESTRICT",
    )
    op.create_foreign_key(
        op.f("fk_attributions_time_anchor_event_id_events"),
        "attributions",
        "events",
        ["time_anchor_event_id"],
        ["id"],
        ondelete="RESTRICT",
    )
    op.create_foreign_key(
        op.f("fk_attributions_time_anchor_source_id_sources"),
        "attributions",
        "sources",
        ["time_anchor_source_id"],
        ["id"],
        ondelete="RESTRICT",
    )


def downgrade() -> None:
    op.drop_constraint(op.f("fk_events_time_anchor_event_id_events"), "events", type_="foreignkey")
    op.drop_constraint(
        op.f("fk_events_time_anchor_source_id_sources"), "events", type_="foreignkey"
    )
    op.drop_constraint(
        op.f("fk_sources_time_anchor_event_id_events"), "sources", type_="foreignkey"
    )
    op.drop_constraint(
        op.f("fk_sources_time_anchor_source_id_sources"), "sources", type_="foreignkey"
    )
    op.drop_constraint(
        op.f("fk_attributions_time_anchor_event_id_events"), "attributions", type_="foreignkey"
    )
    op.drop_constraint(
        op.f("fk_attributions_time_anchor_source_id_sources"), "attributions", type_="foreignkey"
    )
    op.drop_index(op.f("ix_source_citations_cited_source_id"), table_name="source_citations")
    op.drop_table("source_citations")
    op.drop_index(op.f("ix_source_authors_actor_id"), table_name="source_authors")
    op.drop_table("source_authors")
    op.drop_index(
        op.f("ix_claim_source_references_source_id"), table_name="claim_source_references"
    )
    op.drop_table("claim_source_references")
    op.drop_index(op.f("ix_claim_relations_to_claim_id"), table_name="claim_relations")
    op.drop_index(op.f("ix_claim_relations_asserted_in_source_id"), table_name="claim_relations")
    op.drop_index(op.f("ix_claim_relations_asserted_by_actor_id"), table_name="claim_relations")
    op.drop_table("claim_relations")
    op.drop_index(
        op.f("ix_attributions_time_range"), table_name="attributions", postgresql_using="gist"
    )
    op.drop_index(op.f("ix_attributions_speaker_id"), table_name="attributions")
    op.drop_index(op.f("ix_attributions_source_id"), table_name="attributions")
    op.drop_index(op.f("ix_attributions_relayed_through_id"), table_name="attributions")
    op.drop_index(op.f("ix_attributions_occasion_event_id"), table_name="attributions")
    op.drop_index(op.f("ix_attributions_claim_id"), table_name="attributions")
    op.drop_table("attributions")
    op.drop_index(op.f("ix_sources_time_range"), table_name="sources", postgresql_using="gist")
    op.drop_index(op.f("ix_sources_publisher_id"), table_name="sources")
    op.drop_table("sources")
    op.drop_index(op.f("ix_event_relations_related_event_id"), table_name="event_relations")
    op.drop_table("event_relations")
    op.drop_index(op.f("ix_event_participants_actor_id"), table_name="event_participants")
    op.drop_table("event_participants")
    op.drop_table("claim_translations")
    op.drop_index(op.f("ix_claim_events_event_id"), table_name="claim_events")
    op.drop_table("claim_events")
    op.drop_index(op.f("ix_actor_roles_organisation_id"), table_name="actor_roles")
    op.drop_index(op.f("ix_actor_roles_actor_id"), table_name="actor_roles")
    op.drop_table("actor_roles")
    op.drop_table("actor_names")
    op.drop_index(op.f("ix_events_time_range"), table_name="events", postgresql_using="gist")
    op.drop_table("events")
    op.drop_table("claims")
    op.drop_table("actors")
