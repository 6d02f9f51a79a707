"""Reusable request field types.

PostgreSQL text cannot hold NUL and UTF-8 cannot encode lone surrogates (JSON
allows both as escapes); refusing them here turns what would be a driver
error into a 422 that points at the field.
"""

from typing import Annotated

from pydantic import AfterValidator, Field, StringConstraints


def _storable(value: str) -> str:
    if "\x00" in value:
        raise ValueError("text must not contain NUL (\\u0000) characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError("text must be valid Unicode (no lone surrogates)") from exc
    return value


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty or only whitespace")
    return value


StorableText = Annotated[str, AfterValidator(_storable)]
"""Any storable text, possibly long (full texts, quotes)."""

Name = Annotated[
    str,
    StringConstraints(min_length=1, max_length=500),
    AfterValidator(_storable),
    AfterValidator(_not_blank),
]
"""A short non-blank label: names, titles, cues."""

LongText = Annotated[str, StringConstraints(max_length=5_000_000), AfterValidator(_storable)]

Language = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$", max_length=35),
    Field(description="BCP 47 language tag, e.g. `fr`, `en`, `en-GB`.", examples=["fr"]),
]

Offset = Annotated[int, Field(ge=0, le=2_147_483_647)]
"""A code-point offset into a text."""

Url = Annotated[
    str,
    StringConstraints(max_length=2048, pattern=r"^https?://\S+$"),
    AfterValidator(_storable),
    Field(examples=["https://www.bloomberg.com/news/articles/2019-04-24/"]),
]

WikidataId = Annotated[
    str,
    StringConstraints(pattern=r"^Q[1-9][0-9]{0,11}$"),
    Field(description="Wikidata item id.", examples=["Q22686"]),
]
