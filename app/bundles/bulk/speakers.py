"""How each attribution's speaker was resolved, as the columns the bulk path stages.

An importer that groups mentions (brat, extraction) says how it resolved
each one (``speaker_resolution``); the loader adds what only it knows: which
stored actor a global speaker turned out to be (so a mention written as the
stored name is ``exact``, one found through a stored alias ``alias``), and
which mention created a new actor (``new``). Without a resolution, a speaker
named by id is ``id`` and one the resolver placed says how.
"""

from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from app.bundles.format import BundleActor, BundleAttribution, Resolve, is_uuid
from app.identity.matching import Match, mention_method

NAMED = frozenset({"exact", "name_variant", "surname", "alias", "new"})
"""Methods of a mention that names its speaker (not through another mention)."""

CONFIDENCE = {"id": 1.0, "exact": 1.0, "alias": 0.95, "new": 1.0, "name_variant": 0.9}


@dataclass
class SpeakerResolutions:
    """The resolutions of one load's attributions; ``credited``: the new
    actors whose creating mention was already staged."""

    credited: set[UUID] = field(default_factory=set)

    def columns(
        self,
        record: BundleAttribution,
        resolve: Resolve,
        *,
        matches: dict[str, Match],
        actors: dict[str, BundleActor],
        new_actors: set[UUID],
    ) -> dict[str, Any]:
        """``matches``: the resolver's decisions by actor ref; ``actors``: the
        bundle's actor records by ref; ``new_actors``: the ids this load creates."""
        ref = record.speaker_ref
        if ref is None:
            return dict.fromkeys(
                (
                    "speaker_mention",
                    "resolution_method",
                    "resolution_confidence",
                    "resolution_through_id",
                ),
                None,
            )
        speaker_id = resolve(ref)
        given = record.speaker_resolution
        match = matches.get(ref)
        actor = actors.get(ref)
        method: str
        if given is not None:  # as the importer said (an export keeps it as it was)
            mention = given.mention
            method, confidence = given.method, given.confidence
            through = resolve(given.through_attribution) if given.through_attribution else None
        elif match is not None or (actor is not None and not is_uuid(ref)):
            mention = _spoken(record) or (actor.name if actor else None)
            method, confidence, through = "exact", 1.0, None
        else:
            mention = _spoken(record)
            method, confidence, through = "id", 1.0, None
        explicit = actor is None or is_uuid(ref)  # an id: kept as given (an export)
        if explicit:
            pass
        elif method in NAMED and match is not None and match.actor is not None:
            written = mention or (actor.name if actor else "")
            method = mention_method(written, match, fallback=method)
        elif method in NAMED and speaker_id in new_actors:
            # A new actor: the first mention that names it created it.
            if speaker_id not in self.credited:
                self.credited.add(speaker_id)
                method = "new"
            elif method == "new":
                method = "exact"
        if given is None:
            confidence = CONFIDENCE.get(method, confidence)
        return {
            "speaker_mention": mention,
            "resolution_method": method,
            "resolution_confidence": confidence,
            "resolution_through_id": through,
        }


def _spoken(record: BundleAttribution) -> str | None:
    """The speaker mention as annotated (its fragments joined), if any."""
    fragments = [span.text for span in record.spans if span.role == "speaker"]
    return " ".join(fragments) if fragments else None
