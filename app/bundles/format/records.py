"""The bundle's records as Pydantic schemas, each turned into its API ``*Create`` model."""

import hashlib
from collections.abc import Iterator, Sequence
from typing import Literal, Self

from pydantic import BaseModel, Field, ValidationError, model_validator

from app.actors.schemas import (
    SCOPE_DESCRIPTION,
    ActorCreate,
    ActorKind,
    ActorNameIn,
    ActorRoleIn,
    ActorScope,
    default_scope,
)
from app.attributions.schemas import (
    MAX_SPANS,
    RESOLUTION_DESCRIPTION,
    REVIEW_DESCRIPTION,
    SPANS_DESCRIPTION,
    AnnotatedSpan,
    AttributionCreate,
    Certainty,
    ExtractionProvenance,
    Mode,
    ResolutionMethod,
    Review,
    Span,
    SpeakerByName,
)
from app.bundles.format.refs import MAX_RECORDS, Ref, Refs, Resolve, placeholder, resolve_optional
from app.bundles.format.refusals import error_message
from app.bundles.format.time import BundleTime
from app.claims.schemas import ClaimCreate, ClaimRelationCreate, ClaimRelationKind, TranslationIn
from app.errors import FieldValueError
from app.events.schemas import EventCreate, EventRelationIn, EventRelationKind
from app.events.schemas import ParticipantIn as ApiParticipant
from app.fields import Day, Language, LongText, Name, OffsetDays, Url, WikidataId
from app.identity.names import name_key
from app.schemas import Input
from app.sources.schemas import SourceCreate, SourceKind


def _api_error(exc: ValidationError, prefix: str = "") -> ValueError:
    first = exc.errors()[0]
    where = ".".join(str(part) for part in (prefix, *first["loc"]) if part != "")
    message = error_message(first)
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
            self.to_api(placeholder)
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
    scope: ActorScope | None = Field(default=None, description=SCOPE_DESCRIPTION)
    names: list[ActorNameIn] = Field(default_factory=list, max_length=500)
    roles: list[BundleRole] = Field(default_factory=list, max_length=500)

    @property
    def effective_scope(self) -> ActorScope:
        return self.scope or default_scope(self.kind)

    def to_api(self, resolve: Resolve) -> ActorCreate:
        return ActorCreate(
            **self.model_dump(exclude={"ref", "names", "roles"}),
            names=self.names,
            roles=[
                ActorRoleIn(
                    title=role.title,
                    organisation_id=resolve_optional(resolve, role.organisation),
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
    authors: Refs = Field(default_factory=list, max_length=200)
    cites_sources: Refs = Field(default_factory=list, max_length=1000)

    def to_api(self, resolve: Resolve, *, with_citations: bool = True) -> SourceCreate:
        return SourceCreate(
            kind=self.kind,
            title=self.title,
            publisher_id=resolve_optional(resolve, self.publisher),
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
    offset_days: OffsetDays | None = None
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
    events: Refs = Field(default_factory=list, max_length=500)
    referenced_sources: Refs = Field(default_factory=list, max_length=500)

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


class BundleSpeakerResolution(Input):
    """How the speaker of an attribution was resolved (``speaker_resolution``):
    what an importer that groups mentions (brat, extraction) says; without
    it, the loader says how it resolved the speaker record."""

    mention: Name | None = Field(default=None, description="The speaker mention as written.")
    method: ResolutionMethod = Field(description=RESOLUTION_DESCRIPTION)
    confidence: float = Field(default=1.0, ge=0, le=1, allow_inf_nan=False)
    through_attribution: Ref | None = Field(
        default=None,
        description="For `pronoun`, `description` and `same_sources`: the attribution whose "
        "speaker it was resolved to.",
    )


class BundleAttribution(Record):
    claim: Ref
    speaker: Ref | SpeakerByName | None = Field(
        default=None,
        description="A ref (a record of the bundle or a stored actor), or a speaker by name "
        '(`{"name": ..., "kind": ...}`) for the resolver.',
    )
    speaker_resolution: BundleSpeakerResolution | None = None
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
    extraction: ExtractionProvenance | None = None
    review: Review | None = Field(default=None, description=REVIEW_DESCRIPTION)

    def check_api_rules(self) -> None:
        # AttributionCreate's rules, without building it (the bulk of an
        # import is attributions): its time's consistency, and a speaker.
        try:
            self.time.check_rules()
        except FieldValueError as exc:
            raise ValueError(f"time: {exc}") from None
        if self.speaker is None and self.mode != "own_voice":
            raise ValueError("speaker: speaker is required unless mode is 'own_voice'")

    @property
    def speaker_ref(self) -> str | None:
        """The speaker's ref (a speaker by name has one once the bundle is parsed)."""
        assert not isinstance(self.speaker, SpeakerByName), "named speakers get a ref when parsed"
        return self.speaker

    def to_api(self, resolve: Resolve) -> AttributionCreate:
        return AttributionCreate(
            claim_id=resolve(self.claim),
            speaker_id=resolve_optional(resolve, self.speaker_ref),
            source_id=resolve(self.source),
            occasion_event_id=resolve_optional(resolve, self.occasion_event),
            relayed_through_id=resolve_optional(resolve, self.relayed_through),
            mode=self.mode,
            cue=self.cue,
            certainty=self.certainty,
            span=self.span,
            spans=self.spans,
            time=self.time.to_api(resolve),
            note=self.note,
            extraction=self.extraction,
            review=self.review,
        )

    def references(self) -> Iterator[tuple[str, str, str]]:
        yield "claim", "claims", self.claim
        if self.speaker_ref is not None:
            yield "speaker", "actors", self.speaker_ref
        through = self.speaker_resolution and self.speaker_resolution.through_attribution
        if through:
            yield "speaker_resolution.through_attribution", "attributions", through
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
            asserted_by_actor_id=resolve_optional(resolve, self.asserted_by_actor),
            asserted_in_source_id=resolve_optional(resolve, self.asserted_in_source),
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

    @model_validator(mode="after")
    def _named_speakers_as_actors(self) -> Self:
        """A speaker given by name becomes an actor record of the bundle (one
        per kind and name), which the loader resolves like any other."""
        refs = {actor.ref for actor in self.actors}
        for attribution in self.attributions:
            speaker = attribution.speaker
            if not isinstance(speaker, SpeakerByName):
                continue
            ref = named_speaker_ref(speaker.kind, speaker.name)
            if ref not in refs:
                self.actors.append(BundleActor(ref=ref, kind=speaker.kind, name=speaker.name))
                refs.add(ref)
            attribution.speaker = ref
            if attribution.speaker_resolution is None:
                continue
            if attribution.speaker_resolution.mention is None:
                attribution.speaker_resolution.mention = speaker.name
        return self


def named_speaker_ref(kind: str, name: str) -> str:
    """The ref of the actor record a speaker given by name becomes."""
    digest = hashlib.sha1(f"{kind}/{name_key(name)}".encode(), usedforsecurity=False)
    return f"~speaker/{kind}/{digest.hexdigest()[:16]}"


RECORD_MODELS: dict[str, type[Record]] = {
    "actors": BundleActor,
    "sources": BundleSource,
    "events": BundleEvent,
    "claims": BundleClaim,
    "attributions": BundleAttribution,
    "claim_relations": BundleClaimRelation,
}
"""The record schema of each collection of a bundle."""
