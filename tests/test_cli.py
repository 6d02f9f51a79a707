"""The ``onrecord`` command, run as a user runs it (a subprocess)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from app.embedded import start_server

pytestmark = pytest.mark.slow  # the command, in subprocesses

ONRECORD = [sys.executable, "-c", "from app.entry import main; main()"]


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("ONRECORD_")}
    environment.update(env or {})
    return subprocess.run(  # noqa: S603 - our own command, fixed arguments
        [*ONRECORD, *args],
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
        check=False,
    )


def test_bad_setting_fails_fast_naming_the_variable():
    result = run("db", "current", env={"ONRECORD_DATABASE_URL": "mysql://root@localhost/x"})
    assert result.returncode == 2
    assert "ONRECORD_DATABASE_URL" in result.stderr
    assert "Traceback" not in result.stderr


def test_db_commands_on_a_server(server_url_: str):
    from tests.conftest import scratch_database

    with scratch_database(server_url_, "cli") as url:
        assert run("db", "current", "--database-url", url).stdout.strip() == "base (empty schema)"
        upgraded = run("db", "upgrade", "--database-url", url)
        assert upgraded.returncode == 0, upgraded.stderr
        head = run("db", "current", "--database-url", url).stdout.strip()
        assert head not in {"", "base (empty schema)"}
        downgraded = run("db", "downgrade", "base", "--database-url", url)
        assert downgraded.returncode == 0, downgraded.stderr
        assert run("db", "current", "--database-url", url).stdout.strip() == "base (empty schema)"


@pytest.mark.skipif(
    bool(os.environ.get("ONRECORD_TEST_DATABASE_URL")),
    reason="embedded mode only: ONRECORD_TEST_DATABASE_URL selects a server",
)
def test_a_command_attaches_to_the_running_embedded_server(tmp_path: Path):
    """While a process (here: this test, as `onrecord serve` would) holds the
    embedded server, a CLI command uses it and leaves it running."""
    data_dir = tmp_path / "data"
    server = start_server(data_dir)
    try:
        pid_before = server.get_pid()
        result = run("db", "upgrade", "--data-dir", str(data_dir))
        assert result.returncode == 0, result.stderr
        assert str(make_url(server.get_uri()).query["host"]) in result.stderr
        reopened = start_server(data_dir)
        assert reopened.get_pid() == pid_before, "the command must not restart the server"
    finally:
        server.cleanup()
