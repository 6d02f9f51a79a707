"""Search: statistics on each row's text search configuration, so the planner
knows how many rows a term matches.

A search matches each row against the query parsed in the row's language
(``onrecord_regconfig(language) = ...``, see app/search/service.py). Without
statistics on that expression PostgreSQL guesses 0.5% of the rows for it,
so every term looked rare: a term in 10% of the claims was read whole
through the GIN index and sorted. With them the planner sees the term's
real share and, for a frequent one, walks the claims newest first and
stops after the candidates a search ranks (``LIMIT``), reading a few
thousand rows whatever the table's size.

Revision ID: 0011_search
Revises: 0009_integrity
Create Date: 2026-12-06
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0011_search"
down_revision: str | None = "0009_integrity"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# statistics object -> table whose rows are matched in their own language
STATISTICS = {
    "st_claims_search_config": "claims",
    "st_claim_translations_search_config": "claim_translations",
    "st_sources_search_config": "sources",
}


def upgrade() -> None:
    for name, table in STATISTICS.items():
        op.execute(f"CREATE STATISTICS {name} ON (onrecord_regconfig(language)) FROM {table}")
    # Gathered now rather than at the next autovacuum: ANALYZE reads a
    # sample (30,000 rows), seconds even at millions of rows.
    op.execute("ANALYZE " + ", ".join(STATISTICS.values()))


def downgrade() -> None:
    for name in STATISTICS:
        op.execute(f"DROP STATISTICS IF EXISTS {name}")
