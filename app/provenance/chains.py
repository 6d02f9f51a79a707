"""Relay chains in SQL: the walk from each chain's start back to its origin,
and one summary row per chain (definitions: ``corroboration``'s docstring)."""

from typing import Any

from sqlalchemy import CTE, Integer, Select, and_, case, exists, false, func, or_, select, union_all
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.expression import literal_column

from app.actors.models import Actor
from app.attributions.models import Attribution
from app.claims.models import Claim, ClaimRelation
from app.fuzzytime import fuzzy_time_json
from app.records import columns
from app.sources.models import Source

ATTRIBUTIONS = Attribution.__table__
ACTORS = Actor.__table__
CLAIMS = Claim.__table__
RELATIONS = ClaimRelation.__table__
SOURCES = Source.__table__

CERTAINTY_ORDER: tuple[str, ...] = ("asserted", "alleged", "hypothetical", "denied")
"""Known certainties from the strongest to the weakest; ``unknown`` ranks
below all of them so that ``max`` over a chain skips it."""
UNKNOWN_RANK = -1

MAX_DEPTH = 50
"""Relays followed at most from a chain's start (cycles are refused on write;
this only bounds a pathological chain)."""


def _aliased(attributions: Any, name: str) -> Any:
    """An alias of ``attributions``: named, over the table; anonymous (so
    unique) over rows as they were at a past time, a CTE that one statement
    may walk twice (a claim's provenance and its counts ``as_of``), where
    two aliases of one name would clash."""
    return attributions.alias(name) if attributions is ATTRIBUTIONS else attributions.alias()


def certainty_rank(certainty: ColumnElement[Any]) -> ColumnElement[int]:
    ranks = {name: rank for rank, name in enumerate(CERTAINTY_ORDER)}
    return case(ranks, value=certainty, else_=UNKNOWN_RANK)


def certainty_name(rank: ColumnElement[Any]) -> ColumnElement[str]:
    return case(dict(enumerate(CERTAINTY_ORDER)), value=rank, else_="unknown")


def same_as_groups(seeds: Any, *, name: str = "same_as_group", many: bool = False) -> CTE:
    """``(root, claim_id)``: each seed claim (column ``claim_id`` of ``seeds``)
    and every claim linked to it by ``same_as``, either way, transitively.
    ``many``: for seeds by the thousand (a bulk recount), each link is
    followed as two directed edges joined by equality, so that the planner
    can hash them (the ``OR`` of both ways is a nested loop: every seed
    against every link, 1.8 s for 95k claims and 260 links)."""
    groups = select(seeds.c.claim_id.label("root"), seeds.c.claim_id.label("claim_id")).cte(
        name, recursive=True
    )
    if many:
        return groups.union(_same_as_step(groups))
    relation = RELATIONS.alias("same_as")
    other = case(
        (relation.c.from_claim_id == groups.c.claim_id, relation.c.to_claim_id),
        else_=relation.c.from_claim_id,
    )
    return groups.union(
        select(groups.c.root, other).where(
            relation.c.kind == "same_as",
            or_(
                relation.c.from_claim_id == groups.c.claim_id,
                relation.c.to_claim_id == groups.c.claim_id,
            ),
        )
    )


def _same_as_step(groups: CTE) -> Select[Any]:
    """One step of ``same_as_groups`` over the links as directed edges."""
    relation = RELATIONS.alias("same_as_link")
    forward = select(
        relation.c.from_claim_id.label("near"), relation.c.to_claim_id.label("far")
    ).where(relation.c.kind == "same_as")
    backward = select(
        relation.c.to_claim_id.label("near"), relation.c.from_claim_id.label("far")
    ).where(relation.c.kind == "same_as")
    edges = union_all(forward, backward).subquery("same_as_edge")
    return select(groups.c.root, edges.c.far).where(edges.c.near == groups.c.claim_id)


