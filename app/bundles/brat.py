"""brat standoff annotations (``.ann``) → bundles: one bundle per annotated article.

brat (https://brat.nlplab.org/standoff.html) keeps an article's text in a
``.txt`` file and its annotations beside it, one per line::

    T1<TAB>Source 201 220<TAB>O’Malley’s campaign
    T3<TAB>Content 226 297;310 330<TAB>covered text, fragments joined by a space
    E1<TAB>Attribution:T4 Content:T3 Cue:T2 Source:T1
    #1<TAB>AnnotatorNotes T3<TAB>a note

Offsets are code points into the ``.txt`` (end exclusive), as OnRecord counts
them. A physical line that does not start with an id continues the covered
text of the line before (the text may hold newlines). Newsroom corpora such
as PolNeAR label ``T`` spans Source, Cue, Content, Attribution (the anchor
of an ``E`` relation), Attribution-no-source, Discuss and Discard.

The mapping (also in docs/design.md, "Importing brat standoff"):

- the article is one source (``kind: article``, its ``.txt`` as ``full_text``,
  title, day of publication, publisher and authors from the metadata);
- every ``E`` line is one attribution, ref ``<annotator>-E<n>``: its speaker
  is the actor of its Source mention (or the article's "unnamed source" for
  Attribution-no-source), its claim the Content (every ``Content``,
  ``Content2``... fragment, in text order, joined by a space), ``cue`` the
  Cue text, ``mode`` ``direct_quote`` when the content is wrapped in
  quotation marks, ``partial_quote`` when it holds quoted words, else
  ``paraphrase``; ``certainty`` ``unknown`` (brat does not say); ``span`` the
  content when it is one stretch, ``spans`` every fragment of the content,
  the cue and the speaker mention;
- nested reporting (an attribution whose Attribution anchor, or Cue, lies
  inside another's Content, same annotator: "the Post reports that sources
  said X") becomes a relay chain, see :func:`_relays`;
- anything not imported (Discuss/Discard spans, E lines without Content,
  unknown ids, spans whose text is not the ``.txt``'s, files that are not
  UTF-8...) is in the :class:`BratReport` with file, line, id and reason.
"""

import csv
import hashlib
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from uuid import NAMESPACE_URL, uuid5

from pydantic import BaseModel, Field, ValidationError
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.errors import ProblemError, database_problem
from app.fields import Day, LongText, Name
from app.schemas import Input

SHARED_ACTORS = uuid5(NAMESPACE_URL, "https://onrecord.dev/shared-actors")
"""Namespace of actors many articles name (publishers, wire services,
authors): ``uuid5(SHARED_ACTORS, "publisher/<name>")`` is the same id in every
bundle, so the actor is written once and every article points at it."""

LANGUAGE = "en"
MAX_NAME = 500  # app.fields.Name
MAX_SPANS = 200  # app.attributions.schemas.MAX_SPANS

# -- the report ----------------------------------------------------------------

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


# -- parsing .ann files --------------------------------------------------------------

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

    def malformed(number: int, record: str, why: str) -> None:
        first = record.split("\t", 1)[0] if RECORD_START.match(record) else None
        kind: LineKind = "other"
        if first is not None and first[0] in "TE":
            kind = "T" if first[0] == "T" else "E"
        parsed.issues.append(
            Issue(
                file=name,
                line=number,
                id=first,
                kind=kind,
                reason="malformed-line",
                detail=f"{why}: {record[:120]!r}",
            )
        )

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
                parsed.issues.append(
                    Issue(
                        file=name,
                        line=number,
                        id=head,
                        kind="note",
                        reason="unsupported-note",
                        detail=f"only AnnotatorNotes are read: {record[:120]!r}",
                    )
                )
                continue
            parsed.notes.setdefault(target[1], []).append(parts[2])
            parsed.note_lines.append((head, number, target[1]))
        else:
            parsed.issues.append(
                Issue(
                    file=name,
                    line=number,
                    id=head,
                    kind="other",
                    reason="unsupported-annotation",
                    detail="relations, attributes, normalisations and equivalences "
                    "(R, A, M, N, *) are not imported",
                )
            )
    return parsed


