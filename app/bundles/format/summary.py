"""``BundleSummary``: what loading a bundle did, as the API and the CLI report it."""

from typing import Any
from uuid import UUID

from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from app.bundles.format.refs import KINDS

NOTHING_WRITTEN: dict[int | str, dict[str, Any]] = {
    200: {"description": "Every record was already stored: nothing was written."}
}
"""The other answer of an import: OpenAPI ``responses`` beside its 201."""


class BundleSummary(BaseModel):
    """What a load did: records created and records found already there."""

    bundle: str
    title: str | None
    created: dict[str, int]
    existing: dict[str, int]
    ids: dict[str, UUID] = Field(description="Ref → id of every record of the bundle.")

    def total(self, kind: str) -> int:
        return self.created[kind] + self.existing[kind]

    def line(self) -> str:
        counts = ", ".join(f"{self.total(kind)} {kind.replace('_', ' ')}" for kind in KINDS)
        created = sum(self.created.values())
        existing = sum(self.existing.values())
        if created == 0:
            state = "already loaded: nothing changed"
        elif existing == 0:
            state = "all new"
        else:
            state = f"{created} new, {existing} already there"
        return f"{self.title or self.bundle}: {counts} ({state})"

    def __str__(self) -> str:
        return self.line()


def import_response(summary: BundleSummary, body: BaseModel) -> JSONResponse:
    """``body`` with 201 when the import wrote a record, 200 when it wrote none
    (idempotent imports: the same bundle again)."""
    status = 201 if any(summary.created.values()) else 200
    return JSONResponse(body.model_dump(mode="json"), status_code=status)
