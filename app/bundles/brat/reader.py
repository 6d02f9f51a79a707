"""Reading brat standoff: a ``.ann`` file's lines parsed, and the articles
(``.txt`` and their ``.ann`` files) found on disk and decoded.

Nothing here knows what the labels mean: it keeps what the files say, and
turns every line or file it cannot read into an :class:`Issue`, so the
report can account for it.
"""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.bundles.brat.report import Issue, LineKind

RECORD_START = re.compile(r"(?:[TERAMN#]\d+|\*)\t")
"""A physical line starting a new annotation; any other continues the line before."""

Fragment = tuple[int, int]


@dataclass(frozen=True)
class TextBound:
    """A ``T`` line: a label on one or more fragments of the text."""

    id: str
    label: str
    fragments: tuple[Fragment, ...]
    """As written (brat keeps the annotator's order, not always text order)."""
    text: str
    line: int


@dataclass(frozen=True)
class EventLine:
    """An ``E`` line: ``Type:T4 Role:T3 ...``; the first argument is the anchor."""

    id: str
    arguments: tuple[tuple[str, str], ...]
    line: int


@dataclass
class AnnFile:
    """One parsed ``.ann`` file."""

    name: str
    annotator: str
    textbounds: dict[str, TextBound] = field(default_factory=dict)
    events: list[EventLine] = field(default_factory=list)
    notes: dict[str, list[str]] = field(default_factory=dict)
    """Annotator notes (``#`` lines) by the id they are about."""
    note_lines: list[tuple[str, int, str]] = field(default_factory=list)
    """(id, line, target) of every note."""
    t_lines: int = 0
    e_lines: int = 0
    issues: list[Issue] = field(default_factory=list)
    """Lines that could not be parsed (``malformed-line``) or are of a kind not imported."""


def covered(text: str, fragments: Sequence[Fragment]) -> str:
    """The text of the fragments, joined by a space (as brat writes a T line's text)."""
    return " ".join(text[start:end] for start, end in fragments)


def _records(text: str) -> Iterable[tuple[int, str]]:
    """(physical line number, logical line): continuation lines joined with ``\\n``."""
    if text.endswith("\n"):
        text = text[:-1]  # the file's final newline ends the last line, it is not in it
    current: list[Any] | None = None
    for number, line in enumerate(text.split("\n"), start=1):
        # Only "\n" separates lines: str.splitlines would also split on \x0b,
        # \x1c, U+2028... which a covered text may hold.
        if RECORD_START.match(line):
            if current is not None:
                yield current[0], current[1]
            current = [number, line]
        elif current is not None:
            current[1] += "\n" + line
        elif line.strip():
            yield number, line  # text before any record: reported as malformed
    if current is not None:
        yield current[0], current[1]


_FRAGMENTS = re.compile(r"\d+ \d+(?:;\d+ \d+)*")


def parse_ann(text: str, *, name: str, annotator: str) -> AnnFile:
    """Parse the text of a ``.ann`` file; malformed lines become issues."""
    parsed = AnnFile(name=name, annotator=annotator)

    def issue(number: int, id: str | None, kind: LineKind, reason: str, detail: str) -> None:
        parsed.issues.append(
            Issue(file=name, line=number, id=id, kind=kind, reason=reason, detail=detail)
        )

    def malformed(number: int, record: str, why: str) -> None:
        first = record.split("\t", 1)[0] if RECORD_START.match(record) else None
        kind: LineKind = "other"
        if first is not None and first[0] in "TE":
            kind = "T" if first[0] == "T" else "E"
        issue(number, first, kind, "malformed-line", f"{why}: {record[:120]!r}")

    for number, record in _records(text):
        if not RECORD_START.match(record):
            malformed(number, record, "not a brat annotation line")
            continue
        head = record.split("\t", 1)[0]
        if head.startswith("T"):
            parsed.t_lines += 1
            parts = record.split("\t", 2)
            if len(parts) < 3 or " " not in parts[1]:
                malformed(number, record, "expected ID<TAB>LABEL START END<TAB>TEXT")
                continue
            label, offsets = parts[1].split(" ", 1)
            if not _FRAGMENTS.fullmatch(offsets):
                malformed(number, record, "offsets must be START END[;START END...]")
                continue
            fragments = tuple(
                (int(start), int(end))
                for start, end in (pair.split(" ") for pair in offsets.split(";"))
            )
            if head in parsed.textbounds:
                malformed(number, record, f"{head} is defined twice")
                continue
            parsed.textbounds[head] = TextBound(head, label, fragments, parts[2], number)
        elif head.startswith("E"):
            parsed.e_lines += 1
            parts = record.split("\t")
            tokens = parts[1].split() if len(parts) >= 2 else []
            if not tokens or not all(re.fullmatch(r"[^:\s]+:[TE]\d+", t) for t in tokens):
                malformed(number, record, "expected ID<TAB>TYPE:T1 ROLE:T2 ...")
                continue
            arguments = tuple(
                (role, target) for role, target in (token.split(":", 1) for token in tokens)
            )
            parsed.events.append(EventLine(head, arguments, number))
        elif head.startswith("#"):
            parts = record.split("\t", 2)
            target = parts[1].split(" ") if len(parts) == 3 else []
            if len(target) != 2 or target[0] != "AnnotatorNotes":
                issue(
                    number,
                    head,
                    "note",
                    "unsupported-note",
                    f"only AnnotatorNotes are read: {record[:120]!r}",
                )
                continue
            parsed.notes.setdefault(target[1], []).append(parts[2])
            parsed.note_lines.append((head, number, target[1]))
        else:
            issue(
                number,
                head,
                "other",
                "unsupported-annotation",
                "relations, attributes, normalisations and equivalences "
                "(R, A, M, N, *) are not imported",
            )
    return parsed


