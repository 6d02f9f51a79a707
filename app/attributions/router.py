from typing import Annotated
from uuid import UUID

from fastapi import Query, Response

from app import documents, expansion, pagination, sparse
from app.attributions import order, service
from app.attributions.schemas import (
    AttributionCreate,
    AttributionRead,
    AttributionUpdate,
    Certainty,
    Mode,
    ResolutionMethod,
)
from app.db import ReaderDep, SessionDep
from app.documents import JSONText
from app.errors import PROBLEM_RESPONSES
from app.fastpath import HotRead
from app.history import service as history
from app.history.params import AsOf, Include
from app.pagination import Page
from app.path_params import AttributionId
from app.routing import Router
from app.time_window import SaidFrom, SaidTo

router = Router(
    prefix="/v1/attributions",
    tags=["attributions"],
    responses=PROBLEM_RESPONSES,
    route_class=HotRead,
)
Expand = Annotated[str | None, expansion.expand_query(service.EXPANDABLE)]
Fields = Annotated[str | None, sparse.fields_query(AttributionRead)]


@router.post("", status_code=201, response_model=AttributionRead, summary="Create an attribution")
async def create_attribution(data: AttributionCreate, session: SessionDep) -> Response:
    """Record that a speaker said a claim in a source: when (fuzzy time), how (`mode`,
    `cue`), how certain the reporting is (`certainty`), the span of the source text, and
    the attribution it relays (`relayed_through_id`, on whose report). The speaker is given
    by id (`speaker_id`) or by name (`speaker`: the resolver finds the actor or creates one;
    `speaker_resolution` says how). A relay that would form a cycle, or a span that is not
    the source's text, is refused. 201 with `Location`."""
    return documents.created(
        await service.create_attribution(session, data=data), under=router.prefix
    )


@router.get("", response_model=Page[AttributionRead], summary="List attributions")
async def list_attributions(
    reader: ReaderDep,
    claim_id: UUID | None = None,
    speaker_id: UUID | None = None,
    source_id: UUID | None = None,
    occasion_event_id: UUID | None = None,
    relayed_through_id: UUID | None = None,
    mode: Mode | None = None,
    certainty: Certainty | None = None,
    resolution_method: Annotated[
        ResolutionMethod | None,
        Query(description="How the speaker was resolved (`speaker_resolution.method`)."),
    ] = None,
    reviewed: Annotated[
        bool | None,
        Query(description="`true`: only those a person reviewed (`review` set); `false`: none."),
    ] = None,
    time_from: SaidFrom = None,
    time_to: SaidTo = None,
    expand: Expand = None,
    fields: Fields = None,
    sort: Annotated[order.AttributionSort, order.sort_query("created")] = "created",
    limit: pagination.Limit = pagination.DEFAULT_LIMIT,
    cursor: pagination.Cursor = None,
    include: Include = None,
) -> Response:
    """Attributions in creation order (or by time said: `sort`), filtered by claim, speaker
    (a merged actor's id means its survivor), source, occasion, relayed attribution, mode,
    certainty, how the speaker was resolved or a time window; `expand` embeds what they refer
    to, `fields` picks the members returned."""
    return JSONText(
        await service.list_attributions(
            reader,
            claim_id=claim_id,
            speaker_id=speaker_id,
            source_id=source_id,
            occasion_event_id=occasion_event_id,
            relayed_through_id=relayed_through_id,
            mode=mode,
            certainty=certainty,
            resolution_method=resolution_method,
            reviewed=reviewed,
            time_from=time_from,
            time_to=time_to,
            expand=expansion.parse_expand(expand, service.EXPANDABLE),
            fields=sparse.parse_fields(fields, AttributionRead),
            sort=sort,
            limit=limit,
            cursor=cursor,
            include_retracted=include == "retracted",
        )
    )


@router.get("/{attribution_id}", response_model=AttributionRead, summary="Read an attribution")
async def get_attribution(
    attribution_id: AttributionId, session: SessionDep, expand: Expand = None, as_of: AsOf = None
) -> Response:
    """One attribution; `expand` embeds its speaker, source, claim, relayed attribution and
    occasion."""
    if as_of is not None:
        return JSONText(
            await history.document_as_of(
                session,
                document=service.attribution_document(
                    history.as_of_table(service.ATTRIBUTIONS),
                    expand=expansion.parse_expand(expand, service.EXPANDABLE),
                ),
                as_of_rows=history.as_of_table(service.ATTRIBUTIONS),
                record_id=attribution_id,
                as_of=as_of,
                what="attribution",
            )
        )
    return JSONText(
        await service.get_attribution(
            session,
            attribution_id=attribution_id,
            expand=expansion.parse_expand(expand, service.EXPANDABLE),
        )
    )


@router.patch("/{attribution_id}", response_model=AttributionRead, summary="Update an attribution")
async def update_attribution(
    attribution_id: AttributionId, data: AttributionUpdate, session: SessionDep
) -> Response:
    """Change the fields sent, and only those; spans are checked against the source's text
    again."""
    return JSONText(
        await service.update_attribution(session, attribution_id=attribution_id, data=data)
    )


@router.delete("/{attribution_id}", status_code=204, summary="Delete an attribution")
async def delete_attribution(attribution_id: AttributionId, session: SessionDep) -> Response:
    """Delete an attribution; 409 `still-referenced` while another record still refers to it."""
    return await documents.deleted(
        service.delete_attribution(session, attribution_id=attribution_id)
    )
