from typing import Annotated

from fastapi import Query, Response

from app import pagination
from app.db import ReaderDep
from app.documents import JSONText
from app.errors import PROBLEM_RESPONSES
from app.expansion import names_pattern
from app.fastpath import HotRead
from app.fields import Name
from app.routing import Router
from app.search import service
from app.search.schemas import SEARCH_TYPES, SearchResponse

router = Router(
    prefix="/v1/search", tags=["search"], responses=PROBLEM_RESPONSES, route_class=HotRead
)

DEFAULT_LIMIT = 20
MAX_LIMIT = 100


@router.get(
    "",
    response_model=SearchResponse,
    summary="Search claims, actors and sources",
    description="Full-text search over claims (original wording and translations) and "
    "sources (title and text), French and English stemming, accent- and case-insensitive; "
    "fuzzy (trigram) matching of actor names and aliases. The query may use web-search "
    'syntax: `"exact phrase"`, `-excluded`, `or`. Results are ordered by `score`; '
    "`snippet` is HTML-escaped text whose only markup is `<mark>`…`</mark>` around matches. "
    "Each kind of text is ranked among its most recent matches (up to "
    f"{service.CANDIDATES:,} claims, as many translations and as many sources; every match "
    "when there are fewer): a frequent word is "
    "ranked among recent claims, not the whole archive. Pages continue with `next` as "
    "`cursor`, with the same `q` and `types`.",
)
async def search(
    reader: ReaderDep,
    q: Annotated[Name, Query(description="What to look for (1–500 characters).")],
    types: Annotated[
        str | None,
        Query(
            max_length=100,
            description="Comma-separated: `claim`, `actor`, `source` (all when empty).",
            json_schema_extra={"pattern": names_pattern(SEARCH_TYPES)},
        ),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="At most 100.")] = DEFAULT_LIMIT,
    cursor: pagination.Cursor = None,
) -> Response:
    return JSONText(
        await service.search(
            reader, q=q, types=service.parse_types(types), limit=limit, cursor=cursor
        )
    )
