"""French gold scoring beyond spans: certainty agreement and relays found,
over predicted attributions paired with gold ones (same cue, else
overlapping content)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from app.extraction.proposals import Extraction, Proposal
from bench.extraction_data import GoldAttribution


def _overlaps(a: Sequence[tuple[int, int]], b: Sequence[tuple[int, int]]) -> bool:
    return any(s1 < e2 and s2 < e1 for s1, e1 in a for s2, e2 in b)


def _fragments(proposal: Proposal, role: str) -> list[tuple[int, int]]:
    return [(f.start, f.end) for f in getattr(proposal, role)]


def pair(proposals: Sequence[Proposal], gold: Sequence[GoldAttribution]) -> dict[int, int]:
    """Gold index → predicted index: a shared cue first, else overlapping content."""
    pairs: dict[int, int] = {}
    taken: set[int] = set()
    for role in ("cue", "content"):
        for g, attribution in enumerate(gold):
            if g in pairs:
                continue
            for p, proposal in enumerate(proposals):
                if p in taken or proposal.in_source is not None:
                    continue
                if _overlaps(getattr(attribution, role), _fragments(proposal, role)):
                    pairs[g] = p
                    taken.add(p)
                    break
    return pairs


def _same_outlet(predicted: str | None, expected: str | None) -> bool:
    if expected is None:
        return True
    if predicted is None:
        return False
    a, b = predicted.casefold().strip(), expected.casefold().strip()
    return a in b or b in a


def _sources_reached(proposals: Sequence[Proposal], start: int | None) -> list[int]:
    """Proposed sources an attribution relays, directly or past one in-text relay."""
    reached: list[int] = []
    current = start
    for _ in range(3):
        if current is None:
            break
        source = proposals[current].in_source
        if source is not None:
            reached.append(source)
        current = proposals[current].relayed_through
    return reached


def relay_and_certainty(extraction: Extraction, gold: Sequence[GoldAttribution]) -> dict[str, Any]:
    proposals = extraction.attributions
    pairs = pair(proposals, gold)
    certainty_right = sum(
        1 for g, p in pairs.items() if proposals[p].certainty == gold[g].certainty
    )
    alleged = [g for g, a in enumerate(gold) if a.certainty == "alleged"]
    alleged_found = sum(
        1 for g in alleged if g in pairs and proposals[pairs[g]].certainty == "alleged"
    )
    in_text = found_in_text = through_source = found_source = 0
    for g, attribution in enumerate(gold):
        relayed = pairs.get(g)
        target = proposals[relayed].relayed_through if relayed is not None else None
        if attribution.relayed_through is not None:
            in_text += 1
            expected = pairs.get(attribution.relayed_through)
            found_in_text += int(target is not None and target == expected)
        if attribution.source is not None:
            through_source += 1
            expected_outlet = attribution.source.get("publisher")
            found_source += int(
                any(
                    _same_outlet(extraction.sources[s].publisher, expected_outlet)
                    for s in _sources_reached(proposals, relayed)
                )
            )
    return {
        "paired": len(pairs),
        "gold": len(gold),
        "certainty_right": certainty_right,
        "alleged": len(alleged),
        "alleged_found": alleged_found,
        "relays_in_text": in_text,
        "relays_in_text_found": found_in_text,
        "relays_through_source": through_source,
        "relays_through_source_found": found_source,
    }