def chain_starts(
    claim_ids: Select[Any],
    *,
    include_retracted: ColumnElement[bool] | None = None,
    attributions: Any = ATTRIBUTIONS,
) -> Select[Any]:
    """Ids of the attributions of these claims that start a chain: those that
    no attribution of the same source relays. Retracted attributions neither
    start chains nor hide the ones they relay, unless ``include_retracted``
    (a boolean SQL expression) is true."""
    start = _aliased(attributions, "start")
    relayer = _aliased(attributions, "same_source_relayer")

    def standing(attribution: Any) -> ColumnElement[bool]:
        is_standing: ColumnElement[bool] = attribution.c.retracted_at.is_(None)
        if include_retracted is None:
            return is_standing
        return or_(is_standing, include_retracted)

    return select(start.c.id).where(
        start.c.claim_id.in_(claim_ids),
        standing(start),
        ~exists().where(
            relayer.c.relayed_through_id == start.c.id,
            relayer.c.source_id == start.c.source_id,
            standing(relayer),
        ),
    )


def chain_walk(
    start_ids: Select[Any], *, name: str = "chain_walk", attributions: Any = ATTRIBUTIONS
) -> CTE:
    """``(start_id, attribution_id, depth, next_id, speaker_id, source_id,
    certainty)``: every hop of the chain from each start back to its origin,
    depth 0 being the start. Each step is a primary-key lookup."""
    first = _aliased(attributions, "walk_start")
    walk = (
        select(
            first.c.id.label("start_id"),
            first.c.id.label("attribution_id"),
            literal_column("0", Integer).label("depth"),
            first.c.relayed_through_id.label("next_id"),
            first.c.speaker_id,
            first.c.source_id,
            first.c.certainty,
        )
        .where(first.c.id.in_(start_ids))
        .cte(name, recursive=True)
    )
    step = _aliased(attributions, "walk_step")
    return walk.union_all(
        select(
            walk.c.start_id,
            step.c.id,
            walk.c.depth + 1,
            step.c.relayed_through_id,
            step.c.speaker_id,
            step.c.source_id,
            step.c.certainty,
        ).where(step.c.id == walk.c.next_id, walk.c.depth < MAX_DEPTH)
    )


def speaker_json(actor: Any) -> ColumnElement[Any]:
    """``{id, name, kind, anonymous}`` of a (LEFT JOINed) actor, or null."""
    return case(
        (actor.c.id.is_(None), None),
        else_=func.json_build_object(
            "id",
            actor.c.id,
            "name",
            actor.c.name,
            "kind",
            actor.c.kind,
            "anonymous",
            actor.c.kind == "anonymous",
        ),
    )


def source_json(source: Any, publisher: Any) -> ColumnElement[Any]:
    """``{id, title, kind, publisher {id, name} | null, published}``."""
    return func.json_build_object(
        "id",
        source.c.id,
        "title",
        source.c.title,
        "kind",
        source.c.kind,
        "publisher",
        case(
            (publisher.c.id.is_(None), None),
            else_=func.json_build_object("id", publisher.c.id, "name", publisher.c.name),
        ),
        "published",
        fuzzy_time_json(source),
    )


def embedded_speaker(actor_id: ColumnElement[Any]) -> ColumnElement[Any]:
    """The speaker object of ``actor_id`` (null for none): a primary-key lookup."""
    actor = ACTORS.alias("speaker")
    return select(speaker_json(actor)).where(actor.c.id == actor_id).scalar_subquery()


def embedded_source(source_id: ColumnElement[Any]) -> ColumnElement[Any]:
    """The source object of ``source_id``: primary-key lookups."""
    source = SOURCES.alias("source")
    publisher = ACTORS.alias("publisher")
    return (
        select(source_json(source, publisher))
        .select_from(source.outerjoin(publisher, publisher.c.id == source.c.publisher_id))
        .where(source.c.id == source_id)
        .scalar_subquery()
    )


def said_fields(record: Any) -> list[Any]:
    """``json_build_object`` arguments saying who said it, where, when and how
    of an attribution row (``speaker``, ``source``, ``time``, ``mode``,
    ``cue``, ``certainty``): a chain's hops, and a search result's records."""
    return [
        "speaker",
        embedded_speaker(record.c.speaker_id),
        "source",
        embedded_source(record.c.source_id),
        "time",
        fuzzy_time_json(record),
        *columns(record, "mode", "cue", "certainty"),
    ]


