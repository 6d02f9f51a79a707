"""What a load reports: the records it wrote, and where each error's record came from."""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from app.bundles.format import BundleSummary, InvalidBundle, per_kind, refusal
from app.errors import FieldError, ProblemError

MAX_ERRORS = 100
"""Errors listed in one refusal; the detail says how many more there are."""


@dataclass
class Loaded:
    """What one ``BulkLoad`` wrote."""

    bundles: list[BundleSummary] = field(default_factory=list)
    created: dict[str, int] = field(default_factory=per_kind)
    existing: dict[str, int] = field(default_factory=per_kind)

    @property
    def attributions(self) -> int:
        return self.created["attributions"] + self.existing["attributions"]


@dataclass(frozen=True)
class Origin:
    """Where a bundle's records came from, to lead their error messages: one
    ``text`` for all (a file and line), or ``locate(collection, index)`` for
    each record (the lines of exported records)."""

    text: str = ""
    locate: Callable[[str, int], str] | None = None

    def errors(self, errors: Iterable[FieldError]) -> list[FieldError]:
        """The errors, each led by where the record it points into came from."""
        return [
            error.model_copy(update={"detail": self.detail(error.pointer, error.detail)})
            for error in errors
        ]

    def detail(self, pointer: str, detail: str) -> str:
        """``detail`` led by where the record at ``pointer`` came from."""
        where = self.text
        if self.locate is not None:
            parts = pointer.split("/")
            where = self.locate(parts[1], int(parts[2])) if len(parts) > 2 else ""
        return f"{where}: {detail}" if where else detail

    def record(self, kind: str, index: int, ref: str) -> str:
        """How the checks in SQL name a record (``origin`` of its staged rows)."""
        label = f"{kind}[{index}] ({ref})"
        if self.locate is not None:
            return f"{self.locate(kind, index)}: {label}"
        return f"{self.text}: {label}" if self.text else label


def refused(errors: Sequence[FieldError]) -> InvalidBundle:
    """A refusal listing ``MAX_ERRORS`` errors at most."""
    return refusal(errors, most=MAX_ERRORS)


def unlocated(problem: ProblemError) -> ProblemError:
    """A database refusal no check foresaw: said as is, on the whole body."""
    if not problem.errors:
        problem.errors = [FieldError(pointer="", location="body", detail=problem.detail)]
    return problem
