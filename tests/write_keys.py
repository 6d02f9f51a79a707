"""A write key for tests that talk to a real app (fuzzing, the outage test).

Writes need ``Authorization: Bearer <key>`` once API keys are enforced
(``app.keys``). These helpers create a key with the ``write`` scope when
``app.keys`` is there, and send no header otherwise, so the same tests run
before and after keys land.
"""

import asyncio
import importlib.util

from sqlalchemy.ext.asyncio import AsyncSession

from app.db import create_engine, session_factory

Headers = dict[str, str]


def keys_available() -> bool:
    return importlib.util.find_spec("app.keys") is not None


async def write_headers(
    session: AsyncSession, *, name: str = "tests-write", scope: str = "write"
) -> Headers:
    """Headers carrying a new key (``write``, or ``admin`` to delete too)
    stored through ``session`` (the caller commits)."""
    if not keys_available():
        return {}
    from app.keys.service import create_key

    _, token = await create_key(session, name=name, scope=scope)
    return {"Authorization": f"Bearer {token}"}


def write_headers_for(
    database_url: str, *, name: str = "tests-write", scope: str = "write"
) -> Headers:
    """Headers carrying a new key, committed to the database at ``database_url``."""

    async def make() -> Headers:
        engine = create_engine(database_url, pool_size=1)
        try:
            async with session_factory(engine)() as session:
                headers = await write_headers(session, name=name, scope=scope)
                await session.commit()
                return headers
        finally:
            await engine.dispose()

    return asyncio.run(make())