def _hop_json(
    attribution_id: ColumnElement[Any], depth: ColumnElement[Any], attributions: Any
) -> ColumnElement[Any]:
    hop = _aliased(attributions, "hop")
    return (
        select(
            func.json_build_object(
                "attribution_id",
                hop.c.id,
                "depth",
                depth,
                "claim_id",
                hop.c.claim_id,
                *said_fields(hop),
            )
        )
        .where(hop.c.id == attribution_id)
        .scalar_subquery()
    )


def _origin_json(attribution_id: ColumnElement[Any], attributions: Any) -> ColumnElement[Any]:
    origin = _aliased(attributions, "origin")
    speaker = ACTORS.alias("origin_speaker")
    source = SOURCES.alias("origin_source")
    document = case(
        (
            origin.c.speaker_id.is_(None),
            func.json_build_object(
                "type",
                "source",
                "id",
                source.c.id,
                "name",
                source.c.title,
                "kind",
                source.c.kind,
                "anonymous",
                false(),
                "attribution_id",
                origin.c.id,
            ),
        ),
        else_=func.json_build_object(
            "type",
            "actor",
            "id",
            speaker.c.id,
            "name",
            speaker.c.name,
            "kind",
            speaker.c.kind,
            "anonymous",
            speaker.c.kind == "anonymous",
            "attribution_id",
            origin.c.id,
        ),
    )
    return (
        select(document)
        .select_from(
            origin.join(source, source.c.id == origin.c.source_id).outerjoin(
                speaker, speaker.c.id == origin.c.speaker_id
            )
        )
        .where(origin.c.id == attribution_id)
        .scalar_subquery()
    )


def chain_summaries(
    walk: CTE, *, with_hops: bool = False, attributions: Any = ATTRIBUTIONS
) -> Select[Any]:
    """One row per chain of ``walk``: ``start_id``, ``depth`` (relays between
    the start and the origin), ``on_record``, ``weakest_certainty``,
    ``truncated``, ``origin_key`` (the speaker id, or the source id for own
    voice) and ``summary`` (JSON; ``with_hops``, with the ``hops`` array).

    Every other row is reached by a primary-key lookup (scalar subqueries):
    the planner cannot know how many hops a recursive CTE yields, and a join
    would let it pick a hash join over a whole table."""
    speaker = ACTORS.alias("hop_speaker")
    anonymous = (
        select(speaker.c.kind == "anonymous")
        .where(speaker.c.id == walk.c.speaker_id)
        .scalar_subquery()
    )
    columns: list[Any] = [
        walk.c.start_id,
        func.max(walk.c.depth).label("depth"),
        func.bool_and(~func.coalesce(anonymous, false())).label("on_record"),
        func.max(certainty_rank(walk.c.certainty)).label("weakest_rank"),
        func.array_agg(aggregate_order_by(walk.c.attribution_id, walk.c.depth.desc()))[1].label(
            "origin_id"
        ),
        func.array_agg(
            aggregate_order_by(
                func.coalesce(walk.c.speaker_id, walk.c.source_id), walk.c.depth.desc()
            )
        )[1].label("origin_key"),
        func.bool_or(and_(walk.c.depth >= MAX_DEPTH, walk.c.next_id.is_not(None))).label(
            "truncated"
        ),
    ]
    if with_hops:
        hop = _hop_json(walk.c.attribution_id, walk.c.depth, attributions)
        columns.append(func.json_agg(aggregate_order_by(hop, walk.c.depth)).label("hops"))
    grouped = select(*columns).group_by(walk.c.start_id).subquery("chain")
    weakest = certainty_name(grouped.c.weakest_rank)
    summary_fields: list[Any] = [
        "start_attribution_id",
        grouped.c.start_id,
        "depth",
        grouped.c.depth,
        "origin",
        _origin_json(grouped.c.origin_id, attributions),
        "on_record",
        grouped.c.on_record,
        "weakest_certainty",
        weakest,
        "truncated",
        grouped.c.truncated,
    ]
    if with_hops:
        summary_fields += ["hops", grouped.c.hops]
    return select(
        grouped.c.start_id,
        grouped.c.depth,
        grouped.c.on_record,
        weakest.label("weakest_certainty"),
        grouped.c.truncated,
        grouped.c.origin_key,
        func.json_build_object(*summary_fields).label("summary"),
    )
