"""Clients generated from the served ``/openapi.json`` work.

A live uvicorn server (in a thread, on a free port) serves a scratch database
with the founding article loaded. From the document it serves:

- ``openapi-python-client`` generates a Python client, which answers Q1 ("on
  whose report did the article say Trump gave Haftar a green light?") over HTTP;
- ``openapi-typescript`` generates TypeScript types, and ``tsc --noEmit`` checks
  a small program reading a claim and its provenance chain, and refuses one
  that reads a field the API does not have.

The npm tools live in ``.cache/typescript`` (``.ci/run`` installs them; this
file does too when they are missing, and skips only when npm itself is absent).
"""

import asyncio
import importlib
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from app.demo import load_demo
from app.main import create_app

pytestmark = pytest.mark.slow  # generates clients and type-checks them (npm, tsc)

ROOT = Path(__file__).resolve().parent.parent
NPM_DIR = ROOT / ".cache" / "typescript"
NPM_PACKAGES = ("openapi-typescript@7", "typescript@5")
GENERATOR = Path(sys.executable).parent / "openapi-python-client"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def live_server(server_url_: str) -> Iterator[str]:
    """Base URL of uvicorn serving a scratch database with the demo loaded."""
    from tests.conftest import migrated_database

    with migrated_database(server_url_, "clients") as url:
        asyncio.run(load_demo(url))
        port = free_port()
        config = uvicorn.Config(
            create_app(database_url=url), host="127.0.0.1", port=port, log_level="warning"
        )
        server = uvicorn.Server(config)
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + 30
        while not server.started:
            assert thread.is_alive(), "uvicorn stopped while starting"
            assert time.monotonic() < deadline, "uvicorn did not start in 30 s"
            time.sleep(0.05)
        try:
            yield f"http://127.0.0.1:{port}"
        finally:
            server.should_exit = True
            thread.join(timeout=30)


@pytest.fixture(scope="module")
def openapi_file(live_server: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The document the live server serves, saved to a file."""
    response = httpx.get(f"{live_server}/openapi.json", timeout=10)
    response.raise_for_status()
    path = tmp_path_factory.mktemp("openapi") / "openapi.json"
    path.write_bytes(response.content)
    return path


def test_generated_python_client_answers_q1(
    live_server: str, openapi_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("package_name_override: onrecord_client\nproject_name_override: onrecord\n")
    output = tmp_path / "client"
    generated = subprocess.run(  # noqa: S603 - the generator from our own venv
        [
            str(GENERATOR),
            "generate",
            "--path",
            str(openapi_file),
            "--output-path",
            str(output),
            "--meta",
            "none",
            "--config",
            str(config),
            "--fail-on-warning",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        # It formats what it generates with ruff, found on PATH.
        env={**os.environ, "PATH": f"{GENERATOR.parent}{os.pathsep}{os.environ.get('PATH', '')}"},
    )
    assert generated.returncode == 0, generated.stdout + generated.stderr
    monkeypatch.syspath_prepend(str(tmp_path))
    package = output.name  # --meta none: the package is the output directory
    assert (output / "__init__.py").exists()
    client_module: Any = importlib.import_module(package)
    search: Any = importlib.import_module(f"{package}.api.search.search_records")
    provenance: Any = importlib.import_module(f"{package}.api.provenance.get_claim_provenance")
    try:
        client = client_module.Client(base_url=live_server, raise_on_unexpected_status=True)
        with client:
            # Which claim says Trump gave Haftar a green light? Search finds it…
            found = search.sync(client=client, q="green light Haftar", types="claim")
            claims = [result for result in found.results if result.type_ == "claim"]
            assert claims, found
            claim_id = claims[0].id
            # …and its provenance says on whose report.
            answer = provenance.sync(client=client, claim_id=claim_id)
    finally:
        for name in [m for m in sys.modules if m == package or m.startswith(f"{package}.")]:
            del sys.modules[name]

    assert "feu vert" in answer.claim.text
    assert answer.independent_origins == 1
    assert answer.on_record is False
    # The article (S0) relays Bloomberg (S1), which reports anonymous US diplomats.
    chain = next(chain for chain in answer.chains if len(chain.hops) == 2)
    article, bloomberg = chain.hops
    assert article.source.kind == "article"
    assert article.certainty == "alleged"
    assert article.cue == "ont confié"
    assert bloomberg.source.publisher.name == "Bloomberg"
    assert chain.origin.name == "US diplomats"
    assert chain.origin.anonymous is True
    assert chain.on_record is False
    assert chain.weakest_certainty == "alleged"


USAGE = """\
import type { components, operations } from "./api";

type Claim = components["schemas"]["ClaimRead"];
type Provenance = components["schemas"]["ProvenanceRead"];
type ListClaimsQuery = NonNullable<operations["listClaims"]["parameters"]["query"]>;

export function onWhoseReport(claim: Claim, provenance: Provenance): string[] {
  return provenance.chains.map((chain) => {
    const hops = chain.hops.map(
      (hop) => `${hop.speaker?.name ?? "own voice"} in ${hop.source.title}`,
    );
    return `${claim.text} [${chain.weakest_certainty}]: ${hops.join(" <- ")}`;
  });
}

export const anonymousOnly: ListClaimsQuery = { on_record: false, sort: "-independent_origins" };
"""

WRONG = """\
import type { components } from "./api";

type Claim = components["schemas"]["ClaimRead"];

export function wording(claim: Claim): string {
  return claim.wording;
}
"""


def npm_tools() -> Path:
    """The npm bin directory with openapi-typescript and tsc, installed if missing."""
    bin_dir = NPM_DIR / "node_modules" / ".bin"
    if (bin_dir / "openapi-typescript").exists() and (bin_dir / "tsc").exists():
        return bin_dir
    npm = shutil.which("npm")
    if npm is None:
        pytest.skip("npm is not installed: cannot install openapi-typescript and typescript")
    NPM_DIR.mkdir(parents=True, exist_ok=True)
    installed = subprocess.run(  # noqa: S603 - npm with fixed arguments
        [
            npm,
            "install",
            "--no-save",
            "--no-audit",
            "--no-fund",
            "--prefix",
            str(NPM_DIR),
            *NPM_PACKAGES,
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert installed.returncode == 0, installed.stdout + installed.stderr
    return bin_dir


def test_generated_typescript_types_check(openapi_file: Path, tmp_path: Path) -> None:
    bin_dir = npm_tools()
    types = tmp_path / "api.d.ts"
    generated = subprocess.run(  # noqa: S603 - the tool npm installed
        [str(bin_dir / "openapi-typescript"), str(openapi_file), "--output", str(types)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert generated.returncode == 0, generated.stdout + generated.stderr

    def tsc(source: str) -> subprocess.CompletedProcess[str]:
        program = tmp_path / "usage.ts"
        program.write_text(source, encoding="utf-8")
        return subprocess.run(  # noqa: S603 - the tool npm installed
            [
                str(bin_dir / "tsc"),
                "--noEmit",
                "--strict",
                "--target",
                "es2020",
                "--moduleResolution",
                "node",
                str(program),
            ],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

    checked = tsc(USAGE)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    refused = tsc(WRONG)
    assert refused.returncode != 0, "tsc accepted a field the API does not have"
    assert "wording" in refused.stdout
