"""The ``onrecord`` command: serve the API, manage the schema, load the demo."""

import asyncio
import logging
import signal
from pathlib import Path
from typing import Annotated

import typer

from app.bundles.commands import register as register_bundle_commands
from app.cli_options import DatabaseUrl, DataDir
from app.config import Settings

cli = typer.Typer(
    help="OnRecord: who said what, when, and on whose report.",
    no_args_is_help=True,
    add_completion=False,
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
    except ValueError as exc:
        typer.echo(f"error: bad setting: {exc}", err=True)
        raise typer.Exit(2) from exc


def _database(database_url: str | None, data_dir: Path | None) -> tuple[Settings, str]:
    from app.migrate import prepare_server, redacted

    settings = _settings(database_url, data_dir)
    url = prepare_server(settings)
    typer.echo(f"using {redacted(url)}", err=True)
    return settings, url


def _load_demo(url: str) -> None:
    from app.demo import load_demo

    summary = asyncio.run(load_demo(url))
    typer.echo(f"demo: {summary}", err=True)


def _exit_on_sigterm(signum: int, _frame: object) -> None:
    raise SystemExit(0)


@cli.command()
def serve(
    database_url: DatabaseUrl = None,
    data_dir: DataDir = None,
    demo: Annotated[bool, typer.Option(help="Load the founding article first.")] = False,
    host: Annotated[str | None, typer.Option(help="Interface to listen on.")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on.")] = None,
    migrate: Annotated[bool, typer.Option(help="Upgrade the schema to head first.")] = True,
) -> None:
    """Run the API (uvicorn), on the embedded PostgreSQL unless a URL is given."""
    import uvicorn

    from app.main import create_app
    from app.migrate import upgrade

    settings, url = _database(database_url, data_dir)
    if migrate:
        upgrade(url)
    if demo:
        _load_demo(url)
    app = create_app(database_url=url)
    # uvicorn shuts down gracefully on SIGTERM, then re-raises the signal to
    # the handler it found. Ours turns it into a normal exit, so the embedded
    # server's exit handler runs and no PostgreSQL is left behind.
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    uvicorn.run(
        app,
        host=host or settings.host,
        port=port or settings.port,
        log_level=settings.log_level,
        access_log=False,
    )


@db_cli.command("upgrade")
def db_upgrade(
    revision: Annotated[str, typer.Argument(help="Target revision.")] = "head",
    database_url: DatabaseUrl = None,
    data_dir: DataDir = None,
) -> None:
    """Upgrade the schema (default: to the newest revision)."""
    from app.migrate import upgrade

    _, url = _database(database_url, data_dir)
    upgrade(url, revision)
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
    from app.migrate import upgrade

    _, url = _database(database_url, data_dir)
    upgrade(url)
    _load_demo(url)


def _database_url(database_url: str | None, data_dir: Path | None) -> str:
    return _database(database_url, data_dir)[1]


register_bundle_commands(cli, _database_url)


def main() -> None:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    cli()
