import orjson
from fastapi import Response

from app.db import SessionDep
from app.errors import PROBLEM_RESPONSES, problem_response_doc
from app.extractions import service
from app.extractions.schemas import ExtractionRead, ExtractionRequest
from app.keys.auth import read_only_post
from app.routing import Router

router = Router(prefix="/v1/extractions", tags=["extraction"], responses=PROBLEM_RESPONSES)


@read_only_post(router.prefix)
@router.post(
    "",
    response_model=ExtractionRead,
    summary="Propose the attributions of a text (stores nothing)",
    responses={
        413: problem_response_doc("`text` longer than 200,000 code points."),
        429: problem_response_doc("Too many extractions running (with `Retry-After`)."),
    },
)
async def extract(request: ExtractionRequest, session: SessionDep) -> Response:
    """Reads an English or French article and proposes its attributions: every fragment of
    each speaker, cue and content (code points of `text`, end exclusive), mode, certainty
    and the words that decided it, relays (inside the text, and through the sources it
    names: "ont confié ... au média Bloomberg"), time resolved against `published`, and a
    confidence; speakers grouped and resolved to stored actors by the identity resolver.
    Stores nothing: `bundle` is the same proposal for `POST /v1/bundles`, to store once
    reviewed. A read: it needs a key only where reads do. Models run in separate worker
    processes (`ONRECORD_EXTRACTION_WORKERS`); at most `ONRECORD_EXTRACTION_IN_FLIGHT` run
    at once per server process, beyond that 429 with `Retry-After`."""
    body = await service.extract(session, request=request)
    return Response(orjson.dumps(body, default=str), media_type="application/json")