# -- metadata ------------------------------------------------------------------


class ArticleMetadata(Input):
    """What is known of an article besides its text (a row of PolNeAR's metadata.tsv)."""

    publisher: Name | None = Field(default=None, examples=["nyt"])
    publication_date: Day | None = None
    author: LongText | None = Field(
        default=None,
        max_length=2000,
        description="The byline as printed: names split on commas and 'and'.",
        examples=["AMY CHOZICK and ALEXANDER BURNS"],
    )
    title: Name | None = None
    wire: Name | None = Field(
        default=None, description="The wire service the story came from.", examples=["AP"]
    )


_MISSING = frozenset({"", "none", "na", "n/a", "null"})


def _cell(row: Mapping[str, str], column: str) -> str | None:
    value = (row.get(column) or "").strip()
    return None if value.casefold() in _MISSING else value


def read_metadata(path: Path) -> dict[tuple[str, str], ArticleMetadata]:
    """PolNeAR's ``metadata.tsv``: (compartment, filename) → metadata. A row
    whose values do not fit (a bad date) keeps the fields that do."""
    table: dict[tuple[str, str], ArticleMetadata] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            values: dict[str, Any] = {
                name: _cell(row, name)
                for name in ("publisher", "publication_date", "author", "title", "wire")
            }
            try:
                metadata = ArticleMetadata(**values)
            except ValidationError as exc:
                for error in exc.errors():
                    values[str(error["loc"][0])] = None
                metadata = ArticleMetadata(**values)
            table[(row.get("compartment") or "", row.get("filename") or "")] = metadata
    return table


def find_metadata(
    table: Mapping[tuple[str, str], ArticleMetadata], compartment: str, name: str
) -> ArticleMetadata | None:
    """The row of (compartment, name), else the only row of that name."""
    found = table.get((compartment, name))
    if found is not None:
        return found
    rows = [metadata for (_, filename), metadata in table.items() if filename == name]
    return rows[0] if len(rows) == 1 else None


# -- refs and shared actors ----------------------------------------------------------

_REF_CHARS = re.compile(r"[^A-Za-z0-9./:-]")


def _digest(value: str, length: int = 10) -> str:
    return hashlib.sha1(value.encode("utf-8"), usedforsecurity=False).hexdigest()[:length]


def ref_part(value: str, *, limit: int = 120) -> str:
    """``value`` as part of a bundle ref (``[A-Za-z0-9._:/-]``, app.bundles.format.Ref).

    ``_`` becomes ``.`` (PolNeAR file names are ``publisher_date_slug``);
    other characters become ``-``. When that could make two names alike (the
    name holds a ``.`` or another character was replaced) or the name is
    long, a digest of the original keeps refs, hence ids, distinct."""
    safe = _REF_CHARS.sub(lambda m: "." if m.group() == "_" else "-", value)
    lossy = "." in value or safe != value.replace("_", ".") or not value
    if lossy or len(safe) > limit:
        safe = f"{safe[:limit].strip('.-:/')}.{_digest(value)}"
    return safe if safe[:1].isalnum() else f"x{safe}"


def _key(text: str) -> str:
    """Normalised mention: whitespace collapsed, case folded, curly apostrophes straight."""
    return " ".join(text.replace("’", "'").split()).casefold()


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


def shared_actor_ref(kind: str, name: str) -> str:
    """The ref (a UUID, so the id itself) of an actor shared by many articles."""
    return str(uuid5(SHARED_ACTORS, f"{kind}/{_key(name)}"))


PUBLISHERS = {
    # PolNeAR's publisher slugs; any other name is used as written.
    "breitbart": "Breitbart News",
    "huff-post": "HuffPost",
    "nyt": "The New York Times",
    "politico": "Politico",
    "usa-today": "USA Today",
    "wash-post": "The Washington Post",
    "west-journal": "Western Journalism",
}
WIRES = {
    "ap": "Associated Press",
    "the associated press": "Associated Press",
    "associated press": "Associated Press",
    "afp": "Agence France-Presse",
    "agence france-presse": "Agence France-Presse",
    "reuters": "Reuters",
    "upi": "United Press International",
    "united press international": "United Press International",
}


