"""What a search result says besides its text: who said a claim, where and
when; who published a source, and when.

A reader choosing among results needs the speaker, the source and the date
(a claim's wording alone does not say whether Bloomberg's anonymous
diplomats or a minister said it). Each is a correlated subquery on an index
(``attributions.claim_id``, primary keys), run for the returned rows only:
the search statement's branches cut to a page before building summaries.

The search statement is SQL text; these fragments are built with the same
document builders as the provenance reads (so a record here has the shape of
a hop there) and compiled to text once, with their constants inlined.
"""

import functools
from typing import Any

from sqlalchemy import func, literal_column, select
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.sql.elements import ColumnElement

from app.fuzzytime import fuzzy_time_json
from app.provenance.chains import ACTORS, ATTRIBUTIONS, SOURCES, said_fields

RECORDS_SHOWN = 3
"""Records of a claim in its summary: enough to say who and where, short
enough for a list (``record_count`` says how many there are in all)."""

_EMPTY: ColumnElement[Any] = literal_column("'[]'::json")


def _sql(expression: ColumnElement[Any]) -> str:
    compiled = expression.compile(
        dialect=postgresql.dialect(),  # type: ignore[no-untyped-call]
        compile_kwargs={"literal_binds": True},
    )
    return str(compiled)


@functools.cache
def claim_records_sql(claim_id: str) -> str:
    """``records`` (the first few, in creation order: speaker, source, time,
    mode, cue, certainty, as a chain's hops have them) and ``record_count``
    of the claim ``claim_id`` (a column of the search statement), as
    ``json_build_object`` arguments. Retracted records are left out, as in
    lists."""
    claim: ColumnElement[Any] = literal_column(claim_id)
    record = ATTRIBUTIONS.alias("record")
    kept = record.c.retracted_at.is_(None)
    first = (
        select(
            record.c.id,
            func.json_build_object("attribution_id", record.c.id, *said_fields(record)).label(
                "document"
            ),
        )
        .where(record.c.claim_id == claim, kept)
        .order_by(record.c.id)
        .limit(RECORDS_SHOWN)
        .subquery("first_records")
    )
    records = select(
        func.coalesce(func.json_agg(aggregate_order_by(first.c.document, first.c.id)), _EMPTY)
    ).scalar_subquery()
    counted = ATTRIBUTIONS.alias("counted")
    count = (
        select(func.count())
        .where(counted.c.claim_id == claim, counted.c.retracted_at.is_(None))
        .scalar_subquery()
    )
    return f"'records', {_sql(records)}, 'record_count', {_sql(count)}"


@functools.cache
def source_published_sql() -> str:
    """``publisher`` ({id, name} or null) and ``published`` (its fuzzy time)
    of the row of ``sources`` in the search statement, as
    ``json_build_object`` arguments."""
    publisher = ACTORS.alias("publisher")
    named = (
        select(func.json_build_object("id", publisher.c.id, "name", publisher.c.name))
        .where(publisher.c.id == literal_column("sources.publisher_id"))
        .scalar_subquery()
    )
    return f"'publisher', {_sql(named)}, 'published', {_sql(fuzzy_time_json(SOURCES))}"
