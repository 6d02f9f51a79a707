"""Search across claims (original wording and translations), actors (display
name and every alias) and sources (title and text), in one SQL statement.

Text (claims, translations, sources) goes through PostgreSQL full-text search:
each row is indexed with its own language's configuration (``onrecord_french``,
``onrecord_english``, else ``onrecord_simple``; all three strip accents). The
searcher's language is unknown, so the query is parsed as French, as English
and unstemmed, and each parse is matched against the rows of its language:
"ligne rouge" finds a French wording, "red lines" an English translation, and
``-blue`` excludes in every language (OR-ing the three parses into one query
would not: the French "-blu" never excludes an English "blue").
``websearch_to_tsquery`` accepts any input ("quoted phrases", ``-not``, ``or``);
the three arms are one BitmapOr over the same GIN index. Names go through
trigram word similarity on unaccented text, so a
misspelling ("Bodde") or a transliteration ("Sisi") still finds the actor.

Every branch is served by an index: ``ix_claims_search``,
``ix_claim_translations_search``, ``ix_sources_search`` (GIN over the stored
``search_vector`` columns of migration 0004, ``@@``) and
``ix_actors_name_trgm``, ``ix_actor_names_name_trgm`` (GiST trigram, nearest
first by ``<->>``, ``LIMIT`` before the similarity cut so the scan stays short;
``%>``, word similarity above ``pg_trgm.word_similarity_threshold``, set just
under ``MIN_NAME_SIMILARITY`` on every connection by ``app.db``, prunes the
index scan: without it a query of several words walked the index in 11-18 ms,
with it under 1 ms at 5,000 actors).
Snippets (``ts_headline``) are computed for the returned page only.

The work is bounded at any size: each kind of text ranks only its
``CANDIDATES`` most recent matches (``app.search.matching``): a frequent
term walks the primary key backwards and stops at the last candidate (about
``CANDIDATES`` ÷ share rows, at most ``EXAMINED``); a term in 1-10% of a large
table walks on (at most ``MAX_WALK`` rows); a rarer one reads every match
through the GIN index. Pages are keyset pages on
``(score DESC, type, id)``; the cursor, built here in SQL in
``app.pagination``'s format, names the query it continues.
"""

import functools
import math
from collections.abc import Sequence
from uuid import UUID

import orjson
from sqlalchemy import text

from app import pagination, sqlcompile
from app.errors import BadCursor
from app.expansion import parse_names
from app.search.matching import most_recent_matches, rank
from app.search.schemas import SEARCH_TYPES, SearchType
from app.search.summaries import claim_records_sql, source_published_sql

MIN_NAME_SIMILARITY = 0.5
"""Word similarity an actor name needs ("Bodde" ~ "Peter Bode" is 0.57)."""

SOURCE_TEXT_CHARS = 100_000
"""Characters of a source's text that are indexed and highlighted."""

_ESCAPED = "replace(replace(replace({0}, '&', '&amp;'), '<', '&lt;'), '>', '&gt;')"


def _after(score: str, kind: SearchType, row_id: str) -> str:
    """The row comes after the cursor's (``score DESC, type, id``), or there is
    no cursor. Scores compare as ``float8``: the cursor carries the exact
    value (a ``real`` widens exactly), not the rounded one shown."""
    return (
        "(CAST(:after_score AS float8) IS NULL"
        f" OR CAST({score} AS float8) < CAST(:after_score AS float8)"
        f" OR (CAST({score} AS float8) = CAST(:after_score AS float8)"
        f" AND ('{kind}' > CAST(:after_type AS text)"
        f" OR ('{kind}' = CAST(:after_type AS text) AND {row_id} > CAST(:after_id AS uuid)))))"
    )


