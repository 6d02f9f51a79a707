import functools
from typing import Any
from uuid import UUID

from sqlalchemy import FromClause, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from app import documents, pagination, sqlcompile, writes
from app.actors.models import Actor, ActorName, ActorRole
from app.actors.schemas import ActorCreate, ActorNameIn, ActorRoleIn, ActorUpdate
from app.errors import name_constraint_field
from app.provenance.corroboration import refresh_corroboration

name_constraint_field("fk_actor_roles_organisation_id_actors", "roles")
name_constraint_field("uq_actor_names_actor_id_name_language", "names")

ACTORS = Actor.__table__
NAMES = ActorName.__table__
ROLES = ActorRole.__table__


@functools.cache  # built once per shape: building it costs more than running it
def actor_document(actors: FromClause = ACTORS) -> ColumnElement[Any]:
    names = NAMES.alias()
    roles = ROLES.alias()
    return func.json_build_object(
        "id",
        actors.c.id,
        "kind",
        actors.c.kind,
        "name",
        actors.c.name,
        "description",
        actors.c.description,
        "nationality",
        actors.c.nationality,
        "role_description",
        actors.c.role_description,
        "wikidata_id",
        actors.c.wikidata_id,
        "names",
        documents.json_array(
            func.json_build_object(
                "name", names.c.name, "language", names.c.language, "kind", names.c.kind
            ),
            names.c.actor_id == actors.c.id,
            order_by=names.c.id,
        ),
        "roles",
        documents.json_array(
            func.json_build_object(
                "title",
                roles.c.title,
                "organisation_id",
                roles.c.organisation_id,
                "started_on",
                roles.c.started_on,
                "ended_on",
                roles.c.ended_on,
            ),
            roles.c.actor_id == actors.c.id,
            order_by=(roles.c.started_on, roles.c.id),
        ),
        "created_at",
        actors.c.created_at,
        "updated_at",
        actors.c.updated_at,
    )


def embedded_actor(actor_id: ColumnElement[Any]) -> ColumnElement[Any]:
    """The document of the actor ``actor_id`` points at, for ``?expand=``."""
    actors = ACTORS.alias()
    return select(actor_document(actors)).where(actors.c.id == actor_id).scalar_subquery()


async def get_actor(session: AsyncSession, *, actor_id: UUID) -> str:
    return await sqlcompile.fetch_one(
        session, actor_document(), ACTORS.c.id, what="actor", id=actor_id, etag=True
    )


async def list_actors(
    session: AsyncSession,
    *,
    kind: str | None,
    name: str | None,
    wikidata_id: str | None,
    limit: int,
    cursor: str | None,
) -> str:
    where: list[ColumnElement[bool]] = []
    if kind:
        where.append(ACTORS.c.kind == kind)
    if wikidata_id:
        where.append(ACTORS.c.wikidata_id == wikidata_id)
    if name:
        # Exact (case-insensitive) match on the display name or any alias;
        # fuzzy matching is /v1/search's job.
        where.append(
            (func.lower(ACTORS.c.name) == name.lower())
            | ACTORS.c.id.in_(
                select(NAMES.c.actor_id).where(func.lower(NAMES.c.name) == name.lower())
            )
        )
    return await pagination.fetch_page(
        session,
        id_column=ACTORS.c.id,
        document=actor_document(),
        where=where,
        limit=limit,
        cursor=cursor,
    )


def _name_rows(actor_id: UUID, names: list[ActorNameIn]) -> list[dict[str, Any]]:
    return [{"actor_id": actor_id, **name.model_dump()} for name in names]


def _role_rows(actor_id: UUID, roles: list[ActorRoleIn]) -> list[dict[str, Any]]:
    return [{"actor_id": actor_id, **role.model_dump()} for role in roles]


async def create_actor(session: AsyncSession, *, data: ActorCreate, id: UUID | None = None) -> UUID:
    actor_id = await writes.insert_row(
        session, Actor, data.model_dump(exclude={"names", "roles"}), id=id
    )
    await writes.replace_children(
        session, ActorName, NAMES.c.actor_id, actor_id, _name_rows(actor_id, data.names)
    )
    await writes.replace_children(
        session, ActorRole, ROLES.c.actor_id, actor_id, _role_rows(actor_id, data.roles)
    )
    return actor_id


async def update_actor(session: AsyncSession, *, actor_id: UUID, data: ActorUpdate) -> None:
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
    if data.names is not None:
        await writes.replace_children(
            session, ActorName, NAMES.c.actor_id, actor_id, _name_rows(actor_id, data.names)
        )
    if data.roles is not None:
        await writes.replace_children(
            session, ActorRole, ROLES.c.actor_id, actor_id, _role_rows(actor_id, data.roles)
        )
    if old_kind is not None and (old_kind == "anonymous") != (data.kind == "anonymous"):
        # Chains through this actor's words go on or off the record.
        await refresh_corroboration(session, speaker_ids=[actor_id])


async def delete_actor(session: AsyncSession, *, actor_id: UUID) -> None:
    await writes.delete_row(session, Actor, actor_id, what="actor")
