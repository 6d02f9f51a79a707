"""``BulkLoad``: bundles checked and staged one by one, then written together."""

from collections import ChainMap
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.dialects.postgresql import UUID as PG_UUID
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from app.bundles.bulk.content import OnChanged
from app.bundles.bulk.probe import Probe, ProbeRequest, request_of
from app.bundles.bulk.report import MAX_ERRORS, Loaded, Origin, refused, unlocated
from app.bundles.bulk.resolve import Known, Reference, Resolved, resolve_ids
from app.bundles.bulk.speakers import SpeakerResolutions
from app.bundles.bulk.staging import Staging, bundle_actor_keys, stage_record
from app.bundles.bulk.tables import CHILDREN, COLUMNS, INSERT_ORDER, MODELS
from app.bundles.bulk.validation import check_references, check_spans
from app.bundles.format import (
    KINDS,
    Bundle,
    BundleActor,
    BundleAttribution,
    BundleSummary,
    External,
    InvalidBundle,
    check_bundle,
    parse_bundle,
    per_kind,
)
from app.database_errors import database_problem
from app.errors import FieldError
from app.fuzzytime import FuzzyTime
from app.identity.duplicates import SURNAME_SCORE, TIE_SCORE, learn_names, record_duplicates
from app.identity.keys import StoredName, actor_keys
from app.provenance.corroboration import refresh_corroboration
from app.time_at_write import needs_reading, read_against

Checked = tuple[dict[str, str], list[External]] | InvalidBundle
"""What ``check_bundle`` returns for a bundle, or the refusal it raises."""


def check_ahead(bundle: Bundle) -> tuple[Checked, ProbeRequest | None]:
    """The checks of ``bundle`` that need no database, and what its
    resolution will ask of stored rows (None when it is refused): pure CPU
    work, which an import does while PostgreSQL writes the batch before."""
    try:
        return check_bundle(bundle), request_of(bundle)
    except InvalidBundle as exc:
        return exc, None


FEW_SEEDS = 5_000
SEEDS_FRACTION = 8
"""A load's recount is planned for few rows (index lookups, as a single write
is) up to ``FEW_SEEDS`` attributions, or while the table holds at least
``SEEDS_FRACTION`` times as many: a batch appended to a large database. A
first import, or a batch as large as what is stored, hashes instead."""


