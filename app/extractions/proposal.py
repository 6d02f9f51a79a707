"""An extraction as a proposal: the model's attributions with their spans'
text, their speakers grouped into actors by the identity resolver (and found
among stored actors when the database knows them), and the sources the text
relays. Everything here is in memory but one indexed lookup of actor keys."""

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from app.identity.document import Mention
from app.identity.matching import Wanted, decide, stored_candidates
from app.identity.names import display_name
from app.identity.records import Assignment, document_actors
from app.identity.shared import shared_actor_ref

Fragments = tuple[tuple[int, int], ...]
JSON = dict[str, Any]


@dataclass
class Article:
    """The submitted text as a source: stored already (``id``) or to be."""

    text: str
    language: str
    kind: str = "article"
    title: str | None = None
    url: str | None = None
    publisher: str | None = None
    id: UUID | None = None


@dataclass
class Proposal:
    language: str
    model: JSON
    sources: list[JSON]
    actors: list[JSON]
    attributions: list[JSON]
    records: list[JSON] = field(default_factory=list)
    """The actor records (bundle shape) of the actors not stored yet."""


def _fragments(items: Sequence[JSON]) -> Fragments:
    return tuple((item["start"], item["end"]) for item in items)


def _spans(text: str, role: str, fragments: Fragments) -> list[JSON]:
    return [
        {"role": role, "start": start, "end": end, "text": text[start:end]}
        for start, end in fragments
    ]


def _time(raw: JSON | None) -> JSON | None:
    if raw is None:
        return None
    return {
        key: raw[key]
        for key in ("expression", "relative_to", "offset_days", "earliest", "latest", "precision")
    }


def default_title(text: str) -> str:
    """A new source's title when none is given: its first line, shortened."""
    first = next((line.strip() for line in text.splitlines() if line.strip()), "Untitled")
    return display_name(first if len(first) <= 120 else first[:119] + "…")


def _speakers(
    text: str, raw: Sequence[JSON], article: Article, published: date | None = None
) -> tuple[list[JSON], dict[Fragments, Assignment]]:
    """The actor records of the in-text speakers and each speaker mention's resolution."""
    mentions: dict[Fragments, Mention] = {}
    for attribution in raw:
        fragments = _fragments(attribution["speaker"])
        if attribution["in_source"] is None and fragments and fragments not in mentions:
            covered = " ".join(text[s:e] for s, e in fragments)
            mentions[fragments] = Mention(fragments[0][0], fragments[-1][1], covered)
    shared = []
    if article.publisher:
        shared.append(
            {
                "ref": shared_actor_ref("publisher", article.publisher),
                "kind": "media",
                "name": article.publisher,
            }
        )
    records, assignments = document_actors(
        text,
        list(mentions.values()),
        document="the submitted text",
        shared=shared,
        media=[article.publisher] if article.publisher else [],
        published=published,
    )
    return shared + records, dict(zip(mentions, assignments, strict=True))


def run_models(article: Article, *, language: str, published: date | None) -> JSON:
    """The models' extraction of the article as plain data, with its
    speakers grouped by the identity resolver (``speakers``). Pure CPU and
    no database: it runs in the extraction worker, so that the API's event
    loop spends no time on it (the resolver took 8–56 ms a PolNeAR article
    there, and claim reads waited behind it)."""
    from app.extraction import extract

    raw: JSON = dataclasses.asdict(
        extract(article.text, language=language, published=published)  # type: ignore[arg-type]
    )
    raw["speakers"] = _speakers(article.text, raw["attributions"], article, published)
    return raw


