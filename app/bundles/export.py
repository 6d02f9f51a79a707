"""Export: every stored record as NDJSON lines that ``onrecord import`` reads back.

Each line is one record in the bundle vocabulary (``app.bundles.format``)
with a ``collection`` key naming its list in a bundle; its ``ref`` is its id,
and its references are ids, so an import keeps every id::

    {"collection": "actors", "ref": "0190…", "kind": "person", "name": "…"}

Lines come collection by collection in the order a bundle loads them (actors,
sources, events, claims, attributions, claim relations), each in id order;
fields at their default are left out. The same data therefore always gives
the same bytes: export → import into an empty database → export again is
byte-identical.

Filters pick attributions (by speaker, source, time window) and the export
then holds everything they need: the attributions they relay, their claims,
actors, sources and events, and what those name in turn (publishers, authors,
organisations of roles, cited sources, time anchors...), so the file loads
into an empty database. ``changed_since`` keeps only records changed at or
after that time (for a tool that syncs).

Rows are read through a server-side cursor, in one REPEATABLE READ
transaction: memory stays flat whatever the size, and the file is one
consistent snapshot.
"""

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, get_args
from uuid import UUID

import orjson
from pydantic import BaseModel
from sqlalchemy import column as column_
from sqlalchemy import func, select, text
from sqlalchemy import table as table_
from sqlalchemy.ext.asyncio import AsyncSession

from app.actors.service import actor_document
from app.attributions.service import attribution_document
from app.bundles.bulk import CHILDREN, ENTITIES, MODELS, table_of
from app.bundles.format import KINDS, RECORD_MODELS
from app.claims.linked_data import CONTEXT, record_node
from app.claims.service import claim_document, relation_document
from app.events.service import event_document
from app.sources.service import source_document

FETCH_ROWS = 2000
"""Rows the cursor brings per round trip."""


@dataclass(frozen=True)
class ExportFilter:
    speaker_id: UUID | None = None
    source_id: UUID | None = None
    time_from: date | None = None
    time_to: date | None = None
    changed_since: datetime | None = None

    @property
    def selects_attributions(self) -> bool:
        return any(
            value is not None
            for value in (self.speaker_id, self.source_id, self.time_from, self.time_to)
        )


def _documents() -> dict[str, Any]:
    tables = {kind: table_of(kind) for kind in KINDS}
    return {
        "actors": actor_document(tables["actors"]),
        "sources": source_document(tables["sources"], with_text=True),
        "events": event_document(tables["events"]),
        "claims": claim_document(tables["claims"]),
        "attributions": attribution_document(tables["attributions"]),
        "claim_relations": relation_document(tables["claim_relations"]),
    }


# -- API document → bundle record -------------------------------------------


