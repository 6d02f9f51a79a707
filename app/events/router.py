from typing import Annotated
from uuid import UUID

from fastapi import Query, Response

from app import documents, expansion
from app.db import ReaderDep, SessionDep
from app.documents import JSONText
from app.errors import PROBLEM_RESPONSES
from app.events import service, timeline
from app.events.schemas import EXPANDABLE, EventCreate, EventListQuery, EventRead, EventUpdate
from app.events.timeline import Timeline
from app.fastpath import HotRead
from app.pagination import Page
from app.path_params import EventId
from app.routing import Router
from app.time_window import HappenedFrom, HappenedTo

router = Router(
    prefix="/v1/events", tags=["events"], responses=PROBLEM_RESPONSES, route_class=HotRead
)
Expand = Annotated[str | None, expansion.expand_query(EXPANDABLE)]


@router.post("", status_code=201, response_model=EventRead, summary="Create an event")
async def create_event(data: EventCreate, session: SessionDep) -> Response:
    """Store an event: kind, title, place, participants, fuzzy time (absolute, or relative
    to a source's date or another event), and temporal relations to other events. 201 with
    `Location`."""
    return documents.created(await service.create_event(session, data=data), under=router.prefix)


@router.get("", response_model=Page[EventRead], summary="List events")
async def list_events(session: SessionDep, query: Annotated[EventListQuery, Query()]) -> Response:
    """Events in creation order, filtered by kind, participant or a time window (overlap);
    `expand` embeds participants. For time order use `GET /v1/events/timeline`."""
    return JSONText(await service.list_events(session, query=query))


@router.get(
    "/timeline",
    response_model=Timeline,
    summary="Events in time order, with their uncertainty",
    description="Events ordered by their first possible day, then their last. Relative times "
    "are resolved where the anchor is dated (`resolved.derived`); undated events related to a "
    "placed one are put next to it (`placement: relation`). Each event lists the claims about "
    "it. A time window keeps events whose (stored or derived) days overlap it.",
)
async def event_timeline(
    reader: ReaderDep,
    participant_id: Annotated[
        UUID | None, Query(description="Only events with this actor.")
    ] = None,
    time_from: HappenedFrom = None,
    time_to: HappenedTo = None,
    limit: Annotated[int, Query(ge=1, le=1000, description="At most 1000.")] = 500,
) -> Response:
    return JSONText(
        await timeline.timeline(
            reader,
            participant_id=participant_id,
            time_from=time_from,
            time_to=time_to,
            limit=limit,
        )
    )


@router.get("/{event_id}", response_model=EventRead, summary="Read an event")
async def get_event(event_id: EventId, session: SessionDep, expand: Expand = None) -> Response:
    """One event with its participants, fuzzy time and relations."""
    return JSONText(
        await service.get_event(
            session, event_id=event_id, expand=expansion.parse_expand(expand, EXPANDABLE)
        )
    )


@router.patch("/{event_id}", response_model=EventRead, summary="Update an event")
async def update_event(event_id: EventId, data: EventUpdate, session: SessionDep) -> Response:
    """Change the fields sent, and only those; a list sent replaces the stored one whole."""
    return JSONText(await service.update_event(session, event_id=event_id, data=data))


@router.delete("/{event_id}", status_code=204, summary="Delete an event")
async def delete_event(event_id: EventId, session: SessionDep) -> Response:
    """Delete an event; 409 `still-referenced` while another
    record still refers to it."""
    return await documents.deleted(service.delete_event(session, event_id=event_id))
