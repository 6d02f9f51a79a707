"""API keys, history of every change, idempotency keys, retracted attributions.

- ``api_keys``: who may write (and read, when reads are not public). Only a
  SHA-256 of the secret is stored; ``prefix`` (in the clear in the token,
  unique) finds the key by index. Revoked keys are kept (``revoked_at``), so
  history can still name them; a name is unique among active keys.
- ``revisions``: one row per created, updated or deleted record of the six
  main tables, with its state before and after (``to_jsonb`` of the row,
  derived columns left out), written by statement-level triggers in the same
  transaction as the change: the API key (``onrecord.key_id``, set by the
  write dependency) and the reason (``onrecord.reason``, set by corrections
  and retractions) come from transaction-local settings. ``txid`` is the
  writing transaction's id: the changes feed hands out only changes of
  transactions older than every running one (``pg_snapshot_xmin``). An
  UPDATE that changes derived columns only (corroboration counts) is not a
  revision. Existing rows get one revision each, dated at their
  ``updated_at``: the state they have had since.
- ``idempotency_keys``: the ``Idempotency-Key`` of a POST, per API key, with
  the request's fingerprint and the response given, until ``expires_at``.
- ``attributions.retracted_at``/``retraction_reason``: a retracted
  attribution is kept but hidden from default lists and chains.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Table -> columns left out of the history documents: derived from others.
TRACKED: dict[str, tuple[str, ...]] = {
    "actors": (),
    "sources": ("search_vector",),
    "events": (),
    "claims": ("search_vector", "independent_origins", "on_record"),
    "attributions": (),
    "claim_relations": (),
}

RECORD_REVISIONS = """
CREATE FUNCTION onrecord_record_revisions() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    v_omitted text[] := coalesce(TG_ARGV, '{}');
    v_key_id uuid := nullif(current_setting('onrecord.key_id', true), '')::uuid;
    v_reason text := nullif(current_setting('onrecord.reason', true), '');
    v_txid bigint := pg_current_xact_id()::text::bigint;
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO revisions (table_name, record_id, action, key_id, reason, txid, after)
        SELECT TG_TABLE_NAME, n.id, 'create', v_key_id, v_reason, v_txid,
               to_jsonb(n) - v_omitted
        FROM new_rows n;
    ELSIF TG_OP = 'UPDATE' THEN
        INSERT INTO revisions (table_name, record_id, action, key_id, reason, txid, before, after)
        SELECT TG_TABLE_NAME, n.id, 'update', v_key_id, v_reason, v_txid,
               to_jsonb(o) - v_omitted, to_jsonb(n) - v_omitted
        FROM new_rows n JOIN old_rows o ON o.id = n.id
        WHERE to_jsonb(o) - v_omitted IS DISTINCT FROM to_jsonb(n) - v_omitted;
    ELSE
        INSERT INTO revisions (table_name, record_id, action, key_id, reason, txid, before)
        SELECT TG_TABLE_NAME, o.id, 'delete', v_key_id, v_reason, v_txid,
               to_jsonb(o) - v_omitted
        FROM old_rows o;
    END IF;
    RETURN NULL;
