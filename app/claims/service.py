import functools
from typing import Any
from uuid import UUID

from sqlalchemy import FromClause, func
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from app import sparse, sqlcompile, writes
from app.actors.service import embedded_actor
from app.claim_attribution_documents import (
    ATTRIBUTIONS,
    CLAIM_EVENTS,
    CLAIM_RECORDS,
    CLAIMS,
    embedded_claim,
)
from app.claim_attribution_documents import claim_document as claim_document
from app.claims.models import (
    Claim,
    ClaimEvent,
    ClaimRelation,
    ClaimSourceReference,
    ClaimTranslation,
)
from app.claims.schemas import (
    ClaimCreate,
    ClaimListQuery,
    ClaimRead,
    ClaimRelationCreate,
    ClaimRelationListQuery,
    ClaimRelationUpdate,
    ClaimUpdate,
)
from app.db import row_by_id
from app.documents import Document
from app.errors import name_constraint_field
from app.fuzzytime import overlaps
from app.provenance.corroboration import fetch_origins_page, refresh_corroboration
from app.records import Records, columns, stored, write_children
from app.sparse import Fields

RELATIONS = ClaimRelation.__table__

name_constraint_field("translations", "uq_claim_translations_claim_id_language")
name_constraint_field(
    "event_ids", "fk_claim_events_event_id_events", "uq_claim_events_claim_id_event_id"
)
name_constraint_field(
    "referenced_source_ids",
    "fk_claim_source_references_source_id_sources",
    "uq_claim_source_references_claim_id_source_id",
)
name_constraint_field(
    "to_claim_id",
    "ck_claim_relations_not_self",
    "uq_claim_relations_from_claim_id_to_claim_id_kind",
)


async def get_claim(
    reader: sqlcompile.Reader,
    *,
    claim_id: UUID,
    expand: frozenset[str] = frozenset(),
    fields: Fields = None,
) -> Document:
    return await CLAIM_RECORDS.get(reader, claim_id, expand=expand, fields=fields)


async def list_claims(session: AsyncSession, *, query: ClaimListQuery) -> str:
    """Claims, filtered on their own fields and on those of their attributions
    (speaker, source, time said): a claim matches if one attribution does.
    ``min_origins``/``on_record`` filter on the stored corroboration counters;
    ``sort`` is ``id`` (creation order) or ``[-]independent_origins``."""
    where: list[ColumnElement[bool]] = []
    if query.min_origins is not None:
        where.append(CLAIMS.c.independent_origins >= query.min_origins)
    if query.on_record is not None:
        where.append(CLAIMS.c.on_record.is_(query.on_record))
    where += CLAIM_RECORDS.matching(language=query.language)
    if query.event_id:
        about_event = CLAIM_EVENTS.c.event_id == query.event_id
        where.append(CLAIM_RECORDS.linked(CLAIM_EVENTS.c.claim_id, about_event))
    attribution_filters: list[ColumnElement[bool]] = []
    if query.speaker_id:
        attribution_filters.append(ATTRIBUTIONS.c.speaker_id == query.speaker_id)
    if query.source_id:
        attribution_filters.append(ATTRIBUTIONS.c.source_id == query.source_id)
    window = overlaps(ATTRIBUTIONS, query.time_from, query.time_to)
    if window is not None:
        attribution_filters.append(window)
    if attribution_filters:
        where.append(CLAIM_RECORDS.linked(ATTRIBUTIONS.c.claim_id, *attribution_filters))
    fields = sparse.parse_fields(query.fields, ClaimRead)
    if query.sort != "id":
        return await fetch_origins_page(
            session,
            document=claim_document(expand=query.expanded, fields=fields),
            where=where,
            limit=query.limit,
            cursor=query.cursor,
            descending=query.sort.startswith("-"),
        )
    return await CLAIM_RECORDS.page(session, where, query, expand=query.expanded, fields=fields)


async def _write_links(
    session: AsyncSession, claim_id: UUID, data: ClaimCreate | ClaimUpdate
) -> None:
    await write_children(session, ClaimTranslation, "claim_id", claim_id, data.translations)
    await write_children(session, ClaimEvent, "claim_id", claim_id, data.event_ids, _event_row)
    await write_children(
        session, ClaimSourceReference, "claim_id", claim_id, data.referenced_source_ids, _source_row
    )


def _event_row(event_id: UUID) -> dict[str, Any]:
    return {"event_id": event_id}


