"""What the ``onrecord`` command shows a person: progress while it waits, one
readable line (and a non-zero exit) when something fails, and where
``onrecord serve`` listens.

Set ``ONRECORD_DEBUG=1`` to get the full traceback instead of the one line.
"""

import errno
import importlib
import socket
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

target: str | None = None
"""The database the command works on (redacted), named in connection errors."""


@contextmanager
def progress(message: str) -> Iterator[None]:
    """A spinner with ``message`` on stderr while the block runs (terminals only)."""
    if not sys.stderr.isatty():
        yield
        return
    from rich.console import Console

    with Console(stderr=True).status(message):
        yield


def _first_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[0] if lines else ""


def describe_error(exc: BaseException) -> str:
    """One line saying what went wrong, for a person (no traceback)."""
    from sqlalchemy.exc import ArgumentError, DBAPIError

    where = f" ({target})" if target else ""
    cause: BaseException = exc
    if isinstance(exc, DBAPIError) and exc.orig is not None:
        cause = exc.orig.__cause__ or exc.orig
    if isinstance(cause, socket.gaierror):
        return f"cannot reach the database{where}: unknown host"
    if isinstance(cause, ConnectionRefusedError) or (
        isinstance(cause, OSError) and cause.errno == errno.ECONNREFUSED
    ):
        return f"cannot reach the database{where}: connection refused (is PostgreSQL running?)"
    if isinstance(cause, TimeoutError):
        return f"cannot reach the database{where}: timed out"
    if isinstance(cause, OSError):
        if cause.filename is not None:
            return f"{cause.filename}: {cause.strerror or _first_line(str(cause))}"
        return f"cannot reach the database{where}: {cause.strerror or _first_line(str(cause))}"
    if isinstance(exc, ArgumentError):
        return f"bad database URL: {_first_line(str(exc))}"
    try:
        import asyncpg

        if isinstance(cause, asyncpg.PostgresError):
            return f"the database refused{where}: {_first_line(str(cause))}"
    except ImportError:  # pragma: no cover - asyncpg is a dependency
        pass
    message = _first_line(str(cause)) or "no details"
    return f"{type(cause).__name__}: {message}"


def check_port(host: str, port: int) -> str | None:
    """Why ``host:port`` cannot be listened on, or None when it can."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            return f"cannot listen on {host}:{port}: {exc.strerror or exc}"
    return None


def serves(app: Any, path: str) -> bool:
    """Whether some route of ``app`` answers ``GET path``."""
    from starlette.routing import Match

    scope = {"type": "http", "method": "GET", "path": path, "root_path": "", "headers": []}
    return any(route.matches(scope)[0] is Match.FULL for route in app.router.routes)


def demo_write_key(database_url: str) -> str | None:
    """A write key for the demo, if the API-keys module offers one.

    Hook: ``app.keys.demo_write_key(database_url: str) -> str | None`` issues
    (or finds) a key that may write, for ``onrecord serve --demo`` to print.
    """
    try:
        keys: Any = importlib.import_module("app.keys")
    except ImportError:
        return None
    issue = getattr(keys, "demo_write_key", None)
    if not callable(issue):
        return None
    key = issue(database_url)
    return key if isinstance(key, str) and key else None


def banner(
    *,
    host: str,
    port: int,
    paths: set[str],
    database: str,
    workers: int,
    write_key: str | None,
    metrics_address: str | None = None,
) -> list[str]:
    """What ``onrecord serve`` prints before it starts listening."""
    everywhere = host in {"0.0.0.0", "::", ""}  # noqa: S104 - reading it, not binding
    shown = "127.0.0.1" if everywhere else (f"[{host}]" if ":" in host else host)
    base = f"http://{shown}:{port}"
    lines = [
        f"OnRecord listening on {base}" + (f" (all interfaces, port {port})" if everywhere else ""),
        f"  API docs   {base}/docs  (ReDoc {base}/redoc, OpenAPI {base}/openapi.json)",
    ]
    if "/explore" in paths:
        lines.append(f"  explorer   {base}/explore")
    lines.append(
        f"  metrics    http://{metrics_address}/metrics"
        if metrics_address
        else f"  metrics    {base}/metrics  (admin key)"
    )
    lines.append(f"  database   {database}")
    if workers > 1:
        lines.append(f"  workers    {workers}")
    if write_key:
        lines.append(f"  write key  {write_key}  (demo: send it as 'Authorization: Bearer …')")
    lines.append("Press Ctrl+C to stop.")
    return lines
