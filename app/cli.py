"""The ``onrecord`` command: serve the API, manage the schema, load the demo."""

import asyncio
import logging
import os
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from pydantic import ValidationError

from app.backup.commands import register as register_backup_commands
from app.bundles.commands import register as register_bundle_commands
from app.cli_options import DatabaseUrl, DataDir, OnChangedOption, fail
from app.cli_support import progress
from app.config import Settings
from app.extractions.commands import register as register_extraction_commands
from app.keys.commands import register as register_key_commands

if TYPE_CHECKING:
    from fastapi import FastAPI

cli = typer.Typer(
    help="OnRecord: who said what, when, and on whose report.\n\n"
    "A REST API over actors, sources, events, claims and attributions, on PostgreSQL. "
    "Without --database-url (or ONRECORD_DATABASE_URL) every command uses an embedded "
    "PostgreSQL kept in --data-dir, started on demand and shared by the commands running "
    "at the same time.",
    epilog="Start here: onrecord serve --demo, then open http://127.0.0.1:8000/docs. "
    "Settings come from ONRECORD_* environment variables (see the README); "
    "ONRECORD_DEBUG=1 shows tracebacks.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
db_cli = typer.Typer(help="Database schema (Alembic migrations).", no_args_is_help=True)
demo_cli = typer.Typer(help="The founding article as demo data.", no_args_is_help=True)
cli.add_typer(db_cli, name="db")
cli.add_typer(demo_cli, name="demo")


def _settings(database_url: str | None, data_dir: Path | None) -> Settings:
    overrides: dict[str, object] = {}
    if database_url:
        overrides["database_url"] = database_url
    if data_dir:
        overrides["data_dir"] = data_dir
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        for error in exc.errors():
            name = "ONRECORD_" + "_".join(str(part) for part in error["loc"]).upper()
            message = str(error["msg"]).removeprefix("Value error, ")
            shown = message if name in message else f"{name}: {message}"
            typer.echo(f"error: bad setting: {shown}", err=True)
        raise typer.Exit(2) from None


def _database(database_url: str | None, data_dir: Path | None) -> tuple[Settings, str]:
    from app import cli_support
    from app.migrate import prepare_server, redacted

    settings = _settings(database_url, data_dir)
    if settings.database_url:
        cli_support.target = redacted(settings.database_url)
        url = prepare_server(settings)
    else:
        with progress("starting the embedded PostgreSQL…"):
            url = prepare_server(settings)
    cli_support.target = redacted(url)
    typer.echo(f"using {redacted(url)}", err=True)
    return settings, url


def _upgrade(url: str, revision: str = "head") -> None:
    from app.migrate import upgrade

    with progress(f"migrating the schema to {revision}…"):
        upgrade(url, revision)


def _load_demo(url: str) -> None:
    from app.demo import load_demo

    with progress("loading the founding article…"):
        summary = asyncio.run(load_demo(url))
    typer.echo(f"demo: {summary}", err=True)


def _exit_on_sigterm(signum: int, _frame: object) -> None:
    raise SystemExit(0)


@cli.command()
def serve(
    database_url: DatabaseUrl = None,
    data_dir: DataDir = None,
    demo: Annotated[bool, typer.Option(help="Load the founding article first.")] = False,
    host: Annotated[
        str | None,
        typer.Option(
            envvar="ONRECORD_HOST",
            help="Interface to listen on (0.0.0.0: all). Default: 127.0.0.1.",
            show_default=False,
        ),
    ] = None,
    port: Annotated[
        int | None,
        typer.Option(
            envvar="ONRECORD_PORT",
            min=1,
            max=65535,
            help="Port to listen on. Default: 8000.",
            show_default=False,
        ),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            min=1,
            max=64,
            envvar="ONRECORD_WORKERS",
            help="uvicorn worker processes (with a database URL only). Default: 1.",
            show_default=False,
        ),
    ] = None,
    migrate: Annotated[bool, typer.Option(help="Upgrade the schema to head first.")] = True,
) -> None:
    """Run the API (uvicorn), on the embedded PostgreSQL unless a URL is given.

    Prints where it listens, where the docs are and which database it uses,
    then logs one JSON line per request on stderr. SIGTERM or Ctrl+C stops
    it gracefully: in-flight requests finish (ONRECORD_GRACEFUL_SHUTDOWN_S at
    most), then the embedded PostgreSQL stops if no other command uses it."""
    import uvicorn

    from app import cli_support
    from app.http_protocol import LimitedHttpProtocol
    from app.main import create_app
    from app.migrate import redacted
    from app.observability import configure_logging

    settings, url = _database(database_url, data_dir)
    listen_host = host or settings.host
    listen_port = port or settings.port
    count = workers or settings.workers
    if count > 1 and not settings.database_url:
        typer.echo(
            "note: several workers need a database URL (ONRECORD_DATABASE_URL); "
            "the embedded PostgreSQL is served by one worker",
            err=True,
        )
        count = 1
    if count > 1 and settings.metrics_address:
        fail(
            "ONRECORD_METRICS_ADDRESS takes one worker (each would listen there); "
            "run one worker per container, or scrape /metrics with an admin key",
            code=2,
        )
    if (busy := cli_support.check_port(listen_host, listen_port)) is not None:
        fail(busy)
    if migrate:
        _upgrade(url)
    write_key = None
    if demo:
        _load_demo(url)
        write_key = cli_support.demo_write_key(url)
    app = create_app(database_url=url)
    paths = {path for path in ("/explore",) if cli_support.serves(app, path)}
    for line in cli_support.banner(
        host=listen_host,
        port=listen_port,
        paths=paths,
        database=redacted(url),
        workers=count,
        write_key=write_key,
        metrics_address=settings.metrics_address,
    ):
        typer.echo(line, err=True)
    configure_logging(settings.log_level)
    # uvicorn shuts down gracefully on SIGTERM (no new connections, in-flight
    # requests finish), then re-raises the signal to the handler it found.
    # Ours turns it into a normal exit, so the embedded server's exit handler
    # runs and no PostgreSQL is left behind.
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    options = {
        "host": listen_host,
        "port": listen_port,
        "log_level": settings.log_level,
        "log_config": None,  # configure_logging's JSON lines
        "access_log": False,  # RequestTelemetry logs each request, with its id
        "timeout_graceful_shutdown": settings.graceful_shutdown_s,
        # Limits on what clients send and how slowly (app/http_protocol.py).
        "http": LimitedHttpProtocol,
        "timeout_keep_alive": settings.keep_alive_s,
        "limit_concurrency": settings.limit_concurrency,
    }
    if count > 1:
        # Workers are new processes: they find the database in the environment.
        os.environ["ONRECORD_DATABASE_URL"] = url
        uvicorn.run("app.cli:worker_app", factory=True, workers=count, **options)  # type: ignore[arg-type]
    else:
        uvicorn.run(app, **options)  # type: ignore[arg-type]


