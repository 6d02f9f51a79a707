"""What the bundles of a load need to know of stored rows, asked in one
statement for many bundles: actors by Wikidata id, sources by URL, the text
of sources by id and by content, actors by resolver key, and merged actors'
survivors. A round trip per bundle was most of an import's time (1.5 to
2 ms each, several per bundle); the load asks once per batch of bundles."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from app.bundles.format import Bundle, BundleTime, external_kind, is_uuid, record_id
from app.bundles.format.refs import stored_id
from app.identity.matching import Candidate, Wanted


@dataclass
class ProbeRequest:
    wikidata: set[str] = field(default_factory=set)
    urls: set[str] = field(default_factory=set)
    source_ids: set[UUID] = field(default_factory=set)
    hashes: set[str] = field(default_factory=set)
    keys: set[str] = field(default_factory=set)
    actor_ids: set[UUID] = field(default_factory=set)
    anchors: set[UUID] = field(default_factory=set)
    """Stored sources and events a time is relative to, to read it against their day."""

    def __bool__(self) -> bool:
        return any(
            (
                self.wikidata,
                self.urls,
                self.source_ids,
                self.hashes,
                self.keys,
                self.actor_ids,
                self.anchors,
            )
        )

    def minus(self, asked: "ProbeRequest") -> "ProbeRequest":
        return ProbeRequest(
            self.wikidata - asked.wikidata,
            self.urls - asked.urls,
            self.source_ids - asked.source_ids,
            self.hashes - asked.hashes,
            self.keys - asked.keys,
            self.actor_ids - asked.actor_ids,
            self.anchors - asked.anchors,
        )

    def add(self, other: "ProbeRequest") -> None:
        self.wikidata |= other.wikidata
        self.urls |= other.urls
        self.source_ids |= other.source_ids
        self.hashes |= other.hashes
        self.keys |= other.keys
        self.actor_ids |= other.actor_ids
        self.anchors |= other.anchors


def text_hash(value: str) -> str:
    """PostgreSQL's ``md5(full_text)``: the key a re-imported text is found by."""
    import hashlib

    return hashlib.md5(value.encode("utf-8"), usedforsecurity=False).hexdigest()


def unread_times(bundle: Bundle) -> list[BundleTime]:
    """Times with an expression and an anchor but no days: read when written."""
    times = [
        *(s.published for s in bundle.sources),
        *(e.time for e in bundle.events),
        *(a.time for a in bundle.attributions),
    ]
    return [
        t
        for t in times
        if t.expression
        and t.offset_days is None
        and t.earliest is None
        and t.latest is None
        and (t.anchor_source or t.anchor_event)
    ]


def wanted_actors(bundle: Bundle) -> dict[str, Wanted]:
    """The bundle's actors the resolver looks up: global ones not named by an
    explicit id (a UUID ref, a Wikidata id), which bypass it."""
    return {
        actor.ref: Wanted(actor.kind, actor.name)
        for actor in bundle.actors
        if not is_uuid(actor.ref) and not actor.wikidata_id and actor.effective_scope == "global"
    }


def request_of(bundle: Bundle) -> ProbeRequest:
    """What resolving ``bundle`` may need to know of stored rows."""
    request = ProbeRequest()
    refs = {record.ref for kind in ("actors", "sources") for record in bundle.records(kind)}
    for actor in bundle.actors:
        if actor.wikidata_id:
            request.wikidata.add(actor.wikidata_id)
        request.actor_ids.add(record_id(bundle.id, actor.ref))
    for source in bundle.sources:
        if source.url:
            request.urls.add(source.url)
        if source.full_text is not None:
            request.source_ids.add(record_id(bundle.id, source.ref))
            request.hashes.add(text_hash(source.full_text))
    for kind in ("actors", "sources", "events", "claims", "attributions", "claim_relations"):
        for record in bundle.records(kind):
            for _, target, ref in record.references():
                if ref in refs:
                    continue
                how = external_kind(ref, target)
                if how == "wikidata_id":
                    request.wikidata.add(ref)
                elif how == "url":
                    request.urls.add(ref)
                elif how == "id" and target == "actors":
                    request.actor_ids.add(stored_id(ref))
    for time in unread_times(bundle):
        anchor = time.anchor_source or time.anchor_event
        if anchor is not None and anchor not in refs and is_uuid(anchor):
            request.anchors.add(UUID(anchor))
    for wanted in wanted_actors(bundle).values():
        request.keys.update(wanted.lookup_keys())
        request.keys.update(wanted.suggestion_keys())
    return request


