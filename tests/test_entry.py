"""``onrecord``'s entry point starts the embedded PostgreSQL early only for
``serve`` on the embedded server (``tests/test_serve.py`` runs it end to end)."""

from pathlib import Path

import pytest

from app.entry import _early_data_dir


@pytest.fixture(autouse=True)
def no_configured_server(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ONRECORD_DATABASE_URL", raising=False)
    monkeypatch.delenv("ONRECORD_DATA_DIR", raising=False)


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        (["serve", "--data-dir", "/srv/a"], Path("/srv/a")),
        (["serve", "--demo", "--data-dir=/srv/b", "--port", "9000"], Path("/srv/b")),
        (["serve", "--database-url", "postgresql://x/y"], None),
        (["serve", "--database-url=postgresql://x/y"], None),
        (["serve", "--help"], None),
        (["import", "--data-dir", "/srv/a", "file.jsonl"], None),
        ([], None),
    ],
)
def test_only_serve_on_the_embedded_server_starts_early(arguments, expected):
    assert _early_data_dir(arguments) == expected


def test_a_configured_server_or_a_bad_setting_starts_nothing(monkeypatch):
    monkeypatch.setenv("ONRECORD_DATABASE_URL", "postgresql://postgres@127.0.0.1/x")
    assert _early_data_dir(["serve"]) is None
    monkeypatch.delenv("ONRECORD_DATABASE_URL")
    monkeypatch.setenv("ONRECORD_POOL_SIZE", "0")  # refused by Settings: the CLI says so
    assert _early_data_dir(["serve"]) is None


def test_the_default_data_dir_without_the_option(monkeypatch, tmp_path):
    monkeypatch.setenv("ONRECORD_DATA_DIR", str(tmp_path))
    assert _early_data_dir(["serve", "--demo"]) == tmp_path
