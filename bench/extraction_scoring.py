"""Scoring proposed attributions against gold, per role (speaker, cue,
content): spans compared as sets of fragments after trimming whitespace,
quotation marks and punctuation at both ends (a multi-fragment span matches
only whole); exact means equal, overlap means sharing a code point."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from app.extraction.proposals import Fragment, Proposal
from app.extraction.spans import key
from bench.extraction_data import GoldAttribution

ROLES = ("speaker", "cue", "content")
SpanKey = tuple[tuple[int, int], ...]


@dataclass
class Counts:
    true_positives: int = 0
    predicted: int = 0
    gold: int = 0

    def add(self, other: Counts) -> None:
        self.true_positives += other.true_positives
        self.predicted += other.predicted
        self.gold += other.gold

    @property
    def gold_found(self) -> int:
        """Gold spans found (exact: the same as the true positives)."""
        return self.true_positives

    def scores(self) -> dict[str, float]:
        precision = self.true_positives / self.predicted if self.predicted else 0.0
        recall = self.gold_found / self.gold if self.gold else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


@dataclass
class RoleScores:
    exact: dict[str, Counts] = field(default_factory=lambda: {r: Counts() for r in ROLES})
    overlap: dict[str, Counts] = field(default_factory=lambda: {r: Counts() for r in ROLES})

    def add(self, other: RoleScores) -> None:
        for role in ROLES:
            self.exact[role].add(other.exact[role])
            self.overlap[role].add(other.overlap[role])

    def table(self) -> dict[str, dict[str, dict[str, float]]]:
        return {
            "exact": {r: self.exact[r].scores() for r in ROLES},
            "overlap": {r: self.overlap[r].scores() for r in ROLES},
        }


def _points(span: SpanKey) -> set[int]:
    return {p for start, end in span for p in range(start, end)}


def _overlap_counts(predicted: set[SpanKey], gold: set[SpanKey]) -> Counts:
    """Precision counts predicted spans touching some gold span; recall, gold
    spans touched by some prediction."""
    gold_points = [_points(g) for g in gold]
    predicted_points = [_points(p) for p in predicted]
    hit_predicted = sum(1 for p in predicted_points if any(p & g for g in gold_points))
    hit_gold = sum(1 for g in gold_points if any(g & p for p in predicted_points))
    # Counts keeps one true-positive figure: precision and recall differ here,
    # so the f1 of an overlap Counts is computed from both hit counts.
    return OverlapCounts(hit_predicted, len(predicted), len(gold), hit_gold)


@dataclass
class OverlapCounts(Counts):
    gold_hits: int = 0

    def add(self, other: Counts) -> None:
        super().add(other)
        if isinstance(other, OverlapCounts):
            self.gold_hits += other.gold_hits

    @property
    def gold_found(self) -> int:
        return self.gold_hits


def new_scores() -> RoleScores:
    scores = RoleScores()
    scores.overlap = {r: OverlapCounts() for r in ROLES}
    return scores


def gold_keys(text: str, gold: Iterable[GoldAttribution], role: str) -> set[SpanKey]:
    result: set[SpanKey] = set()
    for attribution in gold:
        fragments = [Fragment(s, e) for s, e in getattr(attribution, role)]
        span = key(text, fragments)
        if span:
            result.add(span)
    return result


def predicted_keys(text: str, proposals: Sequence[Proposal], role: str) -> set[SpanKey]:
    result: set[SpanKey] = set()
    for proposal in proposals:
        span = key(text, getattr(proposal, role))
        if span:
            result.add(span)
    return result


def score_article(
    text: str, proposals: Sequence[Proposal], gold: Sequence[GoldAttribution]
) -> RoleScores:
    scores = new_scores()
    for role in ROLES:
        predicted = predicted_keys(text, proposals, role)
        expected = gold_keys(text, gold, role)
        scores.exact[role] = Counts(len(predicted & expected), len(predicted), len(expected))
        scores.overlap[role] = _overlap_counts(predicted, expected)
    return scores
