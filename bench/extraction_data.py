"""Gold attributions for the extraction scorer and trainer: PolNeAR (read with
the project's brat reader) and the French gold set of tests/data/extraction."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from app.bundles.brat.reader import find_articles, parse_ann, read_text

ROOT = Path(__file__).resolve().parent.parent
POLNEAR = ROOT.parent / "shared" / "polnear"
FRENCH_GOLD = ROOT / "tests" / "data" / "extraction" / "fr-gold.json"

Span = tuple[tuple[int, int], ...]


@dataclass
class GoldAttribution:
    speaker: Span
    cue: Span
    content: Span
    certainty: str | None = None
    mode: str | None = None
    relayed_through: int | None = None
    source: dict[str, str | None] | None = None
    """French gold: the document the attribution relays (publisher, kind)."""


@dataclass
class GoldArticle:
    name: str
    text: str
    published: date | None
    annotations: list[list[GoldAttribution]] = field(default_factory=list)
    """One list per annotator, files in name order (the first is scored)."""
    split: str = "dev"


def _span(textbounds: dict[str, Any], ids: list[str]) -> Span:
    fragments = sorted(f for i in ids if i in textbounds for f in textbounds[i].fragments)
    return tuple(fragments)


def _publication_dates(root: Path) -> dict[str, date]:
    dates: dict[str, date] = {}
    metadata = root / "metadata.tsv"
    if not metadata.exists():
        return dates
    lines = metadata.read_text(encoding="utf-8").splitlines()
    header = lines[0].split("\t")
    for line in lines[1:]:
        row = dict(zip(header, line.split("\t"), strict=False))
        try:
            dates[row["filename"]] = date.fromisoformat(row["publication_date"])
        except (KeyError, ValueError):
            continue
    return dates


def load_polnear(
    compartment: str, root: Path = POLNEAR, limit: int | None = None
) -> list[GoldArticle]:
    """Every article of a compartment with each annotator's attributions."""
    articles, _ = find_articles(root / compartment)
    dates = _publication_dates(root)
    result: list[GoldArticle] = []
    for files in articles[:limit] if limit else articles:
        text = read_text(files.text)
        if not isinstance(text, str) or not files.annotations:
            continue
        article = GoldArticle(files.name, text, dates.get(files.name))
        for path in sorted(files.annotations):
            ann_text = read_text(path)
            if not isinstance(ann_text, str):
                continue
            parsed = parse_ann(ann_text, name=path.name, annotator=path.stem)
            attributions: list[GoldAttribution] = []
            for event in parsed.events:
                roles: dict[str, list[str]] = {}
                for role, target in event.arguments:
                    roles.setdefault(role.rstrip("0123456789"), []).append(target)
                tb = parsed.textbounds
                attributions.append(
                    GoldAttribution(
                        speaker=_span(tb, roles.get("Source", [])),
                        cue=_span(tb, roles.get("Cue", [])),
                        content=_span(tb, roles.get("Content", [])),
                    )
                )
            article.annotations.append(attributions)
        result.append(article)
    return result


def load_french_gold(path: Path = FRENCH_GOLD) -> list[GoldArticle]:
    data = json.loads(path.read_text(encoding="utf-8"))
    result: list[GoldArticle] = []
    for item in data["texts"]:
        attributions = [
            GoldAttribution(
                speaker=tuple(tuple(f) for f in a.get("speaker", [])),
                cue=tuple(tuple(f) for f in a.get("cue", [])),
                content=tuple(tuple(f) for f in a.get("content", [])),
                certainty=a.get("certainty"),
                mode=a.get("mode"),
                relayed_through=a.get("relayed_through"),
                source=a.get("source"),
            )
            for a in item["attributions"]
        ]
        published = date.fromisoformat(item["published"]) if item.get("published") else None
        result.append(
            GoldArticle(item["id"], item["text"], published, [attributions], item["split"])
        )
    return result
