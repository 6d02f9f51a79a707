"""The extraction workers: a process pool, apart from the API workers.

Models (spaCy's French pipeline, the English CRF) load lazily in the worker
on its first text of a language and stay there; an API worker never imports
them, so its memory and start-up do not grow. The pool itself starts on the
first extraction (``spawn``: a clean interpreter, not a copy of the API's
event loop and connections) and is shut down with the app.
"""

import asyncio
import atexit
import contextlib
import os
import signal
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date
from multiprocessing import get_context
from types import FrameType
from typing import TYPE_CHECKING, Any

from app.config import get_settings
from app.errors import ProblemError

if TYPE_CHECKING:
    from app.extractions.proposal import Article

EXTRACTION_NICENESS = 10
CPU_SLICE_S = 0.0025
"""How much CPU time the worker uses between rests: a loop busy 2.5 ms and
asleep 2.5 ms in turn left claim reads' p99 as it was idle, where one busy
1.25 ms of every 5 ms did not (docs/extraction.md)."""
_lock = threading.Lock()
_pool: ProcessPoolExecutor | None = None
_in_flight: dict[tuple[int, int], asyncio.Semaphore] = {}


class TooManyExtractions(ProblemError):
    status, slug, title = 429, "too-many-extractions", "Too many extractions in progress"
    retry_after = 2


class ExtractionTimeout(ProblemError):
    status, slug, title = 503, "extraction-timeout", "The extraction took too long"
    retry_after = 5


def _run(article: "Article", language: str, published: date | None) -> dict[str, Any]:
    """In the worker: extract and group the speakers; plain data (the pool
    pickles it). The language's model is opened first, without rests."""
    from app.extraction import load_model
    from app.extraction.language import detect_language
    from app.extractions.proposal import run_models

    chosen = detect_language(article.text) if language == "auto" else language
    with unpaced():
        load_model(chosen)  # type: ignore[arg-type]
    return run_models(article, language=chosen, published=published)


def _yield_to_the_api(cpu_share: float) -> None:
    """In the worker: the lowest CPU priority, so that reads keep their
    latency while an extraction runs. Linux's SCHED_IDLE runs the worker only
    when no other process wants the core (nice 10 alone still let a claim
    read's p99 rise 2.8x at 8 connections on 2 cores); elsewhere, nice.
    Priority alone did not keep the reads' tail: the worker also rests."""
    os.nice(EXTRACTION_NICENESS)
    if hasattr(os, "SCHED_IDLE"):
        with contextlib.suppress(OSError):
            os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
    rest_between_slices(cpu_share)


@dataclass
class _Pace:
    """The worker's rests: how long per second of CPU time, and since when it works."""

    rest_per_cpu_second: float = 0.0
    resumed: float = 0.0


_pace = _Pace()


def rest_between_slices(cpu_share: float) -> None:
    """In the worker: after every slice of CPU time it uses, sleep long enough
    that it uses ``cpu_share`` of a core while it works (and nothing while it
    waits for work: the timer counts only this process's CPU time). The rest
    comes when the interpreter next runs Python code, so a long call into a
    model's C code is followed by a longer rest, in proportion."""
    if cpu_share >= 1 or not hasattr(signal, "setitimer"):
        return
    _pace.rest_per_cpu_second = (1 - cpu_share) / cpu_share
    _pace.resumed = time.process_time()
    signal.signal(signal.SIGVTALRM, _rest)
    signal.setitimer(signal.ITIMER_VIRTUAL, CPU_SLICE_S, CPU_SLICE_S)
    # The interpreter's exit restores the signal's default action, which ends
    # the process: the timer must stop first.
    atexit.register(signal.setitimer, signal.ITIMER_VIRTUAL, 0)


def _rest(_signal: int, _frame: FrameType | None) -> None:
    time.sleep((time.process_time() - _pace.resumed) * _pace.rest_per_cpu_second)
    _pace.resumed = time.process_time()


@contextlib.contextmanager
def unpaced() -> Iterator[None]:
    """No rests inside: a model opens once per worker, and at a quarter share
    the first French text waited 16 s for spaCy instead of 4."""
    if not hasattr(signal, "setitimer"):
        yield
        return
    delay, interval = signal.setitimer(signal.ITIMER_VIRTUAL, 0)
    try:
        yield
    finally:
        _pace.resumed = time.process_time()
        if interval:
            signal.setitimer(signal.ITIMER_VIRTUAL, delay or interval, interval)


def _pool_of() -> ProcessPoolExecutor:
    global _pool
    with _lock:
        if _pool is None:
            _pool = ProcessPoolExecutor(
                max_workers=get_settings().extraction_workers,
                mp_context=get_context("spawn"),
                initializer=_yield_to_the_api,
                initargs=(get_settings().extraction_cpu_share,),
            )
        return _pool


def shutdown() -> None:
    global _pool
    with _lock:
        if _pool is not None:
            _pool.shutdown(wait=False, cancel_futures=True)
            _pool = None


atexit.register(shutdown)


def _semaphore() -> asyncio.Semaphore:
    """At most ``extraction_in_flight`` extractions per API process (per
    event loop: each test's and each worker's own)."""
    limit = get_settings().extraction_in_flight
    key = (id(asyncio.get_running_loop()), limit)
    found = _in_flight.get(key)
    if found is None:
        found = _in_flight[key] = asyncio.Semaphore(limit)
    return found


async def extract_in_worker(
    article: "Article", *, language: str, published: date | None
) -> dict[str, Any]:
    """The extraction of ``text`` as plain data; 429 when too many run
    already, 503 past ``extraction_timeout_s``."""
    semaphore = _semaphore()
    if semaphore.locked():
        raise TooManyExtractions(
            f"{get_settings().extraction_in_flight} extractions are already running on this "
            "server: try again in a moment"
        )
    async with semaphore:
        future = asyncio.get_running_loop().run_in_executor(
            _pool_of(), _run, article, language, published
        )
        try:
            return await asyncio.wait_for(future, timeout=get_settings().extraction_timeout_s)
        except TimeoutError:
            raise ExtractionTimeout(
                f"the extraction ran past {get_settings().extraction_timeout_s:g} s"
            ) from None