def _source_row(source_id: UUID) -> dict[str, Any]:
    return {"source_id": source_id}


LINKS = {"translations", "event_ids", "referenced_source_ids"}


async def create_claim(
    session: AsyncSession, *, data: ClaimCreate, id: UUID | None = None
) -> Document:
    claim_id = await writes.insert_row(session, Claim, data.model_dump(exclude=LINKS), id=id)
    await _write_links(session, claim_id, data)
    return await get_claim(session, claim_id=claim_id)


async def update_claim(session: AsyncSession, *, claim_id: UUID, data: ClaimUpdate) -> Document:
    await writes.update_row(
        session, Claim, claim_id, data.changes(exclude=frozenset(LINKS)), what="claim"
    )
    await _write_links(session, claim_id, data)
    return await get_claim(session, claim_id=claim_id)


async def delete_claim(session: AsyncSession, *, claim_id: UUID) -> None:
    await writes.delete_row(session, Claim, claim_id, what="claim")


@functools.cache  # built once per shape: building it costs more than running it
def relation_document(
    relations: FromClause = RELATIONS, *, expand: frozenset[str] = frozenset()
) -> ColumnElement[Any]:
    fields = stored(
        relations,
        *columns(
            relations,
            "kind",
            "from_claim_id",
            "to_claim_id",
            "asserted_by_actor_id",
            "asserted_in_source_id",
            "note",
        ),
    )
    if "from_claim" in expand:
        fields += ["from_claim", embedded_claim(relations.c.from_claim_id)]
    if "to_claim" in expand:
        fields += ["to_claim", embedded_claim(relations.c.to_claim_id)]
    if "asserted_by" in expand:
        fields += ["asserted_by", embedded_actor(relations.c.asserted_by_actor_id)]
    return func.json_build_object(*fields)


RELATION_RECORDS = Records(RELATIONS, relation_document, what="claim relation")


async def get_relation(
    session: AsyncSession, *, relation_id: UUID, expand: frozenset[str] = frozenset()
) -> Document:
    return await RELATION_RECORDS.get(session, relation_id, expand=expand)


async def list_relations(session: AsyncSession, *, query: ClaimRelationListQuery) -> str:
    where: list[ColumnElement[bool]] = []
    if claim_id := query.claim_id:
        where.append(
            (RELATIONS.c.from_claim_id == claim_id) | (RELATIONS.c.to_claim_id == claim_id)
        )
    where += RELATION_RECORDS.matching(kind=query.kind)
    return await RELATION_RECORDS.page(session, where, query, expand=query.expanded)


async def create_relation(
    session: AsyncSession, *, data: ClaimRelationCreate, id: UUID | None = None
) -> Document:
    relation_id = await writes.insert_row(session, ClaimRelation, data.model_dump(), id=id)
    if data.kind == "same_as":
        await refresh_corroboration(session, claim_ids=[data.from_claim_id, data.to_claim_id])
    return await get_relation(session, relation_id=relation_id)


async def _relation_ends(session: AsyncSession, relation_id: UUID) -> Any:
    """(kind, from_claim_id, to_claim_id) of a relation, or None."""
    ends = (RELATIONS.c.kind, RELATIONS.c.from_claim_id, RELATIONS.c.to_claim_id)
    return await row_by_id(session, RELATIONS, relation_id, *ends)


async def update_relation(
    session: AsyncSession, *, relation_id: UUID, data: ClaimRelationUpdate
) -> Document:
    changes = data.changes()
    before = None
    if changes.keys() & {"kind", "from_claim_id", "to_claim_id"}:
        before = await _relation_ends(session, relation_id)
    await writes.update_row(session, ClaimRelation, relation_id, changes, what="claim relation")
    if before is not None and "same_as" in (before.kind, changes.get("kind", before.kind)):
        # same_as groups merge or split: both ends, before and after, are recounted.
        await refresh_corroboration(
            session,
            claim_ids={
                before.from_claim_id,
                before.to_claim_id,
                changes.get("from_claim_id", before.from_claim_id),
                changes.get("to_claim_id", before.to_claim_id),
            },
        )
    return await get_relation(session, relation_id=relation_id)


async def delete_relation(session: AsyncSession, *, relation_id: UUID) -> None:
    before = await _relation_ends(session, relation_id)
    await writes.delete_row(session, ClaimRelation, relation_id, what="claim relation")
    if before is not None and before.kind == "same_as":
        await refresh_corroboration(session, claim_ids=[before.from_claim_id, before.to_claim_id])
