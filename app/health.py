"""``/health`` (liveness) and ``/ready`` (readiness).

``/health`` says the process is alive and answers requests: it never touches
the database, so an orchestrator does not restart a healthy process because
PostgreSQL is away. ``/ready`` says the process can serve: the database
answers and its schema is at the head revision of the migrations it ships
with. Its result is kept for ``READY_CACHE_S`` so probes cannot load the
database.
"""

import asyncio
import functools
import logging
import time
from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field
from sqlalchemy import text

from app.errors import PROBLEM_MEDIA_TYPE, ProblemError

logger = logging.getLogger("onrecord")
router = APIRouter(tags=["meta"])

READY_CACHE_S = 1.0
READY_TIMEOUT_S = 2.0


class Health(BaseModel):
    status: str = Field(examples=["ok"])


class Readiness(BaseModel):
    status: str = Field(examples=["ready"])
    revision: str = Field(description="The schema's migration revision (the head).")


class NotReady(ProblemError):
    status, slug, title = 503, "not-ready", "Service not ready"
    retry_after = 1


NOT_READY: dict[int | str, dict[str, Any]] = {
    503: {
        "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        "description": "Database unreachable, or its schema is not at the head revision.",
    }
}


@functools.cache
def head_revisions() -> frozenset[str]:
    """The head revision(s) of the migrations shipped with this code."""
    from alembic.script import ScriptDirectory

    from app.migrate import alembic_config

    return frozenset(ScriptDirectory.from_config(alembic_config("")).get_heads())


@router.get("/health", summary="Liveness: the process answers")
async def health() -> Health:
    """Always 200 while the process runs, whatever the database's state (see `/ready`)."""
    return Health(status="ok")


async def _check(request: Request) -> tuple[bool, str]:
    heads = head_revisions()
    try:
        async with asyncio.timeout(READY_TIMEOUT_S):
            async with request.app.state.engine.connect() as connection:
                rows = await connection.execute(text("SELECT version_num FROM alembic_version"))
                found = frozenset(rows.scalars())
    except Exception as exc:  # any failure means "not ready"; never its text
        logger.warning("readiness check failed: %r", exc)
        return False, "the database cannot be reached"
    if found != heads:
        at = ", ".join(sorted(found)) or "none"
        return False, f"the schema is at revision {at}, not at {', '.join(sorted(heads))}"
    return True, next(iter(heads))


@router.get("/ready", summary="Readiness: database reachable, schema migrated", responses=NOT_READY)
async def ready(request: Request) -> Readiness:
    """200 when the database answers and its schema is at the head revision;
    else a 503 problem with `Retry-After`. Checked at most once a second."""
    state = request.app.state
    cached: tuple[float, bool, str] | None = getattr(state, "readiness", None)
    now = time.monotonic()
    if cached is None or now - cached[0] >= READY_CACHE_S:
        ok, detail = await _check(request)
        cached = (time.monotonic(), ok, detail)
        state.readiness = cached
    _, ok, detail = cached
    if not ok:
        raise NotReady(detail)
    return Readiness(status="ready", revision=detail)
