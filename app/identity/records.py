"""A document's speakers as bundle records: what brat import and extraction
hand to the bulk path.

``resolve_document`` groups a document's speaker mentions into entities;
this turns each entity into an actor record (global ones for the resolver to
match across documents, document ones private to this document) and each
mention into its attribution's ``speaker_resolution``. Actors the document's
metadata already names (its publisher, authors, wire service) are those
records themselves when an entity is the same name, so a byline author
quoted in the text is one actor.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from app.identity.cataphora import WRITER
from app.identity.document import Entity, Mention, resolve_document
from app.identity.keys import actor_keys
from app.identity.names import digest, display_name

MAX_REF_SLUG = 60


@dataclass(frozen=True)
class Assignment:
    """The speaker of one mention: its actor record's ref and how it was resolved."""

    ref: str
    mention: str
    method: str
    confidence: float
    through: int | None
    """Index of the mention whose speaker this one was resolved to (pronouns,
    descriptions, "the same sources"), or None."""


def _slug(value: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", value.casefold()).strip("-")[:MAX_REF_SLUG] or "speaker"


def _record(entity: Entity, document: str) -> dict[str, Any]:
    kind = entity.kind
    key = f"{entity.scope}/{kind}/{entity.key}"
    if entity.scope == "document" and entity.mentions:
        key += f"@{entity.mentions[0]}"  # two unresolved "he" are two speakers
    ref = f"speaker/{kind}/{_slug(entity.key)}.{digest(key, 8)}"
    record: dict[str, Any] = {
        "ref": ref,
        "kind": kind,
        "name": display_name(entity.name),
        "scope": entity.scope,
    }
    if entity.scope == "global" and entity.surnames:
        # Learned here: another document naming this person by surname only
        # finds them through it (a stored alias, unless two people have it).
        record["names"] = [
            {"name": surname, "kind": "alias"} for surname in sorted(entity.surnames)
        ]
    if entity.scope == "document":
        shown = record["name"]
        if kind == "anonymous":
            record["role_description"] = shown
        if entity.unresolved == "pronoun":
            record["description"] = (
                f"Unresolved pronoun “{shown}” in {document}: nothing before it makes clear "
                "whom it refers to."
            )
        else:
            record["description"] = f"Speaker known only as “{shown}” in {document}."
    return record


def document_actors(
    text: str,
    mentions: Sequence[Mention],
    *,
    document: str,
    shared: Sequence[dict[str, Any]] = (),
    media: Sequence[str] = (),
    published: date | None = None,
) -> tuple[list[dict[str, Any]], list[Assignment]]:
    """The actor records of a document's speakers (``shared`` ones left out:
    they are the caller's) and, for each mention in order, its speaker.
    ``document`` names it in the descriptions of document-scope actors;
    ``media``: outlets it comes from ("the Post" is its publisher);
    ``published``: its date, when known (``app.identity.offices``)."""
    speakers = resolve_document(text, mentions, media=media, published=published)
    shared_by_key: dict[str, str] = {}
    for actor in shared:
        for key in actor_keys(kind=actor["kind"], scope="global", name=actor["name"]):
            shared_by_key.setdefault(key, actor["ref"])
    records: dict[str, dict[str, Any]] = {}
    refs: list[str] = []
    people = [actor["ref"] for actor in shared if actor["kind"] == "person"]
    for entity in speakers.entities:
        if entity.scope == "document" and entity.key == WRITER and len(people) == 1:
            refs.append(people[0])  # an op-ed's "I": its byline's one author
            continue
        record = _record(entity, document)
        if entity.scope == "global":
            keys = actor_keys(kind=entity.kind, scope="global", name=entity.name)
            same = [
                shared_by_key[k]
                for k in keys
                if k.startswith(("person:", "name:")) and k in shared_by_key
            ]
            if same:
                refs.append(same[0])
                continue
        records.setdefault(record["ref"], record)
        refs.append(record["ref"])
    assignments = [
        Assignment(
            ref=refs[resolution.entity],
            mention=display_name(mention.text),
            method=resolution.method,
            confidence=resolution.confidence,
            through=resolution.through,
        )
        for mention, resolution in zip(mentions, speakers.resolutions, strict=True)
    ]
    return list(records.values()), assignments