async def build_proposal(session: AsyncSession, raw: JSON, article: Article) -> Proposal:
    """The proposal from ``run_models``' output, stored actors looked up."""
    text = article.text
    attributions_raw: list[JSON] = raw["attributions"]
    records, assigned = raw["speakers"]
    sources: list[JSON] = [
        {
            "ref": "S0",
            "proposed": False,
            "id": article.id,
            "kind": article.kind,
            "title": article.title or default_title(text),
            "publisher": article.publisher,
            "url": article.url,
            "language": article.language,
            "published": None,
        }
    ]
    for index, source in enumerate(raw["sources"], start=1):
        publisher = source["publisher"]
        if publisher:
            ref = shared_actor_ref("publisher", publisher)
            if all(r["ref"] != ref for r in records):
                records.append({"ref": ref, "kind": "media", "name": display_name(publisher)})
        sources.append(
            {
                "ref": f"S{index}",
                "proposed": True,
                "id": None,
                "kind": source["kind"],
                "title": _relayed_title(source, text),
                "publisher": publisher,
                "url": None,
                "language": None,
                "published": _time(source["time"]),
            }
        )
    relaying = {
        a["relayed_through"]: i
        for i, a in enumerate(attributions_raw)
        if a["relayed_through"] is not None
    }
    attributions: list[JSON] = []
    for index, item in enumerate(attributions_raw):
        speaker_of = item
        if item["in_source"] is not None and index in relaying:
            speaker_of = attributions_raw[relaying[index]]  # who told the outlet
        fragments = _fragments(speaker_of["speaker"])
        found = assigned.get(fragments)
        spans: list[JSON] = []
        if item["in_source"] is None:
            spans = [
                *_spans(text, "speaker", _fragments(item["speaker"])),
                *_spans(text, "cue", _fragments(item["cue"])),
                *_spans(text, "content", _fragments(item["content"])),
            ]
        resolution = None
        if found is not None:
            resolution = {
                "mention": found.mention if item["in_source"] is None else None,
                "method": found.method,
                "confidence": found.confidence,
                "through": _mention_owner(found.through, assigned, attributions_raw),
            }
        attributions.append(
            {
                "ref": f"A{index}",
                "source": "S0" if item["in_source"] is None else f"S{item['in_source'] + 1}",
                "speaker": found.ref if found is not None else None,
                "spans": spans,
                "speaker_resolution": resolution,
                "mode": item["mode"] if found is not None else "own_voice",
                "certainty": item["certainty"],
                "certainty_cue": item["certainty_cue"],
                "relayed_through": item["relayed_through"],
                "time": _time(item["time"]),
                "confidence": item["confidence"],
            }
        )
    actors = await _actors(session, records)
    return Proposal(
        language=raw["language"],
        model=raw["model"],
        sources=sources,
        actors=actors,
        attributions=attributions,
        records=[r for r, a in zip(records, actors, strict=True) if a["actor_id"] is None],
    )


def _mention_owner(
    through: int | None, assigned: dict[Fragments, Assignment], raw: Sequence[JSON]
) -> int | None:
    """The first attribution whose speaker is the mention a resolution went through."""
    if through is None:
        return None
    mention = list(assigned)[through]
    return next((i for i, a in enumerate(raw) if _fragments(a["speaker"]) == mention), None)


def _relayed_title(source: JSON, text: str) -> str:
    mention = source.get("mention")
    named = text[mention["start"] : mention["end"]] if mention else None
    what = {"statement": "Statement", "report": "Report"}.get(source["kind"], "Source")
    by = source["publisher"] or named
    return display_name(f"{what} of {by}" if by else what)


async def _actors(session: AsyncSession, records: list[JSON]) -> list[JSON]:
    """Each record as a proposed actor, with the stored actor the resolver
    finds for a global one (one indexed lookup for all)."""
    wanted = {
        r["ref"]: Wanted(r["kind"], r["name"])
        for r in records
        if r.get("scope", "global") == "global"
    }
    keys = {k for w in wanted.values() for k in (*w.lookup_keys(), *w.suggestion_keys())}
    found = await stored_candidates(session, keys)
    actors = []
    for record in records:
        match = decide(wanted[record["ref"]], found) if record["ref"] in wanted else None
        actors.append(
            {
                "ref": record["ref"],
                "kind": record["kind"],
                "name": record["name"],
                "scope": record.get("scope", "global"),
                "actor_id": match.actor.id if match is not None and match.actor else None,
            }
        )
    return actors
