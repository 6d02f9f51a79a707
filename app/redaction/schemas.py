from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from app.fields import LongText, Offset
from app.schemas import Input

RedactableField = Literal[
    "name", "description", "nationality", "role_description", "wikidata_id", "names", "roles"
]
"""An actor's personal details an admin may redact."""

REASON = Field(
    min_length=1,
    max_length=10_000,
    description="Why (a court order, a takedown request). Public: it is shown with the "
    "redaction and in the history, so it must not repeat what is removed.",
)


class ActorRedaction(Input):
    fields: list[RedactableField] = Field(
        min_length=1,
        max_length=7,
        description="What to remove: `name` and the other texts become `[redacted]`, "
        "`wikidata_id` null, `names` and `roles` empty.",
    )
    reason: LongText = REASON


class SourceRedaction(Input):
    start: Offset = Field(description="First code point of `full_text` to mask.")
    end: Offset = Field(description="Code point after the last one to mask.")
    reason: LongText = REASON


class ActorRedactionRead(BaseModel):
    at: datetime
    fields: list[RedactableField]
    reason: str


class SourceRedactionRead(BaseModel):
    at: datetime
    start: int
    end: int
    reason: str