def worker_app() -> "FastAPI":
    """The app of one ``onrecord serve --workers N`` worker process."""
    from app.config import get_settings
    from app.main import create_app
    from app.observability import configure_logging

    settings = get_settings()
    configure_logging(settings.log_level)
    return create_app(database_url=settings.database_url)


@db_cli.command("upgrade")
def db_upgrade(
    revision: Annotated[str, typer.Argument(help="Target revision.")] = "head",
    database_url: DatabaseUrl = None,
    data_dir: DataDir = None,
) -> None:
    """Upgrade the schema (default: to the newest revision)."""
    _, url = _database(database_url, data_dir)
    _upgrade(url, revision)
    typer.echo(f"upgraded to {revision}")


@db_cli.command("downgrade")
def db_downgrade(
    revision: Annotated[str, typer.Argument(help="Target revision, e.g. -1 or base.")],
    database_url: DatabaseUrl = None,
    data_dir: DataDir = None,
) -> None:
    """Downgrade the schema to REVISION."""
    from app.migrate import downgrade

    _, url = _database(database_url, data_dir)
    downgrade(url, revision)
    typer.echo(f"downgraded to {revision}")


@db_cli.command("current")
def db_current(database_url: DatabaseUrl = None, data_dir: DataDir = None) -> None:
    """Print the schema revision the database is at."""
    from app.migrate import current_revision

    _, url = _database(database_url, data_dir)
    typer.echo(asyncio.run(current_revision(url)) or "base (empty schema)")


