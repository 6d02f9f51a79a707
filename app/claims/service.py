import functools
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import FromClause, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from app import documents, pagination, sqlcompile, writes
from app.actors.service import embedded_actor
from app.claims.models import (
    Claim,
    ClaimEvent,
    ClaimRelation,
    ClaimSourceReference,
    ClaimTranslation,
)
from app.claims.schemas import (
    ClaimCreate,
    ClaimRelationCreate,
    ClaimRelationUpdate,
    ClaimUpdate,
    TranslationIn,
)
from app.errors import name_constraint_field
from app.fuzzytime import overlaps
from app.provenance.corroboration import fetch_origins_page, refresh_corroboration

CLAIMS = Claim.__table__
TRANSLATIONS = ClaimTranslation.__table__
CLAIM_EVENTS = ClaimEvent.__table__
REFERENCES = ClaimSourceReference.__table__
RELATIONS = ClaimRelation.__table__
EXPANDABLE = ("attributions", "events")
RELATION_EXPANDABLE = ("from_claim", "to_claim", "asserted_by")

name_constraint_field("uq_claim_translations_claim_id_language", "translations")
name_constraint_field("fk_claim_events_event_id_events", "event_ids")
name_constraint_field("uq_claim_events_claim_id_event_id", "event_ids")
name_constraint_field("fk_claim_source_references_source_id_sources", "referenced_source_ids")
name_constraint_field("uq_claim_source_references_claim_id_source_id", "referenced_source_ids")
name_constraint_field("ck_claim_relations_not_self", "to_claim_id")
name_constraint_field("uq_claim_relations_from_claim_id_to_claim_id_kind", "to_claim_id")


def translations_json(claim_id: ColumnElement[Any]) -> ColumnElement[Any]:
    """The claim's translations, by language: ``[{language, text, note}]``."""
    translations = TRANSLATIONS.alias()
    return documents.json_array(
        func.json_build_object(
            "language",
            translations.c.language,
            "text",
            translations.c.text,
            "note",
            translations.c.note,
        ),
        translations.c.claim_id == claim_id,
        order_by=translations.c.language,
    )


@functools.cache  # built once per shape: building it costs more than running it
def claim_document(
    claims: FromClause = CLAIMS, *, expand: frozenset[str] = frozenset()
) -> ColumnElement[Any]:
    claim_events = CLAIM_EVENTS.alias()
    references = REFERENCES.alias()
    fields: list[Any] = [
        "id",
        claims.c.id,
        "text",
        claims.c.text,
        "language",
        claims.c.language,
        "translations",
        translations_json(claims.c.id),
        "event_ids",
        documents.json_array(
            claim_events.c.event_id,
            claim_events.c.claim_id == claims.c.id,
            order_by=claim_events.c.id,
        ),
        "referenced_source_ids",
        documents.json_array(
            references.c.source_id,
            references.c.claim_id == claims.c.id,
            order_by=references.c.id,
        ),
        "independent_origins",
        claims.c.independent_origins,
        "on_record",
        claims.c.on_record,
        "created_at",
        claims.c.created_at,
        "updated_at",
        claims.c.updated_at,
    ]
    if "attributions" in expand:
        from app.attributions.service import ATTRIBUTIONS, attribution_document

        attributions = ATTRIBUTIONS.alias()
        fields += [
            "attributions",
            documents.json_array(
                attribution_document(attributions, expand=frozenset({"speaker", "source"})),
                attributions.c.claim_id == claims.c.id,
                order_by=attributions.c.id,
            ),
        ]
    if "events" in expand:
        from app.events.service import embedded_event

        expanded = CLAIM_EVENTS.alias()
        fields += [
            "events",
            documents.json_array(
                embedded_event(expanded.c.event_id),
                expanded.c.claim_id == claims.c.id,
                order_by=expanded.c.id,
            ),
        ]
    return func.json_build_object(*fields)


