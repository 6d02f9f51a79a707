""" "Did you mean ...?": the declared name nearest to one a client got wrong,
for an unknown query parameter (``app.routing``) or body field
(``app.error_handlers``)."""

import difflib
import types
import typing
from collections.abc import Iterable, Sequence
from typing import Any

from pydantic import BaseModel

CUTOFF = 0.6
"""``difflib`` similarity a name must reach to be suggested."""


def nearest(name: str, declared: Iterable[str]) -> str | None:
    found = difflib.get_close_matches(name, list(declared), n=1, cutoff=CUTOFF)
    return found[0] if found else None


def body_fields(annotation: Any, path: Sequence[str | int]) -> set[str]:
    """The field names of the object at ``path`` of a body declared as
    ``annotation`` (a Pydantic model, maybe optional or in a list): where a
    client's unknown field stands. Empty when the path leads to no model."""
    current: Any = annotation
    for step in path:
        model = _model(current)
        if isinstance(step, int):
            current = _item(current)
        elif model is not None and step in model.model_fields:
            current = model.model_fields[step].annotation
        else:
            return set()
    model = _model(current)
    if model is None:
        return set()
    return {field.alias or name for name, field in model.model_fields.items()}


def _options(annotation: Any) -> tuple[Any, ...]:
    """The types an annotation may be: its members for a union, else itself."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return typing.get_args(annotation)
    return (annotation,)


def _model(annotation: Any) -> type[BaseModel] | None:
    for option in _options(annotation):
        if isinstance(option, type) and issubclass(option, BaseModel):
            return option
    return None


def _item(annotation: Any) -> Any:
    for option in _options(annotation):
        if typing.get_origin(option) in (list, tuple, set, frozenset, Sequence):
            args = typing.get_args(option)
            return args[0] if args else Any
    return Any
