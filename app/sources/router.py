from typing import Annotated

from fastapi import Query, Response

from app import documents, expansion, sparse
from app.db import SessionDep
from app.documents import JSONText
from app.errors import PROBLEM_RESPONSES
from app.pagination import Page
from app.path_params import SourceId
from app.routing import Router
from app.sources import service
from app.sources.schemas import EXPANDABLE, SourceCreate, SourceListQuery, SourceRead, SourceUpdate

router = Router(prefix="/v1/sources", tags=["sources"], responses=PROBLEM_RESPONSES)
Expand = Annotated[str | None, expansion.expand_query(EXPANDABLE)]


@router.post("", status_code=201, response_model=SourceRead, summary="Create a source")
async def create_source(data: SourceCreate, session: SessionDep) -> Response:
    """Store a document: kind, title, publisher, authors, URL, language, fuzzy publication
    time, full text (attribution spans are code-point offsets into it) and the sources it
    cites. 201 with `Location`."""
    return documents.created(await service.create_source(session, data=data), under=router.prefix)


@router.get("", response_model=Page[SourceRead], summary="List sources")
async def list_sources(session: SessionDep, query: Annotated[SourceListQuery, Query()]) -> Response:
    """Sources in creation order (without their full text), filtered by kind, publisher,
    author, language or a publication window; `expand` embeds publisher and authors, and
    `counts` of the claims and attributions each records."""
    return JSONText(await service.list_sources(session, query=query))


@router.get("/{source_id}", response_model=SourceRead, summary="Read a source, with its text")
async def get_source(
    source_id: SourceId,
    session: SessionDep,
    expand: Expand = None,
    fields: Annotated[str | None, sparse.fields_query(SourceRead)] = None,
) -> Response:
    """One source, with its full text; `expand` embeds its publisher and authors, and
    `counts` of the claims and attributions it records; `fields` picks the members returned
    (`fields=id,title`: not the text)."""
    return JSONText(
        await service.get_source(
            session,
            source_id=source_id,
            expand=expansion.parse_expand(expand, EXPANDABLE),
            fields=sparse.parse_fields(fields, SourceRead),
        )
    )


@router.patch("/{source_id}", response_model=SourceRead, summary="Update a source")
async def update_source(source_id: SourceId, data: SourceUpdate, session: SessionDep) -> Response:
    """Change the fields sent, and only those. A new `full_text` that would move the span
    of an attribution recorded in this source is refused (409)."""
    return JSONText(await service.update_source(session, source_id=source_id, data=data))


@router.delete("/{source_id}", status_code=204, summary="Delete a source")
async def delete_source(source_id: SourceId, session: SessionDep) -> Response:
    """Delete a source; 409 `still-referenced` while another
    record still refers to it."""
    return await documents.deleted(service.delete_source(session, source_id=source_id))
