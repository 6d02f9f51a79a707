"""Search: extensions and immutable helper functions for indexed search.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 09:00:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

EXTENSIONS = ("pg_trgm", "unaccent", "btree_gist")

FUNCTIONS = (
    # unaccent() is only STABLE (it reads the dictionary named in the search
    # path); naming schema and dictionary makes the result depend on the
    # argument alone, so it may appear in an index expression.
    """
    CREATE FUNCTION onrecord_unaccent(text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    RETURN public.unaccent('public.unaccent'::regdictionary, $1)
    """,
)

DROP_FUNCTIONS = ("DROP FUNCTION IF EXISTS onrecord_unaccent(text)",)


def upgrade() -> None:
    for extension in EXTENSIONS:
        op.execute(f"CREATE EXTENSION IF NOT EXISTS {extension} WITH SCHEMA public")
    for function in FUNCTIONS:
        op.execute(function)


def downgrade() -> None:
    for statement in DROP_FUNCTIONS:
        op.execute(statement)
    # The extensions may predate this revision or be used by other objects:
    # drop each one only when nothing depends on it any more.
    for extension in reversed(EXTENSIONS):
        op.execute(
            f"""
            DO $$
            BEGIN
                DROP EXTENSION IF EXISTS {extension};
            EXCEPTION WHEN dependent_objects_still_exist THEN
                RAISE NOTICE 'extension {extension} kept: other objects use it';
            END
            $$
            """
        )
