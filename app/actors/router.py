from typing import Annotated

from fastapi import Query, Response

from app import documents
from app.actors import service
from app.actors.schemas import ActorCreate, ActorListQuery, ActorRead, ActorUpdate
from app.db import SessionDep
from app.documents import JSONText
from app.errors import PROBLEM_RESPONSES
from app.history import service as history
from app.history.params import AsOf
from app.pagination import Page
from app.path_params import ActorId
from app.routing import Router

router = Router(prefix="/v1/actors", tags=["actors"], responses=PROBLEM_RESPONSES)


@router.post("", status_code=201, response_model=ActorRead, summary="Create an actor")
async def create_actor(data: ActorCreate, session: SessionDep) -> Response:
    """Store an actor: a person, organisation, government, media, group, or an anonymous
    actor known only by description (`nationality`, `role_description`), with its aliases
    and roles. 201 with `Location`; a `wikidata_id` already stored is a 409."""
    return documents.created(await service.create_actor(session, data=data), under=router.prefix)


@router.get("", response_model=Page[ActorRead], summary="List actors")
async def list_actors(session: SessionDep, query: Annotated[ActorListQuery, Query()]) -> Response:
    """Actors in creation order, filtered by kind, by a display name or alias (exact, any
    case), by Wikidata id or by status; keyset pages (`limit`, `cursor`)."""
    return JSONText(await service.list_actors(session, query=query))


@router.get("/{actor_id}", response_model=ActorRead, summary="Read an actor")
async def get_actor(actor_id: ActorId, session: SessionDep, as_of: AsOf = None) -> Response:
    """One actor with its names (aliases, spellings, epithets, by language) and its roles
    over time. A merged actor answers 200 too, with `status: "merged"` and `merged_into`
    (no redirect). `as_of`: the actor's stored fields as they were then (names and roles
    are as they are now)."""
    if as_of is not None:
        as_of_rows = history.as_of_table(service.ACTORS)
        return JSONText(
            await history.document_as_of(
                session,
                document=service.actor_document(as_of_rows),
                as_of_rows=as_of_rows,
                record_id=actor_id,
                as_of=as_of,
                what="actor",
            )
        )
    return JSONText(await service.get_actor(session, actor_id=actor_id))


@router.patch("/{actor_id}", response_model=ActorRead, summary="Update an actor")
async def update_actor(actor_id: ActorId, data: ActorUpdate, session: SessionDep) -> Response:
    """Change the fields sent, and only those; a list sent (`names`, `roles`) replaces the
    stored one whole. A merged actor: 409 `actor-merged` naming the survivor."""
    return JSONText(await service.update_actor(session, actor_id=actor_id, data=data))


@router.delete("/{actor_id}", status_code=204, summary="Delete an actor")
async def delete_actor(actor_id: ActorId, session: SessionDep) -> Response:
    """Delete an actor; 409 `still-referenced` while another record still refers to it."""
    return await documents.deleted(service.delete_actor(session, actor_id=actor_id))
