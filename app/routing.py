"""The API's routers and routes: strict query parameters, and a router that
a request outside its prefix passes by.

**Strict parameters.** On every ``/v1`` operation a query parameter the
operation does not declare is refused (400 ``unknown-parameter``, naming the
nearest declared one), and so is a single-valued one sent twice (400
``repeated-parameter``): ``?spekaer=`` or ``?onrecord=false`` must not
answer an unfiltered list the client takes for a filtered one. The rule
(``QueryRule``) is read off the route's own declarations, dependencies
included, so a parameter added later is covered with nothing to keep in
step; ``StrictRoute`` applies it before anything else runs, and the hot
reads' fast path (``app.fastpath``) applies the same rule of the same
route. Pages outside the API (docs, explorer, static files, ``/health``,
``/ready``, ``/metrics``) are not API routes and take any parameter. The
rule also binds the request's cursors to its listing (``app.pagination``).

**Passing by.** FastAPI (0.165) matches a request against the included
routers in turn, and each router against every one of its routes, a few
microseconds a route: before the claims' routes come those of actors,
sources and events, and routing was a third of the framework's CPU for a
read by id (profiled on ``GET /v1/claims/{id}``). A router whose routes all
start with its prefix cannot match a path that does not, so it says so at
once.
"""

from collections.abc import Callable, Coroutine, Iterable
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter
from fastapi._compat import field_annotation_is_sequence  # how FastAPI reads a list
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from pydantic import BaseModel
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Match
from starlette.types import Scope

from app import pagination
from app.errors import RepeatedParameter, UnknownParameter
from app.jsonbody import JSONBodyRequest
from app.suggestions import nearest


@dataclass(frozen=True)
class QueryRule:
    """The query parameters one operation takes, from its declarations."""

    declared: frozenset[str]
    single: frozenset[str]
    """Those that take one value (FastAPI reads only the last of several)."""

    @classmethod
    def of(cls, route: APIRoute) -> "QueryRule":
        parameters = dict(_query_parameters(route.dependant))
        return cls(
            frozenset(parameters),
            frozenset(name for name, annotation in parameters.items() if not _many(annotation)),
        )

    def check(self, request: Request) -> None:
        """Refuse what the operation does not take; bind the request's
        cursors to its listing (``pagination.bind_listing``)."""
        received = request.query_params
        if received:
            seen: set[str] = set()
            for name, _ in received.multi_items():
                if name not in self.declared:
                    raise UnknownParameter(self._unknown(name), parameter=name)
                if name in seen and name in self.single:
                    raise RepeatedParameter(
                        f"query parameter `{name}` takes one value; it was sent "
                        f"{len(received.getlist(name))} times",
                        parameter=name,
                    )
                seen.add(name)
        pagination.bind_listing(request.scope["path"], received)

    def _unknown(self, name: str) -> str:
        detail = f"this operation takes no query parameter `{name}`"
        suggested = nearest(name, self.declared)
        if suggested is not None:
            return f"{detail}; did you mean `{suggested}`?"
        if not self.declared:
            return f"{detail}: it takes no query parameters"
        return f"{detail}: it takes " + ", ".join(f"`{d}`" for d in sorted(self.declared))


def _query_parameters(dependant: Dependant) -> list[tuple[str, Any]]:
    """``(key sent, annotation)`` of every query parameter the endpoint and
    its dependencies declare; a Pydantic model declared as query parameters
    stands for its fields."""
    found: list[tuple[str, Any]] = []
    pending = [dependant]
    while pending:
        current = pending.pop()
        pending.extend(current.dependencies)
        for field in current.query_params:
            annotation = field.field_info.annotation
            model = next(
                (t for t in (annotation, *getattr(annotation, "__args__", ())) if _is_model(t)),
                None,
            )
            if model is None:
                found.append((field.alias, annotation))
            else:
                found += [(f.alias or name, f.annotation) for name, f in model.model_fields.items()]
    return found


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def _many(annotation: Any) -> bool:
    """Takes several values, as FastAPI decides when it reads the query."""
    return bool(field_annotation_is_sequence(annotation))


class StrictRoute(APIRoute):
    """An API route: its ``QueryRule`` is applied before anything else runs,
    and a JSON body with a duplicate key is refused (``app.jsonbody``)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        framework = super().get_route_handler()
        rule = QueryRule.of(self)
        fixed = bool(self.param_convertors)
        takes_body = self.body_field is not None

        async def strict(request: Request) -> Response:
            if fixed and request.scope["path"] in getattr(request.app.state, FIXED_PATHS, ()):
                # /v1/events/timeline is its own route, not an event whose id
                # is "timeline": a method it does not take is a 405, not a 422.
                raise HTTPException(405)
            rule.check(request)
            if takes_body:
                request = JSONBodyRequest(request.scope, request.receive)
                await request.refuse_duplicate_keys()
            return await framework(request)

        return strict


FIXED_PATHS = "fixed_paths"
"""``app.state`` attribute: the API's paths without parameters, and the
methods each takes (``fixed_paths``)."""


def fixed_paths(routers: Iterable[APIRouter]) -> dict[str, frozenset[str]]:
    """Paths of routes with no parameter, and their methods: such a path is
    answered by its own routes even where a route with a parameter matches it."""
    found: dict[str, set[str]] = {}
    for router in routers:
        for route in router.routes:
            if isinstance(route, APIRoute) and not route.param_convertors:
                found.setdefault(route.path, set()).update(route.methods or ())
    return {path: frozenset(methods) for path, methods in found.items()}


class Router(APIRouter):
    """The API's routers: strict routes (``StrictRoute``, the default route
    class), passed by when the path is outside the prefix."""

    def __init__(self, *, route_class: type[APIRoute] = StrictRoute, **options: Any) -> None:
        if not issubclass(route_class, StrictRoute):
            raise TypeError("an API route must apply the query rule (StrictRoute)")
        super().__init__(route_class=route_class, **options)

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        path: str = scope["path"]
        root: str = scope.get("root_path", "")
        if root and path.startswith(root):  # as Starlette routes: without the mount point
            path = path[len(root) :]
        if self.prefix and not path.startswith(self.prefix):
            return Match.NONE, {}
        return super().matches(scope)
