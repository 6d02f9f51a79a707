"""``Router``: the API's routers, which a request outside their prefix passes by.

FastAPI (0.165) matches a request against the included routers in turn, and
each router against every one of its routes, a few microseconds a route:
before the claims' routes come those of actors, sources and events, and
routing was a third of the framework's CPU for a read by id (profiled on
``GET /v1/claims/{id}``). A router whose routes all start with its prefix
cannot match a path that does not, so it says so at once.
"""

from fastapi import APIRouter
from starlette.routing import Match
from starlette.types import Scope


class Router(APIRouter):
    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        path: str = scope["path"]
        root: str = scope.get("root_path", "")
        if root and path.startswith(root):  # as Starlette routes: without the mount point
            path = path[len(root) :]
        if self.prefix and not path.startswith(self.prefix):
            return Match.NONE, {}
        return super().matches(scope)
