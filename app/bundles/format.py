"""Bundles: many records in one JSON document, loaded in one transaction.

A bundle is the unit of the demo data (``app/demo/*.json``) and of bulk
import. Its records use the API's own vocabulary (the fields of the
``*Create`` schemas) with one difference: where the API takes an id, a bundle
takes a *ref*, the local name of another record of the bundle, and the field
loses its ``_id`` suffix (``_ids`` becomes ``s``)::

    {"format": "onrecord-bundle", "version": 1, "id": "libya-haftar",
     "actors": [{"ref": "bloomberg", "kind": "media", "name": "Bloomberg"}],
     "sources": [{"ref": "S1", "kind": "report", "title": "...",
                  "publisher": "bloomberg"}], ...}

``speaker_id`` is ``speaker``, ``author_ids`` is ``authors``,
``cites_source_ids`` is ``cites_sources``, ``time.anchor_event_id`` is
``time.anchor_event``. A reference that is not a ref of the bundle names a
stored row: by UUID (any collection), by Wikidata id (``Q22686``: actors) or
by URL (sources).

Ids are deterministic: ``uuid5(NAMESPACE, "<bundle id>/<ref>")``, or the ref
itself when it is a UUID (an export keeps its ids that way). Loading a bundle
again finds its records already there and skips them: a second load writes
nothing (same ids, same ``updated_at``), and never overwrites what users
changed through the API since. Actors whose ``wikidata_id`` and sources whose
``url`` a stored row already has are matched to that row instead of being
created. (A bundle whose records changed is therefore not re-applied to rows
already loaded; that is a job for an explicit replace, not for an idempotent
load.)

This module parses and checks bundles (fields, the API's rules, refs,
cycles); ``app.bundles.bulk`` writes them.
"""

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Annotated, Any, Literal, Self, TypeVar
from uuid import NAMESPACE_URL, UUID, uuid5

from pydantic import BaseModel, Field, StringConstraints, ValidationError, model_validator

from app.actors.schemas import ActorCreate, ActorKind, ActorNameIn, ActorRoleIn
from app.attributions.schemas import (
    MAX_SPANS,
    SPANS_DESCRIPTION,
    AnnotatedSpan,
    AttributionCreate,
    Certainty,
    Mode,
    Span,
)
from app.claims.schemas import ClaimCreate, ClaimRelationCreate, ClaimRelationKind, TranslationIn
from app.errors import FieldError, ProblemError, pointer_for
from app.events.schemas import EventCreate, EventRelationIn, EventRelationKind
from app.events.schemas import ParticipantIn as ApiParticipant
from app.fields import Day, Language, LongText, Name, Url, WikidataId
from app.fuzzytime import FuzzyTime, Precision, RelativeTo
from app.schemas import Input
from app.sources.schemas import SourceCreate, SourceKind

FORMAT = "onrecord-bundle"
VERSION = 1
NAMESPACE = uuid5(NAMESPACE_URL, "https://onrecord.dev/bundles")
"""Namespace of the deterministic ids of bundle records."""

KINDS = ("actors", "sources", "events", "claims", "attributions", "claim_relations")
MAX_RECORDS = 1_000_000
"""Records of one kind in one bundle, at most (a bound on every list a client sends)."""

Ref = Annotated[
    str,
    StringConstraints(min_length=1, max_length=2048, pattern=r"^[^\s\x00]+$"),
    Field(
        description=(
            "Local name of a record of the bundle; in a reference, also a stored row: its "
            "UUID, an actor's Wikidata id or a source's URL. A record whose ref is a UUID "
            "gets that UUID as its id."
        ),
        examples=["S0", "A-C1-S0", "us-diplomats"],
    ),
]

PLACEHOLDER = UUID(int=0)
"""Stands for any reference while a record is checked against its API schema."""

Resolve = Callable[[str], UUID]


