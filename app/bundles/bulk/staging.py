"""Staging: a bundle's records as table rows, sent with binary COPY into ``stage_*`` tables."""

from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any
from uuid import UUID

from asyncpg import Connection, Range
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from app.attributions.service import extraction_columns
from app.bundles.bulk.tables import COLUMNS
from app.bundles.format import (
    BundleActor,
    BundleAttribution,
    BundleClaim,
    BundleClaimRelation,
    BundleEvent,
    BundleSource,
    Record,
    Resolve,
    resolve_optional,
)
from app.db import new_id
from app.errors import pointer_for
from app.fuzzytime import FuzzyTime
from app.identity.keys import StoredName, actor_keys
from app.time_at_write import needs_reading


def bundle_actor_keys(record: BundleActor) -> dict[str, str]:
    """The ``actor_keys`` rows of a bundle's actor: what later speakers find it by."""
    return actor_keys(
        kind=record.kind,
        scope=record.effective_scope,
        name=record.name,
        names=[StoredName(n.name, n.kind) for n in record.names],
    )


FLUSH_ROWS = 5000
"""Rows of one table buffered before they are sent with COPY."""

REFERENCES_TABLE = "stage_references"
"""The references to stored rows, staged to be checked in SQL (``validation``)."""

RANGE_AT = {
    name: columns.index("time_range") if "time_range" in columns else None
    for name, columns in COLUMNS.items()
}
"""Where a table's daterange sits in its rows: SQLAlchemy's Range and asyncpg's
binary COPY codec differ, so it is converted."""


_JOINED = {
    name: [f'"{c}"' for c in columns if c == "id" or c.endswith("_id")]
    for name, columns in COLUMNS.items()
}
"""Per staged table, the columns its checks and inserts join on."""


class Staging:
    """The temporary ``stage_*`` tables of one load (``ON COMMIT DROP``) and
    the rows on their way there, a few thousand at a time so that memory does
    not grow with the input. Each row of a record carries its ``origin`` and
    JSON ``pointer``, so a check in SQL can name it."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.buffers: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
        self._connection: Connection | None = None
        self._staged: set[str] = set()
        self.references_made = False
        """Whether ``REFERENCES_TABLE`` was made (``validation``)."""

    async def connection(self) -> Connection:
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

    async def create(self, name: str) -> None:
        """``stage_<name>``, shaped as the table, unless it is there already."""
        if name in self._staged:
            return
        columns = ", ".join(f'"{c}"' for c in COLUMNS[name])
        connection = await self.connection()
        # An earlier load of the transaction left it there, empty (``empty``).
        await connection.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS stage_{name} ON COMMIT DROP AS"
            f" SELECT {columns}, ''::text AS origin, ''::text AS pointer"
            f" FROM {name} WITH NO DATA"
        )
        self._staged.add(name)

    def add(self, name: str, values: dict[str, Any], origin: str, pointer: str) -> None:
        row = [values.get(column) for column in COLUMNS[name]]
        at = RANGE_AT[name]
        time_range: Any = row[at] if at is not None else None
        if at is not None and time_range is not None:
            row[at] = Range(time_range.lower, time_range.upper, lower_inc=True, upper_inc=False)
        row += (origin, pointer)
        self.buffers[name].append(tuple(row))

    def add_parts(
        self, name: str, parent_column: str, parent_id: UUID, rows: Iterable[dict[str, Any]]
    ) -> None:
        """Rows of a record's own table of parts (names, authors...), each with a new id."""
        for values in rows:
            self.add(name, {**values, "id": new_id(), parent_column: parent_id}, "", "")

    async def flush(self, *, everything: bool = False) -> None:
        connection = await self.connection()
        for name, rows in self.buffers.items():
            if rows and (everything or len(rows) >= FLUSH_ROWS):
                await self.create(name)
                await connection.copy_records_to_table(
                    f"stage_{name}", records=rows, columns=[*COLUMNS[name], "origin", "pointer"]
                )
                rows.clear()

    async def analyze(self) -> None:
        """Statistics for the planner: a temporary table has none, and the
        checks' anti-joins planned as for a few rows ran in quadratic time.
        Row counts and the id columns the checks join on are what they need:
        the texts' statistics cost most of the ANALYZE (2.8 s of an import of
        100k claims) and serve no plan here."""
        tables = ", ".join(
            f"stage_{name} ({', '.join(_JOINED[name])})" for name in sorted(self._staged)
        )
        await self.execute(f"ANALYZE {tables}")

    async def fetch(self, statement: str) -> list[Any]:
        connection = await self.connection()
        return list(await connection.fetch(statement))

    async def execute(self, statement: str) -> str:
        connection = await self.connection()
        status: str = await connection.execute(statement)
        return status

    async def changed(self, statement: str) -> int:
        """Rows an INSERT or a DELETE wrote, from the status PostgreSQL answers."""
        return int((await self.execute(statement)).split()[-1])

    async def empty(self) -> None:
        """Empty the tables for the transaction's next load, if any (they are
        dropped at its commit). Not dropped and made again: each new table
        holds its locks until the commit, and a first import (one
        transaction, a load per batch) ran out of the server's lock table."""
        names = [f"stage_{name}" for name in sorted(self._staged)]
        if self.references_made:
            names.append(REFERENCES_TABLE)
        if names:
            await self.execute(f"TRUNCATE {', '.join(names)}")
        self._staged.clear()


