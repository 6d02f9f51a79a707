"""The benchmark's data generator (``bench/generate.py``): deterministic,
valid bundles, and the shape the benchmark promises."""

import io
from collections import Counter

import orjson
import pytest

from app.bundles.format import parse_bundle
from bench.generate import Plan, write

pytestmark = pytest.mark.slow  # generates benchmark data

CLAIMS = 2000


def _generate() -> tuple[bytes, dict[str, object]]:
    out = io.BytesIO()
    summary = write(CLAIMS, out, polnear=None)
    return out.getvalue(), summary


def test_the_same_size_and_seed_give_the_same_bytes():
    first, summary = _generate()
    second, again = _generate()
    assert first == second
    assert summary["sha256"] == again["sha256"]


def test_bundles_are_valid_and_have_the_promised_shape():
    data, _ = _generate()
    plan = Plan.at(CLAIMS)
    bundles = [parse_bundle(orjson.loads(line)) for line in data.splitlines()]
    actors = [a for b in bundles for a in b.actors]
    claims = {c.ref: c for b in bundles for c in b.claims}
    attributions = [a for b in bundles for a in b.attributions]
    assert len(actors) == plan.actors
    assert sum(len(b.sources) for b in bundles) == plan.sources
    assert len(claims) == CLAIMS
    assert 2.7 <= len(attributions) / CLAIMS <= 3.3
    anonymous = {a.ref for a in actors if a.kind == "anonymous"}
    share = sum(a.speaker in anonymous for a in attributions) / len(attributions)
    assert 0.03 <= share <= 0.07
    assert all(a.names for a in actors if a.kind in ("anonymous", "media"))
    assert {c.language for c in claims.values()} == {"en", "fr"}
    assert {a.time.precision for a in attributions} >= {"day", "week", "month", "year", "unknown"}
    assert sum(len(b.claim_relations) for b in bundles) > 0

    # Relay chains: depth 1 to 4, each link after the one it relays, of the same claim.
    seen: dict[str, tuple[str, int]] = {}
    depths: Counter[int] = Counter()
    for attribution in attributions:
        assert attribution.claim in claims
        depth = 1
        if attribution.relayed_through is not None:
            claim, below = seen[attribution.relayed_through]
            assert claim == attribution.claim
            depth = below + 1
        seen[attribution.ref] = (attribution.claim, depth)
        depths[depth] += 1
    assert set(depths) == {1, 2, 3, 4}
