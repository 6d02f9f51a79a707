"""Response hardening, as pure ASGI middleware (no ``BaseHTTPMiddleware``:
no extra task per request, no body buffering).

``SecurityHeaders`` adds to every response, errors included:

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
"""

from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

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


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", ()))
                present = {name.lower() for name, _ in headers}
                html = any(
                    name.lower() == b"content-type" and value.lower().startswith(b"text/html")
                    for name, value in headers
                )
                headers.extend(header for header in COMMON if header[0] not in present)
                if b"content-security-policy" not in present:
                    headers.append((b"content-security-policy", HTML_CSP if html else API_CSP))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


def with_cors(app: ASGIApp, origins: list[str]) -> ASGIApp:
    """``app`` answering CORS for ``origins`` (preflights included); ``app``
    itself when there are none."""
    if not origins:
        return app
    return CORSMiddleware(
        app,
        allow_origins=origins,
        allow_methods=["GET", "HEAD", "POST", "PATCH", "DELETE", "OPTIONS"],
        allow_headers=[
            "Authorization",
            "Content-Type",
            "If-Match",
            "If-None-Match",
            "Idempotency-Key",
            "X-Request-ID",
        ],
        expose_headers=["Location", "ETag", "Retry-After", "X-Request-ID", "Link"],
        # Bearer keys, not cookies: no credentials mode.
        allow_credentials=False,
        max_age=600,
    )
