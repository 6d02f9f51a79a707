from typing import Annotated, Literal
from uuid import UUID

from fastapi import Query
from pydantic import BaseModel, ConfigDict, Field

from app import examples, expansion, pagination
from app.fields import Ids, Language, LongText, Name, StorableText, Url
from app.fuzzytime import FuzzyTime, FuzzyTimeRead
from app.redaction.schemas import SourceRedactionRead
from app.schemas import Input, Patch, Stored
from app.time_window import PublishedFrom, PublishedTo

SourceKind = Literal[
    "article",
    "report",
    "statement",
    "press_release",
    "transcript",
    "interview",
    "broadcast",
    "social_post",
    "document",
    "other",
]
EXPANDABLE = ("publisher", "authors", "counts")


class SourceListQuery(expansion.ExpandingQuery):
    """The query of ``GET /v1/sources``: its filters, what to embed, the page."""

    expandable = EXPANDABLE

    kind: SourceKind | None = None
    publisher_id: UUID | None = None
    author_id: UUID | None = None
    language: Annotated[StorableText | None, Query(max_length=35)] = None
    time_from: PublishedFrom = None
    time_to: PublishedTo = None
    expand: Annotated[str | None, expansion.expand_query(EXPANDABLE)] = None
    limit: pagination.Limit = pagination.DEFAULT_LIMIT
    cursor: pagination.Cursor = None


# What a source is written with: each field's type, limits, description and
# examples, declared once for POST and PATCH. A PATCH field is the same
# declaration made optional (`| None = None`; left out, it stays as it is); a
# declaration that holds None already (POST may leave it null) reads alike in both.
Title = Annotated[Name, Field(examples=["Trump gave Haftar a green light, diplomats say"])]
PublisherId = Annotated[UUID | None, Field(description="The publishing actor.")]
Published = Annotated[FuzzyTime, Field(description="Publication time, fuzzy if need be.")]
FullText = Annotated[
    LongText | None,
    Field(description="The text; attribution spans are code-point offsets into it."),
]
CitesSourceIds = Annotated[Ids, Field(description="Sources this one cites or relays.")]
# The id lists' limits stay on each field: inside a shared type they would be
# checked after the ids and after their refusal of repeats, and POST's 422 for a
# long list would change.


class SourceCreate(Input):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.SOURCE_CREATE]})

    kind: SourceKind
    title: Title
    publisher_id: PublisherId = None
    url: Url | None = None
    language: Language | None = None
    published: Published = Field(default_factory=FuzzyTime)
    full_text: FullText = None
    author_ids: Ids = Field(default_factory=list, max_length=200)
    cites_source_ids: CitesSourceIds = Field(default_factory=list, max_length=1000)


class SourceUpdate(Patch):
    required_fields = frozenset({"kind", "title", "published", "author_ids", "cites_source_ids"})

    kind: SourceKind | None = None
    title: Title | None = None
    publisher_id: PublisherId = None
    url: Url | None = None
    language: Language | None = None
    published: Published | None = None
    full_text: FullText = None
    author_ids: Ids | None = Field(default=None, max_length=200)
    cites_source_ids: CitesSourceIds | None = Field(default=None, max_length=1000)


class RecordCounts(BaseModel):
    claims: int = Field(description="Distinct claims recorded in the source.")
    attributions: int = Field(description="Attributions recorded in the source.")


class SourceRead(Stored):
    kind: SourceKind
    title: str
    publisher_id: UUID | None
    url: str | None
    language: str | None
    published: FuzzyTimeRead
    text_length: int | None = Field(description="Length of full_text in code points.")
    full_text: str | None = Field(
        default=None, description="Only when reading one source, not in lists."
    )
    author_ids: list[UUID]
    cites_source_ids: list[UUID]
    redactions: list[SourceRedactionRead] = Field(
        description="Spans of `full_text` an admin masked (a legal takedown): when, why and "
        "where; each of their code points reads U+2588 (█), so offsets stay valid."
    )
    publisher: dict[str, object] | None = Field(
        default=None, description="With `?expand=publisher`: the publisher actor."
    )
    authors: list[dict[str, object]] | None = Field(
        default=None, description="With `?expand=authors`: the author actors."
    )
    counts: RecordCounts | None = Field(
        default=None,
        description="With `?expand=counts`: how many claims and attributions the source "
        "records (retracted ones left out).",
    )