def _media_actor(name: str, *, alias: str | None) -> dict[str, Any]:
    """A publisher or wire service: one actor for every article naming it."""
    actor: dict[str, Any] = {"ref": shared_actor_ref("publisher", name), "kind": "media"}
    actor["name"] = name
    if alias and _key(alias) != _key(name):
        actor["names"] = [{"name": alias, "kind": "abbreviation"}]
    return actor


def publisher_actor(publisher: str) -> dict[str, Any]:
    return _media_actor(PUBLISHERS.get(_key(publisher), publisher), alias=publisher)


def wire_actor(wire: str) -> dict[str, Any]:
    return _media_actor(WIRES.get(_key(wire), wire), alias=wire)


# A byline part that names the outlet or the author's contact, not a co-author.
_NOT_A_NAME = re.compile(
    r"@|https?:|contributed|reporting|\bfollow\b|\bemail\b|\btwitter\b|\d", re.IGNORECASE
)
_OUTLET_WORDS = _words(
    "times post journal news press today tribune herald gazette enquirer register "
    "examiner magazine daily staff"
)


def byline_names(byline: str) -> list[str]:
    """People named in a byline, as printed ("By AMY CHOZICK and ALEXANDER
    BURNS", "Heidi M. Przybyla, USA TODAY", "Abby Phillip,David Weigel").
    Deliberately simple: split on commas; cut a part at a sentence end (". "
    after a word, not an initial); drop parts with handles, e-mail, digits or
    "contributed" (contributors are not authors); split the rest on " and ",
    drop a leading "By", outlet names ("USA TODAY", "The Atlantic") and wire
    services (a wire is the source's author on its own: ``wire``);
    capitals-only names are title-cased."""
    outlets = {_key(name) for name in PUBLISHERS.values()} | set(PUBLISHERS) | set(WIRES)
    names: list[str] = []
    for part in byline.split(","):
        part = re.sub(r"(?<=\w\w)\. .*$", "", part.strip(), flags=re.DOTALL)
        if _NOT_A_NAME.search(part):
            continue
        for name in re.split(r"\band\b", part, flags=re.IGNORECASE):
            name = re.sub(r"^by\s+", "", name.strip(), flags=re.IGNORECASE).strip(" .")
            key = _key(name)
            words = key.split()
            if (
                not words
                or key in outlets
                or words[0] == "the"
                or words[-1] in _OUTLET_WORDS
                or len(words) > 5
            ):
                continue
            names.append(name.title() if name.isupper() else name)
    return names


def author_actor(name: str) -> dict[str, Any]:
    return {"ref": shared_actor_ref("author", name), "kind": "person", "name": name}


# -- speakers --------------------------------------------------------------------------

SpeakerClass = Literal["person", "organisation", "media", "group", "anonymous", "pronoun"]

