"""Integrity held by the database under concurrent writes (issue 17).

- **Relay chains stay acyclic**, whatever the interleaving. A check in
  Python reads the chain, then writes: two transactions closing a cycle
  from both ends (A relays B, B relays A) each read a chain without the
  other's uncommitted change and both pass. Here the database refuses it:

  * ``UPDATE``: a row trigger on a changed ``relayed_through_id`` takes a
    transaction-level advisory lock that every such change takes (one relay
    change at a time, database-wide, until commit), then walks the chain
    from the new target. In READ COMMITTED each statement of the function
    reads a fresh snapshot, taken after the lock was granted: it sees every
    relay change committed before, so the second of two racing writers
    finds the cycle the first one's commit makes. Relay changes on
    existing attributions are rare (a PATCH or a correction), so
    serialising them costs nothing measurable; creations never take the
    lock.
  * ``INSERT``: a new attribution can only relay rows that exist, and no
    stored row can relay it yet, so a cycle through new rows lies entirely
    within one statement (a bulk ``INSERT ... SELECT`` whose rows relay each
    other: foreign keys are checked at the end of the statement). A
    statement trigger walks the relays among the statement's new rows.

  Either way the error is a ``check_violation`` naming the constraint
  ``ck_attributions_relay_acyclic``, which the API answers as a 422
  ``relay-cycle`` problem (``app/database_errors.py``).

- **Names stored NFC.** The API now stores every name and label
  (``app.fields.Name``) in Unicode normalisation form C, so a name typed
  with a combining accent and the same name precomposed are one. Stored
  values are brought to NFC here; an alias whose NFC form the same actor
  already has (in the same language) is the same alias, and is dropped.
  (``normalize`` needs a UTF-8 database; on another encoding nothing is
  changed.) Not undone on downgrade: NFC is the same text.

- **Redactions** (``redactions``): that an admin removed an actor's
  personal details or a span of a source's text (a legal takedown), when,
  why and which part, never the content. A source's text is masked in
  place, code point for code point (``onrecord_masked``), so every span
  offset into it stays valid; the same function masks the copies of that
  text in attribution spans and in the history's stored states.

Revision ID: 0009_integrity
Revises: 0010
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0009_integrity"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RELAY_LOCK = "1, 17"
"""The advisory lock (two-int4 form: apart from the idempotency keys' bigint
locks) every change of an existing attribution's relay takes."""

REFUSE_RELAY_CYCLE = f"""
CREATE FUNCTION onrecord_refuse_relay_cycle() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock({RELAY_LOCK});
    -- A fresh snapshot (READ COMMITTED): every relay change committed before
    -- the lock was granted is seen. UNION ends the walk on any loop.
    IF EXISTS (
        WITH RECURSIVE chain(id) AS (
            SELECT NEW.relayed_through_id
            UNION
            SELECT a.relayed_through_id
            FROM chain c JOIN attributions a ON a.id = c.id
            WHERE a.relayed_through_id IS NOT NULL
        )
        SELECT 1 FROM chain WHERE id = NEW.id
    ) THEN
        RAISE EXCEPTION 'attribution % already relays (directly or not) attribution %: '
            'relay chains cannot form cycles', NEW.relayed_through_id, NEW.id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'ck_attributions_relay_acyclic',
                  TABLE = 'attributions', COLUMN = 'relayed_through_id';
    END IF;
    RETURN NULL;
END
$$
"""

REFUSE_NEW_RELAY_CYCLES = """
CREATE FUNCTION onrecord_refuse_new_relay_cycles() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    v_looping uuid;
BEGIN
    WITH RECURSIVE walk(start_id, id) AS (
        SELECT n.id, n.relayed_through_id FROM new_rows n WHERE n.relayed_through_id IS NOT NULL
        UNION
        SELECT w.start_id, n.relayed_through_id
        FROM walk w JOIN new_rows n ON n.id = w.id
        WHERE n.relayed_through_id IS NOT NULL
    )
    SELECT start_id INTO v_looping FROM walk WHERE id = start_id LIMIT 1;
    IF v_looping IS NOT NULL THEN
        RAISE EXCEPTION 'attribution % relays itself through the attributions created '
            'with it: relay chains cannot form cycles', v_looping
            USING ERRCODE = 'check_violation', CONSTRAINT = 'ck_attributions_relay_acyclic',
                  TABLE = 'attributions', COLUMN = 'relayed_through_id';
    END IF;
    RETURN NULL;
END
$$
"""


NAME_COLUMNS: dict[str, tuple[str, ...]] = {
    "actors": ("name", "nationality", "role_description"),
    "actor_names": ("name",),
    "actor_roles": ("title",),
    "attributions": ("cue",),
    "events": ("kind", "title", "place"),
    "event_participants": ("role",),
    "event_relations": ("expression",),
    "sources": ("title",),
}
"""Columns the API writes through ``app.fields.Name`` (stored NFC)."""


