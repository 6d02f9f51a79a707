"""Base classes for request and response models."""

from datetime import datetime
from typing import Any, ClassVar, Self
from uuid import UUID

from pydantic import BaseModel, ConfigDict, GetJsonSchemaHandler, model_validator
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

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

    @classmethod
    def __get_pydantic_json_schema__(
        cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        """The schema says what the server takes: a required field may be
        left out, never sent as null."""
        json_schema = handler(core_schema)
        properties = handler.resolve_ref_schema(json_schema).get("properties", {})
        for name in cls.required_fields:
            options = properties.get(name, {}).get("anyOf")
            if options is None:
                continue
            kept = [option for option in options if option != {"type": "null"}]
            del properties[name]["anyOf"]
            if len(kept) == 1:
                properties[name].update(kept[0])
            else:
                properties[name]["anyOf"] = kept
            if properties[name].get("default", ...) is None:
                del properties[name]["default"]
        return json_schema

    def changes(self, *, exclude: frozenset[str] = frozenset()) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.model_fields_set - exclude}


class Stored(BaseModel):
    id: UUID
    created_at: datetime
    updated_at: datetime
