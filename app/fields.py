"""Reusable request field types.

PostgreSQL text cannot hold NUL and UTF-8 cannot encode lone surrogates (JSON
allows both as escapes); refusing them here turns what would be a driver
error into a 422 that points at the field.

Names, labels and the keys they are looked up by are stored in Unicode
normalisation form C (``Name``, ``NameKey``): "Chérif" typed with a
precomposed é and with an e and a combining accent is one name, matched and
found alike. Long texts are kept exactly as given: a source's ``full_text``
is what span offsets count code points in, and a span's text must be the
text at its offsets.
"""

import re
import unicodedata
from datetime import date, timedelta
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, Field, StringConstraints


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


def _composed(value: str) -> str:
    return unicodedata.normalize("NFC", value)


StorableText = Annotated[str, AfterValidator(_storable)]
"""Any storable text, possibly long (full texts, quotes), kept as given."""

Name = Annotated[
    str,
    StringConstraints(min_length=1, max_length=500),
    AfterValidator(_storable),
    AfterValidator(_not_blank),
    AfterValidator(_composed),
]
"""A short non-blank label: names, titles, cues; stored NFC."""

NameKey = Annotated[str, AfterValidator(_storable), AfterValidator(_composed)]
"""What a stored ``Name`` is looked up by (a list filter), NFC as they are."""

LongText = Annotated[str, StringConstraints(max_length=5_000_000), AfterValidator(_storable)]

Language = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$", max_length=35),
    Field(description="BCP 47 language tag, e.g. `fr`, `en`, `en-GB`.", examples=["fr"]),
]

Offset = Annotated[int, Field(ge=0, le=2_147_483_647, strict=True)]
"""A code-point offset into a text (an integer: not ``true``, ``"3"`` or ``3.0``)."""

Url = Annotated[
    str,
    StringConstraints(max_length=2048, pattern=r"^https?://\S+$"),
    AfterValidator(_storable),
    Field(examples=["https://www.bloomberg.com/news/articles/2019-04-24/"]),
]

WikidataId = Annotated[
    str,
    StringConstraints(pattern=r"^Q[1-9][0-9]{0,11}$", max_length=13),
    Field(description="Wikidata item id.", examples=["Q22686"]),
]


_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")

# The driver (asyncpg) sends Python's first and last days as PostgreSQL's
# -infinity and infinity, and a range's ``latest`` is stored as the next day's
# exclusive bound: the days at either end could not be stored as given.
FIRST_DAY = date.min + timedelta(days=1)
LAST_DAY = date.max - timedelta(days=2)


def _iso_day(value: object) -> object:
    # Pydantic also reads a number, or a string of digits, as Unix seconds:
    # ``?time_from=2019`` or ``"earliest": 0`` would silently mean 1970-01-01.
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not _ISO_DAY.fullmatch(value):
        raise ValueError("must be a day written YYYY-MM-DD")
    return value


def _storable_day(value: date) -> date:
    if not FIRST_DAY <= value <= LAST_DAY:
        raise ValueError(f"must be a day from {FIRST_DAY} to {LAST_DAY}")
    return value


Day = Annotated[date, BeforeValidator(_iso_day), AfterValidator(_storable_day)]
"""A calendar day, as ``YYYY-MM-DD`` (ISO 8601) and nothing else, that
PostgreSQL stores as that day."""