END
$$
"""

TRANSITIONS = {
    "insert": "REFERENCING NEW TABLE AS new_rows",
    "update": "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
    "delete": "REFERENCING OLD TABLE AS old_rows",
}


def _omitted(table: str) -> str:
    return ", ".join(f"'{column}'" for column in TRACKED[table])


def upgrade() -> None:
    op.create_table(
        "api_keys",
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("prefix", sa.Text(), nullable=False),
        sa.Column("secret_hash", sa.Text(), nullable=False),
        sa.Column("scope", sa.Text(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.CheckConstraint("scope IN ('read', 'write', 'admin')", name=op.f("ck_api_keys_scope")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_keys")),
        sa.UniqueConstraint("prefix", name=op.f("uq_api_keys_prefix")),
    )
    op.create_index(
        "uq_api_keys_active_name",
        "api_keys",
        ["name"],
        unique=True,
        postgresql_where=sa.text("revoked_at IS NULL"),
    )

    op.create_table(
        "revisions",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=True), nullable=False),
        sa.Column("table_name", sa.Text(), nullable=False),
        sa.Column("record_id", sa.UUID(), nullable=False),
        sa.Column("action", sa.Text(), nullable=False),
        sa.Column("key_id", sa.UUID(), nullable=True),
        sa.Column(
            "at",
            sa.DateTime(timezone=True),
            server_default=sa.text("clock_timestamp()"),
            nullable=False,
        ),
        sa.Column("before", postgresql.JSONB(), nullable=True),
        sa.Column("after", postgresql.JSONB(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("txid", sa.BigInteger(), nullable=False),
        sa.CheckConstraint(
            "action IN ('create', 'update', 'delete')", name=op.f("ck_revisions_action")
        ),
        sa.ForeignKeyConstraint(
            ["key_id"], ["api_keys.id"], name=op.f("fk_revisions_key_id_api_keys")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_revisions")),
    )
    op.create_index("ix_revisions_record", "revisions", ["table_name", "record_id", "id"])
    op.create_index("ix_revisions_txid_id", "revisions", ["txid", "id"])

    op.create_table(
        "idempotency_keys",
        sa.Column("key_id", sa.UUID(), nullable=False),
        sa.Column("idempotency_key", sa.Text(), nullable=False),
        sa.Column("fingerprint", sa.Text(), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.SmallInteger(), nullable=True),
        sa.Column("headers", postgresql.JSONB(), nullable=True),
        sa.Column("body", sa.LargeBinary(), nullable=True),
        sa.ForeignKeyConstraint(
            ["key_id"],
            ["api_keys.id"],
            name=op.f("fk_idempotency_keys_key_id_api_keys"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("key_id", "idempotency_key", name=op.f("pk_idempotency_keys")),
    )
    op.create_index("ix_idempotency_keys_expires_at", "idempotency_keys", ["expires_at"])

    op.add_column(
        "attributions", sa.Column("retracted_at", sa.DateTime(timezone=True), nullable=True)
    )
    op.add_column("attributions", sa.Column("retraction_reason", sa.Text(), nullable=True))
    op.create_check_constraint(
        op.f("ck_attributions_retraction_complete"),
        "attributions",
        "(retracted_at IS NULL) = (retraction_reason IS NULL)",
    )

    # Existing rows: the state each has had since its last update.
    for table in TRACKED:
        op.execute(
            f"""
            INSERT INTO revisions (table_name, record_id, action, at, after, reason, txid)
            SELECT '{table}', r.id,
                   CASE WHEN r.created_at = r.updated_at THEN 'create' ELSE 'update' END,
                   r.updated_at, to_jsonb(r) - ARRAY[{_omitted(table)}]::text[],
                   'state when history began (migration 0006)',
                   pg_current_xact_id()::text::bigint
            FROM {table} r ORDER BY r.id
            """
        )

    op.execute(RECORD_REVISIONS)
    for table in TRACKED:
        for event, transition in TRANSITIONS.items():
            op.execute(
                f"CREATE TRIGGER {table}_revisions_{event} AFTER {event.upper()} ON {table} "
                f"{transition} FOR EACH STATEMENT "
                f"EXECUTE FUNCTION onrecord_record_revisions({_omitted(table)})"
            )


def downgrade() -> None:
    for table in TRACKED:
        for event in TRANSITIONS:
            op.execute(f"DROP TRIGGER {table}_revisions_{event} ON {table}")
    op.execute("DROP FUNCTION onrecord_record_revisions()")
    op.drop_constraint(op.f("ck_attributions_retraction_complete"), "attributions", type_="check")
    op.drop_column("attributions", "retraction_reason")
    op.drop_column("attributions", "retracted_at")
    op.drop_index("ix_idempotency_keys_expires_at", table_name="idempotency_keys")
    op.drop_table("idempotency_keys")
    op.drop_index("ix_revisions_txid_id", table_name="revisions")
    op.drop_index("ix_revisions_record", table_name="revisions")
    op.drop_table("revisions")
    op.drop_index("uq_api_keys_active_name", table_name="api_keys")
    op.drop_table("api_keys")