def record_id(bundle_id: str, ref: str) -> UUID:
    """The id a record of a bundle gets: the same on every load.

    A ref that is a UUID is the record's id itself: that is how an export
    keeps ids through a re-import, and how records shared by many bundles (a
    publisher named in every article) are written once."""
    try:
        return UUID(ref)
    except ValueError:
        return uuid5(NAMESPACE, f"{bundle_id}/{ref}")


class InvalidBundle(ProblemError):
    status, slug, title = 422, "invalid-bundle", "Bundle is not valid"


def _placeholder(_ref: str) -> UUID:
    return PLACEHOLDER


def _opt(resolve: Resolve, ref: str | None) -> UUID | None:
    return None if ref is None else resolve(ref)


class BundleTime(Input):
    """``FuzzyTime`` with refs: ``anchor_source`` / ``anchor_event``."""

    expression: LongText | None = Field(default=None, max_length=500)
    relative_to: RelativeTo = "none"
    anchor_source: Ref | None = None
    anchor_event: Ref | None = None
    offset_days: int | None = Field(default=None, ge=-36500, le=36500, strict=True)
    earliest: Day | None = None
    latest: Day | None = None
    precision: Precision = "unknown"

    def to_api(self, resolve: Resolve) -> FuzzyTime:
        return FuzzyTime(
            expression=self.expression,
            relative_to=self.relative_to,
            anchor_source_id=_opt(resolve, self.anchor_source),
            anchor_event_id=_opt(resolve, self.anchor_event),
            offset_days=self.offset_days,
            earliest=self.earliest,
            latest=self.latest,
            precision=self.precision,
        )

    def columns(self, resolve: Resolve) -> dict[str, Any]:
        """``to_api(resolve).to_columns()`` without validating again (the bulk
        path: the record was checked when parsed)."""
        precision = self.precision
        if precision == "unknown" and (self.earliest is not None or self.latest is not None):
            precision = "range"  # as FuzzyTime normalises it
        time = FuzzyTime.model_construct(
            expression=self.expression,
            relative_to=self.relative_to,
            anchor_source_id=_opt(resolve, self.anchor_source),
            anchor_event_id=_opt(resolve, self.anchor_event),
            offset_days=self.offset_days,
            earliest=self.earliest,
            latest=self.latest,
            precision=precision,
        )
        return time.to_columns()

    def references(self, prefix: str) -> Iterator[tuple[str, str, str]]:
        if self.anchor_source is not None:
            yield f"{prefix}.anchor_source", "sources", self.anchor_source
        if self.anchor_event is not None:
            yield f"{prefix}.anchor_event", "events", self.anchor_event


def _api_error(exc: ValidationError, prefix: str = "") -> ValueError:
    first = exc.errors()[0]
    where = ".".join(str(part) for part in (prefix, *first["loc"]) if part != "")
    message = str(first["msg"]).removeprefix("Value error, ")
    return ValueError(f"{where}: {message}" if where else message)


class Record(Input):
    """A record of a bundle: a ``ref`` and the fields of the API's Create schema."""

    ref: Ref

    def to_api(self, resolve: Resolve) -> BaseModel:
        raise NotImplementedError

    def references(self) -> Iterator[tuple[str, str, str]]:
        """(field path, collection referred to, ref) of every reference."""
        return iter(())

    def check_api_rules(self) -> None:
        """The API's own rules (consistent fuzzy times, ordered role dates...),
        refs standing for ids; raises ``ValueError`` naming the field."""
        try:
            self.to_api(_placeholder)
        except ValidationError as exc:
            raise _api_error(exc) from None

    @model_validator(mode="after")
    def _valid_for_the_api(self) -> Self:
        self.check_api_rules()
        return self


class BundleRole(Input):
    title: Name
    organisation: Ref | None = None
    started_on: Day | None = None
    ended_on: Day | None = None


