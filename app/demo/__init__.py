"""The founding article as demo data: a bundle packaged with the app.

``onrecord demo load`` and ``onrecord serve --demo`` load it; a second load
finds every record already there and changes nothing (see ``app.bundles.format``).
"""

import json
from importlib import resources
from typing import Any

from app.bundles.bulk import load_bundle
from app.bundles.format import BundleSummary
from app.db import create_engine, session_factory

DEMO_FILE = "libya-haftar.json"


def demo_bundle() -> dict[str, Any]:
    """The packaged bundle of the founding article, as a JSON document."""
    text = resources.files(__package__).joinpath(DEMO_FILE).read_text(encoding="utf-8")
    document: dict[str, Any] = json.loads(text)
    return document


async def load_demo_summary(database_url: str) -> BundleSummary:
    """Load the founding article in one transaction and commit it."""
    engine = create_engine(database_url, pool_size=1)
    try:
        async with session_factory(engine)() as session:
            summary = await load_bundle(session, demo_bundle())
            await session.commit()
    finally:
        await engine.dispose()
    return summary


async def load_demo(database_url: str) -> str:
    """Load the founding article; a one-line human summary of what was done."""
    return (await load_demo_summary(database_url)).line()
