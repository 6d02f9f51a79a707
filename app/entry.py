"""The ``onrecord`` command's entry point.

``onrecord serve`` on the embedded PostgreSQL spends most of a first start in
two waits that need not follow each other: ``initdb`` and the server's start
(other processes) and importing the app (this one). So, before importing the
CLI, the embedded server is started on a thread; ``app.embedded.start_server``
then hands over that start instead of beginning another. Any other command,
``--help``, a configured server URL or settings that do not parse: nothing
starts early, and the CLI reports as it always does.
"""

import sys
from pathlib import Path


def _early_data_dir(arguments: list[str]) -> Path | None:
    """The data directory ``serve`` will start the embedded server in, or
    None when it will not (or when that is not plain from the arguments)."""
    if not arguments or arguments[0] != "serve":
        return None
    options = arguments[1:]
    if any(a in ("--help", "--database-url") or a.startswith("--database-url=") for a in options):
        return None
    data_dir: str | None = None
    for index, argument in enumerate(options):
        if argument == "--data-dir" and index + 1 < len(options):
            data_dir = options[index + 1]
        elif argument.startswith("--data-dir="):
            data_dir = argument.split("=", 1)[1]
    from pydantic import ValidationError

    from app.config import Settings

    try:
        settings = Settings(**({"data_dir": data_dir} if data_dir else {}))  # type: ignore[arg-type]
    except ValidationError:
        return None
    return None if settings.database_url else settings.data_dir


def main() -> None:
    data_dir = _early_data_dir(sys.argv[1:])
    if data_dir is not None:
        from app.embedded import start_early

        start_early(data_dir)
    from app.cli import main as cli_main

    cli_main()
