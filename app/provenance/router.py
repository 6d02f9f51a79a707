from typing import Annotated
from uuid import UUID

from fastapi import Query, Response

from app import pagination, sparse
from app.attributions import order
from app.attributions.schemas import Certainty, Mode
from app.db import ReaderDep, SessionDep
from app.documents import JSONText
from app.errors import PROBLEM_RESPONSES
from app.fastpath import HotRead
from app.history.params import AsOf, Include
from app.pagination import Page
from app.path_params import ActorId, ClaimId, SourceId
from app.provenance import service, statements
from app.provenance.schemas import ProvenanceRead, RecordedClaimRead, StatementRead
from app.routing import Router
from app.time_window import SaidFrom, SaidTo

router = Router(prefix="/v1", tags=["provenance"], responses=PROBLEM_RESPONSES, route_class=HotRead)


@router.get(
    "/claims/{claim_id}/provenance",
    response_model=ProvenanceRead,
    summary="On whose report: every relay chain of a claim",
    description="Each record of the claim (or of a claim `same_as` it) that no record of the "
    "same source relays starts a chain, followed back to the record where the words first "
    "appear. A chain's origin is that record's speaker, or its source for the source's own "
    "voice; `independent_origins` counts distinct origins; a chain is on the record when no "
    "hop has an anonymous speaker. Certainty, strongest to weakest: asserted, alleged, "
    "hypothetical, denied (`unknown` hops do not weaken a chain).",
)
async def claim_provenance(
    claim_id: ClaimId, reader: ReaderDep, include: Include = None, as_of: AsOf = None
) -> Response:
    return JSONText(
        await service.claim_provenance(
            reader, claim_id=claim_id, include_retracted=include == "retracted", as_of=as_of
        )
    )


@router.get(
    "/actors/{actor_id}/statements",
    response_model=Page[StatementRead],
    summary="What an actor said, over time",
    description="The actor's attributions by earliest possible day (unknown times last), then "
    "creation order; `sort` chooses another order, `fields` the members returned.",
)
async def actor_statements(
    actor_id: ActorId,
    reader: ReaderDep,
    time_from: SaidFrom = None,
    time_to: SaidTo = None,
    event_id: Annotated[
        UUID | None, Query(description="Said at this event, or about it (the claim's events).")
    ] = None,
    certainty: Certainty | None = None,
    mode: Mode | None = None,
    direct: Annotated[
        bool | None,
        Query(
            description="`true`: the records where the words first appear (relaying no other "
            "record); `false`: the records that relay another one."
        ),
    ] = None,
    sort: Annotated[order.AttributionSort, order.sort_query("time")] = "time",
    fields: Annotated[str | None, sparse.fields_query(StatementRead)] = None,
    limit: pagination.Limit = pagination.DEFAULT_LIMIT,
    cursor: pagination.Cursor = None,
) -> Response:
    return JSONText(
        await statements.actor_statements(
            reader,
            actor_id=actor_id,
            time_from=time_from,
            time_to=time_to,
            event_id=event_id,
            certainty=certainty,
            mode=mode,
            direct=direct,
            sort=sort,
            fields=sparse.parse_fields(fields, StatementRead),
            limit=limit,
            cursor=cursor,
        )
    )


@router.get(
    "/sources/{source_id}/claims",
    response_model=Page[RecordedClaimRead],
    summary="What a source reported, directly or relayed",
)
async def source_claims(
    source_id: SourceId,
    session: SessionDep,
    limit: pagination.Limit = pagination.DEFAULT_LIMIT,
    cursor: pagination.Cursor = None,
) -> Response:
    """Every claim the source records, in its own voice, quoted or relayed, in claim
    creation order, each with its records here: speaker, mode, certainty, relay and chain."""
    return JSONText(
        await service.source_claims(session, source_id=source_id, limit=limit, cursor=cursor)
    )


@router.get(
    "/actors/{actor_id}/published-claims",
    response_model=Page[RecordedClaimRead],
    summary="What a publisher reported, in any of its sources",
)
async def published_claims(
    actor_id: ActorId,
    session: SessionDep,
    limit: pagination.Limit = pagination.DEFAULT_LIMIT,
    cursor: pagination.Cursor = None,
) -> Response:
    """Every claim recorded in any source this actor publishes (for a news agency,
    everything it reported), directly or relayed, with the records of each."""
    return JSONText(
        await service.published_claims(session, actor_id=actor_id, limit=limit, cursor=cursor)
    )
