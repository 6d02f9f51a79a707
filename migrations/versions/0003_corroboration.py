"""Corroboration: independent origins and on-the-record flag stored on claims.

``claims.independent_origins`` (distinct origins over the claim's relay
chains) and ``claims.on_record`` (one chain without an anonymous speaker;
NULL when no source records the claim) are derived from the attributions and
kept current by ``app.provenance.corroboration.refresh_corroboration`` after
every write that can change them; this revision fills them for existing rows
with the same definition (see that module).

Indexes:
- ``claims (independent_origins, id)``: ``?min_origins=`` and
  ``?sort=[-]independent_origins`` keyset pages;
- ``claims (on_record, id)``: ``?on_record=`` keyset pages;
- ``attributions (speaker_id, earliest day, id)``: an actor's statements in
  time order, unknown times last (``/v1/actors/{id}/statements``);
- ``attributions (source_id, claim_id)``: the distinct claims of a source
  (``/v1/sources/{id}/claims``, ``/v1/actors/{id}/published-claims``).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Sort key "earliest possible day" of a fuzzy time: unknown (NULL) last, no
# lower bound first. A function so the index expression reads (and is
# reflected) as one call.
EARLIEST_DAY_FUNCTION = """
CREATE FUNCTION onrecord_earliest_day(daterange) RETURNS date
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN coalesce(lower($1), CASE WHEN $1 IS NULL THEN 'infinity'::date ELSE '-infinity'::date END)
"""

# Same definitions as app/provenance/corroboration.py, for every claim at once.
BACKFILL = """
WITH RECURSIVE
same_as_group(root, claim_id) AS (
    SELECT id, id FROM claims
    UNION
    SELECT g.root,
           CASE WHEN r.from_claim_id = g.claim_id THEN r.to_claim_id ELSE r.from_claim_id END
    FROM same_as_group g
    JOIN claim_relations r
      ON r.kind = 'same_as' AND (r.from_claim_id = g.claim_id OR r.to_claim_id = g.claim_id)
),
walk(start_id, attribution_id, depth, next_id) AS (
    SELECT a.id, a.id, 0, a.relayed_through_id
    FROM attributions a
    WHERE NOT EXISTS (
        SELECT 1 FROM attributions b
        WHERE b.relayed_through_id = a.id AND b.source_id = a.source_id
    )
    UNION ALL
    SELECT w.start_id, a.id, w.depth + 1, a.relayed_through_id
    FROM walk w JOIN attributions a ON a.id = w.next_id
    WHERE w.depth < 50
),
chain AS (
    SELECT w.start_id,
           bool_and(coalesce(s.kind <> 'anonymous', true)) AS on_record,
           (array_agg(w.attribution_id ORDER BY w.depth DESC))[1] AS origin_id
    FROM walk w
    JOIN attributions h ON h.id = w.attribution_id
    LEFT JOIN actors s ON s.id = h.speaker_id
    GROUP BY w.start_id
),
per_root AS (
    SELECT g.root,
           count(DISTINCT coalesce(o.speaker_id, o.source_id)) AS origins,
           bool_or(c.on_record) AS on_record
    FROM same_as_group g
    JOIN attributions st ON st.claim_id = g.claim_id
    JOIN chain c ON c.start_id = st.id
    JOIN attributions o ON o.id = c.origin_id
    GROUP BY g.root
)
UPDATE claims
SET independent_origins = per_root.origins, on_record = per_root.on_record
FROM per_root
WHERE claims.id = per_root.root
"""


def upgrade() -> None:
    op.add_column(
        "claims",
        sa.Column("independent_origins", sa.Integer(), server_default="0", nullable=False),
    )
    op.add_column("claims", sa.Column("on_record", sa.Boolean(), nullable=True))
    op.execute(BACKFILL)
    op.execute(EARLIEST_DAY_FUNCTION)
    op.create_index(
        op.f("ix_claims_independent_origins_id"),
        "claims",
        ["independent_origins", "id"],
        unique=False,
    )
    op.create_index(op.f("ix_claims_on_record_id"), "claims", ["on_record", "id"], unique=False)
    op.create_index(
        "ix_attributions_speaker_id_earliest_day",
        "attributions",
        ["speaker_id", sa.text("onrecord_earliest_day(time_range)"), "id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_attributions_source_id_claim_id"),
        "attributions",
        ["source_id", "claim_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_attributions_source_id_claim_id"), table_name="attributions")
    op.drop_index("ix_attributions_speaker_id_earliest_day", table_name="attributions")
    op.execute("DROP FUNCTION onrecord_earliest_day(daterange)")
    op.drop_index(op.f("ix_claims_on_record_id"), table_name="claims")
    op.drop_index(op.f("ix_claims_independent_origins_id"), table_name="claims")
    op.drop_column("claims", "on_record")
    op.drop_column("claims", "independent_origins")
