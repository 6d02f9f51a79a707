from typing import Annotated

from fastapi import Query, Request, Response

from app import documents, expansion, sparse
from app.claim_attribution_documents import CLAIM_RECORDS
from app.claims import linked_data, service
from app.claims.schemas import (
    EXPANDABLE,
    RELATION_EXPANDABLE,
    ClaimCreate,
    ClaimListQuery,
    ClaimRead,
    ClaimRelationCreate,
    ClaimRelationListQuery,
    ClaimRelationRead,
    ClaimRelationUpdate,
    ClaimUpdate,
)
from app.db import ReaderDep, SessionDep
from app.documents import JSONText
from app.errors import PROBLEM_RESPONSES
from app.fastpath import HotRead
from app.history import service as history
from app.history.params import AsOf
from app.pagination import Page
from app.path_params import ClaimId, RelationId
from app.routing import Router

router = Router(
    prefix="/v1/claims", tags=["claims"], responses=PROBLEM_RESPONSES, route_class=HotRead
)
relations_router = Router(
    prefix="/v1/claim-relations", tags=["claim relations"], responses=PROBLEM_RESPONSES
)
Expand = Annotated[str | None, expansion.expand_query(EXPANDABLE)]
RelationExpand = Annotated[str | None, expansion.expand_query(RELATION_EXPANDABLE)]
Fields = Annotated[str | None, sparse.fields_query(ClaimRead)]


@router.post("", status_code=201, response_model=ClaimRead, summary="Create a claim")
async def create_claim(data: ClaimCreate, session: SessionDep) -> Response:
    """Store what was said, in its original wording and language, with translations, the
    events it is about and the sources it refers to. Who said it, and where, are
    attributions (`POST /v1/attributions`). 201 with `Location`."""
    return documents.created(await service.create_claim(session, data=data), under=router.prefix)


@router.get("", response_model=Page[ClaimRead], summary="List claims")
async def list_claims(session: SessionDep, query: Annotated[ClaimListQuery, Query()]) -> Response:
    """Claims, filtered by language, event, speaker, source, time said, corroboration
    (`min_origins`) or `on_record=false` (anonymous sources only), sorted by id or by
    independent origins."""
    return JSONText(await service.list_claims(session, query=query))


@router.get(
    "/{claim_id}",
    response_model=ClaimRead,
    summary="Read a claim",
    responses=linked_data.OPENAPI_RESPONSES,
)
async def get_claim(
    claim_id: ClaimId,
    request: Request,
    reader: ReaderDep,
    expand: Expand = None,
    fields: Fields = None,
    as_of: AsOf = None,
) -> Response:
    """One claim with its translations and corroboration (`independent_origins`,
    `on_record`); `Accept: application/ld+json` returns it as JSON-LD (schema.org and
    PROV-O terms; `fields` does not apply there)."""
    expanded = expansion.parse_expand(expand, EXPANDABLE)
    members = sparse.parse_fields(fields, ClaimRead)
    vary = {"Vary": "Accept"}
    if as_of is not None:  # from its history (app/history); corroboration counts are today's
        rows = history.as_of_table(CLAIM_RECORDS.table)
        return JSONText(
            await history.document_as_of(
                reader,
                document=service.claim_document(rows, expand=expanded, fields=members),
                as_of_rows=rows,
                record_id=claim_id,
                as_of=as_of,
                what="claim",
            )
        )
    if linked_data.prefers_jsonld(request.headers.get("accept")):
        document = await linked_data.claim_jsonld(
            reader, claim_id=claim_id, base_url=str(request.base_url)
        )
        return Response(document, media_type=linked_data.MEDIA_TYPE, headers=vary)
    return JSONText(
        await service.get_claim(reader, claim_id=claim_id, expand=expanded, fields=members),
        headers=vary,
    )


@router.patch("/{claim_id}", response_model=ClaimRead, summary="Update a claim")
async def update_claim(claim_id: ClaimId, data: ClaimUpdate, session: SessionDep) -> Response:
    """Change the fields sent, and only those; a list sent replaces the stored one whole."""
    return JSONText(await service.update_claim(session, claim_id=claim_id, data=data))


@router.delete("/{claim_id}", status_code=204, summary="Delete a claim")
async def delete_claim(claim_id: ClaimId, session: SessionDep) -> Response:
    """Delete a claim; 409 `still-referenced` while another
    record still refers to it."""
    return await documents.deleted(service.delete_claim(session, claim_id=claim_id))


@relations_router.post(
    "", status_code=201, response_model=ClaimRelationRead, summary="Relate two claims"
)
async def create_relation(data: ClaimRelationCreate, session: SessionDep) -> Response:
    """Record how two claims relate (`contradicts`, `supports`, `refines`, `same_as`,
    `follows_from`) and, optionally, who asserts it. 201 with `Location`."""
    return documents.created(
        await service.create_relation(session, data=data), under=relations_router.prefix
    )


@relations_router.get("", response_model=Page[ClaimRelationRead], summary="List claim relations")
async def list_relations(
    session: SessionDep, query: Annotated[ClaimRelationListQuery, Query()]
) -> Response:
    """Claim relations in creation order, filtered by a claim on either side or by kind;
    `expand` embeds both claims and the asserting actor."""
    return JSONText(await service.list_relations(session, query=query))


@relations_router.get(
    "/{relation_id}", response_model=ClaimRelationRead, summary="Read a claim relation"
)
async def get_relation(
    relation_id: RelationId, session: SessionDep, expand: RelationExpand = None
) -> Response:
    """One claim relation; `expand` embeds both claims and the asserting actor."""
    return JSONText(
        await service.get_relation(
            session,
            relation_id=relation_id,
            expand=expansion.parse_expand(expand, RELATION_EXPANDABLE),
        )
    )


@relations_router.patch(
    "/{relation_id}", response_model=ClaimRelationRead, summary="Update a claim relation"
)
async def update_relation(
    relation_id: RelationId, data: ClaimRelationUpdate, session: SessionDep
) -> Response:
    """Change the fields sent, and only those."""
    return JSONText(await service.update_relation(session, relation_id=relation_id, data=data))


@relations_router.delete("/{relation_id}", status_code=204, summary="Delete a claim relation")
async def delete_relation(relation_id: RelationId, session: SessionDep) -> Response:
    """Delete a claim relation."""
    return await documents.deleted(service.delete_relation(session, relation_id=relation_id))
