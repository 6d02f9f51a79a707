"""Derived event times are kept, not worked out on every timeline request.

An undated event whose time is relative to a dated event or source
("6 jours après", ``offset_days``), directly or through a chain of relations,
has a derived range. ``GET /v1/events/timeline`` worked out every such chain
(a recursive query over all undated events and their relations) on each
request: 6 of its 10.5 ms at 1M claims (10,000 events), and the reason its
latency grew with the data. Now ``event_derived_times`` holds each undated
event's derived range, and statement-level triggers work them all out again
after any write that can change one: to events or event relations (insert,
update, delete, truncate), or to a source's time (update of ``time_range``,
delete). A write of events pays that (about 6 ms at 10,000 events, once per
statement, however many rows); reads find a window's derived events on a
GiST index.

The rules are those the timeline used (now only here): an event relative
to an event with ``offset_days`` takes that event's range shifted; relative
to a dated source with an offset, the source's; a relation "before"/"after"
with ``offset_days`` or "same_time" ties it to the other event, either way
round (priority: own anchor, then a relation from it, then one to it; then
the shortest chain); chains are followed up to 16 links, cycles cut.

Concurrent writers take the table's lock in turn (each sees the other's
committed events after waiting). No foreign key to ``events``: the rows are
replaced wholesale, and a key would make a writer wait on another's row
locks while holding this lock.

Revision ID: 0014_event_derived_times
Revises: 0013_name_signatures
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0014_event_derived_times"
down_revision: str | None = "0013_name_signatures"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

REFRESH = """
CREATE FUNCTION onrecord_refresh_event_derived_times() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    LOCK TABLE event_derived_times IN EXCLUSIVE MODE;
    DELETE FROM event_derived_times;
    INSERT INTO event_derived_times (event_id, time_range)
    WITH RECURSIVE
    edges AS (
        -- undated event ``id`` = its anchor event's range shifted by ``shift`` days
        SELECT e.id, e.time_anchor_event_id AS anchor_id, e.time_offset_days AS shift,
               1 AS priority
        FROM events AS e
        WHERE e.time_range IS NULL AND e.time_relative_to = 'event'
          AND e.time_offset_days IS NOT NULL
        UNION ALL
        SELECT r.event_id, r.related_event_id,
               CASE r.relation WHEN 'before' THEN -r.offset_days
                               WHEN 'after' THEN r.offset_days ELSE 0 END,
               2
        FROM event_relations AS r JOIN events AS e ON e.id = r.event_id
        WHERE e.time_range IS NULL
          AND (r.relation IN ('before', 'after') AND r.offset_days IS NOT NULL
               OR r.relation = 'same_time')
        UNION ALL
        SELECT r.related_event_id, r.event_id,
               CASE r.relation WHEN 'before' THEN r.offset_days
                               WHEN 'after' THEN -r.offset_days ELSE 0 END,
               3
        FROM event_relations AS r JOIN events AS e ON e.id = r.related_event_id
        WHERE e.time_range IS NULL
          AND (r.relation IN ('before', 'after') AND r.offset_days IS NOT NULL
               OR r.relation = 'same_time')
    ),
    resolved(id, lo, hi, priority, path) AS (
        SELECT e.id, lower(e.time_range), upper(e.time_range), 0, ARRAY[e.id]
        FROM events AS e
        WHERE e.time_range IS NOT NULL AND e.id IN (SELECT anchor_id FROM edges)
        UNION ALL
        SELECT e.id, lower(s.time_range) + e.time_offset_days,
               upper(s.time_range) + e.time_offset_days, 1, ARRAY[e.id]
        FROM events AS e JOIN sources AS s ON s.id = e.time_anchor_source_id
        WHERE e.time_range IS NULL AND e.time_relative_to = 'source'
          AND e.time_offset_days IS NOT NULL AND s.time_range IS NOT NULL
        UNION ALL
        SELECT edges.id, r.lo + edges.shift, r.hi + edges.shift, edges.priority,
               r.path || edges.id
        FROM resolved AS r JOIN edges ON edges.anchor_id = r.id
        WHERE edges.id <> ALL(r.path) AND cardinality(r.path) < 16
    )
    SELECT DISTINCT ON (id) id, daterange(lo, hi) FROM resolved
    WHERE priority > 0
    ORDER BY id, priority, cardinality(path);
    RETURN NULL;
END
$$
"""

# table -> the writes after which derived times are worked out again
TRIGGERS = {
    "events": "INSERT OR UPDATE OR DELETE OR TRUNCATE",
    "event_relations": "INSERT OR UPDATE OR DELETE OR TRUNCATE",
    "sources": "UPDATE OF time_range OR DELETE OR TRUNCATE",
}


def upgrade() -> None:
    op.create_table(
        "event_derived_times",
        sa.Column("event_id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("time_range", postgresql.DATERANGE(), nullable=False),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_event_derived_times")),
    )
    op.create_index(
        op.f("ix_event_derived_times_time_range"),
        "event_derived_times",
        ["time_range"],
        unique=False,
        postgresql_using="gist",
    )
    op.execute(REFRESH)
    for table, writes in TRIGGERS.items():
        op.execute(
            f"CREATE TRIGGER {table}_derived_times AFTER {writes} ON {table}"
            " FOR EACH STATEMENT EXECUTE FUNCTION onrecord_refresh_event_derived_times()"
        )
    # The events already stored: one refresh, through a write that changes nothing.
    op.execute("UPDATE events SET id = id WHERE false")


def downgrade() -> None:
    for table in TRIGGERS:
        op.execute(f"DROP TRIGGER {table}_derived_times ON {table}")
    op.execute("DROP FUNCTION onrecord_refresh_event_derived_times()")
    op.drop_index(op.f("ix_event_derived_times_time_range"), table_name="event_derived_times")
    op.drop_table("event_derived_times")