# Stored generated columns (migration 0004): ranking reads them instead of
# re-parsing the text of every match.
_CLAIM_VECTOR = "claims.search_vector"
_CLAIM_COLUMNS = "claims.id, claims.language, claims.text, claims.search_vector"
_TRANSLATION_COLUMNS = (
    "claim_translations.claim_id, claim_translations.language, claim_translations.text,"
    " claim_translations.search_vector"
)
_TRANSLATION_VECTOR = "translations.search_vector"
_SOURCE_VECTOR = "sources.search_vector"

_CLAIMS = f"""
    SELECT 'claim' AS type, best.claim_id AS id, best.score, best.field AS matched_in,
           best.language, best.body,
           json_build_object('text', claims.text, 'language', claims.language,
                             {claim_records_sql("claims.id")}) AS summary
    FROM (
      -- Only a page can come from any one branch: cut here, before the join
      -- and the union, so a frequent term does not drag every match along.
      SELECT * FROM (
        SELECT DISTINCT ON (hit.claim_id) hit.*
        FROM (
            SELECT recent.id AS claim_id, recent.language, recent.text AS body,
                   'text' AS field, {rank("recent.search_vector", "recent.language")} AS score
            FROM ({most_recent_matches("claims", "id", _CLAIM_COLUMNS)}) AS recent
            UNION ALL
            SELECT recent.claim_id, recent.language, recent.text, 'translation',
                   {rank("recent.search_vector", "recent.language")}
            FROM ({most_recent_matches("claim_translations", "claim_id", _TRANSLATION_COLUMNS)})
                AS recent
        ) AS hit
        ORDER BY hit.claim_id, hit.score DESC, hit.field DESC, hit.language
      ) AS per_claim
      WHERE {_after("per_claim.score", "claim", "per_claim.claim_id")}
      ORDER BY per_claim.score DESC, per_claim.claim_id
      LIMIT :fetch
    ) AS best
    JOIN claims ON claims.id = best.claim_id
"""


def _named_somewhere(table: str) -> str:
    """Whether any name in ``table`` is like the query, asked once per search
    of the GIN trigram index (``ix_*_name_trgm_gate``, on the lowercased
    name: trigrams are lowercased anyway, and only that index matches the
    expression, so the planner cannot answer it from the GiST one). A query
    that names no one ("dossier") then skips the nearest-first GiST scan,
    whose signatures prune a miss poorly when the query's trigrams are
    common in names: 0.3 ms instead of 2.9 at 50,000 actors."""
    return (
        f"(SELECT EXISTS (SELECT FROM {table} AS gate"
        " WHERE lower(onrecord_unaccent(gate.name)) %> onrecord_unaccent(:q)))"
    )


_ACTORS = f"""
    SELECT 'actor' AS type, best.actor_id AS id, best.score, best.field AS matched_in,
           best.language, best.body,
           json_build_object('name', actors.name, 'kind', actors.kind) AS summary
    FROM (
        SELECT DISTINCT ON (nearest.actor_id) nearest.*
        FROM (
            (SELECT actors.id AS actor_id, actors.name AS body, NULL::text AS language,
                    'name' AS field,
                    1 - (onrecord_unaccent(actors.name) <->> onrecord_unaccent(:q)) AS score
             FROM actors
             WHERE onrecord_unaccent(actors.name) %> onrecord_unaccent(:q)
               AND {_named_somewhere("actors")}
             ORDER BY onrecord_unaccent(actors.name) <->> onrecord_unaccent(:q)
             LIMIT :name_candidates)
            UNION ALL
            (SELECT names.actor_id, names.name, names.language, 'alias',
                    1 - (onrecord_unaccent(names.name) <->> onrecord_unaccent(:q))
             FROM actor_names AS names
             WHERE onrecord_unaccent(names.name) %> onrecord_unaccent(:q)
               AND {_named_somewhere("actor_names")}
             ORDER BY onrecord_unaccent(names.name) <->> onrecord_unaccent(:q)
             LIMIT :name_candidates)
        ) AS nearest
        WHERE nearest.score >= :min_similarity
        -- Ties (al-Sisi, el-Sisi) go to the shortest, then first, spelling: stable answers.
        ORDER BY nearest.actor_id, nearest.score DESC, nearest.field DESC,
                 length(nearest.body), nearest.body
    ) AS best
    JOIN actors ON actors.id = best.actor_id
    WHERE {_after("best.score", "actor", "best.actor_id")}
"""

