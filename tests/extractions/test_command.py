"""``onrecord extract``, run as a user runs it."""

import json
from pathlib import Path

import pytest

from tests.test_cli import run

pytestmark = pytest.mark.slow  # the command, in a subprocess, loading the French model

TEXT = "Le ministre aurait démissionné, ont confié des diplomates au journal Le Monde."


def test_extract_prints_proposals_stores_them_and_names_unreadable_files(
    server_url_: str, tmp_path: Path
):
    from tests.conftest import scratch_database

    good = tmp_path / "article.txt"
    good.write_text(TEXT, encoding="utf-8")
    bad = tmp_path / "binary.txt"
    bad.write_bytes(b"\xff\xfe\x00 not text")
    with scratch_database(server_url_, "extract") as url:
        result = run(
            "extract",
            str(good),
            str(bad),
            "--published",
            "2019-04-26",
            "--database-url",
            url,
            "--store",
        )
        assert result.returncode == 1, result.stderr
        assert f"error: {bad}: not UTF-8 text" in result.stderr
        assert "Traceback" not in result.stderr
        (line,) = result.stdout.splitlines()
        proposal = json.loads(line)
        assert proposal["language"] == "fr"
        cues = [
            s["text"] for a in proposal["attributions"] for s in a["spans"] if s["role"] == "cue"
        ]
        assert "ont confié" in cues
        assert "created" in result.stderr or "new" in result.stderr  # stored: its summary
        again = run(
            "extract", str(good), "--published", "2019-04-26", "--database-url", url, "--store"
        )
        assert again.returncode == 0, again.stderr
        assert "nothing changed" in again.stderr
