"""Bundles: many records in one JSON document, loaded in one transaction.

A bundle is the unit of the demo data (``app/demo/*.json``) and of bulk
import. Its records use the API's own vocabulary (the fields of the
``*Create`` schemas) with one difference: where the API takes an id, a bundle
takes a *ref*, the local name of another record of the bundle, and the field
loses its ``_id`` suffix (``_ids`` becomes ``s``)::

    {"format": "onrecord-bundle", "version": 1, "id": "libya-haftar",
     "actors": [{"ref": "bloomberg", "kind": "media", "name": "Bloomberg"}],
     "sources": [{"ref": "S1", "kind": "report", "title": "...",
                  "publisher": "bloomberg"}], ...}

``speaker_id`` is ``speaker``, ``author_ids`` is ``authors``,
``cites_source_ids`` is ``cites_sources``, ``time.anchor_event_id`` is
``time.anchor_event``. A reference that is not a ref of the bundle names a
stored row: by UUID (any collection), by Wikidata id (``Q22686``: actors) or
by URL (sources).

Ids are deterministic: ``uuid5(NAMESPACE, "<bundle id>/<ref>")``, or the ref
itself when it is a UUID (an export keeps its ids that way). Loading a bundle
again finds its records already there and skips them: a second load writes
nothing (same ids, same ``updated_at``), and never overwrites what users
changed through the API since. Actors whose ``wikidata_id`` and sources whose
``url`` a stored row already has are matched to that row instead of being
created. (A bundle whose records changed is therefore not re-applied to rows
already loaded; that is a job for an explicit replace, not for an idempotent
load.)

This package parses and checks bundles: ``refs`` (names and ids),
``records`` (the schemas), ``time`` (a record's fuzzy time), ``checks``
(refs and cycles), ``refusals`` (the problem raised), ``summary`` (what a
load did); ``app.bundles.bulk`` writes them.
"""

from app.bundles.format.checks import check_bundle, parse_bundle
from app.bundles.format.records import (
    RECORD_MODELS,
    Bundle,
    BundleActor,
    BundleAttribution,
    BundleClaim,
    BundleClaimRelation,
    BundleEvent,
    BundleEventRelation,
    BundleParticipant,
    BundleRole,
    BundleSource,
    Record,
)
from app.bundles.format.refs import (
    EXTERNAL_HINTS,
    FORMAT,
    KINDS,
    MAX_RECORDS,
    NAMESPACE,
    PLACEHOLDER,
    URL_REF,
    VERSION,
    WIKIDATA_REF,
    External,
    Ref,
    Resolve,
    external_kind,
    is_uuid,
    per_kind,
    record_id,
    resolve_optional,
)
from app.bundles.format.refusals import InvalidBundle, error_message, field_errors, refusal
from app.bundles.format.summary import BundleSummary
from app.bundles.format.time import BundleTime

__all__ = [
    "EXTERNAL_HINTS",
    "FORMAT",
    "KINDS",
    "MAX_RECORDS",
    "NAMESPACE",
    "PLACEHOLDER",
    "RECORD_MODELS",
    "URL_REF",
    "VERSION",
    "WIKIDATA_REF",
    "Bundle",
    "BundleActor",
    "BundleAttribution",
    "BundleClaim",
    "BundleClaimRelation",
    "BundleEvent",
    "BundleEventRelation",
    "BundleParticipant",
    "BundleRole",
    "BundleSource",
    "BundleSummary",
    "BundleTime",
    "External",
    "InvalidBundle",
    "Record",
    "Ref",
    "Resolve",
    "check_bundle",
    "error_message",
    "external_kind",
    "field_errors",
    "is_uuid",
    "parse_bundle",
    "per_kind",
    "record_id",
    "refusal",
    "resolve_optional",
]