_SOURCES = f"""
    SELECT 'source' AS type, sources.id, {rank(_SOURCE_VECTOR, "sources.language")} AS score,
           'title_or_text' AS matched_in, sources.language,
           sources.title || E'\\n' || left(coalesce(sources.full_text, ''), {SOURCE_TEXT_CHARS})
               AS body,
           json_build_object('title', sources.title, 'kind', sources.kind,
                             'language', sources.language, {source_published_sql()}) AS summary
    FROM (
        -- The summary's fragments name the table: the candidates keep its name.
        {most_recent_matches("sources", "id", "sources.*")}
    ) AS sources
    WHERE {_after(rank(_SOURCE_VECTOR, "sources.language"), "source", "sources.id")}
    ORDER BY score DESC, sources.id
    LIMIT :fetch
"""

_BRANCHES: dict[SearchType, str] = {"claim": _CLAIMS, "actor": _ACTORS, "source": _SOURCES}

# Claims are short: one cover of up to 35 words. Sources: their two best fragments.
_HEADLINE_OPTIONS = {
    "claim": "StartSel=<mark>, StopSel=</mark>, MaxFragments=0, MaxWords=35, MinWords=15",
    "source": "StartSel=<mark>, StopSel=</mark>, MaxFragments=2, MaxWords=25, MinWords=10, "
    'FragmentDelimiter=" … "',
}

_PAGE = """
WITH hits AS ({branches}),
-- One row more than the page: whether there is a next page.
fetched AS MATERIALIZED (SELECT * FROM hits ORDER BY score DESC, type, id LIMIT :fetch),
page AS MATERIALIZED (SELECT * FROM fetched ORDER BY score DESC, type, id LIMIT :limit)
SELECT json_build_object(
    'query', CAST(:q AS text),
    'types', CAST(:types AS json),
    'results', coalesce((SELECT json_agg(json_build_object(
        'type', page.type,
        'id', page.id,
        'score', round(page.score::numeric, 4),
        'snippet', CASE page.type
            WHEN 'actor' THEN '<mark>' || {escaped_body} || '</mark>'
            WHEN 'claim' THEN ts_headline(onrecord_regconfig(page.language), {escaped_body},
                                          onrecord_tsquery(page.language, :q), :claim_options)
            ELSE ts_headline(onrecord_regconfig(page.language), {escaped_body},
                             onrecord_tsquery(page.language, :q), :source_options)
        END,
        'matched_in', page.matched_in,
        'language', page.language,
        'summary', page.summary
    ) ORDER BY page.score DESC, page.type, page.id) FROM page), '[]'::json),
    -- The cursor of app.pagination (``{{"after": [...], "for": listing}}`` in
    -- unpadded URL-safe base64), after the page's last row, exact score.
    'next', CASE WHEN (SELECT count(*) FROM fetched) > :limit THEN (
        SELECT translate(encode(convert_to(json_build_object(
                   'after', json_build_array(last.score::float8::text, last.type, last.id::text),
                   'for', CAST(:listing AS text))::text, 'UTF8'), 'base64'), E'+/=\\n', '-_')
        FROM page AS last ORDER BY last.score, last.type DESC, last.id DESC LIMIT 1
    ) END
)::text
"""


def parse_types(raw: str | None) -> list[SearchType]:
    """``?types=claim,actor`` → ["claim", "actor"] (all types when absent)."""
    wanted = set(parse_names(raw, SEARCH_TYPES, field="types", what="unknown type"))
    return [kind for kind in SEARCH_TYPES if kind in wanted or not wanted]