# -- files ---------------------------------------------------------------------------


def decode(data: bytes, *, file: str) -> str | Issue:
    """UTF-8 text, or the issue naming the line of the first bad byte."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return Issue(
            file=file,
            line=line,
            kind="file",
            reason="not-utf8",
            detail=f"not UTF-8: byte {data[exc.start]:#04x} at offset {exc.start}",
        )


def read_text(path: Path) -> str | Issue:
    """A file's UTF-8 text, or the issue saying why it cannot be read."""
    try:
        return decode(path.read_bytes(), file=str(path))
    except OSError as exc:
        return Issue(file=str(path), kind="file", reason="unreadable", detail=str(exc))


def annotator_of(ann_path: Path, article: str) -> str:
    """``<article>_<annotator>.ann`` → annotator; ``<article>.ann`` → ``brat``."""
    stem = ann_path.stem
    if stem.startswith(article + "_") and len(stem) > len(article) + 1:
        return stem[len(article) + 1 :]
    return "brat"


def compartment_of(txt_path: Path) -> str:
    """``<compartment>/text/<name>.txt`` (PolNeAR) or ``<folder>/<name>.txt``."""
    parent = txt_path.parent
    return parent.parent.name if parent.name == "text" else parent.name


@dataclass(frozen=True)
class ArticleFiles:
    compartment: str
    name: str
    text: Path
    annotations: tuple[Path, ...]

    @property
    def label(self) -> str:
        return f"{self.compartment}/{self.name}"


def find_articles(root: Path) -> tuple[list[ArticleFiles], list[Issue]]:
    """Every article under ``root`` (recursively): ``text/<name>.txt`` with
    ``attributions/<name>[_<annotator>].ann`` beside the ``text`` folder
    (PolNeAR: give its root or one compartment), or ``<name>.txt`` and its
    ``.ann`` files side by side. A ``.txt`` outside a ``text`` folder and
    without any ``.ann`` is not an article (a README); an ``.ann`` with no
    text is reported."""
    texts: dict[Path, dict[str, Path]] = {}  # folder of .ann files → article name → .txt
    for txt in sorted(root.rglob("*.txt")):
        folder = txt.parent.parent / "attributions" if txt.parent.name == "text" else txt.parent
        texts.setdefault(folder, {})[txt.stem] = txt
    annotations: dict[Path, list[Path]] = {}
    problems: list[Issue] = []
    for ann in sorted(root.rglob("*.ann")):
        candidates = texts.get(ann.parent, {})
        # The longest article name that the .ann name is, or starts with plus "_".
        matches = [
            name for name in candidates if ann.stem == name or ann.stem.startswith(name + "_")
        ]
        if not matches:
            problems.append(
                Issue(
                    file=str(ann),
                    kind="file",
                    reason="no-text",
                    detail="no .txt of this name beside it (or in ../text)",
                )
            )
            continue
        annotations.setdefault(candidates[max(matches, key=len)], []).append(ann)
    articles = [
        ArticleFiles(compartment_of(txt), txt.stem, txt, tuple(annotations.get(txt, ())))
        for folder in sorted(texts)
        for txt in texts[folder].values()
        if txt in annotations or txt.parent.name == "text"
    ]
    return articles, problems
