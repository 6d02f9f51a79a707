"""``onrecord import`` and ``onrecord export``: bulk data in and out, with progress."""

import asyncio
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, BinaryIO
from uuid import UUID

import typer
from rich.progress import (
    BarColumn,
    DownloadColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TransferSpeedColumn,
)

from app.bundles.bulk import OnChanged
from app.bundles.export import ExportFilter, export_lines, export_size
from app.bundles.importer import Importer, ImportFailed, ImportReport, fewer_collections
from app.cli_options import DatabaseUrl, DataDir, OnChangedOption, fail
from app.db import create_engine, snapshot_factory


def _size(paths: list[Path]) -> int | None:
    try:
        return sum(os.path.getsize(path) for path in paths if str(path) != "-")
    except OSError:
        return None


async def _import(
    url: str, paths: list[Path], batch: int, progress: Progress, on_changed: OnChanged
) -> ImportReport:
    task = progress.add_task("importing", total=_size(paths))
    engine = create_engine(url, pool_size=2)  # a batch writing while the next is read
    try:
        importer = Importer(engine, batch_attributions=batch, on_changed=on_changed)
        with fewer_collections():  # the import's own process
            return await importer.run(paths, advance=lambda n: progress.advance(task, n))
    finally:
        await engine.dispose()


def import_files(
    url: str,
    paths: list[Path],
    *,
    batch: int = 20_000,
    quiet: bool = False,
    on_changed: OnChanged = "refuse",
) -> ImportReport:
    """Load files; raises ``ImportFailed`` with a message for a person."""
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, transient=True, disable=quiet or not sys.stderr.isatty()) as progress:
        return asyncio.run(_import(url, paths, batch, progress, on_changed))


async def _export(url: str, output: Path, selection: ExportFilter, quiet: bool) -> int:
    engine = create_engine(url, pool_size=1)
    written = 0
    try:
        async with snapshot_factory(engine)() as session:
            total = None if selection.selects_attributions else await export_size(session)
            await session.rollback()
            columns = (TextColumn("exporting"), BarColumn(), MofNCompleteColumn())
            disable = quiet or not sys.stderr.isatty()
            with Progress(*columns, transient=True, disable=disable) as progress:
                task = progress.add_task("export", total=total)
                with _open_output(output) as stream:
                    async for line in export_lines(session, selection):
                        stream.write(line)
                        written += 1
                        progress.advance(task)
            await session.rollback()
    finally:
        await engine.dispose()
    return written


@contextmanager
def _open_output(output: Path) -> Iterator[BinaryIO]:
    if str(output) == "-":
        yield sys.stdout.buffer
        return
    with output.open("wb") as stream:
        yield stream


Files = Annotated[
    list[Path],
    typer.Argument(
        help="Bundle files (.json) or NDJSON files of bundles or exported records; - for stdin.",
        show_default=False,
    ),
]


def register(cli: typer.Typer, database: Callable[[str | None, Path | None], str]) -> None:
    """Add ``import`` and ``export`` to the ``onrecord`` command; ``database``
    turns the common options into a ready server's URL."""

    @cli.command("import")
    def import_command(
        files: Files,
        database_url: DatabaseUrl = None,
        data_dir: DataDir = None,
        batch: Annotated[
            int,
            typer.Option(min=1, help="Attributions per transaction (whole bundles each)."),
        ] = 20_000,
        quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
        on_changed: OnChangedOption = "refuse",
    ) -> None:
        """Load bundles or an export, in bulk (COPY and set-based SQL).

        Re-running an import is safe: what is already stored is skipped (the
        same content under another bundle id too); a document whose text
        changed stops the import, naming it, unless --on-changed update."""
        from app.migrate import upgrade

        url = database(database_url, data_dir)
        upgrade(url)
        started = datetime.now()
        try:
            report = import_files(url, files, batch=batch, quiet=quiet, on_changed=on_changed)
        except ImportFailed as exc:
            fail(exc)
        seconds = (datetime.now() - started).total_seconds()
        typer.echo(f"{report.line()} in {seconds:.1f} s", err=True)

    @cli.command("export")
    def export_command(
        output: Annotated[Path, typer.Argument(help="NDJSON file to write; - for stdout.")],
        database_url: DatabaseUrl = None,
        data_dir: DataDir = None,
        speaker_id: Annotated[UUID | None, typer.Option(help="Attributions of this actor.")] = None,
        source_id: Annotated[UUID | None, typer.Option(help="Attributions in this source.")] = None,
        time_from: Annotated[
            datetime | None, typer.Option(formats=["%Y-%m-%d"], help="Said on or after.")
        ] = None,
        time_to: Annotated[
            datetime | None, typer.Option(formats=["%Y-%m-%d"], help="Said on or before.")
        ] = None,
        changed_since: Annotated[
            datetime | None, typer.Option(help="Only records changed since then (ISO 8601).")
        ] = None,
        quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    ) -> None:
        """Write records as NDJSON that `onrecord import` loads back (ids kept)."""
        url = database(database_url, data_dir)
        selection = ExportFilter(
            speaker_id=speaker_id,
            source_id=source_id,
            time_from=_day(time_from),
            time_to=_day(time_to),
            changed_since=changed_since,
        )
        try:
            written = asyncio.run(_export(url, output, selection, quiet))
        except OSError as exc:
            if exc.filename is None:  # not the file: the database (app.cli.main says so)
                raise
            fail(f"cannot write {output}: {exc.strerror}")
        typer.echo(f"exported {written} records to {output}", err=True)


def _day(value: datetime | None) -> date | None:
    return value.date() if value is not None else None