@dataclass
class Probe:
    """Stored rows, as asked so far in a load (``asked``)."""

    asked: ProbeRequest = field(default_factory=ProbeRequest)
    wikidata: dict[str, UUID] = field(default_factory=dict)
    urls: dict[str, UUID] = field(default_factory=dict)
    text_of: dict[UUID, str | None] = field(default_factory=dict)
    """Source id → md5 of its stored text (the ids asked that are stored)."""
    by_hash: dict[str, UUID] = field(default_factory=dict)
    candidates: dict[str, list[Candidate]] = field(default_factory=dict)
    survivors: dict[UUID, UUID] = field(default_factory=dict)
    """Merged actor → the actor it was merged into."""
    days: dict[UUID, tuple[date | None, str | None]] = field(default_factory=dict)
    """A stored source's or event's day (when it is one day) and language."""

    prefetched: dict[int, Bundle] = field(default_factory=dict)
    """Bundles (by ``id()``, held so that it is not reused) whose requests were
    ensured by ``prefetch``: ``ensure_for`` need not compute them again."""

    async def prefetch(self, session: AsyncSession, bundles: Iterable[Bundle]) -> None:
        bundles = list(bundles)
        await self.ensure(session, [request_of(bundle) for bundle in bundles])
        self.prefetched.update((id(bundle), bundle) for bundle in bundles)

    async def ensure_for(self, session: AsyncSession, bundle: Bundle) -> None:
        """What ``bundle`` needs, asked unless a prefetch asked it already."""
        if self.prefetched.pop(id(bundle), None) is not bundle:
            await self.ensure(session, [request_of(bundle)])

    async def ensure(self, session: AsyncSession, requests: Iterable[ProbeRequest]) -> None:
        """Ask, in one statement, what ``requests`` need and was not asked yet."""
        wanted = ProbeRequest()
        for request in requests:
            wanted.add(request.minus(self.asked))
        if not wanted:
            return
        rows = await session.execute(
            _PROBE,
            {
                "wikidata": sorted(wanted.wikidata),
                "urls": sorted(wanted.urls),
                "source_ids": [str(i) for i in wanted.source_ids],
                "hashes": sorted(wanted.hashes),
                "keys": sorted(wanted.keys),
                "actor_ids": [str(i) for i in wanted.actor_ids],
                "anchors": [str(i) for i in wanted.anchors],
            },
        )
        for what, key, row_id, kind, name, via in rows:
            if what == "wikidata":
                self.wikidata.setdefault(key, row_id)
            elif what == "url":
                self.urls.setdefault(key, row_id)
            elif what == "text":
                self.text_of[row_id] = key
            elif what == "hash":
                self.by_hash.setdefault(key, row_id)
            elif what == "key":
                self.candidates.setdefault(key, []).append(Candidate(row_id, kind, name, via))
            elif what == "merged":
                self.survivors[UUID(key)] = row_id
            elif what == "day":
                one_day = key is not None and kind == "1"
                self.days[row_id] = (date.fromisoformat(key) if one_day else None, name)
        self.asked.add(wanted)


_PROBE = text(
    """
    SELECT 'wikidata' AS what, wikidata_id AS key, id, NULL AS kind, NULL AS name, NULL AS via
    FROM actors WHERE wikidata_id = ANY(CAST(:wikidata AS text[]))
    UNION ALL
    SELECT 'url', url, id, NULL, NULL, NULL
    FROM sources WHERE url = ANY(CAST(:urls AS text[]))
    UNION ALL
    SELECT 'text', md5(full_text), id, NULL, NULL, NULL
    FROM sources WHERE id = ANY(CAST(:source_ids AS uuid[]))
    UNION ALL
    SELECT 'hash', md5(full_text), id, NULL, NULL, NULL
    FROM sources
    WHERE full_text IS NOT NULL AND md5(full_text) = ANY(CAST(:hashes AS text[]))
    UNION ALL
    SELECT 'key', k.key, a.id, a.kind, a.name, k.via
    FROM actor_keys k JOIN actors a ON a.id = k.actor_id AND a.status = 'active'
    WHERE k.key = ANY(CAST(:keys AS text[]))
    UNION ALL
    SELECT 'merged', id::text, merged_into_id, NULL, NULL, NULL
    FROM actors
    WHERE id = ANY(CAST(:actor_ids AS uuid[])) AND merged_into_id IS NOT NULL
    UNION ALL
    SELECT 'day', lower(time_range)::text, id, (upper(time_range) - lower(time_range))::text,
           language, NULL
    FROM sources WHERE id = ANY(CAST(:anchors AS uuid[]))
    UNION ALL
    SELECT 'day', lower(time_range)::text, id, (upper(time_range) - lower(time_range))::text,
           NULL, NULL
    FROM events WHERE id = ANY(CAST(:anchors AS uuid[]))
    ORDER BY 1, 2, 3
    """
)
