"""Which annotations of an article become attributions, and how each is read.

Every T and E line of an ``.ann`` file is either used by an attribution to
import or reported with a reason (offsets outside the text, a Discuss span,
an E line without Content...). Of the imported ones this says what each
mention is for (anchor, content, cue, speaker), whether the content is
quoted, and which attribution's content encloses which (nested reporting).
"""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from app.bundles.brat.reader import AnnFile, EventLine, Fragment, TextBound, covered
from app.bundles.brat.refs import ref_part
from app.bundles.brat.report import BratReport, Issue, LineKind
from app.identity.mentions import SpeakerClass, classify_speaker

MAX_SPANS = 200  # app.attributions.schemas.MAX_SPANS
ANCHOR_TYPES = frozenset({"Attribution", "Attribution-no-source"})
ROLES = frozenset({"Content", "Cue", "Source"})


@dataclass
class Attribution:
    """An E line that will be imported."""

    ann: AnnFile
    event: EventLine
    ref: str
    anchor: tuple[Fragment, ...]
    content: tuple[Fragment, ...]
    cue: tuple[Fragment, ...]
    speaker_fragments: tuple[Fragment, ...]
    speaker_class: SpeakerClass | Literal["unnamed"]
    used: set[str]
    notes: list[str]

    @property
    def content_length(self) -> int:
        return sum(end - start for start, end in self.content)


def _ordered(fragments: Iterable[Fragment]) -> tuple[Fragment, ...]:
    return tuple(sorted(set(fragments)))


def _event_number(event_id: str) -> int:
    return int(event_id[1:]) if event_id[1:].isdigit() else 0


@dataclass
class Classifier:
    """Sorts the annotations of one article; what it leaves out goes to the report."""

    text: str
    report: BratReport

    def skip(self, ann: AnnFile, line: int, id: str, kind: LineKind, reason: str, why: str) -> None:
        self.report.skipped.append(
            Issue(file=ann.name, line=line, id=id, kind=kind, reason=reason, detail=why)
        )

    def choose(self, ann: AnnFile) -> list[Attribution]:
        """The attributions of an annotation file to import, in E line order;
        every other line of the file is reported, with why."""
        report = self.report
        report.annotation_files += 1
        report.t_lines += ann.t_lines
        report.e_lines += ann.e_lines
        report.skipped.extend(ann.issues)
        valid = self.check_textbounds(ann)
        chosen: list[Attribution] = []
        for event in sorted(ann.events, key=lambda e: (_event_number(e.id), e.line)):
            attribution = self.attribution(ann, event, valid)
            if attribution is not None:
                chosen.append(attribution)
        used: set[str] = set().union(*(a.used for a in chosen)) if chosen else set()
        referenced = {target for event in ann.events for _, target in event.arguments}
        for bound in ann.textbounds.values():
            if bound.id in used or bound.id not in valid:
                continue  # imported, or already reported as refused
            if bound.label in {"Discuss", "Discard"}:
                reason = f"{bound.label.lower()}-span"
                why = f"{bound.label}: an annotator's marker, not part of an attribution"
            elif bound.id in referenced:
                reason, why = "event-skipped", "only used by E lines that were skipped"
            else:
                reason, why = "unreferenced", f"{bound.label} span that no E line uses"
            self.skip(ann, bound.line, bound.id, "T", reason, why)
        imported = used | {attribution.event.id for attribution in chosen}
        for note_id, line, target in ann.note_lines:
            if target not in imported:
                self.skip(
                    ann,
                    line,
                    note_id,
                    "note",
                    "note-not-imported",
                    f"note on {target}, which no imported attribution uses",
                )
        report.t_imported += len(used)
        return chosen

    def check_textbounds(self, ann: AnnFile) -> set[str]:
        """Ids of the T lines whose offsets and text match the article text."""
        valid: set[str] = set()
        for bound in ann.textbounds.values():
            refused = self._mismatch(bound)
            if refused is None:
                valid.add(bound.id)
            else:
                self.skip(ann, bound.line, bound.id, "T", *refused)
        return valid

    def _mismatch(self, bound: TextBound) -> tuple[str, str] | None:
        """Why the T line does not fit the article text (reason, detail), if it does not."""
        bad = [
            f"{start} {end}"
            for start, end in bound.fragments
            if not 0 <= start < end <= len(self.text)
        ]
        if bad:
            return (
                "offsets-out-of-range",
                f"fragment(s) {', '.join(bad)} are empty or outside the text "
                f"({len(self.text)} code points)",
            )
        expected = covered(self.text, bound.fragments)
        if bound.text != expected:
            return (
                "text-mismatch",
                f"the .txt has {expected[:80]!r} at these offsets, the .ann says "
                f"{bound.text[:80]!r}",
            )
        return None

    def attribution(self, ann: AnnFile, event: EventLine, valid: set[str]) -> Attribution | None:
        """The E line as an attribution to import, or None (and why, in the report)."""

        def skip(reason: str, why: str) -> None:
            self.skip(ann, event.line, event.id, "E", reason, why)

        anchor_role, anchor_id = event.arguments[0]
        missing = [target for _, target in event.arguments if target not in ann.textbounds]
        if missing:
            skip("unknown-span-id", f"refers to {', '.join(missing)}, not defined in the file")
            return None
        if anchor_role not in ANCHOR_TYPES:
            skip("unsupported-event", f"{anchor_role} is not an attribution type")
            return None
        invalid = [target for _, target in event.arguments if target not in valid]
        if invalid:
            skip("invalid-span", f"uses {', '.join(invalid)}, refused (see those lines)")
            return None
        by_role: dict[str, list[Fragment]] = {role: [] for role in ROLES}
        for role, target in event.arguments[1:]:
            base = re.sub(r"\d+$", "", role)  # Content2: a second content argument
            if base not in ROLES:
                skip("unknown-role", f"role {role} (expected Source, Cue, Content)")
                return None
            by_role[base].extend(ann.textbounds[target].fragments)
        content = _ordered(by_role["Content"])
        if not content:
            skip("missing-content", "no Content argument: nothing was said")
            return None
        cue = _ordered(by_role["Cue"])
        speaker_fragments = _ordered(by_role["Source"])
        if len(content) + len(cue) + len(speaker_fragments) > MAX_SPANS:
            skip("too-many-fragments", f"more than {MAX_SPANS} fragments")
            return None
        used = {target for _, target in event.arguments}
        speaker_class: SpeakerClass | Literal["unnamed"]
        mention = covered(self.text, speaker_fragments)
        # Attribution-no-source (or a Source missing or blank: its spans stay).
        speaker_class = classify_speaker(mention) if mention.strip() else "unnamed"
        notes = [
            f"{target}: {note}"
            for target in (event.id, *sorted(used))
            for note in ann.notes.get(target, [])
        ]
        return Attribution(
            ann=ann,
            event=event,
            ref=f"{ref_part(ann.annotator, limit=40)}-{event.id}",
            anchor=_ordered(ann.textbounds[anchor_id].fragments),
            content=content,
            cue=cue,
            speaker_fragments=speaker_fragments,
            speaker_class=speaker_class,
            used=used,
            notes=notes,
        )