def embedded_claim(claim_id: ColumnElement[Any]) -> ColumnElement[Any]:
    claims = CLAIMS.alias()
    return select(claim_document(claims)).where(claims.c.id == claim_id).scalar_subquery()


async def get_claim(
    reader: sqlcompile.Reader, *, claim_id: UUID, expand: frozenset[str] = frozenset()
) -> str:
    return await sqlcompile.fetch_one(
        reader, claim_document(expand=expand), CLAIMS.c.id, what="claim", id=claim_id, etag=True
    )


async def list_claims(
    session: AsyncSession,
    *,
    language: str | None,
    event_id: UUID | None,
    speaker_id: UUID | None,
    source_id: UUID | None,
    time_from: date | None,
    time_to: date | None,
    expand: frozenset[str],
    limit: int,
    cursor: str | None,
    min_origins: int | None = None,
    on_record: bool | None = None,
    sort: str = "id",
) -> str:
    """Claims, filtered on their own fields and on those of their attributions
    (speaker, source, time said): a claim matches if one attribution does.
    ``min_origins``/``on_record`` filter on the stored corroboration counters;
    ``sort`` is ``id`` (creation order) or ``[-]independent_origins``."""
    where: list[ColumnElement[bool]] = []
    if min_origins is not None:
        where.append(CLAIMS.c.independent_origins >= min_origins)
    if on_record is not None:
        where.append(CLAIMS.c.on_record.is_(on_record))
    if language:
        where.append(CLAIMS.c.language == language)
    if event_id:
        where.append(
            CLAIMS.c.id.in_(
                select(CLAIM_EVENTS.c.claim_id).where(CLAIM_EVENTS.c.event_id == event_id)
            )
        )
    from app.attributions.service import ATTRIBUTIONS

    attribution_filters: list[ColumnElement[bool]] = []
    if speaker_id:
        attribution_filters.append(ATTRIBUTIONS.c.speaker_id == speaker_id)
    if source_id:
        attribution_filters.append(ATTRIBUTIONS.c.source_id == source_id)
    window = overlaps(ATTRIBUTIONS, time_from, time_to)
    if window is not None:
        attribution_filters.append(window)
    if attribution_filters:
        where.append(CLAIMS.c.id.in_(select(ATTRIBUTIONS.c.claim_id).where(*attribution_filters)))
    if sort != "id":
        return await fetch_origins_page(
            session,
            document=claim_document(expand=expand),
            where=where,
            limit=limit,
            cursor=cursor,
            descending=sort.startswith("-"),
        )
    return await pagination.fetch_page(
        session,
        id_column=CLAIMS.c.id,
        document=claim_document(expand=expand),
        where=where,
        limit=limit,
        cursor=cursor,
    )


async def _write_links(
    session: AsyncSession,
    claim_id: UUID,
    translations: list[TranslationIn] | None,
    event_ids: list[UUID] | None,
    source_ids: list[UUID] | None,
) -> None:
    if translations is not None:
        rows = [{"claim_id": claim_id, **t.model_dump()} for t in translations]
        await writes.replace_children(
            session, ClaimTranslation, TRANSLATIONS.c.claim_id, claim_id, rows
        )
    if event_ids is not None:
        rows = [{"claim_id": claim_id, "event_id": event_id} for event_id in event_ids]
        await writes.replace_children(session, ClaimEvent, CLAIM_EVENTS.c.claim_id, claim_id, rows)
    if source_ids is not None:
        rows = [{"claim_id": claim_id, "source_id": source_id} for source_id in source_ids]
        await writes.replace_children(
            session, ClaimSourceReference, REFERENCES.c.claim_id, claim_id, rows
        )


LINKS = {"translations", "event_ids", "referenced_source_ids"}


async def create_claim(session: AsyncSession, *, data: ClaimCreate, id: UUID | None = None) -> UUID:
    claim_id = await writes.insert_row(session, Claim, data.model_dump(exclude=LINKS), id=id)
    await _write_links(
        session, claim_id, data.translations, data.event_ids, data.referenced_source_ids
    )
    return claim_id


