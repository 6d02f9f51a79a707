"""Database preparation shared by the CLI, the app and the tests: find or start
the server, make sure the database exists, and drive Alembic."""

import asyncio
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy.engine import make_url

from app.config import Settings
from app.embedded import DATABASE_NAME, ensure_database, server_url, start_server

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def prepare_server(settings: Settings) -> str:
    """URL of the database to use: the configured server, or the embedded one
    (started or attached to, with its ``onrecord`` database created)."""
    if settings.database_url:
        return settings.database_url
    server = start_server(settings.data_dir)
    url = server_url(server, DATABASE_NAME)
    asyncio.run(ensure_database(url, DATABASE_NAME))
    return url.render_as_string(hide_password=False)


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["database_url"] = database_url
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(database_url), revision)


def downgrade(database_url: str, revision: str) -> None:
    command.downgrade(alembic_config(database_url), revision)


async def current_revision(database_url: str) -> str | None:
    from app.db import create_engine

    engine = create_engine(database_url, pool_size=1)
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(
                lambda sync: MigrationContext.configure(sync).get_current_revision()
            )
    finally:
        await engine.dispose()


def redacted(database_url: str) -> str:
    """Where the database is, for people: no password, socket paths unescaped."""
    url = make_url(database_url)
    where = url.query.get("host") or f"{url.host or 'localhost'}:{url.port or 5432}"
    return f"database {url.database!r} as {url.username or 'default user'} on {where}"