def _nested_model(annotation: Any) -> type[BaseModel] | None:
    """The model inside ``Model``, ``list[Model]`` or ``Model | None``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in get_args(annotation):
        found = _nested_model(argument)
        if found is not None:
            return found
    return None


def _api_name(name: str, document: dict[str, Any]) -> str:
    """A bundle field's name in the API: ``speaker`` is ``speaker_id``,
    ``authors`` is ``author_ids``."""
    for candidate in (name, f"{name}_id", f"{name[:-1]}_ids" if name.endswith("s") else ""):
        if candidate in document:
            return candidate
    return name


def _shape(model: type[BaseModel], document: dict[str, Any]) -> dict[str, Any]:
    """The fields of ``model`` taken from an API document, defaults left out."""
    shaped: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        if name == "ref":
            shaped["ref"] = document["id"]
            continue
        value = document.get(_api_name(name, document))
        nested = _nested_model(info.annotation)
        if nested is not None and isinstance(value, dict):
            value = _shape(nested, value)
        elif nested is not None and isinstance(value, list):
            value = [_shape(nested, item) if isinstance(item, dict) else item for item in value]
        default = info.get_default(call_default_factory=True)
        if isinstance(default, BaseModel):
            default = default.model_dump()
        if value is None or value == default:
            continue
        shaped[name] = value
    return shaped


def _parsed(document: dict[str, Any] | str) -> dict[str, Any]:
    if isinstance(document, str):  # json_build_object comes back as text
        document = orjson.loads(document)
    assert isinstance(document, dict)
    return document


def record_line(kind: str, document: dict[str, Any] | str) -> bytes:
    record = {"collection": kind, **_shape(RECORD_MODELS[kind], _parsed(document))}
    return orjson.dumps(record) + b"\n"


# -- which rows ------------------------------------------------------------------


def _links() -> list[tuple[str, str, str, str]]:
    """(table, column naming the owner record, column, collection it names):
    every link from a record (or a part of it) to another record."""
    links = []
    for name in MODELS:
        table = table_of(name)
        owner = "id" if name in ENTITIES else CHILDREN[name][2]
        for column in table.columns:
            for key in column.foreign_keys:
                target = key.column.table.name
                if target in ENTITIES and column.name != owner:
                    links.append((name, owner, column.name, target))
    return links


def _owner_kind(table: str) -> str:
    return table if table in ENTITIES else CHILDREN[table][1]


async def _pick(session: AsyncSession, selection: ExportFilter) -> None:
    """Fill ``export_picked(kind, id)``: the chosen attributions and, to a
    fixed point, everything the picked records link to."""
    await session.execute(
        text(
            "CREATE TEMP TABLE export_picked (kind text, id uuid, PRIMARY KEY (kind, id))"
            " ON COMMIT DROP"  # and gone at rollback: the export writes nothing else
        )
    )
    conditions = ["true"]
    params: dict[str, Any] = {}
    if selection.speaker_id is not None:
        # a merged actor's id means its survivor
        conditions.append(
            "speaker_id = coalesce((SELECT merged_into_id FROM actors WHERE id = :speaker_id),"
            " :speaker_id)"
        )
        params["speaker_id"] = selection.speaker_id
    if selection.source_id is not None:
        conditions.append("source_id = :source_id")
        params["source_id"] = selection.source_id
    if selection.time_from is not None or selection.time_to is not None:
        conditions.append("time_range && daterange(:time_from, :time_to, '[]')")
        params["time_from"] = selection.time_from
        params["time_to"] = selection.time_to
    await session.execute(
        text(
            "INSERT INTO export_picked SELECT 'attributions', id FROM attributions WHERE "
            + " AND ".join(conditions)
        ),
        params,
    )
    links = _links()
    while True:
        added = 0
        for table, owner, column, target in links:
            kind = _owner_kind(table)
            result = await session.execute(
                text(
                    f"INSERT INTO export_picked SELECT DISTINCT '{target}', t.{column}"
                    f" FROM {table} t JOIN export_picked p"
                    f" ON p.kind = '{kind}' AND p.id = t.{owner}"
                    f" WHERE t.{column} IS NOT NULL ON CONFLICT DO NOTHING"
                )
            )
            added += getattr(result, "rowcount", 0) or 0
        # Relations between picked claims come along.
        result = await session.execute(
            text(
                "INSERT INTO export_picked SELECT 'claim_relations', r.id FROM claim_relations r"
                " WHERE EXISTS (SELECT FROM export_picked p"
                "               WHERE p.kind = 'claims' AND p.id = r.from_claim_id)"
                " AND EXISTS (SELECT FROM export_picked p"
                "             WHERE p.kind = 'claims' AND p.id = r.to_claim_id)"
                " ON CONFLICT DO NOTHING"
            )
        )
        added += getattr(result, "rowcount", 0) or 0
        if not added:
            return


async def export_lines(
    session: AsyncSession, selection: ExportFilter = ExportFilter()
) -> AsyncIterator[bytes]:
    """NDJSON lines of the selection, in load order. For one consistent file,
    give a session in REPEATABLE READ (``app.db.snapshot_factory``)."""
    async for kind, document in _export_documents(session, selection):
        yield record_line(kind, document)


async def export_jsonld(
    session: AsyncSession, selection: ExportFilter, *, base_url: str
) -> AsyncIterator[bytes]:
    """The selection as one JSON-LD document (schema.org and PROV-O terms, as
    ``GET /v1/claims/{id}`` with ``Accept: application/ld+json``), streamed
    node by node: ``{"@context": ..., "@graph": [...]}``."""
    yield b'{"@context":' + orjson.dumps(CONTEXT) + b',"@graph":['
    first = True
    async for kind, document in _export_documents(session, selection):
        node = record_node(kind, _parsed(document), base_url=base_url)
        if node is not None:
            yield (b"\n" if first else b",\n") + orjson.dumps(node)
            first = False
    yield b"]}\n"


async def _export_documents(
    session: AsyncSession, selection: ExportFilter
) -> AsyncIterator[tuple[str, Any]]:
    picked = selection.selects_attributions
    if picked:
        await _pick(session, selection)
    documents = _documents()
    for kind in KINDS:
        table = table_of(kind)
        statement = select(documents[kind]).select_from(table).order_by(table.c.id)
        if picked:
            picked_ids: Any = (
                select(column_("id"))
                .select_from(table_("export_picked"))
                .where(column_("kind") == kind)
            )
            statement = statement.where(table.c.id.in_(picked_ids))
        if selection.changed_since is not None:
            statement = statement.where(table.c.updated_at >= selection.changed_since)
        result = await session.stream(statement.execution_options(yield_per=FETCH_ROWS))
        async for (document,) in result:
            yield kind, document
        await result.close()


async def export_size(session: AsyncSession) -> int:
    """Records in the database: the length of an unfiltered export."""
    total = 0
    for kind in KINDS:
        table = table_of(kind)
        total += (await session.execute(select(func.count()).select_from(table))).scalar_one()
    return total