PRONOUNS: dict[str, str] = {
    # Personal, possessive and relative pronouns ("Trump, who said"), and the
    # actor kind their unresolved mention gets.
    **dict.fromkeys(
        _words("he she i me him her hers his himself herself my myself you your who whom whose"),
        "person",
    ),
    **dict.fromkeys(_words("they them their theirs themselves we us our ourselves"), "group"),
    **dict.fromkeys(_words("it its itself which that"), "organisation"),
}
ANONYMOUS_NOUNS = _words(
    "source sources official officials aide aides insider insiders adviser advisers "
    "advisor advisors people person someone somebody spokesman spokeswoman spokesperson "
    "spokesmen spokeswomen spokespeople diplomat diplomats staffer staffers operative "
    "operatives strategist strategists analyst analysts expert experts observers "
    "critic critics witness witnesses"
)
# "officials familiar with", "a source close to": the noun still heads the mention.
QUALIFIERS = _words(
    "familiar close with who in at for from of on inside within involved briefed "
    "knowledgeable speaking"
)
MEDIA_WORDS = _words(
    "times post journal news press tribune herald gazette observer magazine newspaper "
    "network cnn msnbc fox nbc abc cbs npr pbs bbc reuters ap afp upi politico breitbart "
    "buzzfeed axios bloomberg"
)
ORGANISATION_WORDS = _words(
    "campaign committee party department agency administration government court office "
    "council commission association union university institute foundation company "
    "corporation corp inc group organization organisation coalition board bank fund "
    "center centre bureau senate congress house pentagon ministry police poll polls "
    "survey study report statement website team services"
)
GROUP_WORDS = _words(
    "republicans democrats voters conservatives liberals progressives protesters "
    "supporters residents americans members leaders lawmakers senators delegates "
    "activists donors citizens students workers evangelicals independents"
)
# Where a mention's head ends: "Bruce Haynes, a GOP strategist", "Robert Gordon
# of Northwestern University", "officials with knowledge of the meeting".
HEAD_END = re.compile(r",|\(| (?:of|for|at|from|with|who|which|that|in|on|to) ")


def _bare(mention: str) -> str:
    """A mention normalised, without the punctuation around it."""
    return _key(mention).strip(" .,:;\"'“”‘")


def _acronym(mention: str) -> bool:
    """ "the FBI", "GOP", "CNN", not a name in capitals ("PENCE", "TRUMP")."""
    flat = " ".join(mention.split())
    if re.fullmatch(r"[Tt]he [A-Z]{2,6}", flat):
        return True
    return re.fullmatch(r"[A-Z]{2,4}", flat) is not None and sum(c in "AEIOU" for c in flat) <= 1


def classify_speaker(mention: str) -> SpeakerClass:
    """What kind of speaker a Source mention names. Simple on purpose, and
    decided on the mention's head (what comes before a comma, a parenthesis
    or "of/for/at/from/with/who/which/that/in/on/to"):

    - a pronoun alone (He, they, who, which) → ``pronoun``: left unresolved;
    - a noun of ANONYMOUS_NOUNS heading the head (its last word, or followed
      by a qualifier: "officials familiar with ...", "a source close to ...")
      → ``anonymous``: "sources", "Clinton aides", "a senior official";
      "Spokeswoman Haley Morris" and "Bruce Haynes, a GOP strategist" are not;
    - last word an outlet word (Times, Post, News, CNN) → ``media``;
    - last word an organisation word ("O'Malley's campaign", "the White
      House") or an acronym ("the FBI", "GOP") → ``organisation``;
    - last word a plural collective (Republicans, voters) → ``group``;
    - anything else → ``person``.
    """
    key = _bare(mention)
    if key in PRONOUNS:
        return "pronoun"
    head = HEAD_END.split(key, maxsplit=1)[0]
    words = re.findall(r"[a-z0-9]+(?:'[a-z]+)?", head)
    if not words:
        return "person"
    for index, word in enumerate(words):
        if word in ANONYMOUS_NOUNS and (index == len(words) - 1 or words[index + 1] in QUALIFIERS):
            return "anonymous"
    last = words[-1].removesuffix("'s")
    if last in MEDIA_WORDS:
        return "media"
    if last in ORGANISATION_WORDS or _acronym(mention):
        return "organisation"
    if last in GROUP_WORDS:
        return "group"
    return "person"


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
    covered = "".join(text[s:e] for s, e in fragments)
    return "partial_quote" if QUOTE_MARKS.search(covered) else "paraphrase"


# -- conversion ------------------------------------------------------------------------

ANCHOR_TYPES = frozenset({"Attribution", "Attribution-no-source"})
ROLES = frozenset({"Content", "Cue", "Source"})


@dataclass
class _Attribution:
    """An E line that will be imported."""

    ann: AnnFile
    event: EventLine
    ref: str
    anchor: tuple[Fragment, ...]
    content: tuple[Fragment, ...]
    cue: tuple[Fragment, ...]
    speaker_fragments: tuple[Fragment, ...]
    speaker: str
    speaker_class: SpeakerClass | Literal["unnamed"]
    used: set[str]
    notes: list[str]

    @property
    def content_length(self) -> int:
        return sum(end - start for start, end in self.content)


