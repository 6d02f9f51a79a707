"""``?expand=``: which references a response embeds."""

import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from fastapi import Query
from pydantic import BaseModel

from app.errors import InvalidField


def names_pattern(allowed: Iterable[str]) -> str:
    """A comma-separated list of ``allowed`` names, as a JSON Schema pattern
    (empty: none); what ``parse_names`` takes."""
    one = "(?:" + "|".join(re.escape(name) for name in sorted(allowed)) + ")"
    return f"^(?:{one}(?:,{one})*)?$"


def parse_names(raw: str | None, allowed: Iterable[str], *, field: str, what: str) -> list[str]:
    """``speaker,source`` → ["speaker", "source"]: names of ``allowed``,
    separated by commas and nothing else (``names_pattern``); 422 naming
    the others."""
    if not raw:
        return []
    names = raw.split(",")
    allowed_set = set(allowed)
    unknown = [name for name in names if name not in allowed_set]
    if unknown:
        shown = ", ".join(repr(name) for name in unknown)
        raise InvalidField(
            f"{what} {shown}; comma-separated, from: {', '.join(sorted(allowed_set))}",
            field=field,
            location="query",
        )
    return names


def parse_expand(raw: str | None, allowed: Iterable[str]) -> frozenset[str]:
    """``?expand=speaker,source`` → {"speaker", "source"}, refusing unknown names."""
    return frozenset(parse_names(raw, allowed, field="expand", what="cannot expand"))


def expand_query(allowed: Sequence[str]) -> Any:
    return Query(
        max_length=200,
        description="Comma-separated references to embed: " + ", ".join(f"`{a}`" for a in allowed),
        json_schema_extra={"pattern": names_pattern(allowed)},
    )


class ExpandingQuery(BaseModel):
    """A list's query that takes ``?expand=``: a subclass names what it may
    embed in ``expandable`` and declares ``expand`` with ``expand_query`` of
    the same names (declared there, not here, so that it keeps its place
    among the subclass's parameters)."""

    expandable: ClassVar[Sequence[str]] = ()
    if TYPE_CHECKING:
        expand: str | None

    @property
    def expanded(self) -> frozenset[str]:
        return parse_expand(self.expand, self.expandable)
