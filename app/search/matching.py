"""How search finds its candidates: the query parsed once in each of the
three text search configurations, matched against rows of their own
language, and the newest matches of a table read in bounded ways
(``most_recent_matches``). The statement that ranks and pages them is
``app.search.service``."""

# The three text search configurations: migration 0002's ``onrecord_regconfig``
# gives French to fr, English to en and simple to anything else. Named here as
# constants: ``onrecord_tsquery('fr', :q)`` and ``onrecord_regconfig('fr')`` are
# SQL functions, inlined and folded again at every planning (plans are custom:
# ``app.db``), which was 1.9 of a search's 4.6 ms of planning at 1M claims.
_CONFIGURATIONS = ("public.onrecord_french", "public.onrecord_english", "public.onrecord_simple")


def _configuration(name: str) -> str:
    return f"CAST('{name}' AS regconfig)"


def _parsed(name: str) -> str:
    """The query parsed with configuration ``name``, once per search: a
    subquery of constants runs once (an InitPlan) in a plan made for any
    query (``_search_sql``), where the bare call would parse the query again
    for every row a walk tests (60-110 ms a search at 1M claims)."""
    return f"(SELECT websearch_to_tsquery({_configuration(name)}, :q))"


def matches(vector: str, language: str) -> str:
    """``vector`` matches the query parsed in the language of its row: three
    arms, one per parse, so that the GIN index serves each (a BitmapOr).
    Rows tested one by one (the walks) test them the same way: a failed
    ``@@`` costs less than working out the row's configuration first."""
    return " OR ".join(
        f"({vector} @@ {_parsed(name)} AND onrecord_regconfig({language}) = {_configuration(name)})"
        for name in _CONFIGURATIONS
    )


def _query_for(language: str) -> str:
    """The parse of the query in the language of the row: one of the three
    constant parses, chosen by the row's configuration (``onrecord_tsquery``
    of the row's own language would parse the query again for every row)."""
    *named, other = _CONFIGURATIONS
    arms = " ".join(f"WHEN {_configuration(name)} THEN {_parsed(name)}" for name in named)
    return f"CASE onrecord_regconfig({language}) {arms} ELSE {_parsed(other)} END"


def rank(vector: str, language: str) -> str:
    return f"ts_rank({vector}, {_query_for(language)})"


def _statistics_share(table: str) -> str:
    """The share of ``table``'s rows holding the query's words, by the
    column's statistics: the sum of the frequencies ANALYZE recorded for the
    query's lexemes among the most common ones (0 for words rarer than
    those), at most 1. An estimate: for "a b" it is the share of a or b."""
    words = " UNION ".join(
        f"SELECT unnest(tsvector_to_array(to_tsvector({_configuration(name)}, :q)))"
        for name in _CONFIGURATIONS
    )
    return f"""(
        SELECT least(coalesce(sum(common.frequency), 0), 1)
        FROM pg_stats AS stats,
             unnest(CAST(CAST(stats.most_common_elems AS text) AS text[]),
                    stats.most_common_elem_freqs) AS common(lexeme, frequency)
        WHERE stats.schemaname = (
                  SELECT namespace.nspname FROM pg_class AS relation
                  JOIN pg_namespace AS namespace ON namespace.oid = relation.relnamespace
                  WHERE relation.oid = CAST('{table}' AS regclass))
          AND stats.tablename = '{table}' AND stats.attname = 'search_vector'
          AND common.lexeme IN ({words}))"""


def most_recent_matches(table: str, key: str, columns: str) -> str:
    """The ``CANDIDATES`` most recent rows of ``table`` (newest ``key`` first)
    matching the query, read in one of three bounded ways whatever the
    planner's estimate of the term:

    1. the newest ``EXAMINED`` rows are tested one by one: when
       ``CANDIDATES`` of them match (a term in at least ``CANDIDATES /
       EXAMINED`` of the rows), they are the answer;
    2. else, when the term's share (theirs, or for claims the column
       statistics', whichever is higher) says that walking on until
       ``CANDIDATES`` matches costs less than reading every match through
       the GIN index (``WALK_COST``, the table's size), the walk goes on, up
       to twice the rows their share predicts (``MAX_WALK`` when they held
       none) and never more than ``MAX_WALK``;
    3. else (a rare term, or one the longer walk did not find often enough)
       the GIN index finds every match, sorted by the key as text: the same
       order, which no index gives, so the planner cannot turn this into an
       unbounded walk of the table.

    The answer is the same each way: the newest matches."""
    match = matches(f"{table}.search_vector", f"{table}.language")
    walk = f"""
        SELECT {columns} FROM (
            SELECT * FROM {table} ORDER BY {table}.{key} DESC LIMIT {{rows}}
        ) AS {table}
        WHERE ({match})
        LIMIT :candidates"""
    # The term's share of the rows: what the first walk saw, or for claims
    # what the column's statistics say (ANALYZE's most common lexemes),
    # whichever is higher: a frequent term missing from the newest claims
    # (last year's topic) is not taken for a rare one, whose every match
    # the index reads (683 ms for a term in 44% of 1M claims, 22 ms walking
    # on). Reading the statistics costs about 1 ms a table, paid by every
    # term the first walk did not satisfy: claims only, the largest table.
    share = "CAST(first.found AS float8) / :examined"
    if table == "claims":
        share = f"greatest({share}, {_statistics_share(table)})"
    # Rows to walk for the candidates: as many as the first walk's share
    # predicts, or the longest walk when it found none.
    walk_rows = (
        "CASE WHEN first.found = 0 THEN CAST(:max_walk AS float8)"
        " ELSE least(CAST(:candidates AS float8) * :examined / first.found, :max_walk) END"
    )
    rows_to_walk = f"""(
        SELECT CAST(CASE
            WHEN first.found >= :candidates THEN 0
            -- The index reads every match (share of the table), each
            -- WALK_COST times dearer than a row walked.
            WHEN CAST(:walk_cost AS float8) * {share} * (
                     SELECT greatest(reltuples, 0) FROM pg_class
                     WHERE oid = CAST('{table}' AS regclass))
                 <= {walk_rows} THEN 0
            ELSE least(2.0 * {walk_rows}, :max_walk) END AS bigint)
        FROM first)"""
    return f"""
        WITH newest AS MATERIALIZED ({walk.format(rows=":examined")}),
        first AS MATERIALIZED (SELECT count(*) AS found FROM newest),
        -- The second walk starts again at the newest row: skipping the
        -- first walk's rows needs the last key it read, which its filter
        -- drops; reading them again costs about 1 ms at 2,000 rows.
        further AS MATERIALIZED ({walk.format(rows=rows_to_walk)}),
        second AS MATERIALIZED (SELECT count(*) AS found FROM further)
        SELECT * FROM newest WHERE (SELECT found FROM first) >= :candidates
        UNION ALL
        SELECT * FROM further
        WHERE (SELECT found FROM first) < :candidates
          AND (SELECT found FROM second) >= :candidates
        UNION ALL
        (SELECT {columns} FROM {table}
         WHERE ({match})
           AND (SELECT found FROM first) < :candidates
           AND (SELECT found FROM second) < :candidates
         ORDER BY CAST({table}.{key} AS text) DESC
         LIMIT :candidates)
    """
