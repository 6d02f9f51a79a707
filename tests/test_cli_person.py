"""The ``onrecord`` command as a person meets it, run as a subprocess: help
that says what each command does, and failures that are one readable line
with a non-zero exit, never a traceback."""

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # runs the commands in subprocesses

ONRECORD = [sys.executable, "-c", "from app.entry import main; main()"]


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("ONRECORD_")}
    # Typer draws usage errors in an 80-column box when not on a terminal, and
    # a long temporary path (pytest-xdist's) wraps inside it.
    environment["TERMINAL_WIDTH"] = "400"
    environment.update(env or {})
    return subprocess.run(  # noqa: S603 - our own command, fixed arguments
        [*ONRECORD, *args],
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
        check=False,
    )


def assert_one_line_error(result: subprocess.CompletedProcess[str], *words: str) -> str:
    """Exit code non-zero, exactly one ``error:`` line (the last), no traceback."""
    assert result.returncode != 0, result
    assert "Traceback" not in result.stderr
    assert "╭" not in result.stderr, "a rich traceback box"
    lines = result.stderr.strip().splitlines()
    errors = [line for line in lines if line.startswith("error:")]
    assert len(errors) == 1, result.stderr
    assert lines[-1] == errors[0], result.stderr
    for word in words:
        assert word in errors[0], errors[0]
    return errors[0]


@pytest.fixture(scope="module")
def scratch_url(server_url_: str) -> Iterator[str]:
    from tests.conftest import scratch_database

    with scratch_database(server_url_, "cli_person") as url:
        yield url


def test_help_names_every_command():
    result = run("--help")
    assert result.returncode == 0, result.stderr
    for command in ("serve", "db", "demo", "import", "export", "import-brat"):
        assert command in result.stdout
    assert "onrecord serve --demo" in result.stdout
    assert "ONRECORD_DEBUG" in result.stdout


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        (["serve"], ["--demo", "--host", "--port", "--workers", "--database-url", "--data-dir"]),
        (["db"], ["upgrade", "downgrade", "current"]),
        (["db", "upgrade"], ["REVISION", "--database-url"]),
        (["demo", "load"], ["--database-url"]),
        (["import"], ["FILES", "--batch", "--quiet"]),
        (["export"], ["OUTPUT", "--speaker-id", "--changed-since"]),
    ],
)
def test_each_command_has_help(command: list[str], expected: list[str]):
    result = run(*command, "--help", env={"COLUMNS": "200"})
    assert result.returncode == 0, result.stderr
    for word in expected:
        assert word.lower() in result.stdout.lower(), (command, word)
    assert "Usage: onrecord " in result.stdout


def test_a_bad_database_url_is_one_line():
    result = run("db", "current", "--database-url", "mysql://root@localhost/x")
    assert result.returncode == 2
    assert_one_line_error(result, "ONRECORD_DATABASE_URL")
    result = run("db", "current", "--database-url", "postgresql://u@localhost:port/x")
    assert result.returncode == 2
    assert_one_line_error(result, "not a valid URL")


def test_a_bad_setting_in_the_environment_is_one_line():
    result = run("db", "current", env={"ONRECORD_PORT": "99999"})
    assert result.returncode == 2
    assert_one_line_error(result, "ONRECORD_PORT")


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port  # nothing listens there once the probe is closed


def test_an_unreachable_server_is_one_line():
    url = f"postgresql://postgres@127.0.0.1:{closed_port()}/onrecord"
    for command in (["db", "current"], ["db", "upgrade"], ["demo", "load"], ["export", "-"]):
        result = run(*command, "--database-url", url)
        assert_one_line_error(result, "cannot reach the database", "connection refused")


def test_an_unknown_host_is_one_line():
    result = run("db", "current", "--database-url", "postgresql://postgres@no-such-host.invalid/x")
    assert_one_line_error(result, "cannot reach the database", "no-such-host.invalid")


def test_a_missing_import_file_is_one_line(scratch_url: str, tmp_path: Path):
    missing = tmp_path / "missing.json"
    result = run("import", str(missing), "--database-url", scratch_url)
    assert_one_line_error(result, str(missing))


def test_a_missing_brat_directory_is_one_line(tmp_path: Path):
    result = run("import-brat", str(tmp_path / "nowhere"))
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "nowhere" in result.stderr


def test_an_unknown_revision_is_one_line(scratch_url: str):
    result = run("db", "downgrade", "no-such-revision", "--database-url", scratch_url)
    assert_one_line_error(result, "no-such-revision")


def test_serve_on_a_busy_port_is_one_line(scratch_url: str):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run("serve", "--database-url", scratch_url, "--port", str(port))
    assert_one_line_error(result, f"cannot listen on 127.0.0.1:{port}")


def test_debug_shows_the_traceback():
    url = f"postgresql://postgres@127.0.0.1:{closed_port()}/onrecord"
    result = run("db", "current", "--database-url", url, env={"ONRECORD_DEBUG": "1"})
    assert result.returncode != 0
    assert "Traceback" in result.stderr
