"""``BundleSummary``: what loading a bundle did, as the API and the CLI report it."""

from uuid import UUID

from pydantic import BaseModel, Field

from app.bundles.format.refs import KINDS


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
