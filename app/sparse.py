"""``?fields=``: sparse fieldsets, the top-level members a client wants.

``fields=id,text`` answers a claim as ``{"id": ..., "text": ...}``: the
statement builds only those members (``pick`` on the ``json_build_object``
arguments), so the subqueries of the others (translations, linked ids,
spans, relay chains) never run, and less JSON is built and sent. ``id`` is
always kept: it is what a client finds the record again by, and what the
keyset cursors of a list are made of. A member present only with
``?expand=`` is there only with it, asked for or not. Names are those of the
read model (``ClaimRead``...); any other is refused before any SQL runs
(400 ``unknown-field``, naming it and the nearest known one).
"""

from collections.abc import Sequence
from typing import Any

from fastapi import Query
from pydantic import BaseModel

from app.errors import UnknownField
from app.expansion import names_pattern
from app.suggestions import nearest

Fields = frozenset[str] | None
"""The top-level members asked for, ``id`` among them; None: all of them."""


def member_names(model: type[BaseModel]) -> tuple[str, ...]:
    """The top-level members of a read model's documents, as sent."""
    return tuple(field.alias or name for name, field in model.model_fields.items())


def fields_query(model: type[BaseModel]) -> Any:
    """The ``fields`` query parameter of an operation answering ``model`` documents."""
    names = member_names(model)
    return Query(
        max_length=1000,
        description="Comma-separated top-level members to return (`id` always is): "
        + ", ".join(f"`{name}`" for name in names)
        + ". The others are not built. Left out or empty: the whole document. A member "
        "that `expand` adds is there only with that `expand`.",
        json_schema_extra={"pattern": names_pattern(names)},
    )


def parse_fields(raw: str | None, model: type[BaseModel]) -> Fields:
    """``?fields=id,text`` → {"id", "text"}; None (all) when left out or
    empty; 400 ``unknown-field`` naming the first name ``model`` has not."""
    if not raw:
        return None
    names = member_names(model)
    asked = raw.split(",")
    for name in asked:
        if name not in names:
            detail = f"the documents have no member `{name}`"
            suggested = nearest(name, names)
            if suggested is not None:
                detail += f"; did you mean `{suggested}`?"
            else:
                detail += "; they have " + ", ".join(f"`{n}`" for n in names)
            raise UnknownField(detail, parameter="fields")
    return frozenset(asked) | {"id"}


def pick(members: Sequence[Any], fields: Fields) -> list[Any]:
    """Of ``json_build_object`` arguments (name, value, name, value...),
    the pairs whose name is in ``fields`` (all when None)."""
    if fields is None:
        return list(members)
    kept: list[Any] = []
    for index in range(0, len(members), 2):
        if members[index] in fields:
            kept += members[index : index + 2]
    return kept


def wanted(fields: Fields, *names: str) -> bool:
    """Whether any of ``names`` is among the members asked for."""
    return fields is None or any(name in fields for name in names)


SCHEMAS = "#/components/schemas/"


def document_sparse_responses(document: dict[str, Any]) -> None:
    """In an OpenAPI document: an operation that takes ``fields`` answers
    either the whole document (no ``fields``) or ``<Read>Members``, the same
    properties with only ``id`` required, so a client generated from it, and
    a validator, accept both. Pages likewise (``Page_<Read>Members_``)."""
    schemas = document["components"]["schemas"]
    for operation in _operations(document):
        if not any(p.get("name") == "fields" for p in operation.get("parameters", [])):
            continue
        content = operation["responses"]["200"]["content"]["application/json"]
        whole = content["schema"]["$ref"].removeprefix(SCHEMAS)
        sparse = _members_schema(schemas, whole)
        content["schema"] = {"anyOf": [{"$ref": SCHEMAS + whole}, {"$ref": SCHEMAS + sparse}]}


def _operations(document: dict[str, Any]) -> list[dict[str, Any]]:
    return [op for path in document["paths"].values() for op in path.values() if "responses" in op]


def _members_schema(schemas: dict[str, Any], whole: str) -> str:
    """The name of ``whole``'s sparse counterpart, added to ``schemas``."""
    schema = schemas[whole]
    items = schema["properties"].get("items", {}).get("items", {}).get("$ref")
    if whole.startswith("Page_") and items:
        members = _members_schema(schemas, items.removeprefix(SCHEMAS))
        name = f"Page_{members}_"
        page = {**schema, "title": f"Page[{members}]"}
        page["properties"] = {
            **schema["properties"],
            "items": {**schema["properties"]["items"], "items": {"$ref": SCHEMAS + members}},
        }
        schemas[name] = page
        return name
    name = f"{whole}Members"
    schemas[name] = {
        **schema,
        "title": f"{schema.get('title', whole)} (members asked for in `fields`)",
        "required": ["id"],
    }
    return name
