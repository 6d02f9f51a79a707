"""The machine a benchmark runs on: its description, waiting for it to be quiet,
free ports, the cold start of ``onrecord serve --demo``, and where results are
written (helpers of ``python -m bench``)."""

from __future__ import annotations

import json
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from datetime import datetime
from pathlib import Path
from typing import Any

ONRECORD = Path(sys.executable).parent / "onrecord"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def get(url: str, timeout: float = 2.0) -> int:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310
            status: int = response.status
            return status
    except urllib.error.HTTPError as exc:
        return exc.code
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return 0


def wait_for(url: str, process: subprocess.Popen[bytes], timeout: float = 120.0) -> float:
    """Seconds until ``url`` answers 200 (polling every 10 ms)."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode} before {url} answered")
        if get(url, timeout=1.0) == 200:
            return time.perf_counter() - started
        time.sleep(0.01)
    raise TimeoutError(url)


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def serve(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    environment = {**os.environ, "ONRECORD_LOG_LEVEL": "warning", **(env or {})}
    environment.pop("ONRECORD_DATABASE_URL", None)
    # stderr to a file, not a pipe nobody reads (a full pipe would stall the server).
    log = tempfile.TemporaryFile()  # noqa: SIM115
    process = subprocess.Popen(  # noqa: S603
        [str(ONRECORD), "serve", *args], env=environment, stdout=subprocess.DEVNULL, stderr=log
    )
    process.stderr = log
    return process


def cold_start(port: int) -> dict[str, Any]:
    """``onrecord serve --demo`` to its first successful GET /v1/claims."""
    data_dir = Path(tempfile.mkdtemp(prefix="onrecord-coldstart-"))
    data_dir.chmod(0o755)  # as root the embedded server runs as another user
    result: dict[str, Any] = {}
    try:
        for attempt in ("fresh data dir (initdb)", "same data dir again"):
            base = f"http://127.0.0.1:{port}"
            started = time.perf_counter()
            process = serve("--demo", "--data-dir", str(data_dir), "--port", str(port))
            try:
                wait_for(f"{base}/v1/claims", process)
                seconds = time.perf_counter() - started
                result[attempt] = round(seconds, 2)
                result["mode"] = "serve --demo, until GET /v1/claims = 200"
            except RuntimeError:
                stderr = ""
                if process.stderr:
                    process.stderr.seek(0)
                    stderr = process.stderr.read().decode(errors="replace")[-500:]
                result["demo_error"] = stderr
                # No demo loader yet: plain serve until /health.
                started = time.perf_counter()
                process = serve("--data-dir", str(data_dir), "--port", str(port))
                wait_for(f"{base}/health", process)
                result[attempt] = round(time.perf_counter() - started, 2)
                result["mode"] = "serve (no --demo: it failed), until GET /health = 200"
            finally:
                stop(process)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
    return result


def wait_quiet(threshold: float, limit: float = 600.0) -> float:
    """Other jobs share this machine: wait until the load average is low."""
    started = time.perf_counter()
    while os.getloadavg()[0] >= threshold and time.perf_counter() - started < limit:
        time.sleep(5)
    return round(time.perf_counter() - started, 1)


def machine() -> dict[str, Any]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "hostname": platform.node(),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }


RESULTS = Path(__file__).resolve().parent / "results"


def write_result(name: str, when: datetime, result: dict[str, Any], text: str) -> Path:
    """``bench/results/<name>-<date>.json`` and ``.md``: a run's figures and
    their table; returns the stem."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    stem = RESULTS / f"{name}-{when:%Y-%m-%d-%H%M}"
    stem.with_suffix(".json").write_text(json.dumps(result, indent=2, default=str) + "\n")
    stem.with_suffix(".md").write_text(text)
    print(f"wrote {stem}.json and .md")
    return stem