class BulkLoad:
    """Bundles staged one by one, written together by ``finish()``."""

    def __init__(
        self,
        session: AsyncSession,
        *,
        after: "BulkLoad | None" = None,
        on_changed: OnChanged = "refuse",
        recount: bool = True,
    ) -> None:
        """``after``: a load of the same import that commits before this one
        writes; what it staged counts as stored (no second publisher).
        ``on_changed``: what to do with a document stored with another text
        (``app.bundles.bulk.content``). ``recount``: refresh the corroboration
        of the claims it touches (False: the caller recounts every claim once,
        after its last load: ``recount_every_claim``)."""
        self.session = session
        self.recount = recount
        self.on_changed: OnChanged = on_changed
        self.staging = Staging(session)
        self.references: dict[tuple[str, UUID], Reference] = {}
        """References by id to rows not staged here, to check at the end: one per row."""
        self.matched: dict[str, int] = per_kind()
        self.bundles: list[BundleSummary] = []
        self.known: Known = after.known.copy() if after else Known()
        self.resolutions = SpeakerResolutions()
        self.duplicates: list[tuple[UUID, UUID, float, str]] = []
        """Pairs of actors for a curator: ties the resolver would not break."""
        self.learned: list[tuple[UUID, str, str | None, str]] = []
        self.learned_keys: list[tuple[str, UUID]] = []
        self.probe = Probe()
        """Stored rows the load's bundles asked about: once per batch (``prefetch``)."""

    async def prefetch(
        self, bundles: Iterable[Bundle], requests: list[ProbeRequest] | None = None
    ) -> None:
        """Ask, in one statement, what resolving these bundles needs of stored
        rows; ``add`` then needs no round trip of its own for them.
        ``requests``: theirs, if the caller made them already (``checked``)."""
        await self.probe.prefetch(self.session, bundles, requests)

    def _remember_actors(self, bundle: Bundle, resolved: Resolved) -> None:
        """The keys of the actors this bundle creates, for later bundles of the
        load; the duplicate candidates its resolver decisions leave."""
        for actor in bundle.actors:
            actor_id = resolved.ids[actor.ref]
            match = resolved.matches.get(actor.ref)
            if actor.ref in resolved.skip:
                if match is not None and match.actor is not None:
                    self._learn(actor_id, actor, match.actor.name)
                continue
            self.known.keys.add(actor_id, actor.kind, actor.name, bundle_actor_keys(actor))
            if match is None:
                continue
            for candidate in match.tied:
                reason = f"tie: “{actor.name}” fits “{candidate.name}” and another; not chosen"
                self.duplicates.append((actor_id, candidate.id, TIE_SCORE, reason))
            for candidate in match.similar:
                reason = f"surname match: “{actor.name}” and “{candidate.name}”"
                self.duplicates.append((actor_id, candidate.id, SURNAME_SCORE, reason))

    def _anchor_days(
        self, bundle: Bundle, ids: dict[str, UUID]
    ) -> ChainMap[UUID, tuple[date | None, str | None]]:
        """The day of each source and event a time of the bundle may be
        relative to: the bundle's own, else the stored one (the probe's; a
        view, not a copy: the probe's grow with the load)."""
        days: ChainMap[UUID, tuple[date | None, str | None]] = ChainMap({}, self.probe.days)
        for source in bundle.sources:
            time = source.published
            one = time.earliest if time.earliest == time.latest else None
            days[ids[source.ref]] = (one, source.language)
        for event in bundle.events:
            one = event.time.earliest if event.time.earliest == event.time.latest else None
            days[ids[event.ref]] = (one, None)
        return days

    def _learn(self, actor_id: UUID, record: BundleActor, stored_name: str) -> None:
        """Aliases the resolver's document made unambiguous ("Trump" for
        Donald Trump), added to the stored actor it matched, for later
        documents that name it by them alone."""
        aliases = [n for n in record.names if n.kind == "alias"]
        if not aliases:
            return
        names = [StoredName(n.name, n.kind) for n in aliases]
        keys = actor_keys(kind=record.kind, scope="global", name=stored_name, names=names)
        learned = {key: via for key, via in keys.items() if via == "alias"}
        self.known.keys.add(actor_id, record.kind, stored_name, learned)
        self.learned += [(actor_id, n.name, n.language, n.kind) for n in aliases]
        self.learned_keys += [(key, actor_id) for key in learned]

    async def add(
        self,
        bundle: Bundle,
        *,
        origin: str = "",
        locate: Callable[[str, int], str] | None = None,
        checked: Checked | None = None,
    ) -> BundleSummary:
        """Check one bundle and stage its records; raises ``InvalidBundle``.

        Error messages start with ``origin`` (a file and line), or with what
        ``locate(collection, index)`` says of the record they concern.
        ``checked``: what ``check_ahead(bundle)`` said of it, if the caller asked
        already (an import does while the batch before is written)."""
        where = Origin(origin, locate)
        try:
            if checked is None:
                checked = check_bundle(bundle)
            if isinstance(checked, InvalidBundle):
                raise checked
            collection, externals = checked
        except InvalidBundle as exc:
            raise refused(where.errors(exc.errors or [])) from None
        resolved = await resolve_ids(
            self.session,
            bundle,
            collection,
            externals,
            known=self.known,
            references=self.references,
            origin=where,
            probe=self.probe,
            on_changed=self.on_changed,
        )
        ids, skip = resolved.ids, resolved.skip

        def resolve(ref: str) -> UUID:
            return ids[ref]

        days = self._anchor_days(bundle, ids)

        def read_time(time: FuzzyTime) -> dict[str, Any]:
            if not needs_reading(time):
                return time.to_columns()
            anchor = time.anchor_source_id or time.anchor_event_id
            day, language = days.get(anchor, (None, None)) if anchor else (None, None)
            return read_against(time, day, language)

        actors = {actor.ref: actor for actor in bundle.actors}
        new_actors = {ids[ref] for ref in actors if ref not in skip}
        self._remember_actors(bundle, resolved)

        counts = per_kind()
        matched = per_kind()
        for kind in KINDS:
            for index, record in enumerate(bundle.records(kind)):
                if record.ref in skip:
                    matched[kind] += 1
                    continue
                counts[kind] += 1
                label = where.record(kind, index, record.ref)
                resolution = None
                if isinstance(record, BundleAttribution):
                    resolution = self.resolutions.columns(
                        record,
                        resolve,
                        matches=resolved.matches,
                        actors=actors,
                        new_actors=new_actors,
                    )
                stage_record(
                    self.staging,
                    record,
                    ids[record.ref],
                    resolve,
                    label,
                    [kind, index],
                    resolution=resolution,
                    read_time=read_time,
                )
        for kind in KINDS:
            self.matched[kind] += matched[kind]
        await self.staging.flush()
        summary = BundleSummary(
            bundle=bundle.id,
            title=bundle.title,
            created=counts,  # staged; finish() corrects for rows already stored
            existing=matched,
            ids=ids,
        )
        self.bundles.append(summary)
        return summary

    async def finish(self) -> Loaded:
        """Write everything staged; raises ``InvalidBundle`` naming each bad record."""
        staging = self.staging
        await staging.flush(everything=True)
        for name in MODELS:
            await staging.create(name)
        await staging.analyze()
        loaded = Loaded(bundles=self.bundles)
        # Records already stored (a re-load): neither they nor their parts are written.
        for kind in KINDS:
            stored = await staging.changed(
                f"DELETE FROM stage_{kind} s USING {kind} t WHERE t.id = s.id"
            )
            loaded.existing[kind] = self.matched[kind] + stored
        for child, (_, parent, column) in CHILDREN.items():
            await staging.execute(
                f"DELETE FROM stage_{child} c WHERE NOT EXISTS"
                f" (SELECT FROM stage_{parent} p WHERE p.id = c.{column})"
            )
        await check_references(staging, list(self.references.values()))
        await check_spans(staging)
        try:
            await self._insert()
        except DBAPIError as exc:
            problem = database_problem(exc)
            if problem is None:
                raise
            raise unlocated(problem) from exc
        for kind in KINDS:
            rows = await staging.fetch(f"SELECT count(*) FROM stage_{kind}")
            loaded.created[kind] = rows[0][0]
        await record_duplicates(self.session, self.duplicates)
        await learn_names(self.session, self.learned, self.learned_keys)
        if self.recount:
            await self._recount(loaded.created["attributions"])
        await staging.empty()
        return loaded

    async def _recount(self, attributions: int) -> None:
        # New attributions have no relayers yet: what they change is their own
        # claims, the claims of the attributions they relay, and same_as groups.
        rows = await self.staging.fetch(
            "SELECT reltuples FROM pg_class WHERE oid = 'attributions'::regclass"
        )
        stored = rows[0][0]  # as of the last ANALYZE; -1 never analyzed
        await refresh_corroboration(
            self.session,
            few_seeds=attributions <= FEW_SEEDS or attributions * SEEDS_FRACTION <= stored,
            seed_claims=text(
                "SELECT claim_id FROM stage_attributions"
                " UNION SELECT r.claim_id FROM attributions r"
                " JOIN stage_attributions s ON r.id = s.relayed_through_id"
                " UNION SELECT from_claim_id FROM stage_claim_relations WHERE kind = 'same_as'"
                " UNION SELECT to_claim_id FROM stage_claim_relations WHERE kind = 'same_as'"
            ).columns(claim_id=PG_UUID(as_uuid=True)),
        )

    async def _insert(self) -> None:
        for name in INSERT_ORDER:
            columns = ", ".join(f'"{c}"' for c in COLUMNS[name])
            if name == "sources":
                await self._insert_anchored()
                continue
            if name == "events":
                continue
            await self.staging.execute(
                f"INSERT INTO {name} ({columns}) SELECT {columns} FROM stage_{name}"
            )

    async def _insert_anchored(self) -> None:
        """Sources and events, whose times may be anchored on each other: in
        passes, each taking the rows whose anchor is already written."""
        pending = {"sources": "time_anchor_event_id", "events": "time_anchor_source_id"}
        other = {"sources": "events", "events": "sources"}
        for _ in range(64):
            progress = 0
            for name, anchor in pending.items():
                columns = ", ".join(f'"{c}"' for c in COLUMNS[name])
                progress += await self.staging.changed(
                    f"INSERT INTO {name} ({columns}) SELECT {columns} FROM stage_{name} s"
                    f" WHERE NOT EXISTS (SELECT FROM {name} t WHERE t.id = s.id)"
                    f" AND (s.{anchor} IS NULL"
                    f" OR EXISTS (SELECT FROM {other[name]} o WHERE o.id = s.{anchor}))"
                )
            if not progress:
                break
        stuck = await self.staging.fetch(
            "SELECT origin, pointer FROM stage_sources s"
            " WHERE NOT EXISTS (SELECT FROM sources t WHERE t.id = s.id)"
            " UNION ALL SELECT origin, pointer FROM stage_events s"
            " WHERE NOT EXISTS (SELECT FROM events t WHERE t.id = s.id)"
            f" LIMIT {MAX_ERRORS + 1}"
        )
        if stuck:
            raise refused(
                [
                    FieldError(
                        pointer=pointer,
                        location="body",
                        detail=f"{origin}: time anchors of sources and events form a cycle",
                    )
                    for origin, pointer in stuck
                ]
            )


