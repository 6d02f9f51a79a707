"""``POST /v1/extractions``: a text's proposed attributions, stored nowhere."""

from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import func
from sqlalchemy.ext.asyncio import AsyncSession

from app.db import row_by_id
from app.errors import InvalidField, ProblemError, UnknownReference
from app.extractions.bundle import as_bundle
from app.extractions.proposal import Article, build_proposal, run_models
from app.extractions.schemas import MAX_TEXT, ExtractionRequest, NewSourceFields, StoredSourceRef
from app.extractions.worker import extract_in_worker
from app.fields import is_blank
from app.sources.models import Source

SOURCES = Source.__table__


class TextTooLong(ProblemError):
    status, slug, title = 413, "text-too-long", "Text too long to extract from"


async def _article(
    session: AsyncSession, request: ExtractionRequest
) -> tuple[Article, date | None]:
    """The submitted text as a source, and its publication day."""
    given = request.source
    language = "" if request.language == "auto" else request.language
    if isinstance(given, StoredSourceRef):
        row = await row_by_id(
            session,
            SOURCES,
            given.id,
            SOURCES.c.full_text,
            SOURCES.c.title,
            SOURCES.c.kind,
            SOURCES.c.url,
            SOURCES.c.language,
            func.lower(SOURCES.c.time_range).label("first_day"),
            SOURCES.c.time_precision,
        )
        if row is None:
            raise UnknownReference(f"source.id ({given.id}) names no source", field="source.id")
        if row.full_text != request.text:
            raise InvalidField(
                "text is not the stored source's full_text (it must be, exactly)", field="text"
            )
        published = request.published
        if published is None and row.time_precision == "day":
            published = row.first_day
        return _described(request.text, row, language, id=given.id), published
    fields = given or NewSourceFields()
    article = _described(request.text, fields, language, publisher=fields.publisher)
    return article, request.published


def _described(
    text: str,
    source: Any,
    language: str,
    *,
    id: UUID | None = None,
    publisher: str | None = None,
) -> Article:
    """``text`` as the article ``source`` describes (the stored source's row, or
    the request's ``NewSourceFields``); its own language else ``language``."""
    return Article(
        text=text,
        language=source.language or language,
        kind=source.kind,
        title=source.title,
        url=source.url,
        publisher=publisher,
        id=id,
    )


Extractor = Callable[..., Awaitable[dict[str, Any]]]
"""Runs the models on a text (keywords ``language``, ``published``): in the
worker pool for the API, in the process for the command."""


async def in_process(article: Article, *, language: str, published: date | None) -> dict[str, Any]:
    return run_models(article, language=language, published=published)


async def extract(
    session: AsyncSession, *, request: ExtractionRequest, run: Extractor = extract_in_worker
) -> dict[str, Any]:
    if len(request.text) > MAX_TEXT:
        raise TextTooLong(
            f"text has {len(request.text):,} code points; at most {MAX_TEXT:,} are extracted "
            "from at once (split the document)"
        )
    if is_blank(request.text):
        raise InvalidField("text is empty: there is nothing to extract from", field="text")
    article, published = await _article(session, request)
    raw = await run(article, language=request.language, published=published)
    article.language = article.language or raw["language"]
    proposal = await build_proposal(session, raw, article)
    proposal.sources[0]["published"] = (
        None
        if published is None
        else {
            "expression": None,
            "relative_to": "none",
            "offset_days": None,
            "earliest": published,
            "latest": published,
            "precision": "day",
        }
    )
    return {
        "language": proposal.language,
        "model": proposal.model,
        "sources": proposal.sources,
        "actors": proposal.actors,
        "attributions": proposal.attributions,
        "bundle": as_bundle(article, proposal, published=published),
    }
