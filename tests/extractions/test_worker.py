"""The extraction worker rests between slices of CPU time, so that it takes
the share of a core it is given (``ONRECORD_EXTRACTION_CPU_SHARE``)."""

import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context

from app.extractions.worker import rest_between_slices, unpaced


def _busy_for(cpu_seconds: float) -> tuple[float, float]:
    """In the worker: spin until it has used ``cpu_seconds`` of CPU time;
    the CPU time and wall time that took."""
    cpu_start, wall_start = time.process_time(), time.perf_counter()
    while time.process_time() - cpu_start < cpu_seconds:
        sum(range(1000))
    return time.process_time() - cpu_start, time.perf_counter() - wall_start


def _busy_after_a_model_opens(cpu_seconds: float) -> tuple[float, float]:
    """In the worker: as a model opening (no rests), then ``_busy_for``."""
    with unpaced():
        _busy_for(cpu_seconds)
    return _busy_for(cpu_seconds)


def _in_a_worker_given_a_quarter(work: Callable[[float], tuple[float, float]]) -> None:
    """``work`` in a worker given a quarter of a core: it rests three times
    what it works. A busy machine only lengthens the wall time, so a lower
    bound holds anyway (less the slice the work ended in, not rested yet)."""
    with ProcessPoolExecutor(
        max_workers=1,
        mp_context=get_context("spawn"),
        initializer=rest_between_slices,
        initargs=(0.25,),
    ) as pool:
        cpu, wall = pool.submit(work, 0.2).result(timeout=60)
    assert wall >= cpu + 3 * (cpu - 0.01), (cpu, wall)


def test_a_worker_given_a_quarter_of_a_core_rests_three_times_what_it_works():
    _in_a_worker_given_a_quarter(_busy_for)


def test_it_rests_again_once_a_model_has_opened_at_full_speed():
    _in_a_worker_given_a_quarter(_busy_after_a_model_opens)
