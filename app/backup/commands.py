"""``onrecord backup FILE`` and ``onrecord restore FILE``."""

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from app.cli_options import DatabaseUrl, DataDir, fail


def register(cli: typer.Typer, database: Callable[[str | None, Path | None], str]) -> None:
    """Add ``backup`` and ``restore`` to the ``onrecord`` command; ``database``
    turns the common options into a ready server's URL."""

    @cli.command()
    def backup(
        file: Annotated[
            Path,
            typer.Argument(
                help="Where to write the backup (pg_dump custom format).", dir_okay=False
            ),
        ],
        database_url: DatabaseUrl = None,
        data_dir: DataDir = None,
    ) -> None:
        """Back up the whole database (records, history, keys, redactions) to FILE.

        One consistent snapshot, taken while the API serves; FILE appears only
        once complete. Restore it with `onrecord restore FILE`."""
        from app.backup.service import BackupFailed
        from app.backup.service import backup as run_backup

        url = database(database_url, data_dir)
        try:
            done = run_backup(url, file)
        except BackupFailed as exc:
            fail(exc)
        size = file.stat().st_size
        typer.echo(f"backed up to {file} ({size} bytes, {done.tool.path} {done.tool.major})")

    @cli.command()
    def restore(
        file: Annotated[
            Path,
            typer.Argument(help="A backup made by `onrecord backup`.", exists=True, dir_okay=False),
        ],
        database_url: DatabaseUrl = None,
        data_dir: DataDir = None,
    ) -> None:
        """Restore FILE into an empty database (created if it does not exist).

        All or nothing: one transaction, stopped at the first error. A database
        that already holds tables is refused. Then `onrecord db upgrade` brings
        an older backup's schema up to this version's."""
        from app.backup.service import BackupFailed
        from app.backup.service import restore as run_restore
        from app.migrate import current_revision

        url = database(database_url, data_dir)
        try:
            done = run_restore(file, url)
        except BackupFailed as exc:
            fail(exc)
        revision = asyncio.run(current_revision(url)) or "base (empty schema)"
        typer.echo(
            f"restored {file} (schema revision {revision}; {done.tool.path} {done.tool.major})"
        )
