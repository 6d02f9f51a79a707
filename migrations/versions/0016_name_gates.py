"""Name search asks first whether any name is like the query: GIN trigram gates.

Search matches every query against actor names and aliases, nearest first,
on the GiST trigram indexes (``ix_actors_name_trgm``,
``ix_actor_names_name_trgm``, migration 0013). For a query that names no one
but whose trigrams are common in names ("dossier": "ssi", "ier", "er "),
the GiST scan still read most of the index to find nothing: 2.9 ms of an
8 ms search at 50,000 actors. A GIN trigram index answers "is any name like
this?" in 0.1-0.4 ms, hit or miss, but cannot return nearest first. So the
search asks the GIN index once per table (an ``EXISTS``, a one-time filter)
and reads the GiST one only when a name is like the query
(``app.search.service._named_somewhere``).

The gates index the lowercased name: pg_trgm lowercases trigrams anyway, so
``lower(x) %> q`` is ``x %> q``, and only the gate index matches that
expression, so the planner cannot answer the gate from the GiST index (it
would, and read it whole). Measured on the 1M-claim bench database
(docs/scaling.md): "dossier" 8.1 -> 5.1 ms a search, "dossier or file"
7.1 -> 4.8 ms; a query that does name actors pays the gate, about 0.3 ms.
Each index is ~2 MB at 50,000 actors and built in 0.2-0.3 s.

Revision ID: 0016_name_gates
Revises: 0015_recount_few
Create Date: 2026-12-07
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0016_name_gates"
down_revision: str | None = "0015_recount_few"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

GATES = {"ix_actors_name_trgm_gate": "actors", "ix_actor_names_name_trgm_gate": "actor_names"}


def upgrade() -> None:
    for name, table in GATES.items():
        op.execute(
            f"CREATE INDEX {name} ON {table}"
            " USING gin ((lower(onrecord_unaccent(name))) gin_trgm_ops)"
        )


def downgrade() -> None:
    for name in GATES:
        op.execute(f"DROP INDEX {name}")
