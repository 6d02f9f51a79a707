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

A key is told apart by its token's digest, without a database lookup, so a
made-up token would get a fresh budget each time: each 401 spends a budget of
the client address (the anonymous one's size), and once that is spent, every
request with a key from that address is refused until it refills.
"""

import hashlib
import math
import re
import time
from collections.abc import Callable
from dataclasses import dataclass

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.errors import problem_response

PERIODS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}
BUDGET_PATTERN = re.compile(r"^\s*(\d+)\s*/\s*(second|minute|hour|day)\s*$")


@dataclass(frozen=True)
class Budget:
    requests: int
    period_s: int

    @classmethod
    def parse(cls, text: str) -> "Budget":
        """``"600/minute"``: 600 requests a minute (``second``, ``minute``,
        ``hour``, ``day``)."""
        found = BUDGET_PATTERN.match(text)
        if found is None or int(found.group(1)) < 1:
            raise ValueError(f"expected requests/period such as 600/minute, got {text!r}")
        return cls(int(found.group(1)), PERIODS[found.group(2)])

    @property
    def interval_s(self) -> float:
        return self.period_s / self.requests

    def policy(self) -> str:
        return f"{self.requests};w={self.period_s}"


@dataclass(frozen=True)
class Decision:
    allowed: bool
    remaining: int
    reset_s: float
    """Seconds until the whole budget is available again."""
    retry_after_s: float
    """Seconds until the next request is allowed (0 when this one was)."""


class Limiter:
    """GCRA over many clients: each client's *theoretical arrival time*, the
    moment its budget is whole again (absent: whole now)."""

    PRUNE_EVERY = 10_000

    def __init__(self, budget: Budget, clock: Callable[[], float] = time.monotonic) -> None:
        self.budget = budget
        self._clock = clock
        self._arrival: dict[str, float] = {}
        self._since_prune = 0

    def take(self, client: str, *, spend: bool = True) -> Decision:
        """Spend one request of ``client``'s budget if it has one (``spend=False``:
        only tell whether it has)."""
        now = self._clock()
        interval, burst = self.budget.interval_s, float(self.budget.period_s)
        arrival = max(self._arrival.get(client, now), now)
        after = arrival + interval
        allowed_at = after - burst
        if allowed_at > now + 1e-9:
            return Decision(False, 0, arrival - now, allowed_at - now)
        if spend:
            self._arrival[client] = after
            self._prune(now)
        remaining = math.floor((burst - (after - now)) / interval + 1e-9)
        return Decision(True, remaining, after - now, 0.0)

    def _prune(self, now: float) -> None:
        # A client whose budget is whole again needs no entry: memory stays
        # bounded by the clients of the last period.
        self._since_prune += 1
        if self._since_prune >= self.PRUNE_EVERY:
            self._since_prune = 0
            self._arrival = {key: at for key, at in self._arrival.items() if at > now}


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
        self.bad_keys = Limiter(anonymous or per_key) if per_key else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope.get("path", "")
        if scope["type"] != "http" or not (path == "/v1" or path.startswith("/v1/")):
            await self.app(scope, receive, send)
            return
        client = scope.get("client")
        address = client[0] if client else "unknown"
        digest = _bearer_digest(scope)
        if digest is None:
            limiter, who = self.anonymous, address
        else:
            limiter, who = self.keys, digest
            if self.bad_keys is not None and not self.bad_keys.take(address, spend=False).allowed:
                limiter, who = self.bad_keys, address
        if limiter is None:
            await self.app(scope, receive, send)
            return
        decision = limiter.take(who, spend=limiter is not self.bad_keys)
        headers = _headers(limiter.budget, decision)
        if not decision.allowed:
            await _refuse(scope, receive, send, limiter.budget, decision, headers)
            return
        bad_keys = self.bad_keys if digest is not None else None

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
    headers: list[tuple[bytes, bytes]],
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
    response.raw_headers.extend(headers)
    await response(scope, receive, send)
