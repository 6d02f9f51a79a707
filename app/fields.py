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
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Annotated
from uuid import UUID

from pydantic import AfterValidator, BeforeValidator, Field, GetJsonSchemaHandler, StringConstraints
from pydantic.json_schema import JsonSchemaValue, WithJsonSchema
from pydantic_core import CoreSchema


def _storable(value: str) -> str:
    if "\x00" in value:
        raise ValueError("text must not contain NUL (\\u0000) characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError("text must be valid Unicode (no lone surrogates)") from exc
    return value


WHITESPACE = r"\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
r"""Unicode's White_Space characters, spelt out for a regular expression
character class: ``\s`` means other sets in Python, Rust (Pydantic) and
JavaScript (a client reading the schema)."""
NO_NUL = r"^[^\u0000]*$"
"""Every text, as a JSON Schema pattern: anything but NUL."""
NOT_BLANK = rf"^[^\u0000]*[^{WHITESPACE}\u0000][^\u0000]*$"
"""A name, as a JSON Schema pattern: no NUL, something but whitespace."""
_NOT_BLANK = re.compile(NOT_BLANK)


@dataclass(frozen=True)
class States:
    """Annotation: the JSON Schema of a type states ``keyword: value``, which
    its validators check (with their own messages)."""

    keyword: str
    value: object

    def __get_pydantic_json_schema__(
        self, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        json_schema = handler(schema)
        json_schema[self.keyword] = self.value
        return json_schema


def SchemaPattern(pattern: str) -> States:  # noqa: N802 (reads as a type annotation)
    return States("pattern", pattern)


def is_blank(value: str) -> bool:
    """Empty or only whitespace, as ``NOT_BLANK`` says (not ``str.strip``,
    whose whitespace is another set)."""
    return not _NOT_BLANK.match(value)


def _not_blank(value: str) -> str:
    if is_blank(value):
        raise ValueError("must not be empty or only whitespace")
    return value


def _composed(value: str) -> str:
    return unicodedata.normalize("NFC", value)


StorableText = Annotated[str, AfterValidator(_storable), SchemaPattern(NO_NUL)]
"""Any storable text, possibly long (full texts, quotes), kept as given."""

TextBody = Annotated[str, AfterValidator(_storable), SchemaPattern(NOT_BLANK)]
"""A text to work on (an article to extract from): not blank, kept as given."""

Name = Annotated[
    str,
    StringConstraints(min_length=1, max_length=500),
    AfterValidator(_storable),
    AfterValidator(_not_blank),
    AfterValidator(_composed),
    SchemaPattern(NOT_BLANK),
]
"""A short non-blank label: names, titles, cues; stored NFC."""

NameKey = Annotated[
    str, AfterValidator(_storable), AfterValidator(_composed), SchemaPattern(NO_NUL)
]
"""What a stored ``Name`` is looked up by (a list filter), NFC as they are."""

LongText = Annotated[
    str, StringConstraints(max_length=5_000_000), AfterValidator(_storable), SchemaPattern(NO_NUL)
]

Language = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$", max_length=35),
    Field(description="BCP 47 language tag, e.g. `fr`, `en`, `en-GB`.", examples=["fr"]),
]


def _distinct(values: list[UUID]) -> list[UUID]:
    if len(set(values)) != len(values):
        raise ValueError("must not name the same id twice")
    return values


Ids = Annotated[list[UUID], AfterValidator(_distinct), States("uniqueItems", True)]
"""Ids of other records, each at most once."""


def _json_integer(value: object) -> object:
    # A JSON integer, as JSON Schema's "integer" reads one: 3 or 3.0, never
    # true or "3" (which Pydantic would read as 1 and 3).
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("must be an integer")
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError("must be an integer")
        return int(value)
    return value


# The bounds first: they belong to the integer's own schema (``minimum``,
# ``maximum``); read as JSON integers (``_json_integer``) before.
Offset = Annotated[int, Field(ge=0, le=2_147_483_647), BeforeValidator(_json_integer)]
"""A code-point offset into a text: a JSON integer (``3`` or ``3.0``, not
``true``, ``"3"`` or ``3.5``)."""

OffsetDays = Annotated[int, Field(ge=-36500, le=36500), BeforeValidator(_json_integer)]
"""Days after (positive) or before an anchor, within a century: a JSON integer."""

Url = Annotated[
    str,
    StringConstraints(max_length=2048, pattern=rf"^https?://[^{WHITESPACE}\u0000]+$"),
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


_DAY_PATTERN = (
    "^(?:"
    # years 0002 to 9998: any day
    "(?:000[2-9]|00[1-9][0-9]|0[1-9][0-9]{2}|[1-8][0-9]{3}|9[0-8][0-9]{2}|99[0-8][0-9]|999[0-8])"
    "-[0-9]{2}-[0-9]{2}"
    # 0001 but its first day, 9999 but its last two
    "|0001-(?:01-(?:0[2-9]|[1-3][0-9])|(?:0[2-9]|1[0-9])-[0-9]{2})"
    "|9999-(?:(?:0[0-9]|1[01])-[0-9]{2}|12-[0-2][0-9])"
    ")$"
)

Day = Annotated[
    date,
    BeforeValidator(_iso_day),
    AfterValidator(_storable_day),
    WithJsonSchema({"type": "string", "format": "date", "pattern": _DAY_PATTERN}),
]
"""A calendar day, as ``YYYY-MM-DD`` (ISO 8601) and nothing else, that
PostgreSQL stores as that day."""


_MOMENT = (
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]+)?"
    r"(?:[Zz]|[+-][0-9]{2}:[0-9]{2})$"
)


def _rfc3339(value: object) -> object:
    # Pydantic also reads a number as Unix seconds: ``?changed_since=0.5``
    # would silently mean 1970. A moment is written as RFC 3339 says, zone included.
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str) or not re.fullmatch(_MOMENT, value):
        raise ValueError("must be a date and time with a time zone (RFC 3339)")
    return value


Moment = Annotated[
    datetime,
    BeforeValidator(_rfc3339),
    WithJsonSchema({"type": "string", "format": "date-time"}),
]
"""A point in time, as RFC 3339 writes one (``2019-04-24T10:00:00Z``), and
nothing else."""