def _ordered(fragments: Iterable[Fragment]) -> tuple[Fragment, ...]:
    return tuple(sorted(set(fragments)))


def _joined(text: str, fragments: Sequence[Fragment]) -> str:
    return " ".join(text[start:end] for start, end in fragments)


def _name(value: str) -> str:
    """A mention as an actor name or cue: whitespace collapsed, at most 500 characters."""
    flat = " ".join(value.split())
    return flat if len(flat) <= MAX_NAME else flat[: MAX_NAME - 1] + "…"


def _spans(text: str, role: str, fragments: Sequence[Fragment]) -> list[dict[str, Any]]:
    return [
        {"role": role, "start": start, "end": end, "text": text[start:end]}
        for start, end in fragments
    ]


def _inside(inner: Sequence[Fragment], outer: Sequence[Fragment]) -> bool:
    """Every fragment of ``inner`` lies within one fragment of ``outer``."""
    return bool(inner) and all(
        any(o_start <= start and end <= o_end for o_start, o_end in outer) for start, end in inner
    )


def _parents(attributions: Sequence[_Attribution]) -> dict[str, _Attribution]:
    """Ref → the attribution whose content immediately encloses its anchor.

    Among the attributions (of the same annotator) whose Content covers an
    attribution's anchor (its Attribution span, else its Cue), the one with
    the shortest content, which must be longer than the nested attribution's
    own: content length strictly decreases down a chain, so nesting can never
    loop, whatever the annotations say."""
    parents: dict[str, _Attribution] = {}
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


def _event_number(event_id: str) -> int:
    return int(event_id[1:]) if event_id[1:].isdigit() else 0


def _sorted_anns(anns: Sequence[AnnFile]) -> list[AnnFile]:
    return sorted(anns, key=lambda ann: (ann.annotator, ann.name))


