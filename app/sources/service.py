import functools
from typing import Any
from uuid import UUID

from sqlalchemy import FromClause, Text, distinct, func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from app import documents, writes
from app.actors.service import ACTOR_RECORDS, embedded_actor
from app.attributions.models import Attribution
from app.documents import Document
from app.errors import Conflict, name_constraint_field, name_time_anchor_fields
from app.fuzzytime import fuzzy_time_json
from app.records import Records, columns, stored, write_children
from app.redaction.documents import redactions_json
from app.sources.models import Source, SourceAuthor, SourceCitation
from app.sources.schemas import SourceCreate, SourceListQuery, SourceUpdate
from app.sparse import Fields, pick
from app.time_at_write import changed_time_columns, time_columns

SOURCES = Source.__table__
AUTHORS = SourceAuthor.__table__
CITATIONS = SourceCitation.__table__
ATTRIBUTIONS = Attribution.__table__

name_time_anchor_fields("sources", "published")
name_constraint_field(
    "author_ids", "fk_source_authors_actor_id_actors", "uq_source_authors_source_id_actor_id"
)
name_constraint_field(
    "cites_source_ids",
    "fk_source_citations_cited_source_id_sources",
    "ck_source_citations_not_self",
)


# Built once per shape: building it costs more than running it. Bounded: a
# client chooses the shape (`expand`, `fields`: thousands of combinations).
@functools.lru_cache(maxsize=512)
def source_document(
    sources: FromClause = SOURCES,
    *,
    with_text: bool = False,
    expand: frozenset[str] = frozenset(),
    fields: Fields = None,
) -> ColumnElement[Any]:
    """The JSON document of a source; ``full_text`` only when reading one;
    the members ``fields`` names (all when None)."""
    authors = AUTHORS.alias()
    citations = CITATIONS.alias()
    members = stored(
        sources,
        *columns(sources, "kind", "title", "publisher_id", "url", "language"),
        "published",
        fuzzy_time_json(sources),
        "text_length",
        func.char_length(sources.c.full_text),
        "author_ids",
        documents.linked_ids(
            authors.c.actor_id, authors.c.source_id, sources.c.id, order_by=authors.c.position
        ),
        "cites_source_ids",
        documents.linked_ids(
            citations.c.cited_source_id, citations.c.citing_source_id, sources.c.id
        ),
        "redactions",
        redactions_json("sources", sources.c.id),
    )
    if with_text:
        members += ["full_text", sources.c.full_text]
    if "publisher" in expand:
        members += ["publisher", embedded_actor(sources.c.publisher_id)]
    if "authors" in expand:
        members += [
            "authors",
            ACTOR_RECORDS.embedded_through(
                authors,
                link="actor_id",
                parent="source_id",
                parent_id=sources.c.id,
                order_by="position",
            ),
        ]
    if "counts" in expand:
        members += ["counts", _record_counts(sources.c.id)]
    return func.json_build_object(*pick(members, fields))


def _record_counts(source_id: ColumnElement[Any]) -> ColumnElement[Any]:
    """``{claims, attributions}`` recorded in the source, retracted records
    left out (as ``/v1/sources/{id}/claims`` leaves them out): one scan of
    ``ix_attributions_source_id_claim_id`` for the source."""
    recorded = ATTRIBUTIONS.alias("recorded")
    return (
        select(
            func.json_build_object(
                "claims",
                func.count(distinct(recorded.c.claim_id)),
                "attributions",
                func.count(),
            )
        )
        .where(recorded.c.source_id == source_id, recorded.c.retracted_at.is_(None))
        .scalar_subquery()
    )


SOURCE_RECORDS = Records(SOURCES, source_document, what="source")
embedded_source = SOURCE_RECORDS.embedded


async def get_source(
    session: AsyncSession,
    *,
    source_id: UUID,
    expand: frozenset[str] = frozenset(),
    fields: Fields = None,
) -> Document:
    return await SOURCE_RECORDS.get(
        session, source_id, with_text=True, expand=expand, fields=fields
    )


