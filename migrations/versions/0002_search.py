"""Search: extensions, accent-insensitive text search configurations, immutable
helper functions and the GIN indexes behind ``GET /v1/search``.

- ``onrecord_french`` / ``onrecord_english`` / ``onrecord_simple``: copies of the
  built-in configurations whose word mappings first strip accents (the
  ``unaccent`` filtering dictionary), so "Sîssi" and "Sissi", "États-Unis" and
  "Etats-Unis" give the same lexemes, and ``ts_headline`` still highlights the
  original (accented) words.
- ``onrecord_regconfig(language)``: BCP 47 tag to configuration (fr → french,
  en → english, anything else → simple).
- ``onrecord_tsvector(language, body)``, ``onrecord_source_tsvector(language,
  title, full_text)``: the indexed documents (a source's title weighs more than
  its text; only the first 100,000 characters of a text are indexed, which
  keeps every document under PostgreSQL's 1 MB tsvector limit).
- ``onrecord_tsquery(language, q)``: the user's query parsed as that
  language (web-search syntax, safe for any input). The searcher's language
  is unknown, so a search tries the query as French, as English and
  unstemmed, each against the rows of that language (see app/search).
- ``onrecord_unaccent(text)``: an IMMUTABLE ``unaccent`` for the trigram
  indexes on actor names.

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

# configuration name -> (built-in configuration copied, its stemming dictionary)
CONFIGURATIONS = {
    "onrecord_french": ("french", "french_stem"),
    "onrecord_english": ("english", "english_stem"),
    "onrecord_simple": ("simple", "simple"),
}

FUNCTIONS = (
    # unaccent() is only STABLE (it looks its dictionary up in the search
    # path); naming schema and dictionary makes the result depend on the
    # argument alone, so it may appear in an index expression.
    """
    CREATE FUNCTION public.onrecord_unaccent(value text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    RETURN public.unaccent('public.unaccent'::regdictionary, value)
    """,
    """
    CREATE FUNCTION public.onrecord_regconfig(language text) RETURNS regconfig
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE lower(split_part(language, '-', 1))
        WHEN 'fr' THEN 'public.onrecord_french'::regconfig
        WHEN 'fra' THEN 'public.onrecord_french'::regconfig
        WHEN 'fre' THEN 'public.onrecord_french'::regconfig
        WHEN 'en' THEN 'public.onrecord_english'::regconfig
        WHEN 'eng' THEN 'public.onrecord_english'::regconfig
        ELSE 'public.onrecord_simple'::regconfig
    END
    """,
    """
    CREATE FUNCTION public.onrecord_tsvector(language text, body text) RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN to_tsvector(public.onrecord_regconfig(language), left(coalesce(body, ''), 100000))
    """,
    """
    CREATE FUNCTION public.onrecord_source_tsvector(language text, title text, full_text text)
    RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN setweight(public.onrecord_tsvector(language, title), 'A')
        || public.onrecord_tsvector(language, full_text)
    """,
    """
    CREATE FUNCTION public.onrecord_tsquery(language text, query text) RETURNS tsquery
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN websearch_to_tsquery(public.onrecord_regconfig(language), query)
    """,
)

DROP_FUNCTIONS = (
    "DROP FUNCTION IF EXISTS public.onrecord_tsquery(text, text)",
    "DROP FUNCTION IF EXISTS public.onrecord_source_tsvector(text, text, text)",
    "DROP FUNCTION IF EXISTS public.onrecord_tsvector(text, text)",
    "DROP FUNCTION IF EXISTS public.onrecord_regconfig(text)",
    "DROP FUNCTION IF EXISTS public.onrecord_unaccent(text)",
)

# name -> (table, method, indexed expression, operator class or None).
# Text: GIN over the tsvector (``@@``). Names: GiST trigrams, which serve
# "nearest by word similarity" (``ORDER BY name <->> query LIMIT n``) without
# depending on the pg_trgm similarity-threshold settings.
INDEXES = {
    "ix_claims_search": ("claims", "gin", "onrecord_tsvector(language, text)", None),
    "ix_claim_translations_search": (
        "claim_translations",
        "gin",
        "onrecord_tsvector(language, text)",
        None,
    ),
    "ix_sources_search": (
        "sources",
        "gin",
        "onrecord_source_tsvector(language, title, full_text)",
        None,
    ),
    "ix_actors_name_trgm": ("actors", "gist", "onrecord_unaccent(name)", "gist_trgm_ops"),
    "ix_actor_names_name_trgm": (
        "actor_names",
        "gist",
        "onrecord_unaccent(name)",
        "gist_trgm_ops",
    ),
}


def upgrade() -> None:
    for extension in EXTENSIONS:
        op.execute(f"CREATE EXTENSION IF NOT EXISTS {extension} WITH SCHEMA public")
    for name, (copied, stemmer) in CONFIGURATIONS.items():
        op.execute(f"CREATE TEXT SEARCH CONFIGURATION public.{name} (COPY = pg_catalog.{copied})")
        op.execute(
            f"ALTER TEXT SEARCH CONFIGURATION public.{name}"
            f" ALTER MAPPING FOR hword, hword_part, word WITH public.unaccent, {stemmer}"
        )
    for function in FUNCTIONS:
        op.execute(function)
    for name, (table, method, expression, opclass) in INDEXES.items():
        operand = f"({expression}) {opclass}" if opclass else f"({expression})"
        op.execute(f"CREATE INDEX {name} ON {table} USING {method} ({operand})")


def downgrade() -> None:
    for name in INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {name}")
    for statement in DROP_FUNCTIONS:
        op.execute(statement)
    for name in reversed(CONFIGURATIONS):
        op.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS public.{name}")
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
