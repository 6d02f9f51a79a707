"""Rate limits per API key and, for requests without a key, per client address
(``ONRECORD_RATE_LIMIT_KEY``, ``ONRECORD_RATE_LIMIT_ANONYMOUS``; off unless
set).

Each budget is "N requests per period", enforced by GCRA (the generic cell
rate algorithm): one timestamp per client, in this worker's memory. A client
may spend its whole budget at once, then one more request every
``period / N``. Only ``/v1`` is limited (never ``/health``, ``/ready``,
``/metrics``, the docs or the explorer's files). A request over budget is
refused before anything else is done: a 429 problem with ``Retry-After``.
Every ``/v1`` answer carries ``RateLimit-Limit``, ``RateLimit-Remaining``,
``RateLimit-Reset`` and ``RateLimit-Policy`` (IETF draft
draft-ietf-httpapi-ratelimit-headers-07).

A key is told apart by its token's digest, without a database lookup. It
counts only where the API checks it (writes; reads too when they are not
public): a public read counts against its address whatever key it carries.
So that made-up tokens cannot each get a fresh budget, each 401 spends a
budget of the client address (the anonymous one's size), and once that is
spent, every request with a key from that address is refused until it
refills.
"""

import hashlib
import math

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.budgets import Budget, Decision, Limiter
from app.errors import problem_response
from app.keys.auth import needed_scope


def _headers(budget: Budget, decision: Decision) -> list[tuple[bytes, bytes]]:
    headers = [
        (b"ratelimit-limit", str(budget.requests).encode()),
        (b"ratelimit-remaining", str(decision.remaining).encode()),
        (b"ratelimit-reset", str(math.ceil(decision.reset_s)).encode()),
        (b"ratelimit-policy", budget.policy().encode()),
    ]
    if not decision.allowed:
        headers.append((b"retry-after", str(max(1, math.ceil(decision.retry_after_s))).encode()))
    return headers


def _bearer_digest(scope: Scope) -> str | None:
    for name, value in scope["headers"]:
        if name == b"authorization":
            return hashlib.sha256(value.strip()).hexdigest()
    return None


class RateLimits:
    """The ASGI layer that applies the budgets (installed only when one is set)."""

    def __init__(self, app: ASGIApp, *, per_key: Budget | None, anonymous: Budget | None) -> None:
        self.app = app
        self.keys = Limiter(per_key) if per_key else None
        self.anonymous = Limiter(anonymous) if anonymous else None
        # Per address: the requests whose key was not valid (a 401).
        budget = anonymous or per_key
        self.bad_keys = Limiter(budget) if budget else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope.get("path", "")
        if scope["type"] != "http" or not (path == "/v1" or path.startswith("/v1/")):
            await self.app(scope, receive, send)
            return
        client = scope.get("client")
        address = client[0] if client else "unknown"
        digest = _bearer_digest(scope)
        # A key counts only where it is checked: a public read ignores any key
        # sent, so a made-up one must not buy it a budget of its own.
        keyed = digest is not None and needed_scope(scope["method"], path) is not None
        if keyed and self.bad_keys is not None:
            spent = self.bad_keys.take(address, spend=False)
            if not spent.allowed:
                await _refuse(scope, receive, send, self.bad_keys.budget, spent)
                return
        limiter, who = (self.keys, str(digest)) if keyed else (self.anonymous, address)
        headers: list[tuple[bytes, bytes]] = []
        if limiter is not None:
            decision = limiter.take(who)
            if not decision.allowed:
                await _refuse(scope, receive, send, limiter.budget, decision)
                return
            headers = _headers(limiter.budget, decision)
        bad_keys = self.bad_keys if keyed else None

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *headers]
                if message["status"] == 401 and bad_keys is not None:
                    bad_keys.take(address)
            await send(message)

        await self.app(scope, receive, send_with_headers)


async def _refuse(
    scope: Scope,
    receive: Receive,
    send: Send,
    budget: Budget,
    decision: Decision,
) -> None:
    wait = max(1, math.ceil(decision.retry_after_s))
    response = problem_response(
        status=429,
        slug="rate-limited",
        title="Too many requests",
        detail=f"the budget is {budget.requests} requests per {budget.period_s} s; "
        f"try again in {wait} s",
        instance=scope.get("path"),
    )
    response.raw_headers.extend(_headers(budget, decision))
    await response(scope, receive, send)
