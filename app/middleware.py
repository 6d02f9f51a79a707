"""The app's own request and response rules, as pure ASGI (no
``BaseHTTPMiddleware``: no extra task per request, no body buffering).

Security headers, added to every response, errors included, by
``add_security_headers`` (called from the one outer layer,
``app.observability.RequestTelemetry``, and by the 500 handler, whose answer
passes no layer):

- ``X-Content-Type-Options: nosniff`` (a browser never guesses a type);
- ``Referrer-Policy: no-referrer``;
- ``X-Frame-Options: DENY`` and a ``Content-Security-Policy``: for API
  responses (JSON, problems, NDJSON...) ``default-src 'none';
  frame-ancestors 'none'``, which forbids everything since the API serves no
  active content; for HTML pages (Swagger UI at ``/docs``, ReDoc at
  ``/redoc``, both served offline by fastapi-offline) a policy allowing the
  app's own scripts and styles and their inline bootstrap, blob workers
  (ReDoc) and data: images, still never framed. A response that sets its own
  ``Content-Security-Policy`` keeps it.

CORS is Starlette's ``CORSMiddleware`` (pure ASGI too), installed only when
``ONRECORD_CORS_ORIGINS`` names origins: by default no CORS header is ever sent.

``RefuseLargeBodies`` limits request bodies (413) and refuses encoded ones (415).
"""

from collections.abc import Sequence

from fastapi import FastAPI
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.errors import ProblemError, UnsupportedEncoding, problem_response

API_CSP = b"default-src 'none'; frame-ancestors 'none'"
HTML_CSP = (
    b"default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    b"img-src 'self' data:; font-src 'self' data:; worker-src 'self' blob:; "
    b"connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)
COMMON = (
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
)
SECURITY_NAMES = frozenset({name for name, _ in COMMON} | {b"content-security-policy"})


def add_security_headers(headers: list[tuple[bytes, bytes]]) -> None:
    """Add to a response's raw headers the security headers it does not set itself."""
    present: set[bytes] = set()
    html = False
    for name, value in headers:
        lowered = name.lower()
        if lowered in SECURITY_NAMES:
            present.add(lowered)
        elif lowered == b"content-type":
            html = value.lower().startswith(b"text/html")
    headers.extend(header for header in COMMON if header[0] not in present)
    if b"content-security-policy" not in present:
        headers.append((b"content-security-policy", HTML_CSP if html else API_CSP))


CORS_METHODS = ("GET", "HEAD", "POST", "PATCH", "DELETE", "OPTIONS")
CORS_REQUEST_HEADERS = (
    "Authorization",
    "Content-Type",
    "If-Match",
    "If-None-Match",
    "Idempotency-Key",
    "X-Request-ID",
    "X-OnRecord-Min-LSN",
)
CORS_EXPOSED_HEADERS = (
    "Location",
    "ETag",
    "Retry-After",
    "X-Request-ID",
    "Link",
    "RateLimit-Limit",
    "RateLimit-Remaining",
    "RateLimit-Reset",
    "RateLimit-Policy",
    "X-OnRecord-LSN",
    "X-OnRecord-Read-From",
)


def install_cors(app: FastAPI, origins: Sequence[str]) -> None:
    """Answer CORS for ``origins`` (preflights included); nothing when there are none."""
    if not origins:
        return
    app.add_middleware(
        CORSMiddleware,
        allow_origins=list(origins),
        allow_methods=list(CORS_METHODS),
        allow_headers=list(CORS_REQUEST_HEADERS),
        expose_headers=list(CORS_EXPOSED_HEADERS),
        # Bearer keys, not cookies: no credentials mode.
        allow_credentials=False,
        max_age=600,
    )


def cors_headers(origin: str | None, origins: Sequence[str]) -> list[tuple[bytes, bytes]]:
    """The headers ``CORSMiddleware``, as ``install_cors`` configures it, adds
    to a response that is not a preflight's, for a request from ``origin``."""
    if not origins:
        return []
    headers: list[tuple[bytes, bytes]] = []
    if origin is not None:
        headers.append((b"access-control-expose-headers", ", ".join(CORS_EXPOSED_HEADERS).encode()))
        if "*" in origins:
            headers.append((b"access-control-allow-origin", b"*"))
        elif origin in origins:
            headers.append((b"access-control-allow-origin", origin.encode("latin-1")))
    headers.append((b"vary", b"Origin"))
    return headers


class BodyTooLarge(StarletteHTTPException):
    """Raised while a body without a Content-Length is read, when it passes
    the limit; ``app.error_handlers`` answers it as the 413 problem."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"the body may be at most {limit} bytes")


class HttpLayer:
    """A pure ASGI layer over the HTTP requests: ``handle`` sees each one,
    and anything else (lifespan, websockets) passes straight through to
    ``app``."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        await self.handle(scope, receive, send)

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        raise NotImplementedError


class RefuseLargeBodies(HttpLayer):
    """Answers a request whose declared Content-Length exceeds the limit with
    a 413 problem before reading it, and stops a body sent without one
    (chunked) as soon as it passes the limit (also a 413 problem). ``limits``
    gives some paths their own limit (``POST /v1/bundles`` takes far more).

    A body with a Content-Encoding (gzip...) is refused with a 415 problem:
    the API reads bodies as sent, and an unbounded decompression would defeat
    the limit."""

    def __init__(
        self, app: ASGIApp, max_body_size: int, limits: dict[str, int] | None = None
    ) -> None:
        super().__init__(app)
        self.max_body_size = max_body_size
        self.limits = limits or {}

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        limit = self.limits.get(scope.get("path", ""), self.max_body_size)
        declared: int | None = None
        for name, value in scope["headers"]:
            if name == b"content-length" and value.isdigit():
                declared = int(value)
            elif name == b"content-encoding" and value.strip().lower() not in {b"", b"identity"}:
                problem: ProblemError = UnsupportedEncoding(
                    f"Content-Encoding {value.decode('latin-1')!r} is not supported: "
                    "send the body uncompressed"
                )
                await self._refuse(scope, receive, send, problem, 415)
                return
        if declared is not None and declared > limit:
            await self._refuse(scope, receive, send, None, limit)
            return
        if declared is not None:
            await self.app(scope, receive, send)
            return
        received = 0

        async def receive_within_limit() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        await self.app(scope, receive_within_limit, send)

    async def _refuse(
        self, scope: Scope, receive: Receive, send: Send, problem: ProblemError | None, limit: int
    ) -> None:
        if problem is None:
            response = problem_response(
                status=413,
                slug="body-too-large",
                title="Request body too large",
                detail=f"the body may be at most {limit} bytes",
                instance=scope.get("path"),
            )
        else:
            response = problem_response(
                status=problem.status,
                slug=problem.slug,
                title=problem.title,
                detail=problem.detail,
                instance=scope.get("path"),
            )
        await response(scope, receive, send)
