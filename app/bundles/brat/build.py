"""One article and its annotation files → one bundle.

The bundle holds the article as a source, its actors (shared ones from the
metadata, and the speakers), a claim per distinct content and an attribution
record per imported E line, plus the relay records that nested reporting
implies (see :func:`_relays`).
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from app.bundles.brat.classify import Attribution, Classifier, enclosing, quotation_mode
from app.bundles.brat.metadata import ArticleMetadata, byline_names
from app.bundles.brat.reader import AnnFile, Fragment, covered
from app.bundles.brat.refs import bundle_id
from app.bundles.brat.report import BratReport
from app.identity import author_actor, publisher_actor, wire_actor
from app.identity.document import Mention
from app.identity.names import digest, display_name
from app.identity.records import Assignment, document_actors

LANGUAGE = "en"


def _spans(text: str, role: str, fragments: Sequence[Fragment]) -> list[dict[str, Any]]:
    return [
        {"role": role, "start": start, "end": end, "text": text[start:end]}
        for start, end in fragments
    ]


UNNAMED_SOURCE = "unnamed-source"


@dataclass
class _Speakers:
    """Who speaks in one article: each speaker mention (by its fragments,
    whichever annotator marked it) and its actor, from the document resolver."""

    mentions: dict[tuple[Fragment, ...], int] = field(default_factory=dict)
    assignments: list[Assignment] = field(default_factory=list)
    first_said: dict[tuple[str, int], str] = field(default_factory=dict)
    """(annotator, mention) → the ref of the first attribution with that speaker mention."""

    def resolution(self, attribution: Attribution) -> tuple[str, dict[str, Any]]:
        """The speaker ref of an attribution and its ``speaker_resolution``."""
        index = self.mentions.get(attribution.speaker_fragments)
        if index is None:
            return UNNAMED_SOURCE, {"method": "new", "confidence": 0.5}
        found = self.assignments[index]
        resolution: dict[str, Any] = {
            "mention": found.mention,
            "method": found.method,
            "confidence": found.confidence,
        }
        if found.through is not None:
            annotator = attribution.ann.annotator
            through = self.first_said.get((annotator, found.through)) or next(
                (ref for (_, i), ref in self.first_said.items() if i == found.through), None
            )
            if through is not None and through != attribution.ref:
                resolution["through_attribution"] = through
        return found.ref, resolution


def _unnamed_source(article: str) -> dict[str, Any]:
    return {
        "ref": UNNAMED_SOURCE,
        "kind": "anonymous",
        "scope": "document",
        "name": "unnamed source",
        "role_description": "unnamed source",
        "description": (
            f"Whoever {article} attributes words to without naming a source "
            "(brat Attribution-no-source): one actor for all of them."
        ),
    }


@dataclass
class _Records:
    """The claim and attribution records of one article under way."""

    text: str
    speakers: _Speakers
    claims: dict[tuple[Fragment, ...], dict[str, Any]] = field(default_factory=dict)

    def claim(self, fragments: tuple[Fragment, ...]) -> str:
        """One claim per content (same fragments, whichever annotator)."""
        claim = self.claims.get(fragments)
        if claim is None:
            where = ".".join(f"{start}-{end}" for start, end in fragments)
            ref = f"content/{where}" if len(where) <= 150 else f"content/{digest(where, 16)}"
            claim = {"ref": ref, "text": covered(self.text, fragments), "language": LANGUAGE}
            self.claims[fragments] = claim
        found: str = claim["ref"]
        return found

    def record(
        self,
        attribution: Attribution,
        *,
        claim_of: Attribution | None = None,
        relays: str | None = None,
        ref: str | None = None,
        note: str,
    ) -> dict[str, Any]:
        """The bundle record: ``attribution``'s speaker and cue, saying the
        content of ``claim_of`` (itself unless derived)."""
        said = claim_of or attribution
        cue = covered(self.text, attribution.cue)
        speaker, resolution = self.speakers.resolution(attribution)
        record: dict[str, Any] = {
            "ref": ref or attribution.ref,
            "claim": self.claim(said.content),
            "speaker": speaker,
            "speaker_resolution": resolution,
            "source": "article",
            "mode": "paraphrase" if claim_of else quotation_mode(self.text, said.content),
            "cue": display_name(cue) if cue.strip() else None,
            "certainty": "unknown",
            "spans": [
                *_spans(self.text, "content", said.content),
                *_spans(self.text, "cue", attribution.cue),
                *_spans(self.text, "speaker", attribution.speaker_fragments),
            ],
            "note": note,
        }
        if len(said.content) == 1:
            start, end = said.content[0]
            record["span"] = {"start": start, "end": end, "text": self.text[start:end]}
        if relays is not None:
            record["relayed_through"] = relays
        return record


def _relays(
    article: _Records, attributions: Sequence[Attribution]
) -> tuple[list[dict[str, Any]], int]:
    """Relay attributions for nested reporting, and how many attributions are nested.

    "The Post reports that sources said X": brat annotates the Post saying
    "sources said X" (outer) and the sources saying X (inner). In OnRecord a
    relay is a hop of one claim: the attribution that passes words on names,
    in ``relayed_through``, the one it passes on (design.md, C9). So for
    each nested attribution (X, said by the sources) and each attribution
    enclosing it, innermost first, this adds "the Post said X" relaying the
    hop below, ref ``<inner ref>-via-<outer E id>``: X's chain is
    article → the Post → the sources (origin), and the outer attribution
    keeps its own claim and chain. The E-line attributions themselves relay
    nothing, so the annotations round-trip unchanged.
    """
    parents = enclosing(attributions)
    records: list[dict[str, Any]] = []
    for inner in attributions:
        below = inner.ref
        outer = parents.get(inner.ref)
        while outer is not None:
            ref = f"{inner.ref}-via-{outer.event.id}"
            note = (
                f"Relay derived from brat nesting: {outer.ref} ({outer.ann.name} "
                f"{outer.event.id}) reports {inner.ref} ({inner.event.id}) in its content."
            )
            records.append(article.record(outer, claim_of=inner, relays=below, ref=ref, note=note))
            below = ref
            outer = parents.get(outer.ref)
    return records, len(parents)


def _sorted_anns(anns: Sequence[AnnFile]) -> list[AnnFile]:
    return sorted(anns, key=lambda ann: (ann.annotator, ann.name))


def _shared_actors(
    metadata: ArticleMetadata | None,
) -> tuple[dict[str, dict[str, Any]], list[str], dict[str, Any] | None]:
    """The actors the metadata names, by ref; the refs of the authors (the
    byline's people, then the wire); the publisher's actor."""
    shared: dict[str, dict[str, Any]] = {}
    authors: list[str] = []
    if metadata is not None:
        people = [author_actor(person) for person in byline_names(metadata.author or "")]
        wire = [wire_actor(metadata.wire)] if metadata.wire else []
        for actor in [*people, *wire]:
            if actor["ref"] not in authors:
                shared[actor["ref"]] = actor
                authors.append(actor["ref"])
    publisher = publisher_actor(metadata.publisher) if metadata and metadata.publisher else None
    if publisher is not None:
        shared.setdefault(publisher["ref"], publisher)
    return shared, authors, publisher


def convert_article(
    name: str,
    text: str,
    anns: Sequence[AnnFile],
    metadata: ArticleMetadata | None,
    *,
    report: BratReport | None = None,
) -> tuple[dict[str, Any], BratReport]:
    """One article and its annotation files (one per annotator) as a bundle."""
    report = report or BratReport()
    classifier = Classifier(text=text, report=report)
    attributions: list[dict[str, Any]] = []
    shared, authors, publisher = _shared_actors(metadata)
    chosen_by_file = [classifier.choose(ann) for ann in _sorted_anns(anns)]
    speakers = _Speakers()
    mentions: list[Mention] = []
    for attribution in (a for chosen in chosen_by_file for a in chosen):
        fragments = attribution.speaker_fragments
        if attribution.speaker_class == "unnamed":
            continue
        if fragments not in speakers.mentions:
            speakers.mentions[fragments] = len(mentions)
            start, end = fragments[0][0], fragments[-1][1]
            mentions.append(Mention(start, end, covered(text, fragments)))
        key = (attribution.ann.annotator, speakers.mentions[fragments])
        speakers.first_said.setdefault(key, attribution.ref)
    media = [actor["name"] for actor in shared.values() if actor["kind"] == "media"]
    actors, speakers.assignments = document_actors(
        text,
        mentions,
        document=name,
        shared=list(shared.values()),
        media=media,
        published=metadata.publication_date if metadata else None,
    )
    if any(a.speaker_class == "unnamed" for chosen in chosen_by_file for a in chosen):
        actors.append(_unnamed_source(name))
    article = _Records(text=text, speakers=speakers)

    for chosen in chosen_by_file:
        for attribution in chosen:
            note = f"brat {attribution.ann.name} {attribution.event.id}"
            if attribution.notes:
                note += "; annotator notes: " + " | ".join(attribution.notes)
            attributions.append(article.record(attribution, note=note))
            report.attributions += 1
            if attribution.speaker_class in {"anonymous", "unnamed"}:
                report.anonymous_speakers += 1
            if attribution.speaker_class == "unnamed":
                report.unnamed_speakers += 1
            if attribution.speaker_class == "pronoun":
                report.pronoun_speakers += 1
        relays, nested = _relays(article, chosen)
        attributions.extend(relays)
        report.relays += len(relays)
        report.nested += nested

    source: dict[str, Any] = {
        "ref": "article",
        "kind": "article",
        "title": display_name(metadata.title if metadata and metadata.title else name),
        "language": LANGUAGE,
        "full_text": text,
        "authors": authors,
    }
    if publisher is not None:
        source["publisher"] = publisher["ref"]
    if metadata is not None and metadata.publication_date is not None:
        day = metadata.publication_date.isoformat()
        source["published"] = {"earliest": day, "latest": day, "precision": "day"}
    report.articles += 1
    bundle = {
        "format": "onrecord-bundle",
        "version": 1,
        "id": bundle_id(name),
        "title": display_name(f"brat: {name}"),
        "description": (
            f"brat standoff import of {name}: {len(anns)} annotation file(s) "
            f"({', '.join(ann.name for ann in _sorted_anns(anns))})."
        ),
        "actors": [*shared.values(), *actors],
        "sources": [source],
        "claims": list(article.claims.values()),
        "attributions": attributions,
    }
    return bundle, report