class BundleActor(Record):
    kind: ActorKind
    name: Name
    description: LongText | None = None
    nationality: Name | None = None
    role_description: Name | None = None
    wikidata_id: WikidataId | None = None
    names: list[ActorNameIn] = Field(default_factory=list, max_length=500)
    roles: list[BundleRole] = Field(default_factory=list, max_length=500)

    def to_api(self, resolve: Resolve) -> ActorCreate:
        return ActorCreate(
            **self.model_dump(exclude={"ref", "names", "roles"}),
            names=self.names,
            roles=[
                ActorRoleIn(
                    title=role.title,
                    organisation_id=_opt(resolve, role.organisation),
                    started_on=role.started_on,
                    ended_on=role.ended_on,
                )
                for role in self.roles
            ],
        )

    def references(self) -> Iterator[tuple[str, str, str]]:
        for index, role in enumerate(self.roles):
            if role.organisation is not None:
                yield f"roles.{index}.organisation", "actors", role.organisation


class BundleSource(Record):
    kind: SourceKind
    title: Name
    publisher: Ref | None = None
    url: Url | None = None
    language: Language | None = None
    published: BundleTime = Field(default_factory=BundleTime)
    full_text: LongText | None = None
    authors: list[Ref] = Field(default_factory=list, max_length=200)
    cites_sources: list[Ref] = Field(default_factory=list, max_length=1000)

    def to_api(self, resolve: Resolve, *, with_citations: bool = True) -> SourceCreate:
        return SourceCreate(
            kind=self.kind,
            title=self.title,
            publisher_id=_opt(resolve, self.publisher),
            url=self.url,
            language=self.language,
            published=self.published.to_api(resolve),
            full_text=self.full_text,
            author_ids=[resolve(ref) for ref in self.authors],
            cites_source_ids=[resolve(ref) for ref in self.cites_sources] if with_citations else [],
        )

    def references(self) -> Iterator[tuple[str, str, str]]:
        if self.publisher is not None:
            yield "publisher", "actors", self.publisher
        for index, ref in enumerate(self.authors):
            yield f"authors.{index}", "actors", ref
        for index, ref in enumerate(self.cites_sources):
            yield f"cites_sources.{index}", "sources", ref
        yield from self.published.references("published")


class BundleParticipant(Input):
    actor: Ref
    role: Name = "participant"


class BundleEventRelation(Input):
    relation: EventRelationKind = Field(description="This event is `relation` the other one.")
    event: Ref = Field(description="The other event.")
    offset_days: int | None = Field(default=None, ge=-36500, le=36500, strict=True)
    expression: Name | None = None


class BundleEvent(Record):
    kind: Name
    title: Name
    description: LongText | None = None
    place: Name | None = None
    time: BundleTime = Field(default_factory=BundleTime)
    participants: list[BundleParticipant] = Field(default_factory=list, max_length=500)
    relations: list[BundleEventRelation] = Field(default_factory=list, max_length=500)

    def api_relations(self, resolve: Resolve) -> list[EventRelationIn]:
        return [
            EventRelationIn(
                relation=relation.relation,
                event_id=resolve(relation.event),
                offset_days=relation.offset_days,
                expression=relation.expression,
            )
            for relation in self.relations
        ]

    def to_api(self, resolve: Resolve, *, with_relations: bool = True) -> EventCreate:
        return EventCreate(
            kind=self.kind,
            title=self.title,
            description=self.description,
            place=self.place,
            time=self.time.to_api(resolve),
            participants=[
                ApiParticipant(actor_id=resolve(p.actor), role=p.role) for p in self.participants
            ],
            relations=self.api_relations(resolve) if with_relations else [],
        )

    def references(self) -> Iterator[tuple[str, str, str]]:
        for index, participant in enumerate(self.participants):
            yield f"participants.{index}.actor", "actors", participant.actor
        for index, relation in enumerate(self.relations):
            yield f"relations.{index}.event", "events", relation.event
        yield from self.time.references("time")


