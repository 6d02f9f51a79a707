"""What ``app.identity.document`` works with and answers: speaker mentions,
the entities they are grouped into, and how each mention was resolved."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from app.identity.genders import Gender
from app.identity.names import PersonName


@dataclass
class Mention:
    """A speaker mention: where it is and what it says."""

    start: int
    end: int
    text: str


@dataclass
class Entity:
    """One speaker of the document."""

    kind: str  # an actor kind
    name: str
    key: str
    """Identifies the entity in the document."""
    scope: str  # "global": one actor database-wide; "document": this document only
    person: PersonName | None = None
    gender: Gender | None = None
    mentions: list[int] = field(default_factory=list)
    placed: bool = True
    """False for a mention nothing could place ("a reader", "one questioner"):
    no antecedent for a "he"."""
    surnames: set[str] = field(default_factory=set)
    """Surnames alone the document calls this person by ("Trump" for Donald
    Trump): names it made unambiguous, which other documents may use."""
    unresolved: str | None = None
    """What an entity known from one mention that points back but found
    nothing is: ``pronoun``, ``same_sources``, ``person_description``..."""


@dataclass
class Resolution:
    entity: int
    method: str
    confidence: float
    through: int | None = None
    """For pronouns, descriptions and "the same sources": the index of the
    speaker mention it was resolved through (None when that was no speaker
    mention, or for other methods)."""


@dataclass
class DocumentSpeakers:
    entities: list[Entity]
    resolutions: list[Resolution]
    """One per mention, in the order the mentions were given."""


@dataclass
class Occurrence:
    start: int
    end: int
    entity: int
    mention: int | None  # the speaker mention, when it is one


def nearest(
    occurrences: Sequence[Occurrence],
    fits: Callable[[Occurrence], bool],
    before: int,
    *,
    reach: int | None = None,
    speakers: bool = False,
    by_end: bool = False,
) -> Occurrence | None:
    """The latest occurrence before ``before`` that ``fits``; ``speakers``:
    speaker mentions only; ``by_end``: ``reach`` counts from the
    occurrence's end (a relative pronoun's antecedent)."""
    best: Occurrence | None = None
    for occurrence in occurrences:
        if occurrence.start >= before or (speakers and occurrence.mention is None):
            continue
        distance = before - (occurrence.end if by_end else occurrence.start)
        if reach is not None and distance > reach:
            continue
        if not fits(occurrence):
            continue
        if best is None or occurrence.start > best.start:
            best = occurrence
    return best
