"""A first import into an empty database: one transaction, the biggest
tables' indexes and foreign keys set aside and built again at the end
(app.bundles.bulk.fresh). What a user relies on: the same records and counts
as an import into a database in use, every index and key back, and a failed
first import leaving the database as it was."""

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from app.bundles.format import record_id
from app.bundles.importer import Importer, ImportFailed
from app.db import create_engine
from tests.bundles.test_export import export_of

DEMO = Path(__file__).parents[2] / "app" / "demo" / "libya-haftar.json"


@pytest.fixture
def two_urls(server_url_: str) -> Iterator[tuple[str, str]]:
    from tests.conftest import migrated_database

    with (
        migrated_database(server_url_, "fresh") as fresh,
        migrated_database(server_url_, "batched") as batched,
    ):
        yield fresh, batched


@pytest.fixture
async def engines(two_urls: tuple[str, str]) -> AsyncIterator[tuple[AsyncEngine, AsyncEngine]]:
    fresh, batched = (create_engine(url, pool_size=2) for url in two_urls)
    yield fresh, batched
    await fresh.dispose()
    await batched.dispose()


async def catalog(engine: AsyncEngine) -> dict[str, list[Any]]:
    """Every index and constraint of the schema, as PostgreSQL prints them."""
    async with engine.connect() as connection:
        indexes = await connection.execute(
            text(
                "SELECT indexname, indexdef FROM pg_indexes"
                " WHERE schemaname = current_schema() ORDER BY 1"
            )
        )
        constraints = await connection.execute(
            text(
                "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid),"
                " convalidated FROM pg_constraint"
                " WHERE connamespace = current_schema()::regnamespace ORDER BY 1, 2"
            )
        )
        return {"indexes": list(indexes.all()), "constraints": list(constraints.all())}


async def counts(engine: AsyncEngine) -> list[Any]:
    """Each claim's corroboration, and the history of creations per table (a
    batched import also records the recount of a claim an earlier batch wrote)."""
    async with engine.connect() as connection:
        claims = await connection.execute(
            text("SELECT id, independent_origins, on_record FROM claims ORDER BY id")
        )
        history = await connection.execute(
            text(
                "SELECT table_name, count(*) FROM revisions WHERE action = 'create'"
                " GROUP BY 1 ORDER BY 1"
            )
        )
        return [list(claims.all()), list(history.all())]


def stream(tmp_path: Path, *extra: dict[str, Any]) -> Path:
    """The demo's founding article, then ``extra`` bundles."""
    demo = orjson.loads(DEMO.read_bytes())
    path = tmp_path / "stream.ndjson"
    path.write_bytes(b"".join(orjson.dumps(d) + b"\n" for d in (demo, *extra)))
    return path


# A claim of the demo, named by its id: a second speaker corroborates it.
DEMO_CLAIM = str(record_id(orjson.loads(DEMO.read_bytes())["id"], "C9"))


def relaying_article(speaker_ref: str = "x") -> dict[str, Any]:
    return {
        "format": "onrecord-bundle",
        "version": 1,
        "id": "relay",
        "actors": [{"ref": "x", "kind": "person", "name": "Hanna Relay"}],
        "sources": [{"ref": "s", "kind": "article", "title": "A second article"}],
        "attributions": [
            {
                "ref": "a",
                "claim": DEMO_CLAIM,
                "speaker": speaker_ref,
                "source": "s",
                "mode": "paraphrase",
            }
        ],
    }


async def test_a_first_import_writes_what_a_batched_one_does_and_builds_every_index_again(
    tmp_path: Path, engines: tuple[AsyncEngine, AsyncEngine]
):
    fresh, batched = engines
    before = await catalog(fresh)
    path = stream(tmp_path, relaying_article())
    first = Importer(fresh, batch_attributions=5)  # several loads in its one transaction
    await first.run([path], advance=lambda _n: None)
    other = Importer(batched, batch_attributions=5, fresh=False)
    await other.run([path], advance=lambda _n: None)

    assert first.report.transactions == 1
    assert other.report.transactions > 1
    assert first.report.created == other.report.created
    assert first.report.created["attributions"] > 5
    assert await catalog(fresh) == before
    assert await export_of(fresh) == await export_of(batched)
    fresh_counts, batched_counts = await counts(fresh), await counts(batched)
    assert fresh_counts == batched_counts
    corroborated = {str(claim): origins for claim, origins, _ in fresh_counts[0]}
    assert corroborated[DEMO_CLAIM] == 2  # Trump's aides in the demo, Hanna Relay here


async def test_a_failed_first_import_leaves_the_database_empty_and_whole(
    tmp_path: Path, engines: tuple[AsyncEngine, AsyncEngine]
):
    fresh, _ = engines
    before = await catalog(fresh)
    path = stream(tmp_path, relaying_article(speaker_ref="nobody"))
    importer = Importer(fresh, batch_attributions=1)
    with pytest.raises(ImportFailed) as failed:
        await importer.run([path], advance=lambda _n: None)
    assert f"{path}:2: attributions[0] (a): speaker refers to 'nobody'" in str(failed.value)
    assert await export_of(fresh) == b""
    assert await catalog(fresh) == before


async def test_an_import_into_a_database_in_use_sets_nothing_aside(
    tmp_path: Path, engines: tuple[AsyncEngine, AsyncEngine]
):
    fresh, _ = engines
    await Importer(fresh).run([stream(tmp_path)], advance=lambda _n: None)
    before = await catalog(fresh)
    second = tmp_path / "second.ndjson"
    second.write_bytes(orjson.dumps(relaying_article()) + b"\n")
    importer = Importer(fresh, batch_attributions=1)
    await importer.run([second], advance=lambda _n: None)
    assert importer.report.created["attributions"] == 1
    assert await catalog(fresh) == before


def relaying_articles(count: int) -> list[dict[str, Any]]:
    """``count`` articles relaying the demo's claim, each its own bundle."""
    articles = []
    for number in range(count):
        article = relaying_article()
        article["id"] = f"relay-{number}"
        article["actors"][0]["name"] = f"Hanna Relay {number}"
        articles.append(article)
    return articles


async def test_a_first_import_holds_as_many_locks_whatever_its_number_of_batches(
    tmp_path: Path, engines: tuple[AsyncEngine, AsyncEngine], monkeypatch: pytest.MonkeyPatch
):
    """Its staging tables are emptied for the next batch, not dropped and made
    again: each new table's locks last until the commit, and a first import
    of a million claims (one transaction) ran out of the server's lock table."""
    import app.bundles.importer as importer_module
    from app.bundles.bulk.load import recount_every_claim as recount

    held: list[int] = []

    async def counting_locks(session: Any, **options: Any) -> None:
        found = await session.scalar(
            text("SELECT count(*) FROM pg_locks WHERE pid = pg_backend_pid()")
        )
        held.append(found)
        await recount(session, **options)

    monkeypatch.setattr(importer_module, "recount_every_claim", counting_locks)
    for engine, count in zip(engines, (2, 8), strict=True):
        path = stream(tmp_path, *relaying_articles(count))
        importer = Importer(engine, batch_attributions=1)  # a load per bundle
        await importer.run([path], advance=lambda _n: None)
        assert importer.report.created["attributions"] > count
    assert len(held) == 2
    assert held[0] == held[1]
