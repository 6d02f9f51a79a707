from datetime import date
from typing import Annotated, Literal
from uuid import UUID

from fastapi import Query
from pydantic import BaseModel, ConfigDict, Field, model_validator

from app import examples, pagination
from app.errors import FieldValueError
from app.fields import Day, Language, LongText, Name, NameKey, StorableText, WikidataId
from app.redaction.schemas import ActorRedactionRead
from app.schemas import Input, Patch, Stored

ActorKind = Literal["person", "organisation", "government", "media", "group", "anonymous"]
NameKind = Literal["primary", "alias", "spelling", "abbreviation", "epithet", "description"]
ActorScope = Literal["global", "document"]
ActorStatus = Literal["active", "merged"]


class ActorListQuery(BaseModel):
    """The query of ``GET /v1/actors``: its filters and the page."""

    kind: ActorKind | None = None
    name: Annotated[
        NameKey | None,
        Query(max_length=500, description="Display name or alias, exact, any case."),
    ] = None
    wikidata_id: Annotated[StorableText | None, Query(max_length=20)] = None
    status: Annotated[
        ActorStatus | None,
        Query(description="`active`, or `merged` (actors a curator merged into another)."),
    ] = None
    limit: pagination.Limit = pagination.DEFAULT_LIMIT
    cursor: pagination.Cursor = None


SCOPE_DESCRIPTION = (
    "How far the actor's names reach: `global` (one actor database-wide: the resolver "
    "matches its name and aliases in every document) or `document` (known only from the "
    "document that names it: an anonymous source, a collective, an unresolved pronoun; never "
    "matched elsewhere). Default: `document` for anonymous actors, else `global`."
)


def default_scope(kind: str) -> ActorScope:
    return "document" if kind == "anonymous" else "global"


class ActorNameIn(Input):
    name: Name = Field(examples=["MBZ"])
    language: Language | None = Field(default=None, description="Null: any language.")
    kind: NameKind = "alias"


class ActorRoleIn(Input):
    title: Name = Field(examples=["secretary of state"])
    organisation_id: UUID | None = None
    started_on: Day | None = None
    ended_on: Day | None = None

    @model_validator(mode="after")
    def _ordered(self) -> "ActorRoleIn":
        if self.started_on and self.ended_on and self.started_on > self.ended_on:
            raise FieldValueError("ended_on", "ended_on must not be before started_on")
        return self


# What an actor is written with: each field's type, limits, description and
# examples, declared once for POST and PATCH. A PATCH field is the same
# declaration made optional (`| None = None`; left out, it stays as it is); a
# declaration that holds None already (POST may leave it null) reads alike in both.
DisplayName = Annotated[Name, Field(examples=["Mike Pompeo"], description="Display name.")]
Nationality = Annotated[Name | None, Field(examples=["US"])]
RoleDescription = Annotated[
    Name | None,
    Field(examples=["diplomats"], description="What an anonymous actor is known as (their role)."),
]
ActorScopeIn = Annotated[ActorScope | None, Field(description=SCOPE_DESCRIPTION)]
Names = Annotated[list[ActorNameIn], Field(max_length=500)]
Roles = Annotated[list[ActorRoleIn], Field(max_length=500)]


class ActorCreate(Input):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.ACTOR_CREATE]})

    kind: ActorKind
    name: DisplayName
    description: LongText | None = None
    nationality: Nationality = None
    role_description: RoleDescription = None
    wikidata_id: WikidataId | None = None
    scope: ActorScopeIn = None
    names: Names = Field(default_factory=list)
    roles: Roles = Field(default_factory=list)


class ActorUpdate(Patch):
    required_fields = frozenset({"kind", "name", "names", "roles", "scope"})

    kind: ActorKind | None = None
    name: DisplayName | None = None
    description: LongText | None = None
    nationality: Nationality = None
    role_description: RoleDescription = None
    wikidata_id: WikidataId | None = None
    scope: ActorScopeIn = None
    names: Names | None = None
    roles: Roles | None = None


class ActorName(BaseModel):
    name: str
    language: str | None
    kind: NameKind


class ActorRole(BaseModel):
    title: str
    organisation_id: UUID | None
    started_on: date | None
    ended_on: date | None


class ActorRead(Stored):
    kind: ActorKind
    name: str
    description: str | None
    nationality: str | None
    role_description: str | None
    wikidata_id: str | None
    scope: ActorScope = Field(description=SCOPE_DESCRIPTION)
    status: ActorStatus = Field(
        description="`merged`: a curator merged this actor into `merged_into`, which now "
        "holds its attributions and names; it stays readable, and filters and references "
        "naming it mean the survivor."
    )
    merged_into: UUID | None = Field(description="The survivor of a merge; null if active.")
    names: list[ActorName]
    roles: list[ActorRole]
    redactions: list[ActorRedactionRead] = Field(
        description="Personal details an admin removed (a legal takedown): when, why and "
        "which fields; never what they said."
    )