async def list_sources(session: AsyncSession, *, query: SourceListQuery) -> str:
    where = SOURCE_RECORDS.matching(kind=query.kind, publisher_id=query.publisher_id)
    if query.author_id:
        written_by = AUTHORS.c.actor_id == query.author_id
        where.append(SOURCE_RECORDS.linked(AUTHORS.c.source_id, written_by))
    where += SOURCE_RECORDS.matching(language=query.language)
    return await SOURCE_RECORDS.page_in_window(session, where, query, expand=query.expanded)


async def _write_links(
    session: AsyncSession, source_id: UUID, data: SourceCreate | SourceUpdate
) -> None:
    authors = None if data.author_ids is None else list(enumerate(data.author_ids))
    await write_children(session, SourceAuthor, "source_id", source_id, authors, _author_row)
    await write_children(
        session, SourceCitation, "citing_source_id", source_id, data.cites_source_ids, _cited_row
    )


def _author_row(author: tuple[int, UUID]) -> dict[str, Any]:
    position, actor_id = author
    return {"actor_id": actor_id, "position": position}


def _cited_row(cited: UUID) -> dict[str, Any]:
    return {"cited_source_id": cited}


async def create_source(
    session: AsyncSession, *, data: SourceCreate, id: UUID | None = None
) -> Document:
    values = data.model_dump(exclude={"published", "author_ids", "cites_source_ids"})
    source_id = await writes.insert_row(
        session,
        Source,
        {**values, **(await time_columns(session, data.published, language=data.language))},
        id=id,
    )
    await _write_links(session, source_id, data)
    return await get_source(session, source_id=source_id)


async def update_source(session: AsyncSession, *, source_id: UUID, data: SourceUpdate) -> Document:
    values = data.changes(exclude=frozenset({"published", "author_ids", "cites_source_ids"}))
    values.update(await changed_time_columns(session, data.published))
    if "full_text" in values:
        await _check_spans_survive(session, source_id=source_id, full_text=values["full_text"])
    await writes.update_row(session, Source, source_id, values, what="source")
    await _write_links(session, source_id, data)
    return await get_source(session, source_id=source_id)


async def _check_spans_survive(
    session: AsyncSession, *, source_id: UUID, full_text: str | None
) -> None:
    """Refuse a new text that would leave an attribution span (the claim's
    wording, or an annotated fragment) pointing at other words."""
    from app.attributions.models import Attribution, AttributionSpan

    attributions = Attribution.__table__
    fragments = AttributionSpan.__table__
    new_text = literal(full_text, Text) if full_text is not None else None

    def broken(start: Any, end: Any, text: Any) -> ColumnElement[bool]:
        if new_text is None:
            return literal(True)
        outside: ColumnElement[bool] = end > func.char_length(new_text)
        changed: ColumnElement[bool] = func.substr(new_text, start + 1, end - start) != text
        return outside | changed

    wording = select(attributions.c.id).where(
        attributions.c.source_id == source_id,
        attributions.c.span_start.is_not(None),
        broken(attributions.c.span_start, attributions.c.span_end, attributions.c.span_text),
    )
    annotated = (
        select(fragments.c.attribution_id)
        .join(attributions, attributions.c.id == fragments.c.attribution_id)
        .where(
            attributions.c.source_id == source_id,
            broken(fragments.c.start, fragments.c.end, fragments.c.text),
        )
    )
    affected = wording.union(annotated).subquery()
    statement = select(func.count()).select_from(affected)
    broken_count = (await session.execute(statement)).scalar_one()
    if broken_count:
        raise Conflict(
            f"the new full_text would invalidate the text spans of {broken_count} attribution(s) "
            "of this source; update or remove those spans first"
        )


async def delete_source(session: AsyncSession, *, source_id: UUID) -> None:
    await writes.delete_row(session, Source, source_id, what="source")
