"""Options every ``onrecord`` command that reaches the database takes, and
how a command stops on an error."""

from pathlib import Path
from typing import Annotated, Literal, NoReturn

import typer

DatabaseUrl = Annotated[
    str | None,
    typer.Option(
        "--database-url",
        envvar="ONRECORD_DATABASE_URL",
        help="PostgreSQL URL. Unset: an embedded PostgreSQL in --data-dir.",
        show_default=False,
    ),
]
DataDir = Annotated[
    Path | None,
    typer.Option(
        "--data-dir",
        envvar="ONRECORD_DATA_DIR",
        help="Data directory of the embedded PostgreSQL (default: per-user data dir).",
        show_default=False,
    ),
]


OnChangedOption = Annotated[
    Literal["refuse", "update"],
    typer.Option(
        "--on-changed",
        help="A document stored with another text: refuse it (reported) or update the stored "
        "text (when every stored span still anchors in it).",
    ),
]


def fail(message: object, *, code: int = 1) -> NoReturn:
    """Stop the command with ``error: message`` on stderr and exit ``code``:
    one line for a person, no traceback (not even of the exception it reports)."""
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code) from None
