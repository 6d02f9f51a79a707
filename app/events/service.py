import functools
from typing import Any
from uuid import UUID

from sqlalchemy import FromClause, func
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from app import documents, writes
from app.actors.service import embedded_actor
from app.documents import Document
from app.errors import name_constraint_field, name_time_anchor_fields
from app.events.models import Event, EventParticipant, EventRelation
from app.events.schemas import EventCreate, EventListQuery, EventRelationIn, EventUpdate
from app.fuzzytime import fuzzy_time_json
from app.records import Records, columns, stored, write_children
from app.time_at_write import changed_time_columns, time_columns

EVENTS = Event.__table__
PARTICIPANTS = EventParticipant.__table__
RELATIONS = EventRelation.__table__

name_time_anchor_fields("events", "time")
name_constraint_field(
    "participants",
    "fk_event_participants_actor_id_actors",
    "uq_event_participants_event_id_actor_id_role",
)
name_constraint_field(
    "relations",
    "fk_event_relations_related_event_id_events",
    "uq_event_relations_event_id_related_event_id_relation",
    "ck_event_relations_not_self",
)


@functools.cache  # built once per shape: building it costs more than running it
def event_document(
    events: FromClause = EVENTS, *, expand: frozenset[str] = frozenset()
) -> ColumnElement[Any]:
    participants = PARTICIPANTS.alias()
    relations = RELATIONS.alias()
    participant_fields = columns(participants, "actor_id", "role")
    if "participants" in expand:
        participant_fields += ["actor", embedded_actor(participants.c.actor_id)]
    return func.json_build_object(
        *stored(
            events,
            *columns(events, "kind", "title", "description", "place"),
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
                    *columns(relations, "relation"),
                    "event_id",
                    relations.c.related_event_id,
                    *columns(relations, "offset_days", "expression"),
                ),
                relations.c.event_id == events.c.id,
                order_by=relations.c.id,
            ),
        )
    )


EVENT_RECORDS = Records(EVENTS, event_document, what="event")
embedded_event = EVENT_RECORDS.embedded


async def get_event(
    session: AsyncSession, *, event_id: UUID, expand: frozenset[str] = frozenset()
) -> Document:
    return await EVENT_RECORDS.get(session, event_id, expand=expand)


async def list_events(session: AsyncSession, *, query: EventListQuery) -> str:
    where = EVENT_RECORDS.matching(kind=query.kind)
    if query.participant_id:
        taking_part = PARTICIPANTS.c.actor_id == query.participant_id
        where.append(EVENT_RECORDS.linked(PARTICIPANTS.c.event_id, taking_part))
    return await EVENT_RECORDS.page_in_window(session, where, query, expand=query.expanded)


async def _write_links(
    session: AsyncSession, event_id: UUID, data: EventCreate | EventUpdate
) -> None:
    await write_children(session, EventParticipant, "event_id", event_id, data.participants)
    await write_children(
        session, EventRelation, "event_id", event_id, data.relations, _relation_row
    )


def _relation_row(relation: EventRelationIn) -> dict[str, Any]:
    return {
        "related_event_id": relation.event_id,
        "relation": relation.relation,
        "offset_days": relation.offset_days,
        "expression": relation.expression,
    }


async def create_event(
    session: AsyncSession, *, data: EventCreate, id: UUID | None = None
) -> Document:
    values = data.model_dump(exclude={"time", "participants", "relations"})
    time = await time_columns(session, data.time)
    event_id = await writes.insert_row(session, Event, {**values, **time}, id=id)
    await _write_links(session, event_id, data)
    return await get_event(session, event_id=event_id)


async def update_event(session: AsyncSession, *, event_id: UUID, data: EventUpdate) -> Document:
    values = data.changes(exclude=frozenset({"time", "participants", "relations"}))
    values.update(await changed_time_columns(session, data.time))
    await writes.update_row(session, Event, event_id, values, what="event")
    await _write_links(session, event_id, data)
    return await get_event(session, event_id=event_id)


async def delete_event(session: AsyncSession, *, event_id: UUID) -> None:
    await writes.delete_row(session, Event, event_id, what="event")
