"""History, the changes feed, corrections and retractions."""

from typing import Annotated

from fastapi import Query, Response

from app import pagination
from app.attributions.schemas import AttributionRead
from app.db import SessionDep
from app.documents import JSONText
from app.errors import PROBLEM_RESPONSES
from app.history import corrections, service
from app.history.schemas import ChangesPage, Correction, Resource, Retraction, RevisionRead
from app.keys.auth import AdminViewer
from app.pagination import Page
from app.path_params import AttributionId, RecordId
from app.routing import Router

router = Router(prefix="/v1", responses=PROBLEM_RESPONSES)


@router.get(
    "/{resource}/{record_id}/history",
    response_model=Page[RevisionRead],
    tags=["history"],
    summary="Every change of a record, newest first",
    description="Creations, updates (corrections with their reason) and deletions, each with "
    "when, and the stored row before and after; with an admin key, also the API key that made "
    "it (its name and id are shown to admins only). The row holds the "
    "record's own fields; its parts (names, roles, translations, spans, participants...) are "
    "rows of their own and not in it: a PATCH of a list shows as an update of the record's "
    "`updated_at`. Deleted records keep their history (the last revision is the tombstone).",
)
async def record_history(
    resource: Resource,
    record_id: RecordId,
    session: SessionDep,
    admin: AdminViewer,
    limit: pagination.Limit = pagination.DEFAULT_LIMIT,
    cursor: pagination.Cursor = None,
) -> Response:
    return JSONText(
        await service.record_history(
            session,
            resource=resource,
            record_id=record_id,
            limit=limit,
            cursor=cursor,
            show_keys=admin,
        )
    )


@router.get(
    "/changes",
    response_model=ChangesPage,
    tags=["history"],
    summary="Feed of every change, to sync",
    description="Every creation, update and deletion of every record, in a stable order "
    "(by writing transaction, then revision): store `next` and pass it back as `since` to get "
    "what changed after. A change appears once every transaction that started before it has "
    "ended, so the feed never skips one that commits late. With an admin key, each change "
    "names the API key that made it.",
)
async def changes(
    session: SessionDep,
    admin: AdminViewer,
    since: Annotated[
        str | None,
        Query(
            max_length=512,
            description="`next` of the previous call.",
            json_schema_extra={"pattern": pagination.CURSOR_PATTERN},
        ),
    ] = None,
    limit: pagination.Limit = pagination.DEFAULT_LIMIT,
) -> Response:
    return JSONText(await service.changes(session, since=since, limit=limit, show_keys=admin))


@router.post(
    "/attributions/{attribution_id}/corrections",
    response_model=AttributionRead,
    tags=["attributions"],
    summary="Correct an attribution, saying why",
    description="Changes the fields given in `changes` (as PATCH does) and records `reason` "
    "in the attribution's history.",
)
async def correct_attribution(
    attribution_id: AttributionId, correction: Correction, session: SessionDep
) -> Response:
    return JSONText(
        await corrections.correct_attribution(
            session, attribution_id=attribution_id, correction=correction
        )
    )


@router.post(
    "/attributions/{attribution_id}/retraction",
    response_model=AttributionRead,
    tags=["attributions"],
    summary="Retract an attribution, saying why",
    description="The attribution is kept, marked retracted (`retraction`: when and why); it no "
    "longer starts relay chains nor counts towards corroboration, and lists and question "
    "endpoints leave it out unless `include=retracted`. 409 if already retracted.",
)
async def retract_attribution(
    attribution_id: AttributionId, retraction: Retraction, session: SessionDep
) -> Response:
    return JSONText(
        await corrections.retract_attribution(
            session, attribution_id=attribution_id, retraction=retraction
        )
    )