async def load_bundles(
    session: AsyncSession,
    bundles: Iterable[Bundle],
    *,
    origin: str = "",
    on_changed: OnChanged = "refuse",
) -> Loaded:
    """Stage and write bundles in the session's transaction (flush, no commit)."""
    load = BulkLoad(session, on_changed=on_changed)
    bundles = list(bundles)
    await load.prefetch(bundles)
    for bundle in bundles:
        await load.add(bundle, origin=origin)
    return await load.finish()


async def load_bundle(
    session: AsyncSession, bundle: dict[str, Any] | Bundle, *, on_changed: OnChanged = "refuse"
) -> BundleSummary:
    """Write one bundle's records that are not there yet; flush, never commit.

    Refusals (a bad field, an unknown ref, a cycle, a span that does not
    match its source text) raise ``InvalidBundle`` listing every error with
    its JSON pointer; the caller's transaction then holds nothing of it."""
    if not isinstance(bundle, Bundle):
        bundle = parse_bundle(bundle)
    loaded = await load_bundles(session, [bundle], on_changed=on_changed)
    summary = loaded.bundles[0]
    return summary.model_copy(update={"created": loaded.created, "existing": loaded.existing})


async def recount_every_claim(session: AsyncSession, *, lock: bool = True) -> None:
    """The corroboration of every claim, in one statement: after loads that
    did not recount (``BulkLoad(recount=False)``). ``lock=False``: the claims
    are a first import's, which no other transaction sees yet."""
    await refresh_corroboration(
        session,
        seed_claims=text("SELECT id FROM claims").columns(id=PG_UUID(as_uuid=True)),
        lock=lock,
    )
