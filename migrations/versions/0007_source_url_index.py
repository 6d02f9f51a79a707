"""An index on sources.url: bundles name stored sources by URL.

``POST /v1/bundles`` and ``onrecord import`` match a bundle's source to a
stored one by its ``url`` (its natural key), and accept a URL wherever a
source is referred to: one lookup per bundle that has any. Without an index
each lookup scanned every source (8.9 ms at 20k sources, growing with the
table). A hash index: equality is all these lookups need, and a URL may be
longer than a B-tree entry can hold.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(op.f("ix_sources_url"), "sources", ["url"], postgresql_using="hash")


def downgrade() -> None:
    op.drop_index(op.f("ix_sources_url"), table_name="sources")