def search_statement(types: Sequence[SearchType]) -> str:
    branches = " UNION ALL ".join(f"({_BRANCHES[kind]})" for kind in types)
    return _PAGE.format(branches=branches, escaped_body=_ESCAPED.format("page.body"))


NAME_CANDIDATES = 50

CANDIDATES = 200
"""Matches ranked per table (claims, translations, sources): the most recent
ones. A term matching fewer rows has all of them ranked; a frequent one is
ranked among its newest matches, found by walking the table newest first
and stopping there (a term in 10% of the claims reads about 2,000 rows, at
any size), instead of ranking every match."""

EXAMINED = 2_000
"""Newest rows tested one by one first: a term in 10% or more of the rows has
its ``CANDIDATES`` among them; a rare term costs no more than these rows
before the index is asked (2,000 rows: 0.8 ms for claims at 1M)."""

WALK_COST = 3.0
"""How much dearer reading one match through the GIN index is than testing one
more row of the walk (heap fetch, recheck and sort against a filter on a row
already in order): 2-3.4 µs a match against 0.4-1.1 µs a row, measured on the
1M-claim bench database (docs/scaling.md). A term in 1-10% of the rows then
walks on (at 1M claims: "sanctions", 3%, 111 ms through the index, 4 ms
walking); a rarer one, or any term in a small table, reads its matches."""

MAX_WALK = 50_000
"""The longest second walk (25-50 ms): past it the index is asked."""


SEARCH_VALUES = (
    "q",
    "types",
    "limit",
    "fetch",
    "candidates",
    "examined",
    "walk_cost",
    "max_walk",
    "after_score",
    "after_type",
    "after_id",
    "listing",
    "name_candidates",
    "min_similarity",
    "claim_options",
    "source_options",
)


@functools.lru_cache(maxsize=16)  # one per combination of types: at most 7
def _search_sql(types: tuple[SearchType, ...]) -> sqlcompile.DriverSQL:
    """Planned once per connection on the fast path (``generic_plan``): the
    statement says how each branch reads (bounded walks, the index), so its
    plan does not depend on the term, and planning it for every search cost
    3 of its 7-12 ms at 1M claims."""
    return sqlcompile.DriverSQL.compile(
        text(search_statement(types)), SEARCH_VALUES, generic_plan=True
    )


def _position(cursor: str | None) -> tuple[float | None, str | None, UUID | None]:
    """The last result of the previous page: its exact score, type and id."""
    if cursor is None:
        return None, None, None
    score, kind, last = pagination.decode_cursor(cursor, parts=3)
    try:
        value = float(score)
        if not math.isfinite(value) or kind not in SEARCH_TYPES:
            raise ValueError(kind)
        return value, kind, UUID(last)
    except ValueError as exc:
        raise BadCursor() from exc


async def search(
    reader: sqlcompile.Reader,
    *,
    q: str,
    types: Sequence[SearchType],
    limit: int,
    cursor: str | None = None,
) -> str:
    """The search response as JSON text, built by PostgreSQL in one statement."""
    after_score, after_type, after_id = _position(cursor)
    rows = await _search_sql(tuple(types)).rows(
        reader,
        {
            "q": q,
            "types": orjson.dumps(list(types)).decode(),
            "limit": limit,
            "fetch": limit + 1,
            "candidates": CANDIDATES,
            "examined": EXAMINED,
            "walk_cost": WALK_COST,
            "max_walk": MAX_WALK,
            "after_score": after_score,
            "after_type": after_type,
            "after_id": after_id,
            "listing": pagination.listing_digest(),
            # The nearest-neighbour scans return equally close spellings in no
            # set order; fetching a few more than a page lets the tie-break
            # (shortest spelling of an actor) see all of an actor's aliases.
            "name_candidates": max(limit + 1, NAME_CANDIDATES),
            "min_similarity": MIN_NAME_SIMILARITY,
            "claim_options": _HEADLINE_OPTIONS["claim"],
            "source_options": _HEADLINE_OPTIONS["source"],
        },
    )
    return str(rows[0][0])
