"""``/v1/bundles``: many records in one request, all or nothing."""

import functools
import json
from collections.abc import AsyncIterator
from typing import Annotated, Any
from uuid import UUID

from fastapi import Query, Request, Response
from fastapi.responses import StreamingResponse
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.bundles.bulk import OnChangedQuery, load_bundle
from app.bundles.export import ExportFilter, export_jsonld, export_lines
from app.bundles.format import Bundle, BundleSummary
from app.bundles.format.summary import NOTHING_WRITTEN, import_response
from app.claims.linked_data import MEDIA_TYPE as JSONLD
from app.claims.linked_data import prefers_jsonld
from app.db import SessionDep
from app.errors import PROBLEM_RESPONSES
from app.fields import Moment
from app.fuzzytime import check_window
from app.routing import Router
from app.time_window import SaidFrom, SaidTo

router = Router(prefix="/v1/bundles", tags=["bundles"], responses=PROBLEM_RESPONSES)
export_router = Router(prefix="/v1/export", tags=["bundles"], responses=PROBLEM_RESPONSES)
NDJSON = "application/x-ndjson"

SCHEMA_ID = "https://onrecord.dev/schemas/bundle-v1.json"


@router.post(
    "",
    response_model=BundleSummary,
    status_code=201,
    summary="Import a bundle",
    responses=NOTHING_WRITTEN,
)
async def import_bundle(
    bundle: Bundle, session: SessionDep, on_changed: OnChangedQuery = "refuse"
) -> Response:
    """Write a bundle's actors, sources, events, claims, attributions and claim
    relations in one transaction: one invalid record refuses the whole bundle
    with a problem listing every error with its JSON Pointer, and nothing is
    written.

    Idempotent: records already stored are left as they are, so sending the
    same bundle again writes nothing (200 instead of 201). A record is already
    stored when its id is (a bundle record's id is `uuid5(bundle id, ref)`, or
    its `ref` when that is a UUID), when it is an actor whose `wikidata_id`,
    or a source whose `url`, a stored row has. The same content under another
    bundle id is found too: a source by its URL or its exact text, then its
    claims, attributions and anonymous speakers by what they say; named
    speakers through the resolver. A stored document whose text changed is
    refused (422 naming it; `on_changed=update` replaces the text). The response maps
    every ref to its id."""
    summary = await load_bundle(session, bundle, on_changed=on_changed)
    return import_response(summary, summary)


@functools.cache
def bundle_schema() -> dict[str, Any]:
    """The bundle format as a JSON Schema, with the founding article as its example."""
    from app.demo import demo_bundle

    schema = Bundle.model_json_schema(mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        **schema,
        "examples": [demo_bundle()],
    }


def schema_text() -> str:
    return json.dumps(bundle_schema(), ensure_ascii=False, indent=2) + "\n"


@router.get(
    "/schema",
    summary="The bundle format as a JSON Schema",
    response_class=Response,
    responses={200: {"content": {"application/schema+json": {}}}},
)
async def get_bundle_schema() -> Response:
    """JSON Schema (2020-12) of `POST /v1/bundles` bodies and of `onrecord import`
    files; also in the repository as `docs/bundle.schema.json`."""
    return Response(schema_text(), media_type="application/schema+json")


@export_router.get(
    "",
    summary="Export records as NDJSON",
    response_class=StreamingResponse,
    responses={
        200: {
            "content": {NDJSON: {}, JSONLD: {}},
            "description": "One record per line; or, with `Accept: application/ld+json`,"
            " one JSON-LD document (schema.org and PROV-O terms).",
        }
    },
)
async def export(
    request: Request,
    speaker_id: Annotated[UUID | None, Query(description="Attributions of this actor.")] = None,
    source_id: Annotated[UUID | None, Query(description="Attributions in this source.")] = None,
    time_from: SaidFrom = None,
    time_to: SaidTo = None,
    changed_since: Annotated[
        Moment | None, Query(description="Only records created or changed since then.")
    ] = None,
) -> StreamingResponse:
    """Every record (or the attributions the filters pick, with everything they
    need) as NDJSON, one record per line in the bundle vocabulary, ids kept:
    `onrecord import` loads it back, and export → import → export gives the
    same bytes. Streamed from one consistent snapshot, in constant memory."""
    check_window(time_from, time_to)
    selection = ExportFilter(speaker_id, source_id, time_from, time_to, changed_since)
    factory: async_sessionmaker[AsyncSession] = request.app.state.snapshot_session_factory

    linked_data = prefers_jsonld(request.headers.get("accept"))
    base_url = str(request.base_url)

    async def lines() -> AsyncIterator[bytes]:
        # Its own session: the export outlives the request's dependencies.
        async with factory() as session:
            if linked_data:
                async for chunk in export_jsonld(session, selection, base_url=base_url):
                    yield chunk
            else:
                async for line in export_lines(session, selection):
                    yield line
            await session.rollback()  # it wrote nothing but a temporary table

    media_type = JSONLD if linked_data else NDJSON
    return StreamingResponse(lines(), media_type=media_type, headers={"Vary": "Accept"})
