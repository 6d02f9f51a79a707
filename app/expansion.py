"""``?expand=``: which references a response embeds."""

from collections.abc import Iterable, Sequence
from typing import Any

from fastapi import Query

from app.errors import InvalidField


def parse_expand(raw: str | None, allowed: Iterable[str]) -> frozenset[str]:
    """``?expand=speaker,source`` → {"speaker", "source"}, refusing unknown names."""
    if not raw:
        return frozenset()
    names = {part.strip() for part in raw.split(",") if part.strip()}
    allowed_set = set(allowed)
    unknown = sorted(names - allowed_set)
    if unknown:
        raise InvalidField(
            f"cannot expand {', '.join(unknown)}; expandable: {', '.join(sorted(allowed_set))}",
            field="expand",
            location="query",
        )
    return frozenset(names)


def expand_query(allowed: Sequence[str]) -> Any:
    return Query(
        max_length=200,
        description="Comma-separated references to embed: " + ", ".join(f"`{a}`" for a in allowed),
    )
