"""``onrecord keys``: create (secret shown once), list, revoke, run as a user runs them."""

import asyncio

import httpx
import pytest
from sqlalchemy import text

from app.db import Sessions, create_engine
from app.main import create_app
from tests.conftest import scratch_database
from tests.test_cli import run

CLAIM = {"text": "Tripoli est une ligne rouge", "language": "fr"}


async def post_claim(url: str, token: str) -> int:
    engine = create_engine(url, pool_size=1)
    try:
        app = create_app(sessions=Sessions.on(engine))
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://onrecord.test") as c:
            response = await c.post(
                "/v1/claims", json=CLAIM, headers={"Authorization": f"Bearer {token}"}
            )
            return response.status_code
    finally:
        await engine.dispose()


async def stored_hashes(url: str) -> list[str]:
    engine = create_engine(url, pool_size=1)
    try:
        async with engine.connect() as connection:
            rows = await connection.execute(text("SELECT secret_hash FROM api_keys"))
            return [row[0] for row in rows]
    finally:
        await engine.dispose()


@pytest.mark.slow  # the commands, in subprocesses
def test_create_list_revoke(server_url_):
    with scratch_database(server_url_, "keys") as url:
        created = run("keys", "create", "--name", "desk", "--scope", "write", "--database-url", url)
        assert created.returncode == 0, created.stderr
        token = created.stdout.strip()
        assert token.startswith("onr_")
        assert "shown once" in created.stderr
        assert token not in asyncio.run(stored_hashes(url))  # only a hash is kept

        listed = run("keys", "list", "--database-url", url)
        assert "desk" in listed.stdout
        assert "write" in listed.stdout
        assert token not in listed.stdout

        duplicate = run("keys", "create", "--name", "desk", "--database-url", url)
        assert duplicate.returncode == 1
        assert "already named" in duplicate.stderr

        assert asyncio.run(post_claim(url, token)) == 201
        revoked = run("keys", "revoke", "desk", "--database-url", url)
        assert revoked.returncode == 0, revoked.stderr
        assert asyncio.run(post_claim(url, token)) == 401
        assert "desk" not in run("keys", "list", "--database-url", url).stdout
        assert "revoked" in run("keys", "list", "--all", "--database-url", url).stdout

        missing = run("keys", "revoke", "desk", "--database-url", url)
        assert missing.returncode == 1
        bad_scope = run("keys", "create", "--name", "x", "--scope", "root", "--database-url", url)
        assert bad_scope.returncode == 2


def test_demo_key_is_fresh_each_time(server_url_):
    from app.keys import demo_write_key
    from app.migrate import upgrade

    with scratch_database(server_url_, "demokey") as url:
        upgrade(url)
        first = demo_write_key(url)
        second = demo_write_key(url)
        assert first
        assert second
        assert first != second
        assert asyncio.run(post_claim(url, first)) == 401  # the previous one is revoked
        assert asyncio.run(post_claim(url, second)) == 201
