"""``onrecord keys create|revoke|list``: API keys, from the command line."""

import asyncio
from collections.abc import Awaitable, Callable
from functools import partial
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from sqlalchemy.ext.asyncio import AsyncSession

from app.cli_options import DatabaseUrl, DataDir, fail
from app.db import create_engine, session_factory
from app.keys.models import SCOPES
from app.keys.service import KeyInfo, create_key, list_keys, revoke_keys

T = TypeVar("T")
DEMO_KEY = "demo"


async def _in_session(url: str, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    engine = create_engine(url, pool_size=1)
    try:
        async with session_factory(engine)() as session:
            result = await work(session)
            await session.commit()
            return result
    finally:
        await engine.dispose()


def _describe(key: KeyInfo) -> str:
    state = f"revoked {key.revoked_at:%Y-%m-%d %H:%M}" if key.revoked_at else "active"
    return f"{key.id}  {key.prefix}  {key.scope:<5}  {key.name}  ({state})"


def fresh_demo_key(url: str) -> str:
    """Revoke the previous demo key and make a new one (the secret is shown
    once, so each ``serve --demo`` prints a new one); returns its token."""

    async def work(session: AsyncSession) -> str:
        await revoke_keys(session, name_or_id=DEMO_KEY)
        _, token = await create_key(session, name=DEMO_KEY, scope="write")
        return token

    return asyncio.run(_in_session(url, work))


def register(cli: typer.Typer, database: Callable[[str | None, Path | None], str]) -> None:
    """Add ``keys`` to the ``onrecord`` command; ``database`` turns the
    common options into a ready server's URL."""
    keys_cli = typer.Typer(help="API keys: who may write (and read).", no_args_is_help=True)
    cli.add_typer(keys_cli, name="keys")

    @keys_cli.command("create")
    def create_command(
        name: Annotated[str, typer.Option(help="A name for the key (who or what uses it).")],
        scope: Annotated[
            str, typer.Option(help="read, write (includes read) or admin (includes write).")
        ] = "write",
        database_url: DatabaseUrl = None,
        data_dir: DataDir = None,
    ) -> None:
        """Create a key and print its secret: shown this once, only a hash is stored."""
        from app.migrate import upgrade

        if scope not in SCOPES:
            fail(f"--scope must be one of {', '.join(SCOPES)}", code=2)
        url = database(database_url, data_dir)
        upgrade(url)

        async def work(session: AsyncSession) -> tuple[KeyInfo, str]:
            if any(key.name == name for key in await list_keys(session)):
                raise typer.BadParameter(f"an active key is already named {name!r}")
            return await create_key(session, name=name, scope=scope)

        try:
            key, token = asyncio.run(_in_session(url, work))
        except typer.BadParameter as exc:
            fail(exc)
        typer.echo(f"created {key.scope} key {key.name!r} (id {key.id})", err=True)
        typer.echo("the secret is shown once; send it as `Authorization: Bearer <key>`:", err=True)
        typer.echo(token)

    @keys_cli.command("revoke")
    def revoke_command(
        name_or_id: Annotated[str, typer.Argument(help="The key's name, id or prefix.")],
        database_url: DatabaseUrl = None,
        data_dir: DataDir = None,
    ) -> None:
        """Revoke a key: it stops working at once (it stays listed in history)."""
        url = database(database_url, data_dir)

        revoked = asyncio.run(_in_session(url, partial(revoke_keys, name_or_id=name_or_id)))
        if not revoked:
            fail(f"no active key named {name_or_id!r} (name, id or prefix)")
        for key in revoked:
            typer.echo(f"revoked {_describe(key)}")

    @keys_cli.command("list")
    def list_command(
        all_keys: Annotated[bool, typer.Option("--all", help="Revoked keys too.")] = False,
        database_url: DatabaseUrl = None,
        data_dir: DataDir = None,
    ) -> None:
        """List keys: id, prefix, scope, name (never the secrets)."""
        url = database(database_url, data_dir)

        for key in asyncio.run(_in_session(url, partial(list_keys, include_revoked=all_keys))):
            typer.echo(_describe(key))
