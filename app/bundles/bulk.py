"""Set-based loading of bundles: COPY into staging tables, then a few INSERTs.

Every way records come in through bundles (``POST /v1/bundles``, ``onrecord
import``, the demo, the brat importer) goes through ``BulkLoad``:

1. Each bundle is checked in Python (``app.bundles.format``): fields, refs,
   cycles. Its refs become ids: ``record_id(bundle, ref)`` for local refs;
   Wikidata ids and URLs are looked up (one query per bundle that has any).
   Actors whose ``wikidata_id``, and sources whose ``url``, is already stored
   are matched, not created again: that is the natural key of a record
   written elsewhere.
2. Rows are buffered per table and sent with binary COPY into temporary
   ``stage_*`` tables (``ON COMMIT DROP``), a few thousand at a time, so
   memory does not grow with the input.
3. ``finish()`` runs set-based SQL: drop staged records already stored (an
   idempotent re-load writes nothing), check spans against the sources'
   texts and references against stored and staged rows (each failure names
   its record), insert table by table in dependency order, and recount the
   corroboration of the claims touched, in one statement.

Nothing commits here: the caller owns the transaction, so a failure leaves
nothing of the batch behind.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from asyncpg import Connection, Range
from pydantic import BaseModel
from sqlalchemy import Table, select, text
from sqlalchemy.dialects.postgresql import UUID as PG_UUID
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from app.actors.models import Actor, ActorName, ActorRole
from app.attributions.models import Attribution, AttributionSpan
from app.bundles.format import (
    KINDS,
    Bundle,
    BundleActor,
    BundleAttribution,
    BundleClaim,
    BundleClaimRelation,
    BundleEvent,
    BundleSource,
    BundleSummary,
    InvalidBundle,
    Record,
    check_bundle,
    external_kind,
    parse_bundle,
    record_id,
)
from app.claims.models import (
    Claim,
    ClaimEvent,
    ClaimRelation,
    ClaimSourceReference,
    ClaimTranslation,
)
from app.db import Base, Entity, new_id
from app.errors import FieldError, ProblemError, database_problem, pointer_for
from app.events.models import Event, EventParticipant, EventRelation
from app.fuzzytime import FuzzyTime
from app.provenance.corroboration import refresh_corroboration
from app.sources.models import Source, SourceAuthor, SourceCitation

FLUSH_ROWS = 5000
"""Rows of one table buffered before they are sent with COPY."""

MAX_ERRORS = 100
"""Errors listed in one refusal; the detail says how many more there are."""

# Tables in insert order: each row's links point at rows of earlier tables
# (or of its own, inserted by the same statement), but for the time anchors
# between sources and events, handled by repeated passes.
ENTITIES: dict[str, type[Entity]] = {
    "actors": Actor,
    "sources": Source,
    "events": Event,
    "claims": Claim,
    "attributions": Attribution,
    "claim_relations": ClaimRelation,
}
CHILDREN: dict[str, tuple[type[Base], str, str]] = {
    # child table: (model, parent collection, column naming the parent)
    "actor_names": (ActorName, "actors", "actor_id"),
    "actor_roles": (ActorRole, "actors", "actor_id"),
    "source_authors": (SourceAuthor, "sources", "source_id"),
    "source_citations": (SourceCitation, "sources", "citing_source_id"),
    "event_participants": (EventParticipant, "events", "event_id"),
    "event_relations": (EventRelation, "events", "event_id"),
    "claim_translations": (ClaimTranslation, "claims", "claim_id"),
    "claim_events": (ClaimEvent, "claims", "claim_id"),
    "claim_source_references": (ClaimSourceReference, "claims", "claim_id"),
    "attribution_spans": (AttributionSpan, "attributions", "attribution_id"),
}
INSERT_ORDER = (
    "actors",
    "actor_names",
    "actor_roles",
    "sources",
    "events",
    "source_authors",
    "source_citations",
    "event_participants",
    "event_relations",
    "claims",
    "claim_translations",
    "claim_events",
    "claim_source_references",
    "attributions",
    "attribution_spans",
    "claim_relations",
)
MODELS: dict[str, type[Base]] = {
    **ENTITIES,
    **{name: model for name, (model, _, _) in CHILDREN.items()},
}
# Set by the server: timestamps, and the corroboration counts refreshed last.
SERVER_COLUMNS = frozenset({"created_at", "updated_at", "independent_origins", "on_record"})


def _table(name: str) -> Table:
    table = MODELS[name].__table__
    assert isinstance(table, Table)
    return table


def _columns(name: str) -> list[str]:
    """The columns we write (not the server's timestamps, not computed columns)."""
    return [
        column.name
        for column in _table(name).columns
        if column.name not in SERVER_COLUMNS and column.computed is None
    ]


COLUMNS = {name: _columns(name) for name in MODELS}


RANGE_AT = {
    name: columns.index("time_range") if "time_range" in columns else None
    for name, columns in COLUMNS.items()
}
"""Where a table's daterange sits in its rows: SQLAlchemy's Range and asyncpg's
binary COPY codec differ, so it is converted."""


@dataclass
class Reference:
    """A link to a row that is no record of its bundle: checked in SQL at the end."""

    where: str  # "file:3: attributions[0] (first): speaker", for the error message
    pointer: str
    target: str
    id: UUID


@dataclass
class Loaded:
    """What one ``BulkLoad`` wrote."""

    bundles: list[BundleSummary] = field(default_factory=list)
    created: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    existing: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))

    @property
    def attributions(self) -> int:
        return self.created["attributions"] + self.existing["attributions"]


