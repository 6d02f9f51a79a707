"""Extraction: where an attribution came from, whether a person reviewed it,
and how each fuzzy time was read.

- ``attributions.extraction_model``/``extraction_version``/
  ``extraction_confidence``: an attribution proposed by ``POST
  /v1/extractions`` and stored keeps the model that proposed it and how
  sure it was; ``review``: ``accepted`` (a person stored it as proposed),
  ``corrected`` (a person changed it first) or NULL (nobody looked). A partial
  index serves ``?reviewed=``.
- ``time_resolution`` on attributions, events and sources: ``given`` (the
  client gave the days or the offset), ``parsed`` (the expression was read
  against its anchor's date when written: "on Thursday", relative to a
  source), ``unparsed`` (an expression nothing could read: the time stays
  unknown, and says so). Existing rows were given.

Revision ID: 0010
Revises: 0008
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TIMED = ("attributions", "events", "sources")


def upgrade() -> None:
    op.add_column("attributions", sa.Column("extraction_model", sa.Text(), nullable=True))
    op.add_column("attributions", sa.Column("extraction_version", sa.Text(), nullable=True))
    op.add_column("attributions", sa.Column("extraction_confidence", sa.Float(), nullable=True))
    op.add_column("attributions", sa.Column("review", sa.Text(), nullable=True))
    op.create_check_constraint(
        op.f("ck_attributions_extraction_complete"),
        "attributions",
        "(extraction_model IS NULL) = (extraction_version IS NULL)"
        " AND (extraction_model IS NULL) = (extraction_confidence IS NULL)",
    )
    op.create_check_constraint(
        op.f("ck_attributions_extraction_confidence"),
        "attributions",
        "extraction_confidence >= 0 AND extraction_confidence <= 1",
    )
    op.create_check_constraint(
        op.f("ck_attributions_review"), "attributions", "review IN ('accepted', 'corrected')"
    )
    op.create_index(
        "ix_attributions_reviewed_id",
        "attributions",
        ["id"],
        postgresql_where=sa.text("review IS NOT NULL"),
    )
    for table in TIMED:
        op.add_column(
            table,
            sa.Column("time_resolution", sa.Text(), server_default="given", nullable=False),
        )
        op.create_check_constraint(
            op.f(f"ck_{table}_time_resolution"),
            table,
            "time_resolution IN ('given', 'parsed', 'unparsed')",
        )


def downgrade() -> None:
    for table in TIMED:
        op.drop_constraint(op.f(f"ck_{table}_time_resolution"), table, type_="check")
        op.drop_column(table, "time_resolution")
    op.drop_index("ix_attributions_reviewed_id", table_name="attributions")
    for name in ("review", "extraction_confidence", "extraction_complete"):
        op.drop_constraint(op.f(f"ck_attributions_{name}"), "attributions", type_="check")
    for column in ("review", "extraction_confidence", "extraction_version", "extraction_model"):
        op.drop_column("attributions", column)
