"""Relay chains stay acyclic under any interleaving of writes.

Two clients each close a cycle at the same moment (A relays B / B relays
A). Read-then-write checks in Python let both pass when neither sees the
other's uncommitted change; the database itself must refuse the second
(migration 0009: a trigger that walks the chain under a lock). Each pair
is sent together through the real app on committed data, over separate
pooled connections.
"""

import asyncio

import asyncpg
import httpx
import pytest

from tests.committed import committed_fixtures
from tests.factories import make_actor, make_claim, make_source, post

PAIRS = 50

CYCLES = """
WITH RECURSIVE walk(start_id, id) AS (
    SELECT id, relayed_through_id FROM attributions WHERE relayed_through_id IS NOT NULL
    UNION
    SELECT w.start_id, a.relayed_through_id
    FROM walk w JOIN attributions a ON a.id = w.id
    WHERE a.relayed_through_id IS NOT NULL
)
SELECT count(DISTINCT start_id) FROM walk WHERE id = start_id
"""


pytestmark = pytest.mark.slow  # requests racing on a committed database of its own

database, client = committed_fixtures("relay_races")


async def _cycles(url: str) -> int:
    connection = await asyncpg.connect(url)
    try:
        found: int = await connection.fetchval(CYCLES)
        return found
    finally:
        await connection.close()


async def _attributions(client: httpx.AsyncClient, count: int) -> list[str]:
    claim = await make_claim(client)
    source = await make_source(client)
    speaker = await make_actor(client)
    body = {
        "claim_id": claim["id"],
        "source_id": source["id"],
        "speaker_id": speaker["id"],
        "mode": "paraphrase",
    }
    return [(await post(client, "/v1/attributions", body))["id"] for _ in range(count)]


async def _relay(client: httpx.AsyncClient, attribution: str, relayed: str) -> httpx.Response:
    return await client.patch(
        f"/v1/attributions/{attribution}", json={"relayed_through_id": relayed}
    )


async def test_racing_cycle_closing_writes_store_no_cycle(client, database):
    made = await _attributions(client, 2 * PAIRS)
    pairs = [(made[2 * i], made[2 * i + 1]) for i in range(PAIRS)]

    answers = await asyncio.gather(
        *(
            asyncio.gather(_relay(client, first, second), _relay(client, second, first))
            for first, second in pairs
        )
    )

    assert await _cycles(database) == 0
    for (first, second), (one, other) in zip(pairs, answers, strict=True):
        statuses = sorted([one.status_code, other.status_code])
        assert statuses in ([200, 409], [200, 422]), (one.text, other.text)
        refused = one if one.status_code != 200 else other
        assert refused.headers["content-type"] == "application/problem+json"
        assert refused.json()["type"].endswith("/relay-cycle"), refused.text
        stored = [
            (await client.get(f"/v1/attributions/{a}")).json()["relayed_through_id"]
            for a in (first, second)
        ]
        assert stored in ([second, None], [None, first])  # the one that succeeded


async def test_a_cycle_through_a_longer_chain_is_refused_when_closed_concurrently(client, database):
    # a <- b <- c stored; then "a relays c" and "c relays ... a" race with another
    # write extending the chain: whatever the order, no cycle is stored.
    for _ in range(10):
        a, b, c, d = await _attributions(client, 4)
        assert (await _relay(client, b, a)).status_code == 200
        assert (await _relay(client, c, b)).status_code == 200
        closing, extending = await asyncio.gather(_relay(client, a, d), _relay(client, d, c))
        assert sorted([closing.status_code, extending.status_code]) in ([200, 409], [200, 422])
    assert await _cycles(database) == 0


async def test_one_statement_inserting_rows_that_relay_each_other_is_refused(client, database):
    # Only a bulk load inserts rows that relay each other in one statement
    # (foreign keys are checked at its end): the database refuses it too.
    (first,) = await _attributions(client, 1)
    connection = await asyncpg.connect(database)
    try:
        with pytest.raises(asyncpg.CheckViolationError, match="cycles") as refused:
            await connection.execute(
                """
                INSERT INTO attributions
                    (id, claim_id, speaker_id, source_id, mode, relayed_through_id,
                     resolution_method, resolution_confidence)
                SELECT new.id, a.claim_id, a.speaker_id, a.source_id, a.mode, new.relays,
                       a.resolution_method, a.resolution_confidence
                FROM attributions a, (VALUES
                    ('0190f5a2-0000-7000-8000-00000000000a'::uuid,
                     '0190f5a2-0000-7000-8000-00000000000b'::uuid),
                    ('0190f5a2-0000-7000-8000-00000000000b'::uuid,
                     '0190f5a2-0000-7000-8000-00000000000a'::uuid)) AS new(id, relays)
                WHERE a.id = $1
                """,
                first,
            )
        assert refused.value.constraint_name == "ck_attributions_relay_acyclic"
    finally:
        await connection.close()
    assert await _cycles(database) == 0