def stage_record(
    staging: Staging,
    record: Record,
    record_uuid: UUID,
    resolve: Resolve,
    origin: str,
    where: list[str | int],
    *,
    resolution: dict[str, Any] | None = None,
    read_time: Callable[[FuzzyTime], dict[str, Any]] = FuzzyTime.to_columns,
) -> None:
    """Buffer the rows of one record: its own and those of its parts.
    ``resolution``: an attribution's speaker resolution columns; ``read_time``:
    a time's columns (an expression with an anchor but no days is read)."""
    pointer = pointer_for(where)
    if isinstance(record, BundleClaim):
        _stage_claim(staging, record, record_uuid, resolve, origin, pointer)
        return
    if isinstance(record, BundleAttribution):
        said = record.time
        if needs_reading(said):
            time_columns = read_time(said.to_api_unchecked(resolve))
        else:
            time_columns = said.columns(resolve)
        _stage_attribution(
            staging, record, record_uuid, resolve, origin, pointer, resolution or {}, time_columns
        )
        return
    api: BaseModel = record.to_api(resolve)
    data = api.model_dump()
    # The time columns come from the API model (FuzzyTime.to_columns), as in the services.
    timed = getattr(api, "published", None) or getattr(api, "time", None)
    time = read_time(timed) if isinstance(timed, FuzzyTime) else {}
    if isinstance(record, BundleActor):
        names, roles = data.pop("names"), data.pop("roles")
        data["scope"], data["status"] = record.effective_scope, "active"
        staging.add("actors", {**data, "id": record_uuid}, origin, pointer)
        staging.add_parts("actor_names", "actor_id", record_uuid, names)
        staging.add_parts("actor_roles", "actor_id", record_uuid, roles)
        staging.add_parts(
            "actor_keys",
            "actor_id",
            record_uuid,
            ({"key": key, "via": via} for key, via in bundle_actor_keys(record).items()),
        )
    elif isinstance(record, BundleSource):
        authors, cites = data.pop("author_ids"), data.pop("cites_source_ids")
        data.pop("published")
        staging.add("sources", {**data, **time, "id": record_uuid}, origin, pointer)
        staging.add_parts(
            "source_authors",
            "source_id",
            record_uuid,
            ({"actor_id": author, "position": position} for position, author in enumerate(authors)),
        )
        staging.add_parts(
            "source_citations",
            "citing_source_id",
            record_uuid,
            ({"cited_source_id": cited} for cited in cites),
        )
    elif isinstance(record, BundleEvent):
        participants, relations = data.pop("participants"), data.pop("relations")
        data.pop("time")
        staging.add("events", {**data, **time, "id": record_uuid}, origin, pointer)
        staging.add_parts("event_participants", "event_id", record_uuid, participants)
        staging.add_parts(
            "event_relations",
            "event_id",
            record_uuid,
            ({"related_event_id": r.pop("event_id"), **r} for r in relations),
        )
    elif isinstance(record, BundleClaimRelation):
        staging.add("claim_relations", {**data, "id": record_uuid}, origin, pointer)


# Claims and attributions are the bulk of every import: their rows are built
# straight from the record, whose API rules were checked when it was parsed.


def _stage_claim(
    staging: Staging,
    record: BundleClaim,
    record_uuid: UUID,
    resolve: Resolve,
    origin: str,
    pointer: str,
) -> None:
    values = {"id": record_uuid, "text": record.text, "language": record.language}
    staging.add("claims", values, origin, pointer)
    staging.add_parts(
        "claim_translations", "claim_id", record_uuid, (t.model_dump() for t in record.translations)
    )
    staging.add_parts(
        "claim_events", "claim_id", record_uuid, ({"event_id": resolve(e)} for e in record.events)
    )
    staging.add_parts(
        "claim_source_references",
        "claim_id",
        record_uuid,
        ({"source_id": resolve(s)} for s in record.referenced_sources),
    )


def _stage_attribution(
    staging: Staging,
    record: BundleAttribution,
    record_uuid: UUID,
    resolve: Resolve,
    origin: str,
    pointer: str,
    resolution: dict[str, Any],
    time_columns: dict[str, Any],
) -> None:
    span = record.span
    values = {
        "id": record_uuid,
        "claim_id": resolve(record.claim),
        "speaker_id": resolve_optional(resolve, record.speaker_ref),
        "source_id": resolve(record.source),
        "occasion_event_id": resolve_optional(resolve, record.occasion_event),
        "relayed_through_id": resolve_optional(resolve, record.relayed_through),
        "mode": record.mode,
        "cue": record.cue,
        "certainty": record.certainty,
        "note": record.note,
        "span_start": span.start if span else None,
        "span_end": span.end if span else None,
        "span_text": span.text if span else None,
        **time_columns,
        **resolution,
        **extraction_columns(record.extraction),
        "review": record.review,
    }
    staging.add("attributions", values, origin, pointer)
    ordinals: dict[str, int] = defaultdict(int)
    for index, fragment in enumerate(record.spans):
        values = {
            **fragment.model_dump(),
            "attribution_id": record_uuid,
            "ordinal": ordinals[fragment.role],
        }
        ordinals[fragment.role] += 1
        staging.add("attribution_spans", values, origin, f"{pointer}/spans/{index}")
