"""Back up a database to one file, restore one into an empty database.

A backup is ``pg_dump --format=custom``: every table (the history, the
redactions and the schema revision included) at one consistent snapshot,
taken while the API keeps serving. A restore is ``pg_restore`` in a single
transaction that stops at the first error: it lands whole or not at all.
"""

import asyncio
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

import asyncpg
from sqlalchemy.engine import make_url

from app.backup.tools import Tool, for_server, libpq_environment
from app.embedded import _asyncpg_params, ensure_database


class BackupFailed(RuntimeError):
    """A backup or a restore did not complete (the message says why)."""


async def _server_facts(url: str) -> tuple[int, int]:
    """The server's major version, and how many tables the database holds."""
    connection = await asyncpg.connect(**_asyncpg_params(make_url(url)))
    try:
        version = int(await connection.fetchval("SHOW server_version_num"))
        tables = await connection.fetchval(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog',"
            " 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'"
        )
    finally:
        await connection.close()
    return version // 10000, int(tables)


def _run(tool: Tool, arguments: list[str], url: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - a PostgreSQL tool, arguments of ours
        [str(tool.path), *arguments],
        capture_output=True,
        text=True,
        env=libpq_environment(url),
        check=False,
    )


def _first_error(result: subprocess.CompletedProcess[str]) -> str:
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    errors = [line for line in lines if "error" in line.lower()]
    return (errors or lines or [f"exit status {result.returncode}"])[0]


@dataclass(frozen=True)
class Done:
    tool: Tool
    server_major: int


def backup(url: str, file: Path) -> Done:
    """Dump the database of ``url`` into ``file`` (written whole or not at all)."""
    major, _ = asyncio.run(_server_facts(url))
    tool = for_server("pg_dump", major)[0]
    partial = file.with_name(file.name + ".partial")
    result = _run(tool, ["--format=custom", f"--file={partial}"], url)
    if result.returncode != 0:
        partial.unlink(missing_ok=True)
        raise BackupFailed(f"pg_dump failed: {_first_error(result)}")
    os.replace(partial, file)
    return Done(tool, major)


def _reader_of(file: Path, tools: list[Tool], url: str) -> Tool:
    """The first of ``tools`` that can read the archive ``file``."""
    for tool in tools:
        if _run(tool, ["--list", str(file)], url).returncode == 0:
            return tool
    result = _run(tools[-1], ["--list", str(file)], url)
    raise BackupFailed(f"{file} is not a backup this pg_restore can read: {_first_error(result)}")


def restore(file: Path, url: str) -> Done:
    """Restore ``file`` into the database of ``url`` (created if missing), which
    must hold no table: a restore never mixes two states of the record."""
    database = make_url(url).database or "postgres"
    asyncio.run(ensure_database(url, database))
    major, tables = asyncio.run(_server_facts(url))
    if tables:
        raise BackupFailed(
            f"database {database!r} is not empty ({tables} tables): restore into a new "
            "database, or drop this one first (see docs/backups.md)"
        )
    tool = _reader_of(file, for_server("pg_restore", major), url)
    result = _run(
        tool,
        [
            f"--dbname={database}",
            "--single-transaction",
            "--exit-on-error",
            "--no-owner",
            "--no-privileges",
            str(file),
        ],
        url,
    )
    if result.returncode != 0:
        raise BackupFailed(f"pg_restore failed, nothing was restored: {_first_error(result)}")
    return Done(tool, major)
