"""Search: statistics on each row's text search configuration, so the planner
knows how many rows a term matches.

A search matches each row against the query parsed in the row's language
(``onrecord_regconfig(language) = ...``, see app/search/service.py). Without
statistics on that expression PostgreSQL guesses 0.5% of the rows for it,
so it underestimated every term's matches (a term in 10% of the claims was
planned as 0.1%) and the rows it expects in every plan above them. The
search statement's work is bounded without them (the order of its two ways
of finding candidates is written in the statement), but the plans for the
index's matches, their sort and the joins above are chosen on these
estimates.

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
