"""``onrecord backup`` / ``onrecord restore``, run as a user runs them.

A database with the founding article, writes made over HTTP (their history)
and two redactions is backed up, restored into a new database, and the two
are compared table by table, row by row, and through the API's history. The
redacted content is looked for in the backup file itself (its SQL, as
``pg_restore`` prints it): absent, where a backup taken before the redaction
holds it, so the search could find it.
"""

import asyncio
import subprocess
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from sqlalchemy.engine import make_url

from app.backup.tools import candidates, libpq_environment
from app.demo import load_demo
from app.embedded import _asyncpg_params
from app.main import create_app
from tests.committed import running
from tests.conftest import migrated_database, scratch_database
from tests.test_cli import run
from tests.write_keys import write_headers_for

pytestmark = pytest.mark.slow  # the command in subprocesses, three databases

SECRET = "Lives at 12 rue des Lilas"
TEXT_SECRET = "the informant's phone is 06 12 34 56 78"


async def _rows_of_every_table(url: str) -> dict[str, list[str]]:
    """Each table of the database: its rows as text, sorted; each sequence: its state."""
    connection = await asyncpg.connect(**_asyncpg_params(make_url(url)))
    try:
        tables = await connection.fetch(
            "SELECT schemaname, tablename FROM pg_tables"
            " WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2"
        )
        contents: dict[str, list[str]] = {}
        for schema, table in tables:
            name = f'"{schema}"."{table}"'
            rows = await connection.fetch(f"SELECT t::text AS row FROM {name} t")
            contents[name] = sorted(row["row"] for row in rows)
        for schema, sequence, last_value in await connection.fetch(
            "SELECT schemaname, sequencename, last_value FROM pg_sequences"
        ):
            contents[f"sequence {schema}.{sequence}"] = [str(last_value)]
        return contents
    finally:
        await connection.close()


async def _write_and_redact(url: str, headers: dict[str, str], folder: Path) -> dict[str, Any]:
    """Writes with a history, then a redaction of each kind; what the API says."""
    async with running(create_app(database_url=url)) as client:
        actor = (
            await client.post(
                "/v1/actors",
                json={"kind": "person", "name": "Joseph Exemple", "description": SECRET},
                headers=headers,
            )
        ).json()
        updated = await client.patch(
            f"/v1/actors/{actor['id']}", json={"nationality": "FR"}, headers=headers
        )
        assert updated.status_code == 200, updated.text
        text = f"Il a dit : {TEXT_SECRET}. Fin."
        source = await client.post(
            "/v1/sources",
            json={"kind": "article", "title": "Témoignage", "full_text": text},
            headers=headers,
        )
        assert source.status_code == 201, source.text
        source_id = source.json()["id"]
        start = text.index(TEXT_SECRET)
        # Taken before the redactions: the content is there to be found.
        before = run("backup", str(folder / "before.dump"), "--database-url", url)
        assert before.returncode == 0, before.stderr
        redacted = await client.post(
            f"/v1/actors/{actor['id']}/redactions",
            json={"fields": ["description"], "reason": "court order"},
            headers=headers,
        )
        assert redacted.status_code == 200, redacted.text
        masked = await client.post(
            f"/v1/sources/{source_id}/redactions",
            json={"start": start, "end": start + len(TEXT_SECRET), "reason": "takedown"},
            headers=headers,
        )
        assert masked.status_code == 200, masked.text
        return {
            "actor": actor["id"],
            "source": source_id,
            "actor_history": (await client.get(f"/v1/actors/{actor['id']}/history")).json(),
            "source_history": (await client.get(f"/v1/sources/{source_id}/history")).json(),
            "source_read": (await client.get(f"/v1/sources/{source_id}")).json(),
            "changes": (await client.get("/v1/changes", params={"limit": 200})).json(),
        }


def _backup_as_sql(file: Path, url: str) -> str:
    """The backup's whole content as SQL text (the archive itself is compressed)."""
    tool = max(candidates("pg_restore"), key=lambda found: found.major)  # reads every archive
    result = subprocess.run(  # noqa: S603 - pg_restore of a test's file
        [str(tool.path), "--file=-", str(file)],
        capture_output=True,
        text=True,
        env=libpq_environment(url),
        check=True,
    )
    return result.stdout


async def _read_back(url: str, ids: dict[str, Any]) -> dict[str, Any]:
    async with running(create_app(database_url=url)) as client:
        return {
            "actor_history": (await client.get(f"/v1/actors/{ids['actor']}/history")).json(),
            "source_history": (await client.get(f"/v1/sources/{ids['source']}/history")).json(),
            "source_read": (await client.get(f"/v1/sources/{ids['source']}")).json(),
            "changes": (await client.get("/v1/changes", params={"limit": 200})).json(),
        }


def test_a_backup_restores_every_row_and_keeps_redactions(server_url_: str, tmp_path: Path):
    with (
        migrated_database(server_url_, "backup_source") as source,
        scratch_database(server_url_, "backup_restored") as restored,
    ):
        asyncio.run(load_demo(source))
        headers = write_headers_for(source, name="backup-test", scope="admin")
        original = asyncio.run(_write_and_redact(source, headers, tmp_path))

        file = tmp_path / "onrecord.dump"
        made = run("backup", str(file), "--database-url", source)
        assert made.returncode == 0, made.stderr
        assert not (tmp_path / "onrecord.dump.partial").exists()

        restore = run("restore", str(file), "--database-url", restored)
        assert restore.returncode == 0, restore.stderr

        # Every table, row by row (history, keys, redactions, schema revision).
        before, after = (
            asyncio.run(_rows_of_every_table(source)),
            asyncio.run(_rows_of_every_table(restored)),
        )
        assert sorted(after) == sorted(before)
        assert len(before['"public"."revisions"']) > 50
        for table in before:
            assert after[table] == before[table], table
        # What the API answers from it: history, the changes feed, the record.
        assert asyncio.run(_read_back(restored, original)) == {
            key: original[key]
            for key in ("actor_history", "source_history", "source_read", "changes")
        }

        # Redacted content is nowhere in the backup; it was in one taken before.
        earlier = _backup_as_sql(tmp_path / "before.dump", source)
        assert SECRET in earlier
        assert TEXT_SECRET in earlier
        dumped = _backup_as_sql(file, source)
        assert "Joseph Exemple" in dumped
        assert SECRET not in dumped
        assert TEXT_SECRET not in dumped

        # A database that holds tables is refused, and left as it was.
        again = run("restore", str(file), "--database-url", restored)
        assert again.returncode == 1
        assert "not empty" in again.stderr
        assert asyncio.run(_rows_of_every_table(restored)) == after


def test_a_file_that_is_not_a_backup_is_refused(server_url_: str, tmp_path: Path):
    bogus = tmp_path / "bogus.dump"
    bogus.write_text("not a backup")
    with scratch_database(server_url_, "backup_bogus") as target:
        result = run("restore", str(bogus), "--database-url", target)
        assert result.returncode == 1
        assert "not a backup" in result.stderr
        assert "Traceback" not in result.stderr
