from typing import Annotated
from uuid import UUID

from fastapi import Query, Response

from app import pagination
from app.conflicts import service
from app.conflicts.schemas import ClaimConflicts, ConflictPage
from app.db import SessionDep
from app.documents import JSONText
from app.errors import PROBLEM_RESPONSES
from app.path_params import ClaimId
from app.routing import Router

router = Router(tags=["conflicts"], responses=PROBLEM_RESPONSES)


@router.get(
    "/v1/claims/{claim_id}/conflicts",
    response_model=ClaimConflicts,
    summary="Claims that contradict this one",
    description="Relations of kind `contradicts` in either direction, each with the other "
    "claim, its translations and its speakers (certainty, mode, source). "
    "`self_conflict` marks two claims with a common speaker.",
)
async def claim_conflicts(claim_id: ClaimId, session: SessionDep) -> Response:
    return JSONText(await service.claim_conflicts(session, claim_id=claim_id))


@router.get(
    "/v1/conflicts",
    response_model=ConflictPage,
    summary="List contradictions",
    description="Every `contradicts` relation with both claims and their speakers, in "
    "creation order. `self_conflict=true`: only an actor contradicting itself (the claims "
    "share a speaker); `actor_id`: only conflicts where this actor speaks on either side.",
)
async def list_conflicts(
    session: SessionDep,
    self_conflict: Annotated[
        bool | None, Query(description="Only (or, false: no) self-conflicts.")
    ] = None,
    actor_id: Annotated[UUID | None, Query(description="A speaker on either side.")] = None,
    limit: pagination.Limit = pagination.DEFAULT_LIMIT,
    cursor: pagination.Cursor = None,
) -> Response:
    return JSONText(
        await service.list_conflicts(
            session, self_conflict=self_conflict, actor_id=actor_id, limit=limit, cursor=cursor
        )
    )
