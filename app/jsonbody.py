"""Request bodies parsed as JSON with duplicate keys refused.

JSON parsers keep the last of two members with the same name
(``{"name": "A", "name": "B"}`` is ``{"name": "B"}``), so a client that
built such a body by mistake has half of it dropped without a word. The
API's routes (``app.routing.StrictRoute``) parse their bodies here instead:
the standard library's parser, which FastAPI uses too, with an
``object_pairs_hook`` that counts each object's members. A body with a
duplicate is a 400 ``duplicate-key`` whose pointer names the member.

What it costs: ``bench/json_duplicates.py`` (``bench/results/``).
"""

import contextlib
import json
from typing import Any

from starlette.requests import Request

from app.errors import DuplicateKey, pointer_for


class _Duplicated(dict[str, Any]):
    """An object that had a member twice: the parse goes on, and the first
    such object is looked for (with its path) once it is done."""

    key: str


def loads(body: bytes | str) -> Any:
    """``json.loads``, refusing an object with a member twice (``DuplicateKey``)."""
    flagged = False

    def members(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        nonlocal flagged
        built = dict(pairs)
        if len(built) == len(pairs):
            return built
        flagged = True
        marked = _Duplicated(built)
        seen: set[str] = set()
        marked.key = next(key for key, _ in pairs if key in seen or seen.add(key))  # type: ignore[func-returns-value]
        return marked

    value = json.loads(body, object_pairs_hook=members)
    if flagged:
        path, key = _first_duplicate(value)
        raise DuplicateKey(
            f"the JSON object at {pointer_for(path) or '/'} has the member `{key}` more "
            "than once; send each member once",
            field=[*path, key],
        )
    return value


def _first_duplicate(value: Any) -> tuple[list[str | int], str]:
    """The path of the first object (in document order) that had a member
    twice, and that member; a stack, not recursion: the body may be as deep
    as the parser allows."""
    pending: list[tuple[Any, list[str | int]]] = [(value, [])]
    while pending:
        current, path = pending.pop()
        if isinstance(current, _Duplicated):
            return path, current.key
        if isinstance(current, dict):
            children: Any = current.items()
        elif isinstance(current, list):
            children = enumerate(current)
        else:
            continue
        pending.extend((child, [*path, name]) for name, child in reversed(list(children)))
    raise AssertionError("a duplicate was flagged but not found")


class JSONBodyRequest(Request):
    """A request whose ``json()`` refuses duplicate keys."""

    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            self._json = loads(await self.body())
        return self._json

    async def refuse_duplicate_keys(self) -> None:
        """Parse a JSON body now, so that a duplicate is answered with its
        own problem (the framework would turn any error of its parse into
        a bare 400); a body that is not JSON is left to the framework."""
        content_type = self.headers.get("content-type", "application/json")
        subtype = content_type.split(";")[0].strip().lower()
        if not (subtype == "application/json" or subtype.endswith("+json")):
            return
        if not await self.body():
            return
        # Malformed: the framework answers it, as for any route.
        with contextlib.suppress(json.JSONDecodeError, UnicodeDecodeError, RecursionError):
            await self.json()
