"""Set-based loading of bundles: COPY into staging tables, then a few INSERTs.

Every way records come in through bundles (``POST /v1/bundles``, ``onrecord
import``, the demo, the brat importer) goes through ``BulkLoad`` (``load``):

1. Each bundle is checked in Python (``app.bundles.format``): fields, refs,
   cycles. Its refs become ids (``resolve``): ``record_id(bundle, ref)`` for
   local refs; Wikidata ids and URLs are looked up (one query per bundle that
   has any). Actors whose ``wikidata_id``, and sources whose ``url``, is
   already stored are matched, not created again: that is the natural key of
   a record written elsewhere.
2. Rows are buffered per table and sent with binary COPY into temporary
   ``stage_*`` tables (``staging``, ``ON COMMIT DROP``), a few thousand at a
   time, so memory does not grow with the input.
3. ``finish()`` runs set-based SQL: drop staged records already stored (an
   idempotent re-load writes nothing), check spans against the sources'
   texts and references against stored and staged rows (``validation``; each
   failure names its record, ``report``), insert table by table in dependency
   order (``tables``), and recount the corroboration of the claims touched,
   in one statement.

Nothing commits here: the caller owns the transaction, so a failure leaves
nothing of the batch behind.
"""

from app.bundles.bulk.content import OnChanged, OnChangedQuery
from app.bundles.bulk.load import BulkLoad, load_bundle, load_bundles
from app.bundles.bulk.report import MAX_ERRORS, Loaded
from app.bundles.bulk.resolve import Reference
from app.bundles.bulk.staging import FLUSH_ROWS, RANGE_AT
from app.bundles.bulk.tables import (
    CHILDREN,
    COLUMNS,
    ENTITIES,
    INSERT_ORDER,
    MODELS,
    SERVER_COLUMNS,
    table_of,
)

__all__ = [
    "CHILDREN",
    "COLUMNS",
    "ENTITIES",
    "FLUSH_ROWS",
    "INSERT_ORDER",
    "MAX_ERRORS",
    "MODELS",
    "RANGE_AT",
    "SERVER_COLUMNS",
    "BulkLoad",
    "Loaded",
    "OnChanged",
    "OnChangedQuery",
    "Reference",
    "load_bundle",
    "load_bundles",
    "table_of",
]
