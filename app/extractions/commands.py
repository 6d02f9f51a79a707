"""``onrecord extract``: proposals for files of text, as NDJSON, or stored."""

import asyncio
import sys
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any, Literal

import orjson
import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from app.cli_options import DatabaseUrl, DataDir, fail
from app.errors import ProblemError


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise ValueError(f"{path}: cannot read it ({exc.strerror})") from None


async def _extract_all(
    url: str,
    files: list[Path],
    *,
    language: Literal["en", "fr", "auto"],
    published: date | None,
    store: bool,
    advance: Callable[[], None],
) -> list[str]:
    """Each file's proposal on stdout (one JSON line), stored too with
    ``store``; the problems met, one line each."""
    from app.bundles.bulk import load_bundle
    from app.db import create_engine, session_factory
    from app.extractions.schemas import ExtractionRequest
    from app.extractions.service import extract, in_process

    problems: list[str] = []
    engine = create_engine(url, pool_size=1)
    try:
        for path in files:
            try:
                text = _read(path)
                request = ExtractionRequest(text=text, language=language, published=published)
                async with session_factory(engine)() as session:
                    proposal = await extract(session, request=request, run=in_process)
                    if store:
                        summary = await load_bundle(session, proposal["bundle"])
                        await session.commit()
                        typer.echo(f"{path}: {summary.line()}", err=True)
            except (ValueError, ProblemError) as exc:
                problems.append(
                    str(exc) if isinstance(exc, ValueError) else f"{path}: {exc.detail}"
                )
            else:
                sys.stdout.write(orjson.dumps(proposal, default=str).decode() + "\n")
                sys.stdout.flush()
            advance()
    finally:
        await engine.dispose()
    return problems


def register(cli: typer.Typer, database: Callable[[str | None, Path | None], str]) -> None:
    @cli.command("extract")
    def extract_command(
        files: Annotated[
            list[Path],
            typer.Argument(help="Text files (UTF-8), one article each.", show_default=False),
        ],
        language: Annotated[
            str, typer.Option(help="en, fr, or auto (told from each text).")
        ] = "auto",
        published: Annotated[
            datetime | None,
            typer.Option(formats=["%Y-%m-%d"], help="Publication day: relative times resolve."),
        ] = None,
        store: Annotated[
            bool, typer.Option("--store", help="Store each proposal (as its bundle).")
        ] = False,
        database_url: DatabaseUrl = None,
        data_dir: DataDir = None,
        quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    ) -> None:
        """Propose the attributions of English or French texts: one JSON line per file
        (the proposal `POST /v1/extractions` answers), stored with --store. Speakers are
        resolved against the database. Exits 1 naming each file it could not read."""
        if language not in {"en", "fr", "auto"}:
            fail(f"--language must be en, fr or auto, not {language!r}", code=2)
        chosen: Any = language
        url = database(database_url, data_dir)
        from app.migrate import upgrade

        upgrade(url)
        columns = (TextColumn("extracting"), BarColumn(), MofNCompleteColumn())
        disable = quiet or not sys.stderr.isatty()
        with Progress(*columns, transient=True, disable=disable) as progress:
            task = progress.add_task("extract", total=len(files))
            problems = asyncio.run(
                _extract_all(
                    url,
                    files,
                    language=chosen,
                    published=published.date() if published else None,
                    store=store,
                    advance=lambda: progress.advance(task),
                )
            )
        for line in problems:
            typer.echo(f"error: {line}", err=True)
        if problems:
            raise typer.Exit(1)
