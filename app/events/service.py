import functools
from typing import Any
from uuid import UUID

from sqlalchemy import FromClause, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from app import documents, pagination, sqlcompile, writes
from app.actors.service import embedded_actor
from app.errors import name_constraint_field
from app.events.models import Event, EventParticipant, EventRelation
from app.events.schemas import EventCreate, EventRelationIn, EventUpdate, ParticipantIn
from app.fuzzytime import fuzzy_time_json

EVENTS = Event.__table__
PARTICIPANTS = EventParticipant.__table__
RELATIONS = EventRelation.__table__
EXPANDABLE = ("participants",)

name_constraint_field("fk_event_participants_actor_id_actors", "participants")
name_constraint_field("uq_event_participants_event_id_actor_id_role", "participants")
name_constraint_field("fk_event_relations_related_event_id_events", "relations")
name_constraint_field("uq_event_relations_event_id_related_event_id_relation", "relations")
name_constraint_field("ck_event_relations_not_self", "relations")
name_constraint_field("fk_events_time_anchor_event_id_events", "time.anchor_event_id")
name_constraint_field("fk_events_time_anchor_source_id_sources", "time.anchor_source_id")


@functools.cache  # built once per shape: building it costs more than running it
def event_document(
    events: FromClause = EVENTS, *, expand: frozenset[str] = frozenset()
) -> ColumnElement[Any]:
    participants = PARTICIPANTS.alias()
    relations = RELATIONS.alias()
    participant_fields: list[Any] = [
        "actor_id",
        participants.c.actor_id,
        "role",
        participants.c.role,
    ]
    if "participants" in expand:
        participant_fields += ["actor", embedded_actor(participants.c.actor_id)]
    return func.json_build_object(
        "id",
        events.c.id,
        "kind",
        events.c.kind,
        "title",
        events.c.title,
        "description",
        events.c.description,
        "place",
        events.c.place,
        "time",
        fuzzy_time_json(events),
        "participants",
        documents.json_array(
            func.json_build_object(*participant_fields),
            participants.c.event_id == events.c.id,
            order_by=participants.c.id,
        ),
        "relations",
        documents.json_array(
            func.json_build_object(
                "relation",
                relations.c.relation,
                "event_id",
                relations.c.related_event_id,
                "offset_days",
                relations.c.offset_days,
                "expression",
                relations.c.expression,
            ),
            relations.c.event_id == events.c.id,
            order_by=relations.c.id,
        ),
        "created_at",
        events.c.created_at,
        "updated_at",
        events.c.updated_at,
    )


def embedded_event(event_id: ColumnElement[Any]) -> ColumnElement[Any]:
    events = EVENTS.alias()
    return select(event_document(events)).where(events.c.id == event_id).scalar_subquery()


async def get_event(
    session: AsyncSession, *, event_id: UUID, expand: frozenset[str] = frozenset()
) -> str:
    return await sqlcompile.fetch_one(
        session, event_document(expand=expand), EVENTS.c.id, what="event", id=event_id, etag=True
    )


async def list_events(
    session: AsyncSession,
    *,
    kind: str | None,
    participant_id: UUID | None,
    window: ColumnElement[bool] | None,
    expand: frozenset[str],
    limit: int,
    cursor: str | None,
) -> str:
    where: list[ColumnElement[bool]] = []
    if kind:
        where.append(EVENTS.c.kind == kind)
    if participant_id:
        where.append(
            EVENTS.c.id.in_(
                select(PARTICIPANTS.c.event_id).where(PARTICIPANTS.c.actor_id == participant_id)
            )
        )
    return await pagination.fetch_page(
        session,
        id_column=EVENTS.c.id,
        document=event_document(expand=expand),
        where=where,
        limit=limit,
        cursor=cursor,
        window=window,
    )


async def _write_links(
    session: AsyncSession,
    event_id: UUID,
    participants: list[ParticipantIn] | None,
    relations: list[EventRelationIn] | None,
) -> None:
    if participants is not None:
        rows = [{"event_id": event_id, **p.model_dump()} for p in participants]
        await writes.replace_children(
            session, EventParticipant, PARTICIPANTS.c.event_id, event_id, rows
        )
    if relations is not None:
        rows = [
            {
                "event_id": event_id,
                "related_event_id": r.event_id,
                "relation": r.relation,
                "offset_days": r.offset_days,
                "expression": r.expression,
            }
            for r in relations
        ]
        await writes.replace_children(session, EventRelation, RELATIONS.c.event_id, event_id, rows)


async def create_event(session: AsyncSession, *, data: EventCreate, id: UUID | None = None) -> UUID:
    values = data.model_dump(exclude={"time", "participants", "relations"})
    event_id = await writes.insert_row(session, Event, {**values, **data.time.to_columns()}, id=id)
    await _write_links(session, event_id, data.participants, data.relations)
    return event_id


async def update_event(session: AsyncSession, *, event_id: UUID, data: EventUpdate) -> None:
    values = data.changes(exclude=frozenset({"time", "participants", "relations"}))
    if data.time is not None:
        values.update(data.time.to_columns())
    await writes.update_row(session, Event, event_id, values, what="event")
    await _write_links(session, event_id, data.participants, data.relations)


async def delete_event(session: AsyncSession, *, event_id: UUID) -> None:
    await writes.delete_row(session, Event, event_id, what="event")
