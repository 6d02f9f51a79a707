"""The report of a brat import: every T and E line read is imported, skipped
with a reason, or refused with its article, and the counts add up, so an
import over a whole corpus can be checked line by line."""

from typing import Literal

from pydantic import BaseModel, Field

LineKind = Literal["T", "E", "note", "other", "file", "article"]


class Issue(BaseModel):
    """A line, file or article that was not imported, and why."""

    file: str = Field(description="The file (or article) it is in.")
    line: int | None = Field(default=None, description="Physical line, from 1.")
    id: str | None = Field(default=None, description="brat id (T12, E3, #1).")
    kind: LineKind
    reason: str = Field(description="Stable short name of the reason, e.g. `missing-content`.")
    detail: str


class BratReport(BaseModel):
    """What a brat import did. For every annotation file read,
    ``t_imported`` + skipped ``T`` issues + ``t_refused`` = ``t_lines`` (and
    likewise for ``E`` lines): every line is accounted for."""

    articles: int = Field(default=0, description="Articles converted and loaded.")
    annotation_files: int = Field(default=0, description="`.ann` files read.")
    t_lines: int = 0
    t_imported: int = Field(default=0, description="T lines used by an imported attribution.")
    e_lines: int = 0
    attributions: int = Field(default=0, description="E lines imported (one attribution each).")
    nested: int = Field(
        default=0, description="Imported attributions reported inside another's content."
    )
    relays: int = Field(
        default=0, description="Relay attributions derived from nesting (relayed_through set)."
    )
    anonymous_speakers: int = Field(
        default=0, description="Imported attributions whose speaker is anonymous."
    )
    unnamed_speakers: int = Field(
        default=0,
        description="Of those, the article's unnamed source: Attribution-no-source, or no "
        "Source span given.",
    )
    pronoun_speakers: int = Field(
        default=0, description="Imported attributions whose speaker is an unresolved pronoun."
    )
    t_refused: int = Field(default=0, description="T lines of articles the loader refused.")
    e_refused: int = Field(default=0, description="E lines of articles the loader refused.")
    skipped: list[Issue] = Field(default_factory=list)
    failures: list[Issue] = Field(
        default_factory=list, description="Files or articles not imported at all."
    )

    def skipped_by_reason(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for issue in self.skipped:
            key = f"{issue.kind} {issue.reason}"
            counts[key] = counts.get(key, 0) + 1
        return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))

    def merge(self, other: "BratReport") -> None:
        for name in _COUNTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.skipped.extend(other.skipped)
        self.failures.extend(other.failures)

    def refuse(self, article: str, reason: str, detail: str) -> None:
        """The loader refused the article's bundle: nothing of it was imported."""
        self.failures.append(Issue(file=article, kind="article", reason=reason, detail=detail))
        self.t_refused += self.t_imported
        self.e_refused += self.attributions
        for name in _IMPORTED:
            setattr(self, name, 0)

    def lines(self) -> list[str]:
        """The report as text, for people (the CLI prints it)."""
        out = [
            f"articles: {self.articles}, annotation files: {self.annotation_files}",
            f"T lines: {self.t_lines} ({self.t_imported} imported)",
            f"E lines: {self.e_lines} ({self.attributions} imported as attributions)",
            f"nested attributions: {self.nested} (relay attributions derived: {self.relays})",
            f"anonymous speakers: {self.anonymous_speakers} "
            f"(unnamed source: {self.unnamed_speakers}), "
            f"pronoun speakers: {self.pronoun_speakers}",
        ]
        if self.t_refused or self.e_refused:
            out.append(f"lines of refused articles: {self.t_refused} T, {self.e_refused} E")
        by_reason = self.skipped_by_reason()
        if by_reason:
            out.append("skipped: " + ", ".join(f"{k}: {n}" for k, n in by_reason.items()))
        for failure in self.failures:
            out.append(f"FAILED {failure.file}: {failure.reason}: {failure.detail}")
        return out


_IMPORTED = (
    "articles",
    "t_imported",
    "attributions",
    "nested",
    "relays",
    "anonymous_speakers",
    "unnamed_speakers",
    "pronoun_speakers",
)
"""Counts of what was imported: undone when the loader refuses the article."""
_COUNTS = (*_IMPORTED, "annotation_files", "t_lines", "e_lines", "t_refused", "e_refused")