@demo_cli.command("load")
def demo_load(database_url: DatabaseUrl = None, data_dir: DataDir = None) -> None:
    """Load the founding article (idempotent: a second load changes nothing)."""
    _, url = _database(database_url, data_dir)
    _upgrade(url)
    _load_demo(url)


# -- brat standoff import (app/bundles/brat/) ----------------------------------


@cli.command("import-brat")
def import_brat(
    directory: Annotated[
        Path,
        typer.Argument(
            help="Folder of brat files, searched recursively: <compartment>/text/*.txt with "
            "<compartment>/attributions/*.ann (PolNeAR: its root or one compartment), or "
            ".txt and .ann side by side.",
            exists=True,
            file_okay=False,
            show_default=False,
        ),
    ],
    metadata: Annotated[
        Path | None,
        typer.Option(
            "--metadata",
            help="metadata.tsv (title, date, publisher, author, wire per article). "
            "Default: metadata.tsv in DIR or its parent, if there is one.",
            exists=True,
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
    report_file: Annotated[
        Path | None,
        typer.Option(
            "--report",
            help="Also write the whole report as JSON: every skipped line with file, line, "
            "id and reason.",
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
    database_url: DatabaseUrl = None,
    data_dir: DataDir = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    on_changed: OnChangedOption = "refuse",
) -> None:
    """Import articles annotated in brat standoff (.ann), one transaction each.

    Prints what was imported, the annotations skipped by reason, and every
    failure; exits 1 when a file or an article could not be imported at
    all. Re-running is safe: what is already stored is skipped, whatever the
    folder is called; an article whose text changed is reported, and replaced
    with --on-changed update."""
    from sqlalchemy.exc import SQLAlchemyError

    from app.bundles.brat import import_directory
    from app.migrate import upgrade

    _, url = _database(database_url, data_dir)
    upgrade(url)
    try:
        result = import_directory(url, directory, metadata, quiet=quiet, on_changed=on_changed)
        if report_file is not None:
            report_file.write_text(result.report.model_dump_json(indent=2), encoding="utf-8")
    except (OSError, ValueError, SQLAlchemyError) as exc:
        # One line for a person: the first line of the message, no traceback.
        first_line = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        fail(first_line)
    report = result.report
    for line in report.lines():
        typer.echo(line)
    if report.failures:
        raise typer.Exit(1)


# -- end of brat standoff import -------------------------------------------------


def _database_url(database_url: str | None, data_dir: Path | None) -> str:
    return _database(database_url, data_dir)[1]


register_bundle_commands(cli, _database_url)
register_extraction_commands(cli, _database_url)
register_key_commands(cli, _database_url)  # onrecord keys create|revoke|list (app/keys)
register_backup_commands(cli, _database_url)  # onrecord backup|restore (app/backup)


def main() -> None:
    """Entry point: every failure is one line on stderr and a non-zero exit
    (``ONRECORD_DEBUG=1``: the traceback instead)."""
    from app.cli_support import describe_error

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        cli(prog_name="onrecord")
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        sys.exit(130)
    except Exception as exc:
        if os.environ.get("ONRECORD_DEBUG"):
            raise
        typer.echo(f"error: {describe_error(exc)}", err=True)
        sys.exit(1)
