"""The actor of each speaker mention in one article.

One actor per distinct (normalised) mention, except pronouns: one per
mention, since two "he" may be two people and nothing here says whom they
refer to. Mentions with no speaker at all share the article's "unnamed
source". Refs are stable (derived from the mention and where it is), so
importing the same article again names the same actors.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from app.identity.mentions import PRONOUNS, SpeakerClass, classify_speaker
from app.identity.names import bare_mention, digest, display_name, mention_key

UNNAMED_SOURCE = "unnamed-source"


@dataclass
class ArticleSpeakers:
    """The speakers of one article, as bundle actor records by ref."""

    article: str
    """The article's name, for the descriptions of actors known only from it."""
    actors: dict[str, dict[str, Any]] = field(default_factory=dict)
    refs: dict[str, str] = field(default_factory=dict)
    """Normalised mention → ref of its actor."""

    def actor_of(
        self, mention: str, fragments: Sequence[tuple[int, int]]
    ) -> tuple[str, SpeakerClass]:
        """The ref of the actor a Source mention names, and its kind.
        ``fragments`` are the mention's code point ranges in the article."""
        kind = classify_speaker(mention)
        shown = display_name(mention)
        if kind == "pronoun":
            where = ".".join(f"{start}-{end}" for start, end in fragments)
            ref = f"pronoun/{where}"[:200]
            if ref not in self.actors:
                self.actors[ref] = {
                    "ref": ref,
                    "kind": PRONOUNS[bare_mention(mention)],
                    "name": shown,
                    "description": (
                        f"Unresolved pronoun mention “{shown}” at code points {where} of "
                        f"{self.article}: the annotation does not say whom it refers to."
                    ),
                }
            return ref, kind
        key = mention_key(mention)
        known = self.refs.get(key)
        if known is not None:
            return known, kind
        slug = re.sub(r"[^a-z0-9]+", "-", key).strip("-")[:60] or "speaker"
        ref = f"speaker/{slug}.{digest(key, 8)}"
        self.refs[key] = ref
        actor: dict[str, Any] = {"ref": ref, "kind": kind, "name": shown}
        if kind == "anonymous":
            actor["role_description"] = shown
            actor["description"] = f"Speaker known only as “{shown}” in {self.article}."
        self.actors[ref] = actor
        return ref, kind

    def unnamed_source(self) -> str:
        """The ref of whoever the article quotes without naming a source."""
        self.actors.setdefault(
            UNNAMED_SOURCE,
            {
                "ref": UNNAMED_SOURCE,
                "kind": "anonymous",
                "name": "unnamed source",
                "role_description": "unnamed source",
                "description": (
                    f"Whoever {self.article} attributes words to without naming a source "
                    "(brat Attribution-no-source): one actor for all of them."
                ),
            },
        )
        return UNNAMED_SOURCE
