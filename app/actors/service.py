import functools
from typing import Any
from uuid import UUID

from sqlalchemy import FromClause, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from app import documents, writes
from app.actors.models import Actor, ActorName, ActorRole
from app.actors.schemas import ActorCreate, ActorListQuery, ActorUpdate, default_scope
from app.documents import Document
from app.errors import ActorMerged, name_constraint_field
from app.identity.keys import StoredName, replace_actor_keys
from app.provenance.corroboration import refresh_corroboration
from app.records import Records, columns, stored, write_children
from app.redaction.documents import redactions_json

name_constraint_field("roles", "fk_actor_roles_organisation_id_actors")
name_constraint_field("names", "uq_actor_names_actor_id_name_language")

ACTORS = Actor.__table__
NAMES = ActorName.__table__
ROLES = ActorRole.__table__


@functools.cache  # built once per shape: building it costs more than running it
def actor_document(actors: FromClause = ACTORS) -> ColumnElement[Any]:
    names = NAMES.alias()
    roles = ROLES.alias()
    return func.json_build_object(
        *stored(
            actors,
            *columns(
                actors,
                "kind",
                "name",
                "description",
                "nationality",
                "role_description",
                "wikidata_id",
                "scope",
                "status",
            ),
            "merged_into",
            actors.c.merged_into_id,
            "names",
            documents.json_array(
                func.json_build_object(*columns(names, "name", "language", "kind")),
                names.c.actor_id == actors.c.id,
                order_by=names.c.id,
            ),
            "roles",
            documents.json_array(
                func.json_build_object(
                    *columns(roles, "title", "organisation_id", "started_on", "ended_on")
                ),
                roles.c.actor_id == actors.c.id,
                order_by=(roles.c.started_on, roles.c.id),
            ),
            "redactions",
            redactions_json("actors", actors.c.id),
        )
    )


ACTOR_RECORDS = Records(ACTORS, actor_document, what="actor")
embedded_actor = ACTOR_RECORDS.embedded
"""The document of the actor an id column points at, for ``?expand=``."""


async def get_actor(session: AsyncSession, *, actor_id: UUID) -> Document:
    return await ACTOR_RECORDS.get(session, actor_id)


async def list_actors(session: AsyncSession, *, query: ActorListQuery) -> str:
    where = ACTOR_RECORDS.matching(
        kind=query.kind, wikidata_id=query.wikidata_id, status=query.status
    )
    if name := query.name:
        # Exact (case-insensitive) match on the display name or any alias;
        # fuzzy matching is /v1/search's job.
        where.append(
            (func.lower(ACTORS.c.name) == name.lower())
            | ACTOR_RECORDS.linked(NAMES.c.actor_id, func.lower(NAMES.c.name) == name.lower())
        )
    return await ACTOR_RECORDS.page(session, where, query)


async def _write_children(
    session: AsyncSession, actor_id: UUID, data: ActorCreate | ActorUpdate
) -> None:
    await write_children(session, ActorName, "actor_id", actor_id, data.names)
    await write_children(session, ActorRole, "actor_id", actor_id, data.roles)


async def refresh_keys(session: AsyncSession, actor_id: UUID) -> None:
    """Rewrite the actor's ``actor_keys`` from its stored kind, scope and names."""
    actor = (
        await session.execute(
            select(ACTORS.c.kind, ACTORS.c.scope, ACTORS.c.name).where(ACTORS.c.id == actor_id)
        )
    ).one()
    names = await session.execute(
        select(NAMES.c.name, NAMES.c.kind).where(NAMES.c.actor_id == actor_id)
    )
    await replace_actor_keys(
        session,
        actor_id,
        kind=actor.kind,
        scope=actor.scope,
        name=actor.name,
        names=[StoredName(name, kind) for name, kind in names],
    )


async def create_actor(
    session: AsyncSession, *, data: ActorCreate, id: UUID | None = None
) -> Document:
    values = data.model_dump(exclude={"names", "roles"})
    values["scope"] = data.scope or default_scope(data.kind)
    actor_id = await writes.insert_row(session, Actor, values, id=id)
    await _write_children(session, actor_id, data)
    await replace_actor_keys(
        session,
        actor_id,
        kind=data.kind,
        scope=values["scope"],
        name=data.name,
        names=[StoredName(n.name, n.kind) for n in data.names],
    )
    return await get_actor(session, actor_id=actor_id)


async def refuse_merged(session: AsyncSession, actor_id: UUID) -> None:
    """A write to a merged actor belongs to its survivor: 409 naming it."""
    survivor = (
        await session.execute(select(ACTORS.c.merged_into_id).where(ACTORS.c.id == actor_id))
    ).scalar_one_or_none()
    if survivor is not None:
        raise ActorMerged(
            f"actor {actor_id} was merged into actor {survivor}: write to the survivor "
            f"(or unmerge it first: POST /v1/actors/{actor_id}/unmerge)",
            merged_into=survivor,
        )


async def update_actor(session: AsyncSession, *, actor_id: UUID, data: ActorUpdate) -> Document:
    await refuse_merged(session, actor_id)
    old_kind: str | None = None
    if data.kind is not None:
        old_kind = (
            await session.execute(select(ACTORS.c.kind).where(ACTORS.c.id == actor_id))
        ).scalar_one_or_none()
    await writes.update_row(
        session,
        Actor,
        actor_id,
        data.changes(exclude=frozenset({"names", "roles"})),
        what="actor",
    )
    await _write_children(session, actor_id, data)
    if data.model_fields_set & {"kind", "name", "names", "scope"}:
        await refresh_keys(session, actor_id)
    if old_kind is not None and (old_kind == "anonymous") != (data.kind == "anonymous"):
        # Chains through this actor's words go on or off the record.
        await refresh_corroboration(session, speaker_ids=[actor_id])
    return await get_actor(session, actor_id=actor_id)


async def delete_actor(session: AsyncSession, *, actor_id: UUID) -> None:
    await refuse_merged(session, actor_id)
    await writes.delete_row(session, Actor, actor_id, what="actor")


def survivor(actor_id: Any) -> ColumnElement[Any]:
    """SQL: the actor ``actor_id`` names, or its survivor if a curator merged
    it (a filter or a reference naming a merged actor means the survivor)."""
    merged_into = select(ACTORS.c.merged_into_id).where(ACTORS.c.id == actor_id).scalar_subquery()
    return func.coalesce(merged_into, actor_id)