def _located(origin: str, errors: Iterable[FieldError]) -> list[FieldError]:
    if not origin:
        return list(errors)
    return [
        FieldError(pointer=e.pointer, location=e.location, detail=f"{origin}: {e.detail}")
        for e in errors
    ]


def refusal(errors: Sequence[FieldError], *, total: int | None = None) -> InvalidBundle:
    total = len(errors) if total is None else total
    more = f" (and {total - 1} more)" if total > 1 else ""
    return InvalidBundle(errors[0].detail + more, errors=list(errors[:MAX_ERRORS]))


class BulkLoad:
    """Bundles staged one by one, written together by ``finish()``."""

    def __init__(self, session: AsyncSession, *, after: "BulkLoad | None" = None) -> None:
        """``after``: a load of the same import that commits before this one
        writes; what it staged counts as stored (no second publisher)."""
        self.session = session
        self.buffers: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
        self.references: list[Reference] = []
        self.matched: dict[str, int] = dict.fromkeys(KINDS, 0)
        self.bundles: list[BundleSummary] = []
        # Records named by a UUID ref (many bundles may carry one): staged once.
        self.shared_ids: set[UUID] = set(after.shared_ids) if after else set()
        self.by_wikidata: dict[str, UUID] = dict(after.by_wikidata) if after else {}
        self.by_url: dict[str, UUID] = dict(after.by_url) if after else {}
        self._connection: Connection | None = None
        self._staged: set[str] = set()

    # -- staging ---------------------------------------------------------------

    async def _raw(self) -> Connection:
        if self._connection is None:
            connection = await self.session.connection()
            # SQLAlchemy sends BEGIN with the first statement; asyncpg calls made
            # before it would each commit on their own (and drop ON COMMIT DROP tables).
            await connection.execute(text("SELECT 1"))
            raw = await connection.get_raw_connection()
            driver = raw.driver_connection
            assert isinstance(driver, Connection)
            self._connection = driver
        return self._connection

    async def _stage_table(self, name: str) -> None:
        if name in self._staged:
            return
        columns = ", ".join(f'"{c}"' for c in COLUMNS[name])
        connection = await self._raw()
        await connection.execute(
            f"CREATE TEMP TABLE stage_{name} ON COMMIT DROP AS"
            f" SELECT {columns}, ''::text AS origin, ''::text AS pointer"
            f" FROM {name} WITH NO DATA"
        )
        self._staged.add(name)

    def _add(self, name: str, values: dict[str, Any], origin: str, pointer: str) -> None:
        row = [values.get(column) for column in COLUMNS[name]]
        at = RANGE_AT[name]
        time_range: Any = row[at] if at is not None else None
        if at is not None and time_range is not None:
            row[at] = Range(time_range.lower, time_range.upper, lower_inc=True, upper_inc=False)
        row += (origin, pointer)
        self.buffers[name].append(tuple(row))

    async def _flush(self, *, everything: bool = False) -> None:
        connection = await self._raw()
        for name, rows in self.buffers.items():
            if rows and (everything or len(rows) >= FLUSH_ROWS):
                await self._stage_table(name)
                await connection.copy_records_to_table(
                    f"stage_{name}", records=rows, columns=[*COLUMNS[name], "origin", "pointer"]
                )
                rows.clear()

    # -- one bundle ------------------------------------------------------------

    async def _lookup(self, column: str, model: type[Entity], keys: set[str]) -> dict[str, UUID]:
        if not keys:
            return {}
        table = model.__table__
        assert isinstance(table, Table)
        key = table.c[column]
        rows = await self.session.execute(
            select(key, table.c.id).where(key.in_(sorted(keys))).order_by(key, table.c.id)
        )
        found: dict[str, UUID] = {}
        for value, row_id in rows:
            found.setdefault(value, row_id)
        return found

    async def add(
        self,
        bundle: Bundle,
        *,
        origin: str = "",
        locate: Callable[[str, int], str] | None = None,
    ) -> BundleSummary:
        """Check one bundle and stage its records; raises ``InvalidBundle``.

        Error messages start with ``origin`` (a file and line), or with what
        ``locate(collection, index)`` says of the record they concern."""

        def prefixed(errors: Iterable[FieldError]) -> list[FieldError]:
            if locate is None:
                return _located(origin, errors)
            located = []
            for error in errors:
                parts = error.pointer.split("/")
                where = locate(parts[1], int(parts[2])) if len(parts) > 2 else ""
                detail = f"{where}: {error.detail}" if where else error.detail
                located.append(error.model_copy(update={"detail": detail}))
            return located

        try:
            collection, externals = check_bundle(bundle)
        except InvalidBundle as exc:
            raise refusal(prefixed(exc.errors or [])) from None

        # Natural keys: a Wikidata id or URL already stored (or staged by an
        # earlier bundle of this load) is that row, whatever the bundle's ref.
        wikidata = {a.wikidata_id for a in bundle.actors if a.wikidata_id} | {
            ref for _, _, target, ref in externals if external_kind(ref, target) == "wikidata_id"
        }
        urls = {s.url for s in bundle.sources if s.url} | {
            ref for _, _, target, ref in externals if external_kind(ref, target) == "url"
        }
        stored_wikidata = await self._lookup(
            "wikidata_id", Actor, wikidata - self.by_wikidata.keys()
        )
        stored_urls = await self._lookup("url", Source, urls - self.by_url.keys())
        known_wikidata = {**stored_wikidata, **self.by_wikidata}
        known_urls = {**stored_urls, **self.by_url}

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
        for kind in KINDS:
            for record in bundle.records(kind):
                if _is_uuid_text(record.ref) and record.ref not in skip:
                    # Named by its id, it may be in many bundles: staged once.
                    if ids[record.ref] in self.shared_ids:
                        skip.add(record.ref)
                    self.shared_ids.add(ids[record.ref])

        errors: list[FieldError] = []
        for pointer, where, target, ref in externals:
            how = external_kind(ref, target)
            if how == "id":
                label = prefixed([FieldError(pointer=pointer, location="body", detail=where)])[
                    0
                ].detail
                self.references.append(Reference(label, pointer, target, UUID(ref)))
                ids[ref] = UUID(ref)
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
            raise refusal(prefixed(errors))

        for actor in bundle.actors:
            if actor.wikidata_id and actor.ref not in skip:
                self.by_wikidata[actor.wikidata_id] = ids[actor.ref]
        for source in bundle.sources:
            if source.url and source.ref not in skip:
                self.by_url[source.url] = ids[source.ref]

        def resolve(ref: str) -> UUID:
            return ids[ref]

        counts = dict.fromkeys(KINDS, 0)
        matched = dict.fromkeys(KINDS, 0)
        for kind in KINDS:
            for index, record in enumerate(bundle.records(kind)):
                if record.ref in skip:
                    matched[kind] += 1
                    continue
                counts[kind] += 1
                label = f"{kind}[{index}] ({record.ref})"
                if locate is not None:
                    label = f"{locate(kind, index)}: {label}"
                elif origin:
                    label = f"{origin}: {label}"
                self._stage_record(kind, record, ids[record.ref], resolve, label, [kind, index])
        for kind in KINDS:
            self.matched[kind] += matched[kind]
        await self._flush()
        summary = BundleSummary(
            bundle=bundle.id,
            title=bundle.title,
            created=counts,  # staged; finish() corrects for rows already stored
            existing=matched,
            ids=ids,
        )
        self.bundles.append(summary)
        return summary

    def _stage_record(
        self,
        kind: str,
        record: Record,
        record_uuid: UUID,
        resolve: Any,
        origin: str,
        where: list[str | int],
    ) -> None:
        pointer = pointer_for(where)
        if isinstance(record, BundleAttribution | BundleClaim):
            # The bulk of every import: rows built straight from the record,
            # whose API rules were checked when it was parsed.
            self._stage_fast(record, record_uuid, resolve, origin, pointer)
            return
        api: BaseModel = record.to_api(resolve)
        data = api.model_dump()
        # The time columns come from the API model (FuzzyTime.to_columns), as in the services.
        timed = getattr(api, "published", None) or getattr(api, "time", None)
        time = timed.to_columns() if isinstance(timed, FuzzyTime) else {}
        if isinstance(record, BundleActor):
            names, roles = data.pop("names"), data.pop("roles")
            self._add("actors", {**data, "id": record_uuid}, origin, pointer)
            for name in names:
                self._add("actor_names", {**name, "id": new_id(), "actor_id": record_uuid}, "", "")
            for role in roles:
                self._add("actor_roles", {**role, "id": new_id(), "actor_id": record_uuid}, "", "")
        elif isinstance(record, BundleSource):
            authors, cites = data.pop("author_ids"), data.pop("cites_source_ids")
            data.pop("published")
            self._add("sources", {**data, **time, "id": record_uuid}, origin, pointer)
            for position, author in enumerate(authors):
                self._add(
                    "source_authors",
                    {
                        "id": new_id(),
                        "source_id": record_uuid,
                        "actor_id": author,
                        "position": position,
                    },
                    "",
                    "",
                )
            for cited in cites:
                self._add(
                    "source_citations",
                    {"id": new_id(), "citing_source_id": record_uuid, "cited_source_id": cited},
                    "",
                    "",
                )
        elif isinstance(record, BundleEvent):
            participants, relations = data.pop("participants"), data.pop("relations")
            data.pop("time")
            self._add("events", {**data, **time, "id": record_uuid}, origin, pointer)
            for participant in participants:
                self._add(
                    "event_participants",
                    {**participant, "id": new_id(), "event_id": record_uuid},
                    "",
                    "",
                )
            for relation in relations:
                values = {
                    "id": new_id(),
                    "event_id": record_uuid,
                    "related_event_id": relation.pop("event_id"),
                    **relation,
                }
                self._add("event_relations", values, "", "")
        elif isinstance(record, BundleClaim):
            translations = data.pop("translations")
            events, sources = data.pop("event_ids"), data.pop("referenced_source_ids")
            self._add("claims", {**data, "id": record_uuid}, origin, pointer)
            for translation in translations:
                self._add(
                    "claim_translations",
                    {**translation, "id": new_id(), "claim_id": record_uuid},
                    "",
                    "",
                )
            for event_id in events:
                self._add(
                    "claim_events",
                    {"id": new_id(), "claim_id": record_uuid, "event_id": event_id},
                    "",
                    "",
                )
            for source_id in sources:
                self._add(
                    "claim_source_references",
                    {"id": new_id(), "claim_id": record_uuid, "source_id": source_id},
                    "",
                    "",
                )
        elif isinstance(record, BundleAttribution):
            span, spans = data.pop("span"), data.pop("spans")
            data.pop("time")
            span_columns = (
                {"span_start": span["start"], "span_end": span["end"], "span_text": span["text"]}
                if span
                else {}
            )
            self._add(
                "attributions", {**data, **span_columns, **time, "id": record_uuid}, origin, pointer
            )
            ordinals: dict[str, int] = defaultdict(int)
            for index, fragment in enumerate(spans):
                values = {
                    **fragment,
                    "attribution_id": record_uuid,
                    "ordinal": ordinals[fragment["role"]],
                }
                ordinals[fragment["role"]] += 1
                self._add("attribution_spans", values, origin, f"{pointer}/spans/{index}")
        elif isinstance(record, BundleClaimRelation):
            self._add("claim_relations", {**data, "id": record_uuid}, origin, pointer)

    def _stage_fast(
        self,
        record: BundleAttribution | BundleClaim,
        record_uuid: UUID,
        resolve: Any,
        origin: str,
        pointer: str,
    ) -> None:
        if isinstance(record, BundleClaim):
            values = {"id": record_uuid, "text": record.text, "language": record.language}
            self._add("claims", values, origin, pointer)
            for translation in record.translations:
                self._add(
                    "claim_translations",
                    {**translation.model_dump(), "id": new_id(), "claim_id": record_uuid},
                    "",
                    "",
                )
            for event in record.events:
                values = {"id": new_id(), "claim_id": record_uuid, "event_id": resolve(event)}
                self._add("claim_events", values, "", "")
            for source in record.referenced_sources:
                values = {"id": new_id(), "claim_id": record_uuid, "source_id": resolve(source)}
                self._add("claim_source_references", values, "", "")
            return
        span = record.span

        def optional(ref: str | None) -> UUID | None:
            return None if ref is None else resolve(ref)

        values = {
            "id": record_uuid,
            "claim_id": resolve(record.claim),
            "speaker_id": optional(record.speaker),
            "source_id": resolve(record.source),
            "occasion_event_id": optional(record.occasion_event),
            "relayed_through_id": optional(record.relayed_through),
            "mode": record.mode,
            "cue": record.cue,
            "certainty": record.certainty,
            "note": record.note,
            "span_start": span.start if span else None,
            "span_end": span.end if span else None,
            "span_text": span.text if span else None,
            **record.time.columns(resolve),
        }
        self._add("attributions", values, origin, pointer)
        ordinals: dict[str, int] = defaultdict(int)
        for index, fragment in enumerate(record.spans):
            values = {
                **fragment.model_dump(),
                "attribution_id": record_uuid,
                "ordinal": ordinals[fragment.role],
            }
            ordinals[fragment.role] += 1
            self._add("attribution_spans", values, origin, f"{pointer}/spans/{index}")

    # -- writing -----------------------------------------------------------------

    async def _sql(self, statement: str) -> list[Any]:
        connection = await self._raw()
        return list(await connection.fetch(statement))

    async def _execute(self, statement: str) -> str:
        connection = await self._raw()
        status: str = await connection.execute(statement)
        return status

    async def finish(self) -> Loaded:
        """Write everything staged; raises ``InvalidBundle`` naming each bad record."""
        await self._flush(everything=True)
        for name in MODELS:
            await self._stage_table(name)
        loaded = Loaded(bundles=self.bundles)
        # Records already stored (a re-load): neither they nor their parts are written.
        for kind in KINDS:
            status = await self._execute(
                f"DELETE FROM stage_{kind} s USING {kind} t WHERE t.id = s.id"
            )
            loaded.existing[kind] = self.matched[kind] + int(status.split()[-1])
        for child, (_, parent, column) in CHILDREN.items():
            await self._execute(
                f"DELETE FROM stage_{child} c WHERE NOT EXISTS"
                f" (SELECT FROM stage_{parent} p WHERE p.id = c.{column})"
            )
        await self._check_references()
        await self._check_spans()
        try:
            await self._insert()
        except DBAPIError as exc:
            problem = database_problem(exc)
            if problem is None:
                raise
            raise self._unlocated(problem) from exc
        for kind in KINDS:
            rows = await self._sql(f"SELECT count(*) FROM stage_{kind}")
            loaded.created[kind] = rows[0][0]
        # New attributions have no relayers yet: what they change is their own
        # claims, the claims of the attributions they relay, and same_as groups.
        await refresh_corroboration(
            self.session,
            seed_claims=text(
                "SELECT claim_id FROM stage_attributions"
                " UNION SELECT r.claim_id FROM attributions r"
                " JOIN stage_attributions s ON r.id = s.relayed_through_id"
                " UNION SELECT from_claim_id FROM stage_claim_relations WHERE kind = 'same_as'"
                " UNION SELECT to_claim_id FROM stage_claim_relations WHERE kind = 'same_as'"
            ).columns(claim_id=PG_UUID(as_uuid=True)),
        )
        # ON COMMIT DROP is not enough when a transaction loads twice.
        names = ", ".join(f"stage_{name}" for name in self._staged)
        await self._execute(f"DROP TABLE IF EXISTS stage_references, {names}")
        self._staged.clear()
        return loaded

    def _unlocated(self, problem: ProblemError) -> ProblemError:
        """A database refusal no check foresaw: said as is, on the whole body."""
        if not problem.errors:
            problem.errors = [FieldError(pointer="", location="body", detail=problem.detail)]
        return problem

    async def _check_references(self) -> None:
        if not self.references:
            return
        connection = await self._raw()
        await connection.execute(
            "CREATE TEMP TABLE stage_references"
            " (origin text, pointer text, target text, id uuid) ON COMMIT DROP"
        )
        await connection.copy_records_to_table(
            "stage_references",
            records=[(r.where, r.pointer, r.target, r.id) for r in self.references],
        )
        missing = " UNION ALL ".join(
            f"SELECT r.origin, r.pointer, r.target, r.id FROM stage_references r"
            f" WHERE r.target = '{kind}'"
            f" AND NOT EXISTS (SELECT FROM {kind} t WHERE t.id = r.id)"
            f" AND NOT EXISTS (SELECT FROM stage_{kind} s WHERE s.id = r.id)"
            for kind in KINDS
        )
        rows = await self._sql(f"SELECT * FROM ({missing}) m LIMIT {MAX_ERRORS + 1}")
        if rows:
            errors = [
                FieldError(
                    pointer=pointer,
                    location="body",
                    detail=f"{where}: no {target[:-1].replace('_', ' ')} has id {row_id}",
                )
                for where, pointer, target, row_id in rows
            ]
            raise refusal(errors)

    async def _check_spans(self) -> None:
        """Each span must cover exactly its text in its source's full text."""
        rows = await self._sql(
            f"""
            WITH wanted AS (
                SELECT origin, pointer || '/span' AS pointer, source_id,
                       span_start AS start, span_end AS "end", span_text AS text
                FROM stage_attributions WHERE span_start IS NOT NULL
                UNION ALL
                SELECT f.origin, f.pointer, a.source_id, f.start, f."end", f.text
                FROM stage_attribution_spans f
                JOIN stage_attributions a ON a.id = f.attribution_id
            ), texts AS (
                SELECT id, full_text FROM stage_sources
                UNION ALL
                SELECT id, full_text FROM sources
                WHERE id IN (SELECT source_id FROM wanted)
                  AND id NOT IN (SELECT id FROM stage_sources)
            )
            SELECT w.origin, w.pointer, w.start, w."end", w.text,
                   char_length(t.full_text), substr(t.full_text, w.start + 1, w."end" - w.start)
            FROM wanted w JOIN texts t ON t.id = w.source_id
            WHERE t.full_text IS NULL
               OR substr(t.full_text, w.start + 1, w."end" - w.start) IS DISTINCT FROM w.text
            LIMIT {MAX_ERRORS + 1}
            """
        )
        if not rows:
            return
        errors = []
        for origin, pointer, start, end, wanted, length, covered in rows:
            if length is None:
                detail, where = "the source has no full_text to anchor a span in", ""
            elif end > length:
                detail = f"span end {end} is outside the source text ({length} code points)"
                where = "/end"
            else:
                detail = f"the source text at [{start}, {end}) is {covered!r}, not {wanted!r}"
                where = "/text"
            errors.append(
                FieldError(pointer=pointer + where, location="body", detail=f"{origin}: {detail}")
            )
        raise refusal(errors)

    async def _insert(self) -> None:
        for name in INSERT_ORDER:
            columns = ", ".join(f'"{c}"' for c in COLUMNS[name])
            if name == "sources":
                await self._insert_anchored()
                continue
            if name == "events":
                continue
            await self._execute(
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
                status = await self._execute(
                    f"INSERT INTO {name} ({columns}) SELECT {columns} FROM stage_{name} s"
                    f" WHERE NOT EXISTS (SELECT FROM {name} t WHERE t.id = s.id)"
                    f" AND (s.{anchor} IS NULL"
                    f" OR EXISTS (SELECT FROM {other[name]} o WHERE o.id = s.{anchor}))"
                )
                progress += int(status.split()[-1])
            if not progress:
                break
        stuck = await self._sql(
            "SELECT origin, pointer FROM stage_sources s"
            " WHERE NOT EXISTS (SELECT FROM sources t WHERE t.id = s.id)"
            " UNION ALL SELECT origin, pointer FROM stage_events s"
            " WHERE NOT EXISTS (SELECT FROM events t WHERE t.id = s.id)"
            f" LIMIT {MAX_ERRORS + 1}"
        )
        if stuck:
            raise refusal(
                [
                    FieldError(
                        pointer=pointer,
                        location="body",
                        detail=f"{origin}: time anchors of sources and events form a cycle",
                    )
                    for origin, pointer in stuck
                ]
            )


def _is_uuid_text(value: str) -> bool:
    try:
        UUID(value)
    except ValueError:
        return False
    return True


async def load_bundles(
    session: AsyncSession, bundles: Iterable[Bundle], *, origin: str = ""
) -> Loaded:
    """Stage and write bundles in the session's transaction (flush, no commit)."""
    load = BulkLoad(session)
    for bundle in bundles:
        await load.add(bundle, origin=origin)
    return await load.finish()


async def load_bundle(session: AsyncSession, bundle: dict[str, Any] | Bundle) -> BundleSummary:
    """Write one bundle's records that are not there yet; flush, never commit.

    Refusals (a bad field, an unknown ref, a cycle, a span that does not
    match its source text) raise ``InvalidBundle`` listing every error with
    its JSON pointer; the caller's transaction then holds nothing of it."""
    if not isinstance(bundle, Bundle):
        bundle = parse_bundle(bundle)
    loaded = await load_bundles(session, [bundle])
    summary = loaded.bundles[0]
    return summary.model_copy(update={"created": loaded.created, "existing": loaded.existing})