@dataclass
class _Article:
    """The conversion of one article under way."""

    name: str
    text: str
    report: BratReport
    actors: dict[str, dict[str, Any]] = field(default_factory=dict)
    speaker_refs: dict[str, str] = field(default_factory=dict)
    claims: dict[tuple[Fragment, ...], dict[str, Any]] = field(default_factory=dict)

    def skip(self, ann: AnnFile, line: int, id: str, kind: LineKind, reason: str, why: str) -> None:
        self.report.skipped.append(
            Issue(file=ann.name, line=line, id=id, kind=kind, reason=reason, detail=why)
        )

    def speaker(self, mention: str, fragments: tuple[Fragment, ...]) -> tuple[str, SpeakerClass]:
        """The actor of a Source mention: one per distinct (normalised) mention
        in the article, except pronouns, one per mention (two "he" may be two
        people)."""
        kind = classify_speaker(mention)
        shown = _name(mention)
        if kind == "pronoun":
            where = ".".join(f"{start}-{end}" for start, end in fragments)
            ref = f"pronoun/{where}"[:200]
            if ref not in self.actors:
                self.actors[ref] = {
                    "ref": ref,
                    "kind": PRONOUNS[_bare(mention)],
                    "name": shown,
                    "description": (
                        f"Unresolved pronoun mention “{shown}” at code points {where} of "
                        f"{self.name}: the annotation does not say whom it refers to."
                    ),
                }
            return ref, kind
        key = _key(mention)
        known = self.speaker_refs.get(key)
        if known is not None:
            return known, kind
        slug = re.sub(r"[^a-z0-9]+", "-", key).strip("-")[:60] or "speaker"
        ref = f"speaker/{slug}.{_digest(key, 8)}"
        self.speaker_refs[key] = ref
        actor: dict[str, Any] = {"ref": ref, "kind": kind, "name": shown}
        if kind == "anonymous":
            actor["role_description"] = shown
            actor["description"] = f"Speaker known only as “{shown}” in {self.name}."
        self.actors[ref] = actor
        return ref, kind

    def unnamed(self) -> str:
        ref = "unnamed-source"
        self.actors.setdefault(
            ref,
            {
                "ref": ref,
                "kind": "anonymous",
                "name": "unnamed source",
                "role_description": "unnamed source",
                "description": (
                    f"Whoever {self.name} attributes words to without naming a source "
                    "(brat Attribution-no-source): one actor for all of them."
                ),
            },
        )
        return ref

    def claim(self, fragments: tuple[Fragment, ...]) -> str:
        """One claim per content (same fragments, whichever annotator)."""
        claim = self.claims.get(fragments)
        if claim is None:
            where = ".".join(f"{start}-{end}" for start, end in fragments)
            ref = f"content/{where}" if len(where) <= 150 else f"content/{_digest(where, 16)}"
            claim = {"ref": ref, "text": _joined(self.text, fragments), "language": LANGUAGE}
            self.claims[fragments] = claim
        found: str = claim["ref"]
        return found

    def check_textbounds(self, ann: AnnFile) -> set[str]:
        """Ids of the T lines whose offsets and text match the article text."""
        valid: set[str] = set()
        for bound in ann.textbounds.values():
            bad = [
                f"{start} {end}"
                for start, end in bound.fragments
                if not 0 <= start < end <= len(self.text)
            ]
            if bad:
                self.skip(
                    ann,
                    bound.line,
                    bound.id,
                    "T",
                    "offsets-out-of-range",
                    f"fragment(s) {', '.join(bad)} are empty or outside the text "
                    f"({len(self.text)} code points)",
                )
                continue
            expected = _joined(self.text, bound.fragments)
            if bound.text != expected:
                self.skip(
                    ann,
                    bound.line,
                    bound.id,
                    "T",
                    "text-mismatch",
                    f"the .txt has {expected[:80]!r} at these offsets, the .ann says "
                    f"{bound.text[:80]!r}",
                )
                continue
            valid.add(bound.id)
        return valid

    def attribution(self, ann: AnnFile, event: EventLine, valid: set[str]) -> _Attribution | None:
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
        mention = _joined(self.text, speaker_fragments)
        if mention.strip():
            speaker, speaker_class = self.speaker(mention, speaker_fragments)
        else:
            # Attribution-no-source (or a Source missing or blank: its spans stay).
            speaker, speaker_class = self.unnamed(), "unnamed"
        notes = [
            f"{target}: {note}"
            for target in (event.id, *sorted(used))
            for note in ann.notes.get(target, [])
        ]
        return _Attribution(
            ann=ann,
            event=event,
            ref=f"{ref_part(ann.annotator, limit=40)}-{event.id}",
            anchor=_ordered(ann.textbounds[anchor_id].fragments),
            content=content,
            cue=cue,
            speaker_fragments=speaker_fragments,
            speaker=speaker,
            speaker_class=speaker_class,
            used=used,
            notes=notes,
        )

    def record(
        self,
        attribution: _Attribution,
        *,
        claim_of: _Attribution | None = None,
        relays: str | None = None,
        ref: str | None = None,
        note: str,
    ) -> dict[str, Any]:
        """The bundle record: ``attribution``'s speaker and cue, saying the
        content of ``claim_of`` (itself unless derived)."""
        said = claim_of or attribution
        cue = _joined(self.text, attribution.cue)
        record: dict[str, Any] = {
            "ref": ref or attribution.ref,
            "claim": self.claim(said.content),
            "speaker": attribution.speaker,
            "source": "article",
            "mode": "paraphrase" if claim_of else quotation_mode(self.text, said.content),
            "cue": _name(cue) if cue.strip() else None,
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
    article: _Article, attributions: Sequence[_Attribution]
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
    parents = _parents(attributions)
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


def bundle_id(name: str) -> str:
    """The bundle id of an article: ``brat:<compartment>/<file name>`` made a ref."""
    return "brat:" + "/".join(ref_part(part) for part in name.split("/") if part)


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
    article = _Article(name=name, text=text, report=report)
    attributions: list[dict[str, Any]] = []
    shared: dict[str, dict[str, Any]] = {}
    authors: list[str] = []
    if metadata is not None:
        for person in byline_names(metadata.author or ""):
            actor = author_actor(person)
            if actor["ref"] not in authors:
                shared[actor["ref"]] = actor
                authors.append(actor["ref"])
        if metadata.wire:
            actor = wire_actor(metadata.wire)
            if actor["ref"] not in authors:
                shared[actor["ref"]] = actor
                authors.append(actor["ref"])
    publisher = publisher_actor(metadata.publisher) if metadata and metadata.publisher else None
    if publisher is not None:
        shared.setdefault(publisher["ref"], publisher)

    for ann in _sorted_anns(anns):
        report.annotation_files += 1
        report.t_lines += ann.t_lines
        report.e_lines += ann.e_lines
        report.skipped.extend(ann.issues)
        valid = article.check_textbounds(ann)
        chosen: list[_Attribution] = []
        for event in sorted(ann.events, key=lambda e: (_event_number(e.id), e.line)):
            attribution = article.attribution(ann, event, valid)
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
            article.skip(ann, bound.line, bound.id, "T", reason, why)
        imported = used | {attribution.event.id for attribution in chosen}
        for note_id, line, target in ann.note_lines:
            if target not in imported:
                article.skip(
                    ann,
                    line,
                    note_id,
                    "note",
                    "note-not-imported",
                    f"note on {target}, which no imported attribution uses",
                )
        report.t_imported += len(used)
        for attribution in chosen:
            note = f"brat {ann.name} {attribution.event.id}"
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
        "title": _name(metadata.title if metadata and metadata.title else name),
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
        "title": _name(f"brat: {name}"),
        "description": (
            f"brat standoff import of {name}: {len(anns)} annotation file(s) "
            f"({', '.join(ann.name for ann in _sorted_anns(anns))})."
        ),
        "actors": [*shared.values(), *article.actors.values()],
        "sources": [source],
        "claims": list(article.claims.values()),
        "attributions": attributions,
    }
    return bundle, report


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