async def update_claim(session: AsyncSession, *, claim_id: UUID, data: ClaimUpdate) -> None:
    await writes.update_row(
        session, Claim, claim_id, data.changes(exclude=frozenset(LINKS)), what="claim"
    )
    await _write_links(
        session, claim_id, data.translations, data.event_ids, data.referenced_source_ids
    )


async def delete_claim(session: AsyncSession, *, claim_id: UUID) -> None:
    await writes.delete_row(session, Claim, claim_id, what="claim")


@functools.cache  # built once per shape: building it costs more than running it
def relation_document(
    relations: FromClause = RELATIONS, *, expand: frozenset[str] = frozenset()
) -> ColumnElement[Any]:
    fields: list[Any] = [
        "id",
        relations.c.id,
        "kind",
        relations.c.kind,
        "from_claim_id",
        relations.c.from_claim_id,
        "to_claim_id",
        relations.c.to_claim_id,
        "asserted_by_actor_id",
        relations.c.asserted_by_actor_id,
        "asserted_in_source_id",
        relations.c.asserted_in_source_id,
        "note",
        relations.c.note,
        "created_at",
        relations.c.created_at,
        "updated_at",
        relations.c.updated_at,
    ]
    if "from_claim" in expand:
        fields += ["from_claim", embedded_claim(relations.c.from_claim_id)]
    if "to_claim" in expand:
        fields += ["to_claim", embedded_claim(relations.c.to_claim_id)]
    if "asserted_by" in expand:
        fields += ["asserted_by", embedded_actor(relations.c.asserted_by_actor_id)]
    return func.json_build_object(*fields)


async def get_relation(
    session: AsyncSession, *, relation_id: UUID, expand: frozenset[str] = frozenset()
) -> str:
    return await sqlcompile.fetch_one(
        session,
        relation_document(expand=expand),
        RELATIONS.c.id,
        what="claim relation",
        id=relation_id,
        etag=True,
    )


async def list_relations(
    session: AsyncSession,
    *,
    claim_id: UUID | None,
    kind: str | None,
    expand: frozenset[str],
    limit: int,
    cursor: str | None,
) -> str:
    where: list[ColumnElement[bool]] = []
    if claim_id:
        where.append(
            (RELATIONS.c.from_claim_id == claim_id) | (RELATIONS.c.to_claim_id == claim_id)
        )
    if kind:
        where.append(RELATIONS.c.kind == kind)
    return await pagination.fetch_page(
        session,
        id_column=RELATIONS.c.id,
        document=relation_document(expand=expand),
        where=where,
        limit=limit,
        cursor=cursor,
    )


async def create_relation(
    session: AsyncSession, *, data: ClaimRelationCreate, id: UUID | None = None
) -> UUID:
    relation_id = await writes.insert_row(session, ClaimRelation, data.model_dump(), id=id)
    if data.kind == "same_as":
        await refresh_corroboration(session, claim_ids=[data.from_claim_id, data.to_claim_id])
    return relation_id


async def _relation_ends(session: AsyncSession, relation_id: UUID) -> Any:
    """(kind, from_claim_id, to_claim_id) of a relation, or None."""
    statement = select(RELATIONS.c.kind, RELATIONS.c.from_claim_id, RELATIONS.c.to_claim_id).where(
        RELATIONS.c.id == relation_id
    )
    return (await session.execute(statement)).one_or_none()


async def update_relation(
    session: AsyncSession, *, relation_id: UUID, data: ClaimRelationUpdate
) -> None:
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


async def delete_relation(session: AsyncSession, *, relation_id: UUID) -> None:
    before = await _relation_ends(session, relation_id)
    await writes.delete_row(session, ClaimRelation, relation_id, what="claim relation")
    if before is not None and before.kind == "same_as":
        await refresh_corroboration(session, claim_ids=[before.from_claim_id, before.to_claim_id])