class BundleClaim(Record):
    text: LongText = Field(min_length=1)
    language: Language
    translations: list[TranslationIn] = Field(default_factory=list, max_length=100)
    events: list[Ref] = Field(default_factory=list, max_length=500)
    referenced_sources: list[Ref] = Field(default_factory=list, max_length=500)

    def check_api_rules(self) -> None:
        # ClaimCreate has no rule beyond its fields' types, which are these.
        return

    def to_api(self, resolve: Resolve) -> ClaimCreate:
        return ClaimCreate(
            text=self.text,
            language=self.language,
            translations=self.translations,
            event_ids=[resolve(ref) for ref in self.events],
            referenced_source_ids=[resolve(ref) for ref in self.referenced_sources],
        )

    def references(self) -> Iterator[tuple[str, str, str]]:
        for index, ref in enumerate(self.events):
            yield f"events.{index}", "events", ref
        for index, ref in enumerate(self.referenced_sources):
            yield f"referenced_sources.{index}", "sources", ref


class BundleAttribution(Record):
    claim: Ref
    speaker: Ref | None = None
    source: Ref
    occasion_event: Ref | None = None
    relayed_through: Ref | None = None
    mode: Mode
    cue: Name | None = None
    certainty: Certainty = "unknown"
    span: Span | None = None
    spans: list[AnnotatedSpan] = Field(
        default_factory=list, max_length=MAX_SPANS, description=SPANS_DESCRIPTION
    )
    time: BundleTime = Field(default_factory=BundleTime)
    note: LongText | None = None

    def check_api_rules(self) -> None:
        # AttributionCreate's rules, without building it (the bulk of an
        # import is attributions): its time's consistency, and a speaker.
        try:
            self.time.to_api(_placeholder)
        except ValidationError as exc:
            raise _api_error(exc, "time") from None
        if self.speaker is None and self.mode != "own_voice":
            raise ValueError("speaker: speaker is required unless mode is 'own_voice'")

    def to_api(self, resolve: Resolve) -> AttributionCreate:
        return AttributionCreate(
            claim_id=resolve(self.claim),
            speaker_id=_opt(resolve, self.speaker),
            source_id=resolve(self.source),
            occasion_event_id=_opt(resolve, self.occasion_event),
            relayed_through_id=_opt(resolve, self.relayed_through),
            mode=self.mode,
            cue=self.cue,
            certainty=self.certainty,
            span=self.span,
            spans=self.spans,
            time=self.time.to_api(resolve),
            note=self.note,
        )

    def references(self) -> Iterator[tuple[str, str, str]]:
        yield "claim", "claims", self.claim
        if self.speaker is not None:
            yield "speaker", "actors", self.speaker
        yield "source", "sources", self.source
        if self.occasion_event is not None:
            yield "occasion_event", "events", self.occasion_event
        if self.relayed_through is not None:
            yield "relayed_through", "attributions", self.relayed_through
        yield from self.time.references("time")


class BundleClaimRelation(Record):
    kind: ClaimRelationKind
    from_claim: Ref
    to_claim: Ref
    asserted_by_actor: Ref | None = Field(
        default=None, description="Who says the claims are so related (null: the editors)."
    )
    asserted_in_source: Ref | None = None
    note: LongText | None = None

    def to_api(self, resolve: Resolve) -> ClaimRelationCreate:
        return ClaimRelationCreate(
            kind=self.kind,
            from_claim_id=resolve(self.from_claim),
            to_claim_id=resolve(self.to_claim),
            asserted_by_actor_id=_opt(resolve, self.asserted_by_actor),
            asserted_in_source_id=_opt(resolve, self.asserted_in_source),
            note=self.note,
        )

    def references(self) -> Iterator[tuple[str, str, str]]:
        yield "from_claim", "claims", self.from_claim
        yield "to_claim", "claims", self.to_claim
        if self.asserted_by_actor is not None:
            yield "asserted_by_actor", "actors", self.asserted_by_actor
        if self.asserted_in_source is not None:
            yield "asserted_in_source", "sources", self.asserted_in_source


