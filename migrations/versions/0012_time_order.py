"""Time order: attributions listed by when they were said, either way.

``GET /v1/attributions`` and ``GET /v1/actors/{id}/statements`` take
``?sort=time`` / ``?sort=-time`` (by the earliest possible day, unknown times
last either way) and ``?sort=created`` / ``-created``. Keyset pages walk an
index in that order instead of sorting every match:

- ``onrecord_earliest_day_desc(daterange)``: the descending key. Unknown
  times must come last latest first too, so they cannot keep
  ``onrecord_earliest_day``'s ``infinity``: here they are ``-infinity``, and
  a time with no lower bound (``infinity``'s ``-infinity`` there) is a day
  below every day a time can be given (4000 BC). Immutable: indexable.
- ``ix_attributions_earliest_day`` and ``ix_attributions_earliest_day_desc``:
  ``(key, id)``, the whole list in either order (an index scanned
  backwards serves the descending order of its key).
- ``ix_attributions_speaker_id_earliest_day_desc``: an actor's statements,
  latest first (``ix_attributions_speaker_id_earliest_day``, migration 0003,
  serves the ascending order).

Revision ID: 0012_time_order
Revises: 0011_search
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012_time_order"
down_revision: str | None = "0011_search"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

EARLIEST_DAY_DESC_FUNCTION = """
CREATE FUNCTION onrecord_earliest_day_desc(daterange) RETURNS date
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE WHEN $1 IS NULL THEN '-infinity'::date
            ELSE coalesce(lower($1), '4000-01-01 BC'::date) END
"""


def upgrade() -> None:
    op.execute(EARLIEST_DAY_DESC_FUNCTION)
    op.create_index(
        "ix_attributions_earliest_day",
        "attributions",
        [sa.text("onrecord_earliest_day(time_range)"), "id"],
        unique=False,
    )
    op.create_index(
        "ix_attributions_earliest_day_desc",
        "attributions",
        [sa.text("onrecord_earliest_day_desc(time_range)"), "id"],
        unique=False,
    )
    op.create_index(
        "ix_attributions_speaker_id_earliest_day_desc",
        "attributions",
        ["speaker_id", sa.text("onrecord_earliest_day_desc(time_range)"), "id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_attributions_speaker_id_earliest_day_desc", table_name="attributions")
    op.drop_index("ix_attributions_earliest_day_desc", table_name="attributions")
    op.drop_index("ix_attributions_earliest_day", table_name="attributions")
    op.execute("DROP FUNCTION onrecord_earliest_day_desc(daterange)")
