"""Relays across documents in English: "told Reuters", "in an interview with
CNN", "in a statement" name a document the speaker's words come from. Each
becomes a proposed source and an attribution recorded in it (no spans: the
words are in that document, not in this text; its speaker is the relaying
attribution's), which the article's attribution relays through."""

import re
from dataclasses import replace
from datetime import date

from app.extraction.proposals import Fragment, Proposal, ProposedSource, SourceKind

_OUTLET = (
    r"(?P<outlet>(?:the\s+)?(?:[A-Z][\w&'’.\-]*\s+){0,4}?"
    r"(?:[A-Z][\w&'’.\-]*|Times|Post|News|Journal|Press|Reuters|Bloomberg|CNN|NPR|AFP|AP))"
)
_PATTERNS: list[tuple[SourceKind, re.Pattern[str]]] = [
    ("interview", re.compile(rf"\b(?:told|telling|tells|tell)\s+{_OUTLET}")),
    ("interview", re.compile(rf"\b(?:an?\s+)?interview\s+with\s+{_OUTLET}")),
    ("statement", re.compile(r"\bin\s+an?\s+(?:written\s+)?(?P<kind>statement|letter|memo)\b")),
]
MEDIA_HINTS = re.compile(
    r"Times|Post|News|Journal|Press|Reuters|Bloomberg|CNN|NPR|AFP|AP|Politico|Tribune|"
    r"Herald|Magazine|Radio|TV|Network|BBC|MSNBC|Fox|ABC|NBC|CBS|Axios|Breitbart|Gazette"
)
WINDOW = 80  # code points after the cue where the outlet is named


def english_sources(
    text: str, proposals: list[Proposal], published: date | None
) -> tuple[list[Proposal], list[ProposedSource]]:
    """Proposals with their cross-document relays appended, and the sources."""
    del published
    result = list(proposals)
    sources: list[ProposedSource] = []
    for index, proposal in enumerate(proposals):
        if not proposal.cue:
            continue
        cue = proposal.cue[0]
        window = text[cue.start : min(len(text), cue.end + WINDOW)]
        for kind, pattern in _PATTERNS:
            match = pattern.search(window)
            if match is None or match.start() > len(text[cue.start : cue.end]) + 40:
                continue
            if "outlet" in match.groupdict():
                outlet = match.group("outlet")
                if not MEDIA_HINTS.search(outlet):
                    continue
                publisher: str | None = re.sub(r"^the\s+", "", outlet, flags=re.IGNORECASE)
                where = Fragment(cue.start + match.start("outlet"), cue.start + match.end("outlet"))
            else:
                publisher = None
                where = Fragment(cue.start + match.start("kind"), cue.start + match.end("kind"))
            sources.append(
                ProposedSource(publisher=publisher, kind=kind, time=proposal.time, mention=where)
            )
            result.append(
                Proposal(
                    speaker=[],
                    cue=[],
                    content=[],
                    mode=proposal.mode,
                    certainty=proposal.certainty,
                    certainty_cue=proposal.certainty_cue,
                    confidence=proposal.confidence,
                    in_source=len(sources) - 1,
                    time=proposal.time,
                )
            )
            result[index] = replace(result[index], relayed_through=len(result) - 1)
            break
    return result, sources