class Bundle(Input):
    """A JSON document of records that refer to each other by ``ref``."""

    format: Literal["onrecord-bundle"]
    version: Literal[1]
    id: Ref = Field(description="Name of the bundle; with a ref, it fixes a record's id.")
    title: Name | None = None
    description: LongText | None = None
    actors: list[BundleActor] = Field(default_factory=list, max_length=MAX_RECORDS)
    sources: list[BundleSource] = Field(default_factory=list, max_length=MAX_RECORDS)
    events: list[BundleEvent] = Field(default_factory=list, max_length=MAX_RECORDS)
    claims: list[BundleClaim] = Field(default_factory=list, max_length=MAX_RECORDS)
    attributions: list[BundleAttribution] = Field(default_factory=list, max_length=MAX_RECORDS)
    claim_relations: list[BundleClaimRelation] = Field(default_factory=list, max_length=MAX_RECORDS)

    def records(self, kind: str) -> Sequence[Record]:
        records: Sequence[Record] = getattr(self, kind)
        return records


class BundleSummary(BaseModel):
    """What a load did: records created and records found already there."""

    bundle: str
    title: str | None
    created: dict[str, int]
    existing: dict[str, int]
    ids: dict[str, UUID] = Field(description="Ref → id of every record of the bundle.")

    def total(self, kind: str) -> int:
        return self.created[kind] + self.existing[kind]

    def line(self) -> str:
        counts = ", ".join(f"{self.total(kind)} {kind.replace('_', ' ')}" for kind in KINDS)
        created = sum(self.created.values())
        existing = sum(self.existing.values())
        if created == 0:
            state = "already loaded: nothing changed"
        elif existing == 0:
            state = "all new"
        else:
            state = f"{created} new, {existing} already there"
        return f"{self.title or self.bundle}: {counts} ({state})"

    def __str__(self) -> str:
        return self.line()


# -- checks before anything is written --------------------------------------


def _field_errors(exc: ValidationError) -> list[FieldError]:
    return [
        FieldError(
            pointer=pointer_for([str(part) for part in error["loc"]]),
            location="body",
            detail=str(error["msg"]).removeprefix("Value error, "),
        )
        for error in exc.errors()
    ]


def parse_bundle(document: Any) -> Bundle:
    """Validate a bundle document; the errors point into it."""
    try:
        return Bundle.model_validate(document)
    except ValidationError as exc:
        errors = _field_errors(exc)
        raise InvalidBundle(
            f"{errors[0].pointer or '(root)'}: {errors[0].detail}", errors=errors
        ) from None


def _is_uuid(value: str) -> bool:
    try:
        UUID(value)
    except ValueError:
        return False
    return True


WIKIDATA_REF = re.compile(r"^Q[1-9][0-9]{0,11}$")
URL_REF = re.compile(r"^https?://\S+$")
EXTERNAL_HINTS = {"actors": ", nor a Wikidata id", "sources": ", nor a URL"}


def external_kind(ref: str, target: str) -> Literal["id", "wikidata_id", "url"] | None:
    """How a reference that is no ref of its bundle names a stored row: by
    ``id`` (any collection), by ``wikidata_id`` (actors) or by ``url`` (sources)."""
    if _is_uuid(ref):
        return "id"
    if target == "actors" and WIKIDATA_REF.match(ref):
        return "wikidata_id"
    if target == "sources" and URL_REF.match(ref):
        return "url"
    return None


External = tuple[str, str, str, str]
"""A reference to a stored row: (JSON pointer, where, collection, ref)."""


