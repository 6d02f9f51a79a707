"""Corroboration counts stay exact under concurrent writes.

``claims.independent_origins`` and ``on_record`` are stored and recounted
by every write that moves them. Recounted from a snapshot taken before a
concurrent writer commits, the last writer would store a count missing the
other's attribution (a lost update): 100 attributions of one claim by 100
speakers sent at once read back between 63 and 92. Each case here sends its
writes together through the real app on committed data, then reads the
claim back.
"""

import asyncio

import httpx
import pytest

from tests.committed import committed_fixtures
from tests.factories import make_actor, make_claim, make_source, post

SPEAKERS = 100
ROUNDS = 3


pytestmark = pytest.mark.slow  # requests racing on a committed database of its own

database, client = committed_fixtures("corroboration_races")


@pytest.fixture(scope="module")
async def speakers(client: httpx.AsyncClient) -> list[str]:
    return [(await make_actor(client, name=f"Speaker {i}"))["id"] for i in range(SPEAKERS)]


async def _attribute(client: httpx.AsyncClient, claim: str, source: str, speaker: str) -> str:
    body = {"claim_id": claim, "source_id": source, "speaker_id": speaker, "mode": "paraphrase"}
    made: str = (await post(client, "/v1/attributions", body))["id"]
    return made


@pytest.mark.parametrize("round_", range(ROUNDS))
async def test_concurrent_attributions_by_distinct_speakers_all_count(client, speakers, round_):
    claim = (await make_claim(client))["id"]
    source = (await make_source(client))["id"]

    await asyncio.gather(*(_attribute(client, claim, source, s) for s in speakers))

    stored = (await client.get(f"/v1/claims/{claim}")).json()
    assert stored["independent_origins"] == SPEAKERS
    assert stored["on_record"] is True
    provenance = (await client.get(f"/v1/claims/{claim}/provenance")).json()
    assert provenance["independent_origins"] == SPEAKERS


async def test_concurrent_deletions_and_creations_leave_the_exact_count(client, speakers):
    claim = (await make_claim(client))["id"]
    source = (await make_source(client))["id"]
    first_half = [await _attribute(client, claim, source, s) for s in speakers[:50]]

    async def delete(attribution: str) -> None:
        response = await client.delete(f"/v1/attributions/{attribution}")
        assert response.status_code == 204, response.text

    await asyncio.gather(
        *(delete(a) for a in first_half[:25]),
        *(_attribute(client, claim, source, s) for s in speakers[50:]),
    )

    stored = (await client.get(f"/v1/claims/{claim}")).json()
    assert stored["independent_origins"] == 75
