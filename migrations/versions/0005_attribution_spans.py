"""Annotated spans of attributions: every fragment of content, cue and speaker.

``attributions.span_*`` holds one contiguous stretch: the claim's wording.
Annotation tools (brat standoff, as in the PolNeAR corpus) mark three
mentions per attribution, the content, the cue and the speaker, each possibly
discontinuous. One row per fragment: ``role`` says which mention,
``ordinal`` orders the fragments of a role, offsets are code points (end
exclusive) with the exact text, checked against the source's full text by the
service as ``span`` is. The rows are parts of their attribution: no id of
their own, replaced whole by PATCH, deleted with it (ON DELETE CASCADE). The
primary key (attribution_id, role, ordinal) is also the index a read uses.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "attribution_spans",
        sa.Column("attribution_id", sa.UUID(), nullable=False),
        sa.Column("role", sa.Text(), nullable=False),
        sa.Column("ordinal", sa.SmallInteger(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "role IN ('content', 'cue', 'speaker')", name=op.f("ck_attribution_spans_role")
        ),
        sa.CheckConstraint(
            'start >= 0 AND "end" > start AND char_length(text) = "end" - start',
            name=op.f("ck_attribution_spans_bounds"),
        ),
        sa.ForeignKeyConstraint(
            ["attribution_id"],
            ["attributions.id"],
            name=op.f("fk_attribution_spans_attribution_id_attributions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "attribution_id", "role", "ordinal", name=op.f("pk_attribution_spans")
        ),
    )


def downgrade() -> None:
    op.drop_table("attribution_spans")