# -- quotation ----------------------------------------------------------------------

OPENING = frozenset("“\"‘'«„")
CLOSING = frozenset("”\"’'»“")
QUOTE_MARKS = re.compile(r"[“”\"«»„‘]|''")
TRAILING = frozenset(",.!?;:")


def quotation_mode(text: str, fragments: Sequence[Fragment]) -> str:
    """``direct_quote`` when the content (first to last fragment) is wrapped
    in quotation marks, inside or just outside the span (``“We will win,”
    he said`` annotated with or without the marks, a comma before the closing
    mark allowed); ``partial_quote`` when it holds quotation marks otherwise
    (``the candidate has “always run a lean campaign”``); else ``paraphrase``."""
    start, end = fragments[0][0], fragments[-1][1]
    opens = text[start] in OPENING or (start > 0 and text[start - 1] in OPENING)
    after = text[end : end + 2]
    closes = (
        text[end - 1] in CLOSING
        or after[:1] in CLOSING
        or (after[:1] in TRAILING and after[1:2] in CLOSING)
    )
    if opens and closes:
        return "direct_quote"
    spanned = "".join(text[s:e] for s, e in fragments)
    return "partial_quote" if QUOTE_MARKS.search(spanned) else "paraphrase"


# -- nesting ------------------------------------------------------------------------


def _inside(inner: Sequence[Fragment], outer: Sequence[Fragment]) -> bool:
    """Every fragment of ``inner`` lies within one fragment of ``outer``."""
    return bool(inner) and all(
        any(o_start <= start and end <= o_end for o_start, o_end in outer) for start, end in inner
    )


def enclosing(attributions: Sequence[Attribution]) -> dict[str, Attribution]:
    """Ref → the attribution whose content immediately encloses its anchor.

    Among the attributions (of the same annotator) whose Content covers an
    attribution's anchor (its Attribution span, else its Cue), the one with
    the shortest content, which must be longer than the nested attribution's
    own: content length strictly decreases down a chain, so nesting can never
    loop, whatever the annotations say."""
    parents: dict[str, Attribution] = {}
    for inner in attributions:
        candidates = [
            outer
            for outer in attributions
            if outer is not inner
            and outer.content_length > inner.content_length
            and _inside(inner.anchor or inner.cue, outer.content)
        ]
        if candidates:
            parents[inner.ref] = min(candidates, key=lambda a: (a.content_length, a.event.line))
    return parents
