"""Base classes for request and response models."""

from datetime import datetime
from typing import Any, ClassVar, Self
from uuid import UUID

from pydantic import BaseModel, ConfigDict, model_validator

from app.errors import FieldValueError


class Input(BaseModel):
    """Request bodies: unknown fields are refused, so a typo is an error, not a no-op."""

    model_config = ConfigDict(extra="forbid")


class Patch(Input):
    """Partial update: only the fields sent change; ``null`` clears an optional
    field and is refused for a required one."""

    required_fields: ClassVar[frozenset[str]] = frozenset()

    @model_validator(mode="after")
    def _no_null_for_required(self) -> Self:
        for name in self.model_fields_set & self.required_fields:
            if getattr(self, name) is None:
                raise FieldValueError(name, f"{name} cannot be null")
        return self

    def changes(self, *, exclude: frozenset[str] = frozenset()) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.model_fields_set - exclude}


class Stored(BaseModel):
    id: UUID
    created_at: datetime
    updated_at: datetime