def read_brat_article(
    txt_path: Path,
    ann_paths: Sequence[Path],
    metadata: ArticleMetadata | None,
    *,
    name: str | None = None,
) -> tuple[dict[str, Any] | None, BratReport]:
    """Read an article's ``.txt`` and ``.ann`` files: its bundle (None when
    the text cannot be read) and the report. ``name`` defaults to
    ``<compartment>/<file name>``."""
    article = txt_path.stem
    name = name or f"{compartment_of(txt_path)}/{article}"
    report = BratReport()
    try:
        text = decode(txt_path.read_bytes(), file=str(txt_path))
    except OSError as exc:
        text = Issue(file=str(txt_path), kind="file", reason="unreadable", detail=str(exc))
    if isinstance(text, Issue):
        report.failures.append(text)
        return None, report
    anns: list[AnnFile] = []
    for path in ann_paths:
        try:
            content = decode(path.read_bytes(), file=str(path))
        except OSError as exc:
            content = Issue(file=str(path), kind="file", reason="unreadable", detail=str(exc))
        if isinstance(content, Issue):
            report.failures.append(content)
            continue
        anns.append(parse_ann(content, name=path.name, annotator=annotator_of(path, article)))
    return convert_article(name, text, anns, metadata, report=report)


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


# -- loading ---------------------------------------------------------------------------


class ImportResult(BaseModel):
    report: BratReport
    bundles: int = 0
    created: dict[str, int] = Field(default_factory=dict)


BATCH_ATTRIBUTIONS = 20_000
"""Attributions per transaction: whole articles each, as ``onrecord import``."""


