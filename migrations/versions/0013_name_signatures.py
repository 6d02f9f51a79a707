"""Name search prunes its trigram indexes: wider GiST signatures.

Search matches every query against actor names and aliases
(``ix_actors_name_trgm``, ``ix_actor_names_name_trgm``: GiST over trigrams,
nearest first by word similarity, ``%>`` pruning). A query that names no
actor (most of them: "sanctions", "ligne rouge") should cost next to
nothing there, but with ``gist_trgm_ops``' default 12-byte signatures every
inner page of 50,000 names looks like a possible match and the scan read
the whole index: 3.5-4.9 ms per search, half of a search's time at 1M
claims. With 1,024-byte signatures a miss reads a few pages (0.02-0.6 ms);
a query that does name actors costs what it did (the nearest ones are
read either way); an insert costs ~40 µs more; the index is ~20% larger
(4.8 → 5.8 MB at 50,000 actors). Measured on the 1M-claim bench database
(docs/scaling.md). A GIN trigram index was the other candidate: faster
still on a miss, but it cannot return nearest first, and a common first
name (2,500 matches) then took 17 ms to rank.

Revision ID: 0013_name_signatures
Revises: 0012_time_order
Create Date: 2026-12-07
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0013_name_signatures"
down_revision: str | None = "0012_time_order"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = {"ix_actors_name_trgm": "actors", "ix_actor_names_name_trgm": "actor_names"}


def _recreate(opclass: str) -> None:
    for name, table in INDEXES.items():
        op.execute(f"DROP INDEX {name}")
        op.execute(
            f"CREATE INDEX {name} ON {table} USING gist ((onrecord_unaccent(name)) {opclass})"
        )


def upgrade() -> None:
    _recreate("gist_trgm_ops(siglen=1024)")


def downgrade() -> None:
    _recreate("gist_trgm_ops")
