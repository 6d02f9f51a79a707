from typing import Annotated

import orjson
from fastapi import Query, Request, Response

from app import documents, pagination
from app.actors.schemas import ActorRead
from app.concurrency.preconditions import expect_version_of
from app.curation import merge, service
from app.curation.schemas import (
    CurationItemRead,
    CurationKind,
    DistinctionRead,
    DistinctRequest,
    DuplicatesRead,
    MergeRequest,
    SplitRequest,
)
from app.db import SessionDep
from app.documents import JSONText
from app.errors import PROBLEM_RESPONSES
from app.pagination import Page
from app.path_params import ActorId
from app.routing import Router

router = Router(prefix="/v1", tags=["curation"], responses=PROBLEM_RESPONSES)


@router.get(
    "/actors/{actor_id}/duplicates",
    response_model=DuplicatesRead,
    summary="Actors that may be the same as this one",
)
async def actor_duplicates(actor_id: ActorId, session: SessionDep) -> Response:
    """Candidates with a score and the reasons, best first: a tie the resolver would not
    break at import, a shared name or alias, a surname that matches a full name, the same
    role and affiliation. Pairs a curator called distinct are left out."""
    return JSONText(await service.duplicates_of(session, actor_id=actor_id))


@router.post(
    "/actors/{actor_id}/merge",
    response_model=ActorRead,
    summary="Merge an actor into another (the same person)",
)
async def merge_actor(
    actor_id: ActorId, data: MergeRequest, request: Request, session: SessionDep
) -> Response:
    """Everything that points at this actor moves to `into` (its attributions, its roles as
    publisher or author of sources, others' roles in it, events, claim relations), its
    names and roles are copied there, and it stays readable with `status: "merged"` and
    `merged_into`. Answers the survivor. `If-Match` is checked against this actor. 409:
    merging into itself or into a merged actor, or the two hold different single values
    (`wikidata_id`, kind) — the problem names them."""
    expect_version_of(request, session, actor_id)
    return JSONText(await merge.merge_actor(session, actor_id=actor_id, into_id=data.into))


@router.post(
    "/actors/{actor_id}/unmerge",
    response_model=ActorRead,
    summary="Undo a merge",
)
async def unmerge_actor(actor_id: ActorId, request: Request, session: SessionDep) -> Response:
    """Restore a merged actor with its id and exactly what the merge moved (rows changed
    since stay as they are), and record that the two are different people, so the resolver
    never merges them again. 409 if the actor is not merged."""
    expect_version_of(request, session, actor_id)
    return JSONText(await merge.unmerge_actor(session, actor_id=actor_id))


@router.post(
    "/actors/{actor_id}/split",
    status_code=201,
    response_model=ActorRead,
    summary="Move some of an actor's attributions to a new actor",
)
async def split_actor(actor_id: ActorId, data: SplitRequest, session: SessionDep) -> Response:
    """The chosen attributions (each must be this actor's: else 422 pointing at it) move to
    a new actor made from `actor`; their `speaker_resolution.method` becomes `manual`, and
    the two are recorded as different people. 201 with the new actor and `Location`."""
    created = await service.split_actor(session, actor_id=actor_id, data=data)
    return documents.created(created, under="/v1/actors")


@router.post(
    "/actors/{actor_id}/distinct",
    response_model=DistinctionRead,
    status_code=201,
    responses={200: {"description": "Already recorded: nothing changed."}},
    summary="Record that two actors are not the same person",
)
async def mark_distinct(actor_id: ActorId, data: DistinctRequest, session: SessionDep) -> Response:
    """A curator's "not the same person": the resolver never merges the two on a later
    import, and neither lists the other among its duplicates. 201, or 200 if recorded before."""
    decision, created = await service.mark_distinct(session, actor_id=actor_id, data=data)
    return Response(
        orjson.dumps(decision, default=str),
        status_code=201 if created else 200,
        media_type="application/json",
    )


@router.get(
    "/curation",
    response_model=Page[CurationItemRead],
    summary="What is worth a curator's look",
)
async def curation_queue(
    session: SessionDep,
    kind: Annotated[
        CurationKind | None, Query(description="Only this kind of item (else all, kind by kind).")
    ] = None,
    limit: pagination.Limit = pagination.DEFAULT_LIMIT,
    cursor: pagination.Cursor = None,
) -> Response:
    """Duplicate candidates (best first), speakers the resolver could not place (an
    unresolved pronoun or description, an actor of its own) and resolutions it was unsure
    of, in keyset pages."""
    return JSONText(await service.curation_queue(session, kind=kind, limit=limit, cursor=cursor))
