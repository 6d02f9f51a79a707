"""Speaker identity: one actor per speaker, how each speaker was resolved, curation.

- ``actors.scope``: ``global`` (one actor database-wide: a person, an
  organisation, an outlet, matched by name across documents) or ``document``
  (an anonymous source, a collective, an unresolved pronoun: known only from
  the document that says it, never matched elsewhere). Existing anonymous
  actors are ``document``.
- ``actors.status``/``merged_into_id``/``merged_at``: a curator's merge keeps
  the merged actor readable (``status = 'merged'``), pointing at the
  survivor; chains are kept one hop long (a merge into an actor that is
  itself merged is refused, and merging a survivor re-points the actors
  merged into it).
- ``actor_keys``: the normalised names the resolver matches on (``person:``
  first and last name, ``surname:``, ``name:`` any global name or alias),
  written with the actor; never for epithets, descriptions, or any name of a
  document-scope actor. ``via`` says whether the key comes from the actor's
  own name or from one of its stored names.
- ``actor_duplicates``: pairs a curator should look at (a tie the resolver
  would not break, a lone surname beside full names), best score first;
  ``actor_distinctions``: "not the same person" decisions the resolver and
  the duplicates list respect; ``actor_merges``: what each merge moved, so
  that an unmerge restores exactly that.
- ``attributions.speaker_mention``/``resolution_method``/
  ``resolution_confidence``/``resolution_through_id``: how the speaker was
  resolved. Existing attributions with a speaker were given it by id
  (``id``, confidence 1).
- An expression index on ``md5(sources.full_text)``: a re-import of the same
  text under another bundle id finds its source by content.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

METHODS = (
    "id",
    "exact",
    "alias",
    "name_variant",
    "surname",
    "description",
    "pronoun",
    "same_sources",
    "new",
    "manual",
)


def _in(column: str, values: Sequence[str]) -> str:
    return f"{column} IN (" + ", ".join(f"'{v}'" for v in values) + ")"


def _timestamps() -> list[sa.Column[object]]:
    return [
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
    ]


def upgrade() -> None:
    op.add_column("actors", sa.Column("scope", sa.Text(), server_default="global", nullable=False))
    op.add_column("actors", sa.Column("status", sa.Text(), server_default="active", nullable=False))
    op.add_column("actors", sa.Column("merged_into_id", sa.UUID(), nullable=True))
    op.add_column("actors", sa.Column("merged_at", sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE actors SET scope = 'document' WHERE kind = 'anonymous'")
    op.create_check_constraint(
        op.f("ck_actors_scope"), "actors", _in("scope", ("global", "document"))
    )
    op.create_check_constraint(
        op.f("ck_actors_status"), "actors", _in("status", ("active", "merged"))
    )
    op.create_check_constraint(
        op.f("ck_actors_merge_complete"),
        "actors",
        "(status = 'merged') = (merged_into_id IS NOT NULL)"
        " AND (merged_into_id IS NULL) = (merged_at IS NULL)",
    )
    op.create_check_constraint(op.f("ck_actors_not_self_merge"), "actors", "merged_into_id <> id")
    op.create_foreign_key(
        op.f("fk_actors_merged_into_id_actors"),
        "actors",
        "actors",
        ["merged_into_id"],
        ["id"],
        ondelete="RESTRICT",
    )
    op.create_index(
        op.f("ix_actors_merged_into_id"),
        "actors",
        ["merged_into_id"],
        postgresql_where=sa.text("merged_into_id IS NOT NULL"),
    )

    op.create_table(
        "actor_keys",
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("actor_id", sa.UUID(), nullable=False),
        sa.Column("via", sa.Text(), nullable=False),
        sa.CheckConstraint(_in("via", ("name", "alias")), name=op.f("ck_actor_keys_via")),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["actors.id"],
            name=op.f("fk_actor_keys_actor_id_actors"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("key", "actor_id", name=op.f("pk_actor_keys")),
    )
    op.create_index(op.f("ix_actor_keys_actor_id"), "actor_keys", ["actor_id"])

    op.create_table(
        "actor_duplicates",
        sa.Column("actor_id", sa.UUID(), nullable=False),
        sa.Column("candidate_id", sa.UUID(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        *_timestamps(),
        sa.CheckConstraint("actor_id < candidate_id", name=op.f("ck_actor_duplicates_ordered")),
        sa.CheckConstraint("score > 0 AND score <= 1", name=op.f("ck_actor_duplicates_score")),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["actors.id"],
            name=op.f("fk_actor_duplicates_actor_id_actors"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["actors.id"],
            name=op.f("fk_actor_duplicates_candidate_id_actors"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("actor_id", "candidate_id", name=op.f("pk_actor_duplicates")),
    )
    op.create_index(op.f("ix_actor_duplicates_candidate_id"), "actor_duplicates", ["candidate_id"])
    op.create_index(
        "ix_actor_duplicates_score", "actor_duplicates", [sa.text("score DESC"), "actor_id"]
    )

    op.create_table(
        "actor_distinctions",
        sa.Column("actor_id", sa.UUID(), nullable=False),
        sa.Column("other_id", sa.UUID(), nullable=False),
        *_timestamps(),
        sa.CheckConstraint("actor_id < other_id", name=op.f("ck_actor_distinctions_ordered")),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["actors.id"],
            name=op.f("fk_actor_distinctions_actor_id_actors"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["other_id"],
            ["actors.id"],
            name=op.f("fk_actor_distinctions_other_id_actors"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("actor_id", "other_id", name=op.f("pk_actor_distinctions")),
    )
    op.create_index(op.f("ix_actor_distinctions_other_id"), "actor_distinctions", ["other_id"])

    op.create_table(
        "actor_merges",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("actor_id", sa.UUID(), nullable=False),
        sa.Column("into_id", sa.UUID(), nullable=False),
        sa.Column("moved", postgresql.JSONB(), nullable=False),
        sa.Column("undone_at", sa.DateTime(timezone=True), nullable=True),
        *_timestamps(),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["actors.id"],
            name=op.f("fk_actor_merges_actor_id_actors"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["into_id"],
            ["actors.id"],
            name=op.f("fk_actor_merges_into_id_actors"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_actor_merges")),
    )
    op.create_index(op.f("ix_actor_merges_actor_id"), "actor_merges", ["actor_id"])
    op.create_index(op.f("ix_actor_merges_into_id"), "actor_merges", ["into_id"])

    op.add_column("attributions", sa.Column("speaker_mention", sa.Text(), nullable=True))
    op.add_column("attributions", sa.Column("resolution_method", sa.Text(), nullable=True))
    op.add_column("attributions", sa.Column("resolution_confidence", sa.Float(), nullable=True))
    op.add_column("attributions", sa.Column("resolution_through_id", sa.UUID(), nullable=True))
    op.execute(
        "UPDATE attributions SET resolution_method = 'id', resolution_confidence = 1"
        " WHERE speaker_id IS NOT NULL"
    )
    op.create_check_constraint(
        op.f("ck_attributions_resolution_method"),
        "attributions",
        _in("resolution_method", METHODS),
    )
    op.create_check_constraint(
        op.f("ck_attributions_resolution_complete"),
        "attributions",
        "(speaker_id IS NULL) = (resolution_method IS NULL)"
        " AND (resolution_method IS NULL) = (resolution_confidence IS NULL)",
    )
    op.create_check_constraint(
        op.f("ck_attributions_resolution_confidence"),
        "attributions",
        "resolution_confidence >= 0 AND resolution_confidence <= 1",
    )
    op.create_foreign_key(
        op.f("fk_attributions_resolution_through_id_attributions"),
        "attributions",
        "attributions",
        ["resolution_through_id"],
        ["id"],
        ondelete="SET NULL",
    )
    op.create_index(
        op.f("ix_attributions_resolution_through_id"),
        "attributions",
        ["resolution_through_id"],
        postgresql_where=sa.text("resolution_through_id IS NOT NULL"),
    )
    op.create_index(
        op.f("ix_attributions_resolution_method_id"), "attributions", ["resolution_method", "id"]
    )
    op.create_index(
        "ix_sources_text_md5",
        "sources",
        [sa.text("md5(full_text)")],
        postgresql_using="hash",
        postgresql_where=sa.text("full_text IS NOT NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_sources_text_md5", table_name="sources")
    op.drop_index(op.f("ix_attributions_resolution_method_id"), table_name="attributions")
    op.drop_index(op.f("ix_attributions_resolution_through_id"), table_name="attributions")
    op.drop_constraint(
        op.f("fk_attributions_resolution_through_id_attributions"),
        "attributions",
        type_="foreignkey",
    )
    for name in ("resolution_confidence", "resolution_complete", "resolution_method"):
        op.drop_constraint(op.f(f"ck_attributions_{name}"), "attributions", type_="check")
    for column in (
        "resolution_through_id",
        "resolution_confidence",
        "resolution_method",
        "speaker_mention",
    ):
        op.drop_column("attributions", column)
    op.drop_table("actor_merges")
    op.drop_table("actor_distinctions")
    op.drop_table("actor_duplicates")
    op.drop_table("actor_keys")
    op.drop_index(op.f("ix_actors_merged_into_id"), table_name="actors")
    op.drop_constraint(op.f("fk_actors_merged_into_id_actors"), "actors", type_="foreignkey")
    for name in ("not_self_merge", "merge_complete", "status", "scope"):
        op.drop_constraint(op.f(f"ck_actors_{name}"), "actors", type_="check")
    for column in ("merged_at", "merged_into_id", "status", "scope"):
        op.drop_column("actors", column)
