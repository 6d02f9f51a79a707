"""A single write's corroboration recount in one round trip.

Recounting ``claims.independent_origins`` and ``claims.on_record`` after a
single write (``app.provenance.corroboration``) is two statements (lock the
claims it reaches, then recount them in a new snapshot, which sees what the
writers it waited for committed), planned for few rows (hash and merge joins
and sequential scans off, put back afterwards). From the application that was
four round trips per write: 2 of the 7 statements of ``POST
/v1/attributions``, and about 1 ms of its database time.

``onrecord_recount_few`` runs the two statements the application compiles
(their SQL is built in one place, ``corroboration.py``, and passed in; ``$1``,
``$2`` and ``$3`` are the claim, attribution and speaker ids), with the
planner settings set for the function's duration only (``SET`` clauses: put
back when it returns, or by the error that ends it). Each ``EXECUTE`` in a
volatile function takes a new snapshot under READ COMMITTED, as a statement of
its own would. Invoker's rights: it can do nothing its caller could not.

Revision ID: 0015_recount_few
Revises: 0014_event_derived_times
Create Date: 2026-12-07
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0015_recount_few"
down_revision: str | None = "0014_event_derived_times"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute(
        """
        CREATE FUNCTION onrecord_recount_few(
            lock_sql text, recount_sql text,
            claim_ids uuid[], attribution_ids uuid[], speaker_ids uuid[]
        ) RETURNS void
        LANGUAGE plpgsql VOLATILE
        SET enable_hashjoin = off
        SET enable_mergejoin = off
        SET enable_seqscan = off
        AS $$
        DECLARE
            locked uuid[] := '{}';
            claim_id uuid;
        BEGIN
            -- lock_sql: the claims to recount, locked in id order
            FOR claim_id IN EXECUTE lock_sql USING claim_ids, attribution_ids, speaker_ids LOOP
                locked := locked || claim_id;
            END LOOP;
            -- recount_sql: recount exactly those (a new snapshot)
            EXECUTE recount_sql USING locked, '{}'::uuid[], '{}'::uuid[];
        END
        $$
        """
    )


def downgrade() -> None:
    op.execute("DROP FUNCTION onrecord_recount_few(text, text, uuid[], uuid[], uuid[])")
