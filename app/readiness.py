"""What ``/ready`` answers: a probe of the database with its own deadline.

Each probe opens a connection of its own (never one of the request pools,
which a write load can keep busy for ``ONRECORD_POOL_TIMEOUT_S``), reads the
schema revision and closes it, all within ``PROBE_TIMEOUT_S``. A *new*
connection is what finds a server in smart shutdown, which keeps serving the
sessions it has and refuses new ones; a server that is stopped (``SIGSTOP``)
accepts the TCP connection and never answers, which only a deadline finds.

While the app runs, ``ReadinessMonitor`` probes every ``PROBE_INTERVAL_S``
in the background and ``/ready`` answers from its last result: the database
is ready when the last probe succeeded and succeeded less than
``STALE_AFTER_S`` ago (a probe that hangs makes the answer 503 before its
own deadline ends). So whatever stops the database, ``/ready`` turns 503
within ``STALE_AFTER_S`` plus one interval (under 2 s), and turns 200 again
within one interval of the database answering, with no restart.

It probes only while someone watches: for ``WATCHED_FOR_S`` after each
``/ready``. A probe costs a new server process (8-9 ms, a millisecond of
the worker's CPU): four a second in every worker of a server nobody asks
was a steady share of a small machine. The first ``/ready`` after a quiet
spell waits for a fresh probe (at most ``PROBE_TIMEOUT_S``), so it never
answers from an old result.
"""

import asyncio
import contextlib
import functools
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

import asyncpg
from sqlalchemy.engine import URL, make_url

logger = logging.getLogger("onrecord")

PROBE_INTERVAL_S = 0.25
PROBE_TIMEOUT_S = 1.0
STALE_AFTER_S = 1.5
WATCHED_FOR_S = 120.0
"""How long after a ``/ready`` the monitor keeps probing (orchestrators ask
every few seconds; a load balancer's check every 5-30 s)."""
PROBE_APPLICATION_NAME = "onrecord-ready"


@dataclass(frozen=True)
class Probe:
    """One probe's result: ``detail`` is the revision when ``ok``, else why not."""

    ok: bool
    detail: str
    finished_at: float


@functools.cache
def head_revisions() -> frozenset[str]:
    """The head revision(s) of the migrations shipped with this code."""
    from alembic.script import ScriptDirectory

    from app.migrate import alembic_config

    return frozenset(ScriptDirectory.from_config(alembic_config("")).get_heads())


def _dsn(url: URL | str) -> str:
    parsed = make_url(url) if isinstance(url, str) else url
    return parsed.set(drivername="postgresql").render_as_string(hide_password=False)


async def probe(url: URL | str, *, timeout_s: float = PROBE_TIMEOUT_S) -> Probe:
    """Connect, read ``alembic_version``, disconnect: at most ``timeout_s``."""
    heads = head_revisions()
    connection: asyncpg.Connection | None = None
    try:
        async with asyncio.timeout(timeout_s):
            connection = await asyncpg.connect(
                _dsn(url),
                timeout=timeout_s,
                server_settings={"application_name": PROBE_APPLICATION_NAME},
                statement_cache_size=0,
            )
            try:
                rows = await connection.fetch("SELECT version_num FROM alembic_version")
            except asyncpg.UndefinedTableError:  # never migrated
                rows = []
            await connection.close(timeout=timeout_s)
            connection = None
    except TimeoutError:
        return Probe(False, f"the database did not answer within {timeout_s:g} s", _now())
    except asyncpg.CannotConnectNowError:
        return Probe(False, "the database is shutting down or starting up", _now())
    except Exception as exc:  # any failure means "not ready"; never its text
        logger.debug("readiness probe failed: %r", exc)
        return Probe(False, "the database cannot be reached", _now())
    finally:
        if connection is not None:
            connection.terminate()
    found = frozenset(row["version_num"] for row in rows)
    if found != heads:
        at = ", ".join(sorted(found)) or "none"
        return Probe(
            False, f"the schema is at revision {at}, not at {', '.join(sorted(heads))}", _now()
        )
    return Probe(True, next(iter(heads)), _now())


def _now() -> float:
    return time.monotonic()


class ReadinessMonitor:
    """Probes ``url`` every ``PROBE_INTERVAL_S`` in a task of its own."""

    def __init__(self, url: URL | str, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.url = url
        self.clock = clock
        self.last: Probe | None = None
        self.first = asyncio.Event()
        self.task: asyncio.Task[None] | None = None
        self.probes = 0
        self.watched_until = 0.0
        self.wanted = asyncio.Event()
        self.probed = asyncio.Event()

    def start(self) -> None:
        self.task = asyncio.create_task(self._run(), name="onrecord-readiness")

    async def stop(self) -> None:
        if self.task is not None:
            self.task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.task

    async def _run(self) -> None:
        # One probe at start-up, so that the log says at once when the
        # database is not there; then only while /ready is watched.
        while True:
            result = await probe(self.url)
            self.probes += 1
            self._log_change(self.last, result)
            self.last = result
            self.first.set()
            self.probed.set()
            await asyncio.sleep(PROBE_INTERVAL_S)
            if self.clock() >= self.watched_until:
                self.wanted.clear()
                await self.wanted.wait()

    @staticmethod
    def _log_change(before: Probe | None, now: Probe) -> None:
        """One line when readiness changes, not one per probe."""
        if before is not None and (before.ok, before.detail) == (now.ok, now.detail):
            return
        if now.ok:
            if before is not None:
                logger.info("ready again: the database answers")
        else:
            logger.warning("not ready: %s", now.detail)

    async def state(self) -> tuple[bool, str]:
        """Ready or not, and the revision or the reason."""
        self.watched_until = self.clock() + WATCHED_FOR_S
        if not self.wanted.is_set():  # the monitor rests: a fresh probe
            self.probed.clear()
            self.wanted.set()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.probed.wait(), PROBE_TIMEOUT_S)
        elif not self.first.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.first.wait(), PROBE_TIMEOUT_S)
        last = self.last
        if last is None:
            return False, f"the database did not answer within {PROBE_TIMEOUT_S:g} s"
        if not last.ok:
            return False, last.detail
        if self.clock() - last.finished_at > STALE_AFTER_S:
            return False, f"the database did not answer within {STALE_AFTER_S:g} s"
        return True, last.detail
