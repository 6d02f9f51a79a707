"""Request budgets: "N requests per period", enforced by GCRA (the generic
cell rate algorithm) with one timestamp per client in memory. Used by
``app.ratelimit``; kept apart so that the settings can check a budget
without importing the middleware."""

import math
import re
import time
from collections.abc import Callable
from dataclasses import dataclass

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