def _composed_names() -> str:
    updates = []
    for table, names in NAME_COLUMNS.items():
        sets = ", ".join(f"{c} = normalize({c}, NFC)" for c in names)
        where = " OR ".join(f"{c} IS NOT NFC NORMALIZED" for c in names)
        updates.append(f"UPDATE {table} SET {sets} WHERE {where};")
    return (
        "DO $$ BEGIN"
        " IF current_setting('server_encoding') <> 'UTF8' THEN RETURN; END IF;"
        # One alias in two forms (or an NFD alias of one the actor has) is one alias.
        " DELETE FROM actor_names d WHERE d.name IS NOT NFC NORMALIZED AND EXISTS ("
        "  SELECT FROM actor_names o WHERE o.actor_id = d.actor_id"
        "  AND o.language IS NOT DISTINCT FROM d.language"
        "  AND normalize(o.name, NFC) = normalize(d.name, NFC)"
        "  AND (o.name IS NFC NORMALIZED OR o.id < d.id));"
        f" {' '.join(updates)}"
        " END $$"
    )


MASKED = """
CREATE FUNCTION onrecord_masked(content text, content_start integer, masked_start integer,
                                masked_end integer) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
-- ``content`` stands at code point ``content_start`` of a text; the code
-- points of [masked_start, masked_end) it covers become U+2588, one for one.
RETURN CASE
    WHEN content IS NULL OR content_start IS NULL
        OR greatest(content_start, masked_start)
           >= least(content_start + char_length(content), masked_end)
    THEN content
    ELSE overlay(content PLACING repeat(chr(9608),
                     least(content_start + char_length(content), masked_end)
                     - greatest(content_start, masked_start))
                 FROM greatest(content_start, masked_start) - content_start + 1)
END
"""


def upgrade() -> None:
    op.create_table(
        "redactions",
        sa.Column("table_name", sa.Text(), nullable=False),
        sa.Column("record_id", sa.UUID(), nullable=False),
        sa.Column("fields", postgresql.ARRAY(sa.Text()), nullable=True),
        sa.Column("span_start", sa.Integer(), nullable=True),
        sa.Column("span_end", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("key_id", sa.UUID(), nullable=True),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.CheckConstraint(
            "table_name IN ('actors', 'sources')", name=op.f("ck_redactions_table_name")
        ),
        sa.CheckConstraint(
            "(table_name = 'actors' AND fields IS NOT NULL AND span_start IS NULL"
            " AND span_end IS NULL) OR (table_name = 'sources' AND fields IS NULL"
            " AND span_start >= 0 AND span_end > span_start)",
            name=op.f("ck_redactions_what"),
        ),
        sa.ForeignKeyConstraint(
            ["key_id"], ["api_keys.id"], name=op.f("fk_redactions_key_id_api_keys")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_redactions")),
    )
    op.create_index(
        op.f("ix_redactions_table_name_record_id_id"),
        "redactions",
        ["table_name", "record_id", "id"],
    )
    op.execute(MASKED)
    op.execute(_composed_names())
    op.execute(REFUSE_RELAY_CYCLE)
    op.execute(
        "CREATE TRIGGER attributions_relay_acyclic_update"
        " AFTER UPDATE OF relayed_through_id ON attributions FOR EACH ROW"
        " WHEN (NEW.relayed_through_id IS NOT NULL"
        " AND NEW.relayed_through_id IS DISTINCT FROM OLD.relayed_through_id)"
        " EXECUTE FUNCTION onrecord_refuse_relay_cycle()"
    )
    op.execute(REFUSE_NEW_RELAY_CYCLES)
    op.execute(
        "CREATE TRIGGER attributions_relay_acyclic_insert"
        " AFTER INSERT ON attributions REFERENCING NEW TABLE AS new_rows"
        " FOR EACH STATEMENT EXECUTE FUNCTION onrecord_refuse_new_relay_cycles()"
    )


def downgrade() -> None:
    op.execute("DROP FUNCTION onrecord_masked(text, integer, integer, integer)")
    op.drop_index(op.f("ix_redactions_table_name_record_id_id"), table_name="redactions")
    op.drop_table("redactions")
    op.execute("DROP TRIGGER attributions_relay_acyclic_insert ON attributions")
    op.execute("DROP FUNCTION onrecord_refuse_new_relay_cycles()")
    op.execute("DROP TRIGGER attributions_relay_acyclic_update ON attributions")
    op.execute("DROP FUNCTION onrecord_refuse_relay_cycle()")