def _check_refs(bundle: Bundle) -> tuple[dict[str, str], list[External]]:
    """Refs → their collection, and the references to stored rows; every
    reference must name a record of the right collection or a stored row (by
    UUID, Wikidata id or URL)."""
    owner: dict[str, str] = {}
    externals: list[External] = []
    errors: list[FieldError] = []

    def refuse(pointer: list[str | int], detail: str) -> None:
        errors.append(FieldError(pointer=pointer_for(pointer), location="body", detail=detail))

    for kind in KINDS:
        for index, record in enumerate(bundle.records(kind)):
            if record.ref in owner:
                refuse(
                    [kind, index, "ref"],
                    f"{kind}[{index}]: ref {record.ref!r} is already used by "
                    f"{owner[record.ref]}; refs are unique in a bundle",
                )
            else:
                owner[record.ref] = f"a record of {kind}"
    collection = {record.ref: kind for kind in reversed(KINDS) for record in bundle.records(kind)}
    for kind in KINDS:
        for index, record in enumerate(bundle.records(kind)):
            for path, target, ref in record.references():
                where = f"{kind}[{index}] ({record.ref}): {path}"
                pointer: list[str | int] = [kind, index, *path.split(".")]
                found = collection.get(ref)
                if found is None and not external_kind(ref, target):
                    refuse(
                        pointer,
                        f"{where} refers to {ref!r}, which is no ref of this bundle "
                        f"(nor a UUID{EXTERNAL_HINTS.get(target, '')})",
                    )
                elif found is None:
                    externals.append((pointer_for(pointer), where, target, ref))
                elif found is not None and found != target:
                    refuse(
                        pointer,
                        f"{where} must refer to one of the {target}, but {ref!r} is one of the "
                        f"{found}",
                    )
    if errors:
        raise InvalidBundle(
            errors[0].detail + (f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""),
            errors=errors,
        )
    return collection, externals


R = TypeVar("R", bound=Record)


def _in_order(
    records: Sequence[R],
    depends_on: Callable[[R], Iterable[str]],
    *,
    kind: Callable[[R], str],
    index: Callable[[R], int],
    what: str,
) -> list[R]:
    """Records so that each comes after those it depends on (stable); refuses cycles."""
    by_ref = {record.ref: record for record in records}
    # A record depending on itself is never ready: reported as a cycle of one.
    waiting = {
        record.ref: {ref for ref in depends_on(record) if ref in by_ref} for record in records
    }
    ordered: list[R] = []
    done: set[str] = set()
    progress = True
    while progress and len(ordered) < len(records):
        progress = False
        for record in records:
            if record.ref not in done and waiting[record.ref] <= done:
                ordered.append(record)
                done.add(record.ref)
                progress = True
    if len(ordered) < len(records):
        stuck = [record for record in records if record.ref not in done]
        refs = ", ".join(record.ref for record in stuck)
        detail = f"{what} form a cycle: {refs}"
        raise InvalidBundle(
            detail,
            errors=[
                FieldError(
                    pointer=pointer_for([kind(record), index(record)]),
                    location="body",
                    detail=detail,
                )
                for record in stuck
            ],
        )
    return ordered


def check_bundle(bundle: Bundle) -> tuple[dict[str, str], list[External]]:
    """Everything that can be checked without the database: unique refs,
    references to records of the right collection, and no cycles (roles in
    organisations, time anchors, relay chains). Returns the refs' collections
    and the references to stored rows."""
    collection, externals = _check_refs(bundle)
    position = {
        record.ref: (kind, index)
        for kind in KINDS
        for index, record in enumerate(bundle.records(kind))
    }

    def kind_of(record: Record) -> str:
        return position[record.ref][0]

    def index_of(record: Record) -> int:
        return position[record.ref][1]

    def anchors(record: BundleSource | BundleEvent) -> list[str]:
        time = record.published if isinstance(record, BundleSource) else record.time
        return [ref for ref in (time.anchor_source, time.anchor_event) if ref is not None]

    _in_order(
        bundle.actors,
        lambda actor: [role.organisation for role in actor.roles if role.organisation],
        kind=kind_of,
        index=index_of,
        what="actor roles (organisations)",
    )
    timed: list[BundleSource | BundleEvent] = [*bundle.sources, *bundle.events]
    _in_order(
        timed, anchors, kind=kind_of, index=index_of, what="time anchors of sources and events"
    )
    _in_order(
        bundle.attributions,
        lambda a: [a.relayed_through] if a.relayed_through else [],
        kind=kind_of,
        index=index_of,
        what="relay chains (relayed_through)",
    )
    return collection, externals
