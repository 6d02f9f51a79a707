"""``/health`` (liveness) and ``/ready`` (readiness).

``/health`` says the process is alive and answers requests: it never touches
the database, so an orchestrator does not restart a healthy process because
PostgreSQL is away. ``/ready`` says the process can serve: the database
answers and its schema is at the head revision of the migrations it ships
with. It answers from a background probe with a deadline of its own
(``app/readiness.py``), so calling it costs the database nothing.
"""

from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from app.errors import PROBLEM_MEDIA_TYPE, ProblemError
from app.readiness import ReadinessMonitor, probe

router = APIRouter(tags=["meta"])


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


@router.get("/health", summary="Liveness: the process answers")
async def health() -> Health:
    """Always 200 while the process runs, whatever the database's state (see `/ready`)."""
    return Health(status="ok")


@router.get("/ready", summary="Readiness: database reachable, schema migrated", responses=NOT_READY)
async def ready(request: Request) -> Readiness:
    """200 when the database answers and its schema is at the head revision;
    else a 503 problem with `Retry-After`. Probed every 0.25 s, for two minutes
    after each call, with a 1 s deadline of its own: a database that stops
    answering, in any way, makes this 503 within 2 s."""
    monitor: ReadinessMonitor | None = getattr(request.app.state, "readiness", None)
    if monitor is not None:
        ok, detail = await monitor.state()
    else:  # sessions given by the caller (a test): a probe on their engine
        result = await probe(request.app.state.engine.url)
        ok, detail = result.ok, result.detail
    if not ok:
        raise NotReady(detail)
    return Readiness(status="ready", revision=detail)
