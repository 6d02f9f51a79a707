"""Derived event times are kept, not worked out on every timeline request.

An undated event whose time is relative to a dated event or source
("6 jours après", ``offset_days``), directly or through a chain of relations,
has a derived range. ``GET /v1/events/timeline`` worked out every such chain
(a recursive query over all undated events and their relations) on each
request: 6 of its 10.5 ms at 1M claims (10,000 events), and the reason its
latency grew with the data. Now ``event_derived_times`` holds each undated
event's derived range, and statement-level triggers work them all out again
after a write that can change one: one that changed rows of events or event
relations, or updated a source some event's time hangs on (its transition
table says which rows; the bulk path runs statements of zero rows on these
tables for every batch, and upserts sources, which must cost nothing). That
costs a write of events about 6 ms at 10,000 events, once per statement
however many rows; reads find a window's derived events on a GiST index.
``ix_events_time_anchor_source_id`` finds the events that hang on a source
(for that check, and for the foreign key's check when a source is deleted).

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

# Every undated event's derived range, worked out from scratch.
DERIVE = """
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
"""

REFRESH_TEMPLATE = """
CREATE FUNCTION onrecord_refresh_event_derived_times() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'TRUNCATE' THEN
        IF TG_TABLE_NAME = 'sources' THEN
            IF NOT EXISTS (SELECT 1 FROM events
                           WHERE time_anchor_source_id IN (SELECT id FROM changed)) THEN
                RETURN NULL;
            END IF;
        ELSIF NOT EXISTS (SELECT 1 FROM changed) THEN
            RETURN NULL;
        END IF;
    END IF;
    LOCK TABLE event_derived_times IN EXCLUSIVE MODE;
    DELETE FROM event_derived_times;
{DERIVE}    RETURN NULL;
END
$$
"""

REFRESH = REFRESH_TEMPLATE.replace("{DERIVE}", DERIVE)

# (table, write) -> the rows it changed, as the function reads them
CHANGED = {
    "insert": "REFERENCING NEW TABLE AS changed",
    "update": "REFERENCING NEW TABLE AS changed",
    "delete": "REFERENCING OLD TABLE AS changed",
    "truncate": "",
}
TRIGGERS = {
    (table, write): CHANGED[write]
    for table in ("events", "event_relations")
    for write in ("insert", "update", "delete", "truncate")
} | {("sources", "update"): CHANGED["update"]}


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
    op.create_index(
        op.f("ix_events_time_anchor_source_id"), "events", ["time_anchor_source_id"], unique=False
    )
    op.execute(REFRESH)
    for (table, write), changed in TRIGGERS.items():
        op.execute(
            f"CREATE TRIGGER {table}_derived_times_{write} AFTER {write.upper()} ON {table}"
            f" {changed} FOR EACH STATEMENT"
            " EXECUTE FUNCTION onrecord_refresh_event_derived_times()"
        )
    op.execute(DERIVE)  # the events already stored


def downgrade() -> None:
    for table, write in TRIGGERS:
        op.execute(f"DROP TRIGGER {table}_derived_times_{write} ON {table}")
    op.execute("DROP FUNCTION onrecord_refresh_event_derived_times()")
    op.drop_index(op.f("ix_events_time_anchor_source_id"), table_name="events")
    op.drop_index(op.f("ix_event_derived_times_time_range"), table_name="event_derived_times")
    op.drop_table("event_derived_times")