async def import_articles(
    sessions: async_sessionmaker[AsyncSession],
    articles: Sequence[ArticleFiles],
    metadata: Mapping[tuple[str, str], ArticleMetadata],
    *,
    problems: Sequence[Issue] = (),
    progress: Callable[[ArticleFiles], None] | None = None,
    batch_attributions: int = BATCH_ATTRIBUTIONS,
) -> ImportResult:
    """Convert and load the articles through the bulk path, whole articles
    per transaction. A refused article never takes others down: one refused
    before the database is reported and left out; if the database refuses a
    batch, its articles are loaded again one per transaction, so only the
    bad one is reported. The CLI and the tests use this."""
    from app.bundles.bulk import BulkLoad, load_bundle
    from app.bundles.format import Bundle, parse_bundle

    total = BratReport(failures=list(problems))
    result = ImportResult(report=total)
    batch: list[tuple[ArticleFiles, Bundle, BratReport]] = []

    def count(created: Mapping[str, int]) -> None:
        for kind, number in created.items():
            result.created[kind] = result.created.get(kind, 0) + number

    async def one_by_one() -> None:
        for files, bundle, report in batch:
            async with sessions() as session:
                try:
                    summary = await load_bundle(session, bundle)
                    await session.commit()
                except (ProblemError, DBAPIError) as exc:
                    await session.rollback()
                    problem = database_problem(exc) if isinstance(exc, DBAPIError) else exc
                    if problem is None:
                        raise
                    report.refuse(files.label, "refused", problem.detail)
                else:
                    result.bundles += 1
                    count(summary.created)

    async def write() -> None:
        async with sessions() as session:
            load = BulkLoad(session)
            kept = []
            for files, bundle, report in batch:
                try:
                    await load.add(bundle)
                except ProblemError as exc:
                    report.refuse(files.label, "refused", exc.detail)
                    total.merge(report)  # left out of the batch
                else:
                    kept.append((files, bundle, report))
            batch[:] = kept
            try:
                loaded = await load.finish()
                await session.commit()
            except (ProblemError, DBAPIError):
                await session.rollback()
                await one_by_one()
            else:
                result.bundles += len(batch)
                count(loaded.created)

    async def flush() -> None:
        await write()
        # Counted once written: a refusal moves an article's counts to "refused".
        for _, _, written in batch:
            total.merge(written)
        batch.clear()

    staged = 0
    for files in articles:
        row = find_metadata(metadata, files.compartment, files.name)
        document, report = read_brat_article(files.text, files.annotations, row)
        bundle = None
        if document is not None:
            try:
                bundle = parse_bundle(document)
            except ProblemError as exc:
                report.refuse(files.label, "refused", exc.detail)
        if bundle is None:
            total.merge(report)
        else:
            batch.append((files, bundle, report))
            staged += len(bundle.attributions)
            if staged >= batch_attributions:
                await flush()
                staged = 0
        if progress is not None:
            progress(files)
    if batch:
        await flush()
    return result


def import_directory(
    database_url: str, directory: Path, metadata_path: Path | None, *, quiet: bool = False
) -> ImportResult:
    """``onrecord import-brat``: every article under ``directory``, with a
    progress bar on a terminal. ``metadata_path`` defaults to a
    ``metadata.tsv`` in ``directory`` or its parent (PolNeAR's root, when
    given a compartment)."""
    import asyncio
    import sys

    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from app.db import create_engine, session_factory

    if metadata_path is None:
        found = [d / "metadata.tsv" for d in (directory, directory.parent)]
        metadata_path = next((path for path in found if path.is_file()), None)
    metadata = read_metadata(metadata_path) if metadata_path is not None else {}
    articles, problems = find_articles(directory)

    async def run(progress: Progress) -> ImportResult:
        task = progress.add_task("importing", total=len(articles))

        def advance(files: ArticleFiles) -> None:
            progress.update(task, advance=1, description=files.label[-50:])

        engine = create_engine(database_url, pool_size=1)
        try:
            return await import_articles(
                session_factory(engine), articles, metadata, problems=problems, progress=advance
            )
        finally:
            await engine.dispose()

    columns = (
        TextColumn("{task.description:<50}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    )
    disable = quiet or not sys.stderr.isatty()
    with Progress(*columns, transient=True, disable=disable) as progress:
        return asyncio.run(run(progress))
