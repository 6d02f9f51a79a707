"""A statement's plan as the app's connections make it.

The app's statements are prepared (asyncpg) and planned in the plan cache
mode of the pool that runs them (``app.db``): a plan read with a plain
``EXPLAIN`` and the values inlined may be another plan. So a statement is
``PREPARE``d as sent and explained with ``EXECUTE``, which takes no bind
parameters: its values are written as literals, typed by the ``PREPARE``.
The perf tests (``tests/perf``) and the search terms' costs
(``bench.search_terms``) read plans this one way; they and the ceiling
(``capture`` in ``bench/__main__.py``) see the app's statements on an app built by
``app_noting_plans``.
"""

import dataclasses
from collections.abc import Sequence
from typing import Any

import asyncpg
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncEngine

from app.sqlcompile import sql_literal


def plan_cache_mode(generic_plan: bool) -> str:
    """The plan cache mode of the pool a statement runs on in the app: planned
    once (``app.db.GENERIC_PLANS``) or per run (``SERVER_SETTINGS``)."""
    from app.db import GENERIC_PLANS, SERVER_SETTINGS

    return (GENERIC_PLANS if generic_plan else SERVER_SETTINGS)["plan_cache_mode"]


async def explain_prepared(
    connection: asyncpg.Connection,
    sql: str,
    arguments: Sequence[Any] | None,
    *,
    plan_cache_mode: str,
    options: str = "FORMAT JSON",
    runs: int = 1,
) -> list[str]:
    """``EXPLAIN (options)`` of ``sql`` prepared once and executed ``runs``
    times with ``arguments`` under ``plan_cache_mode``: each run's output as
    one text (a plan made once shows its planning on the first run only)."""
    values = list(arguments or ())
    executed = "EXECUTE onrecord_plan_probe"
    if values:
        executed += "(" + ", ".join(sql_literal(value) for value in values) + ")"
    await connection.execute(f"SET plan_cache_mode = {plan_cache_mode}")
    await connection.execute(f"PREPARE onrecord_plan_probe AS {sql}")
    try:
        outputs = []
        for _ in range(runs):
            rows = await connection.fetch(f"EXPLAIN ({options}) {executed}")
            outputs.append("\n".join(row[0] for row in rows))
        return outputs
    finally:
        await connection.execute("DEALLOCATE onrecord_plan_probe")
        await connection.execute("RESET plan_cache_mode")


def app_noting_plans(engine: AsyncEngine, planned_once: set[str]) -> FastAPI:
    """The real app on ``engine``, its hot reads sent through the engine's
    sessions too (so an engine event sees every statement), noting in
    ``planned_once`` the statements the fast path would plan once."""
    from app.db import Sessions, factory_fetch
    from app.main import create_app

    sessions = Sessions.on(engine)
    reads = factory_fetch(sessions.read or sessions.write)

    async def fast(sql: str, args: Any, /, *, generic_plan: bool = False) -> Any:
        if generic_plan:
            planned_once.add(sql)
        return await reads(sql, args)

    return create_app(sessions=dataclasses.replace(sessions, fast=fast))
