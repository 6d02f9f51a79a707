"""A bundle's refs as ids: its own records', natural keys already stored, stored rows'."""

from dataclasses import dataclass, field
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from app.bundles.bulk.content import OnChanged, match_records, match_sources
from app.bundles.bulk.probe import Probe, wanted_actors
from app.bundles.bulk.report import Origin, refused
from app.bundles.format import KINDS, Bundle, External, external_kind, is_uuid, record_id
from app.bundles.format.refs import stored_id
from app.errors import FieldError
from app.identity.matching import Candidate, Match, StagedKeys, decide


@dataclass
class Reference:
    """A link to a row that is no record of its bundle: checked in SQL at the end."""

    where: str  # "file:3: attributions[0] (first): speaker", for the error message
    pointer: str
    target: str
    id: UUID


@dataclass
class Known:
    """Records staged by the earlier bundles of a load (and of the loads it
    follows), which later bundles name without staging them again."""

    # Records named by a UUID ref (many bundles may carry one): staged once.
    shared_ids: set[UUID] = field(default_factory=set)
    by_wikidata: dict[str, UUID] = field(default_factory=dict)
    by_url: dict[str, UUID] = field(default_factory=dict)
    keys: StagedKeys = field(default_factory=StagedKeys)
    """The keys of the actors staged so far: later bundles' speakers find them."""

    def copy(self) -> "Known":
        keys = StagedKeys({key: list(found) for key, found in self.keys.by_key.items()})
        return Known(set(self.shared_ids), dict(self.by_wikidata), dict(self.by_url), keys)


@dataclass
class Resolved:
    """A bundle's refs as ids, what not to stage, and how its global actors were resolved."""

    ids: dict[str, UUID]
    skip: set[str]
    """Refs of records already stored or staged."""
    matches: dict[str, Match]
    """Actor ref → what the resolver decided, for each global actor it resolved."""


async def resolve_ids(
    session: AsyncSession,
    bundle: Bundle,
    collection: dict[str, str],
    externals: list[External],
    *,
    known: Known,
    references: dict[tuple[str, UUID], Reference],
    origin: Origin,
    probe: Probe,
    on_changed: OnChanged = "refuse",
) -> Resolved:
    """Every ref of the bundle → its id, and the refs of records not to stage
    (already stored or staged); raises ``InvalidBundle`` for a natural key no
    stored row has. References by id are added to ``references`` to be checked
    at the end, and what the bundle stages to ``known``, as the caller's load
    goes on after a refused bundle with what was added before the refusal."""
    # Natural keys: a Wikidata id or URL already stored (or staged by an
    # earlier bundle of this load) is that row, whatever the bundle's ref.
    wikidata = {a.wikidata_id for a in bundle.actors if a.wikidata_id} | {
        ref for _, _, target, ref in externals if external_kind(ref, target) == "wikidata_id"
    }
    urls = {s.url for s in bundle.sources if s.url} | {
        ref for _, _, target, ref in externals if external_kind(ref, target) == "url"
    }
    await probe.ensure_for(session, bundle)
    # Only the bundle's own keys: the load's grow with every bundle (copying
    # them all made an import quadratic: 1.4 s of CPU at 20k claims).
    known_wikidata = _found(wikidata, probe.wikidata, known.by_wikidata)
    known_urls = _found(urls, probe.urls, known.by_url)

    ids = {ref: record_id(bundle.id, ref) for ref in collection}
    skip: set[str] = set()  # refs of records already stored or staged
    for actor in bundle.actors:
        if actor.wikidata_id and actor.wikidata_id in known_wikidata:
            ids[actor.ref] = known_wikidata[actor.wikidata_id]
            skip.add(actor.ref)
    for source in bundle.sources:
        if source.url and source.url in known_urls:
            ids[source.ref] = known_urls[source.url]
            skip.add(source.ref)
    # The same document again (by its text, or its URL above): its records
    # are matched by what they say, after its speakers are resolved.
    stored_sources = await match_sources(
        session, bundle, ids, skip, probe=probe, on_changed=on_changed, origin=origin
    )
    matches = _resolve_speakers(bundle, ids, skip, known, probe)
    await match_records(session, bundle, ids, skip, stored_sources)
    for kind in KINDS:
        for record in bundle.records(kind):
            if is_uuid(record.ref) and record.ref not in skip:
                if ids[record.ref] in known.shared_ids:
                    skip.add(record.ref)
                known.shared_ids.add(ids[record.ref])

    errors: list[FieldError] = []
    for pointer, where, target, ref in externals:
        how = external_kind(ref, target)
        if how == "id":
            row_id = ids[ref] = stored_id(ref)
            if (target, row_id) not in references:  # a missing row is named where first met
                label = origin.detail(pointer, where)
                references[target, row_id] = Reference(label, pointer, target, row_id)
        elif how == "wikidata_id" and ref in known_wikidata:
            ids[ref] = known_wikidata[ref]
        elif how == "url" and ref in known_urls:
            ids[ref] = known_urls[ref]
        else:
            errors.append(
                FieldError(
                    pointer=pointer,
                    location="body",
                    detail=f"{where}: no stored {target[:-1].replace('_', ' ')} has "
                    f"{'Wikidata id' if how == 'wikidata_id' else 'URL'} {ref!r}",
                )
            )
    if errors:
        raise refused(origin.errors(errors))

    for actor in bundle.actors:
        if actor.wikidata_id and actor.ref not in skip:
            known.by_wikidata[actor.wikidata_id] = ids[actor.ref]
    for source in bundle.sources:
        if source.url and source.ref not in skip:
            known.by_url[source.url] = ids[source.ref]
    for ref, value in ids.items():  # a ref naming a merged actor means its survivor
        if value in probe.survivors:
            ids[ref] = probe.survivors[value]
    return Resolved(ids, skip, matches)


def _found(keys: set[str], stored: dict[str, UUID], staged: dict[str, UUID]) -> dict[str, UUID]:
    """Of ``keys``, those stored or staged, and their ids (staged first)."""
    found = {key: stored[key] for key in keys if key in stored}
    found.update((key, staged[key]) for key in keys if key in staged)
    return found


def _resolve_speakers(
    bundle: Bundle, ids: dict[str, UUID], skip: set[str], known: Known, probe: Probe
) -> dict[str, Match]:
    """The bundle's global actors through the resolver (app.identity), from
    the candidates the probe found by key and those staged earlier in the load."""
    wanted = {ref: w for ref, w in wanted_actors(bundle).items() if ref not in skip}
    found: dict[str, list[Candidate]] = {}
    for entity in wanted.values():
        for key in (*entity.lookup_keys(), *entity.suggestion_keys()):
            candidates = list(probe.candidates.get(key, []))
            for staged in known.keys.by_key.get(key, []):
                if all(c.id != staged.id for c in candidates):
                    candidates.append(staged)
            found[key] = candidates
    matches: dict[str, Match] = {}
    created: dict[str, list[Candidate]] = {}
    for ref, entity in wanted.items():
        match = decide(entity, found)
        matches[ref] = match
        if match.actor is not None:
            ids[ref] = match.actor.id
            skip.add(ref)
            continue
        # Two records of one bundle with one name are what the bundle says:
        # two actors, each a duplicate candidate of the other.
        new = Candidate(ids[ref], entity.kind, entity.name, "name")
        for key in entity.lookup_keys():
            for twin in created.get(key, []):
                if twin.id not in {c.id for c in match.tied}:
                    match.tied.append(twin)
            created.setdefault(key, []).append(new)
    return matches
