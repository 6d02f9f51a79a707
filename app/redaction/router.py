"""Redactions (admins only): an actor's personal details, a span of a source's text."""

from fastapi import Depends, Request, Response

from app.actors.schemas import ActorRead
from app.db import SessionDep
from app.documents import JSONText
from app.errors import PROBLEM_RESPONSES
from app.keys.auth import key_id_of, require_admin
from app.path_params import ActorId, SourceId
from app.redaction import service
from app.redaction.schemas import ActorRedaction, SourceRedaction
from app.routing import Router
from app.sources.schemas import SourceRead

router = Router(prefix="/v1", responses=PROBLEM_RESPONSES, dependencies=[Depends(require_admin)])


@router.post(
    "/actors/{actor_id}/redactions",
    response_model=ActorRead,
    tags=["actors"],
    summary="Redact an actor's personal details (admin)",
)
async def redact_actor(
    actor_id: ActorId, redaction: ActorRedaction, request: Request, session: SessionDep
) -> Response:
    """Remove personal details for good (a legal takedown; an admin key): the fields named
    become `[redacted]` (`wikidata_id` null, `names` and `roles` empty), and so do they in
    every state the history kept and in stored idempotent responses. Reads then list the
    redaction (`redactions`: when, why, which fields), never the removed content."""
    return JSONText(
        await service.redact_actor(
            session, actor_id=actor_id, redaction=redaction, key_id=key_id_of(request)
        )
    )


@router.post(
    "/sources/{source_id}/redactions",
    response_model=SourceRead,
    tags=["sources"],
    summary="Redact a span of a source's text (admin)",
)
async def redact_source(
    source_id: SourceId, redaction: SourceRedaction, request: Request, session: SessionDep
) -> Response:
    """Mask `full_text` from `start` to `end` (code points) for good (a legal takedown; an
    admin key): each code point becomes U+2588 (█), so every offset, and every span, stays
    valid. The spans of its attributions that overlap it, and every state the history kept
    of the text and of those spans, are masked alike. Reads then list the redaction
    (`redactions`: when, why, where), never the removed text. Claims are not touched."""
    return JSONText(
        await service.redact_source(
            session, source_id=source_id, redaction=redaction, key_id=key_id_of(request)
        )
    )
