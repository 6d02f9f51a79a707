"""Re-entry by content: the same document imported again under another
bundle id (or another brat folder name) creates nothing new.

A bundle's source is a stored one when a stored source has its URL or
exactly its text. The bundle's records about that source are then matched to
the stored ones by what they say, not by their refs:

- a document-scope actor (an anonymous source, an unresolved pronoun): the
  stored one of that kind and name speaking in that source;
- a claim: the stored claim of an attribution in that source with the same
  content span;
- an attribution: the stored one in that source with the same claim, speaker,
  spans and note (the importer's note tells annotators apart; twins beyond
  that match in order).

A source whose URL (or whose fixed id: the same bundle again) is stored with
another text has *changed*: never skipped in silence. The load refuses it,
naming it, or (``on_changed="update"``) replaces the stored text, when every
stored span still anchors in the new one.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import Query
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from app.bundles.bulk.probe import Probe, text_hash
from app.bundles.bulk.report import Origin, refused
from app.bundles.format import Bundle, BundleAttribution, BundleSource, record_id
from app.errors import FieldError
from app.identity.names import mention_key

OnChanged = Literal["refuse", "update"]
OnChangedQuery = Annotated[
    OnChanged,
    Query(
        description="A document stored with another text (same URL, or the same bundle "
        "again): `refuse` it (422 naming it) or `update` the stored text, when every stored "
        "span still anchors in the new one."
    ),
]
Signature = tuple[tuple[str, int, int], ...]

_STORED = text(
    """
    SELECT a.id, a.source_id, a.claim_id, a.speaker_id, x.scope, x.kind, x.name,
           a.span_start, a.span_end, a.note,
           coalesce(array_agg(p.role || ':' || p.start || ':' || p."end"
                              ORDER BY p.role, p.ordinal) FILTER (WHERE p.role IS NOT NULL),
                    '{}') AS spans
    FROM attributions a
    LEFT JOIN actors x ON x.id = a.speaker_id
    LEFT JOIN attribution_spans p ON p.attribution_id = a.id
    WHERE a.source_id = ANY(CAST(:sources AS uuid[]))
    GROUP BY a.id, x.scope, x.kind, x.name
    ORDER BY a.id
    """
)
_BY_TEXT = text(
    "SELECT md5(full_text) AS hash, id FROM sources"
    " WHERE full_text IS NOT NULL AND md5(full_text) = ANY(CAST(:hashes AS text[]))"
    " ORDER BY id"
)
_TEXTS = text("SELECT id, md5(full_text) AS hash FROM sources WHERE id = ANY(CAST(:ids AS uuid[]))")


def _signature(record: BundleAttribution, *, roles: frozenset[str] | None = None) -> Signature:
    spans: list[tuple[str, int, int]] = [
        (s.role, s.start, s.end) for s in record.spans if roles is None or s.role in roles
    ]
    if record.span is not None and (roles is None or "content" in roles):
        spans.append(("span", record.span.start, record.span.end))
    return tuple(sorted(spans))


@dataclass
class _Stored:
    id: UUID
    claim_id: UUID
    speaker_id: UUID | None
    scope: str | None
    kind: str | None
    name: str | None
    spans: Signature
    note: str | None

    def content(self) -> Signature:
        return tuple(s for s in self.spans if s[0] in {"content", "span"})


def _stored_signature(row: Any) -> Signature:
    spans = [
        (role, int(start), int(end)) for role, start, end in (part.split(":") for part in row.spans)
    ]
    if row.span_start is not None:
        spans.append(("span", row.span_start, row.span_end))
    return tuple(sorted(spans))


async def match_sources(
    session: AsyncSession,
    bundle: Bundle,
    ids: dict[str, UUID],
    skip: set[str],
    *,
    probe: Probe,
    on_changed: OnChanged,
    origin: Origin,
) -> list[str]:
    """Sources already stored with the same text (the refs are then stored
    rows), and sources that changed (refused, or their text updated). The
    refs of the sources matched, by text or before by URL."""
    texts = [s for s in bundle.sources if s.full_text is not None]
    hashes = {s.ref: text_hash(s.full_text) for s in texts if s.full_text is not None}
    changed = [
        s
        for s in texts
        if ids[s.ref] in probe.text_of and probe.text_of[ids[s.ref]] != hashes[s.ref]
    ]
    if changed:
        await _changed(session, bundle, changed, ids, on_changed=on_changed, origin=origin)
    for source in texts:
        stored = probe.by_hash.get(hashes[source.ref])
        if source.ref not in skip and stored is not None:
            ids[source.ref] = stored
            skip.add(source.ref)
    return [s.ref for s in bundle.sources if s.ref in skip]


async def _changed(
    session: AsyncSession,
    bundle: Bundle,
    changed: Sequence[BundleSource],
    ids: dict[str, UUID],
    *,
    on_changed: OnChanged,
    origin: Origin,
) -> None:
    if on_changed == "refuse":
        index = {s.ref: i for i, s in enumerate(bundle.sources)}
        raise refused(
            origin.errors(
                FieldError(
                    pointer=f"/sources/{index[s.ref]}/full_text",
                    location="body",
                    detail=f"sources[{index[s.ref]}] ({s.ref}): source {ids[s.ref]} is stored "
                    "with another text: the document changed (import it with on_changed="
                    "update to replace the stored text)",
                )
                for s in changed
            )
        )
    from app.sources.schemas import SourceUpdate
    from app.sources.service import update_source

    for source in changed:
        await update_source(
            session,
            source_id=ids[source.ref],
            data=SourceUpdate(full_text=source.full_text, title=source.title),
        )


async def match_records(
    session: AsyncSession,
    bundle: Bundle,
    ids: dict[str, UUID],
    skip: set[str],
    sources: Sequence[str],
) -> int:
    """Document actors, claims and attributions of the matched ``sources``
    that are already stored; their refs get the stored ids and are skipped.
    Returns how many records matched."""
    if not sources:
        return 0
    source_ids = {ids[ref] for ref in sources}
    rows = await session.execute(_STORED, {"sources": [str(i) for i in source_ids]})
    stored: dict[UUID, list[_Stored]] = defaultdict(list)
    for row in rows:
        stored[row.source_id].append(
            _Stored(
                row.id,
                row.claim_id,
                row.speaker_id,
                row.scope,
                row.kind,
                row.name,
                _stored_signature(row),
                row.note,
            )
        )
    mine = [a for a in bundle.attributions if a.source in sources and a.ref not in skip]
    before = len(skip)
    actors = {actor.ref: actor for actor in bundle.actors}
    # Document actors: the stored one of that kind and name speaking in the source.
    for attribution in mine:
        speaker = attribution.speaker_ref
        actor = actors.get(speaker) if speaker is not None else None
        if actor is None or actor.ref in skip or actor.effective_scope != "document":
            continue
        for known in stored[ids[attribution.source]]:
            if (
                known.scope == "document"
                and known.kind == actor.kind
                and mention_key(known.name or "") == mention_key(actor.name)
                and known.speaker_id is not None
            ):
                ids[actor.ref] = known.speaker_id
                skip.add(actor.ref)
                break
    # Claims: through an attribution with the same content span in the source.
    for attribution in mine:
        if attribution.claim in skip or attribution.claim not in ids:
            continue  # matched already, or a stored claim named by its id
        content = _signature(attribution, roles=frozenset({"content"}))
        if not content:
            continue
        for known in stored[ids[attribution.source]]:
            if known.content() == content:
                ids[attribution.claim] = known.claim_id
                skip.add(attribution.claim)
                break
    # Attributions: same claim, speaker and spans; the nth twin matches the
    # nth, after those already stored under their own id (the same bundle again).
    taken = {
        known.id for records in stored.values() for known in records if known.id in ids.values()
    }
    for attribution in mine:
        if ids[attribution.ref] in taken:
            skip.add(attribution.ref)
            continue
        speaker = attribution.speaker_ref
        # A claim or speaker named by its stored id is not a record of the bundle.
        key = (
            ids.get(attribution.claim) or record_id(bundle.id, attribution.claim),
            (ids.get(speaker) or record_id(bundle.id, speaker)) if speaker is not None else None,
            _signature(attribution),
            attribution.note,  # one per annotator: brat's note names the annotation file
        )
        for known in stored[ids[attribution.source]]:
            if known.id in taken:
                continue
            if (known.claim_id, known.speaker_id, known.spans, known.note) == key:
                ids[attribution.ref] = known.id
                skip.add(attribution.ref)
                taken.add(known.id)
                break
    return len(skip) - before
