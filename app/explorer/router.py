"""Serve the explorer: ``/explore`` (the page), ``/explore/static/...`` (its
scripts and styles) and ``/`` (a redirect to it). None of it is part of the
API, so none of it is in the OpenAPI document."""

from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.responses import FileResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles

STATIC = Path(__file__).with_name("static")

router = APIRouter(include_in_schema=False)


@router.get("/", include_in_schema=False)
async def home() -> RedirectResponse:
    return RedirectResponse("/explore", status_code=307)


@router.get("/explore", include_in_schema=False)
async def explore() -> FileResponse:
    return FileResponse(STATIC / "index.html", media_type="text/html; charset=utf-8")


def install_explorer(app: FastAPI) -> None:
    """Mount the explorer on ``app``."""
    app.include_router(router)
    app.mount("/explore/static", StaticFiles(directory=STATIC), name="explorer-static")
