from typing import Literal
from uuid import UUID

from pydantic import BaseModel, Field

SearchType = Literal["claim", "actor", "source"]
SEARCH_TYPES: tuple[SearchType, ...] = ("claim", "actor", "source")


class SearchResult(BaseModel):
    type: SearchType
    id: UUID
    score: float = Field(
        description="Relevance, higher is better. Text matches (claims, sources) score with "
        "`ts_rank`; name matches (actors) with trigram word similarity, 0.5–1."
    )
    snippet: str = Field(
        description="The matching text, HTML-escaped, with each match wrapped in "
        "`<mark>`…`</mark>` (the only markup). Long texts are cut to their best fragments, "
        "joined by ` … `. For actors: the name or alias that matched, wholly marked.",
        examples=["Tripoli est «une <mark>ligne</mark> <mark>rouge</mark>»"],
    )
    matched_in: Literal["text", "translation", "name", "alias", "title_or_text"] = Field(
        description="Where the match is: a claim's original `text` or a `translation`; an "
        "actor's display `name` or one of its `alias`es (actor_names); a source's "
        "`title_or_text`."
    )
    language: str | None = Field(description="Language of the snippet, when known.")
    summary: dict[str, object] = Field(
        description="A small summary of the object. Claim: `text`, `language`, `records` "
        "(who said it, where and when: its first three records in creation order, each "
        "`attribution_id`, `speaker` (null for the source's own voice), `source` (with its "
        "`publisher` and `published` time), `time`, `mode`, `cue`, `certainty`) and "
        "`record_count` (all of them, retracted ones left out). Actor: `name`, `kind`. "
        "Source: `title`, `kind`, `language`, `publisher` ({`id`, `name`} or null) and "
        "`published`."
    )


class SearchResponse(BaseModel):
    query: str
    types: list[SearchType]
    results: list[SearchResult]
    next: str | None = Field(
        description="Cursor of the next page (pass as `cursor` with the same `q` and `types`); "
        "null on the last page."
    )
