"""Relay chains, their origins, and the corroboration counters stored on claims.

Definitions (shared by every provenance endpoint and by the stored counters):

- A **chain** starts at an attribution of the claim (or of a claim linked to
  it by ``same_as``, either direction, transitively) that no other attribution
  *of the same source* relays. The inner half of a nested report inside one
  document ("diplomats affirm that Bode declared ...") is therefore not a
  chain of its own, while a report relayed by another document still is.
  The chain follows ``relayed_through_id`` back to the record where the words
  first appear: its **origin** hop (at most ``MAX_DEPTH`` relays are followed).
- A chain's **origin** is the origin hop's speaker, or, for the source's own
  voice (no speaker), that hop's source.
- A chain is **on the record** when none of its hops has an anonymous speaker.
- **Weakest certainty**, strongest to weakest: ``asserted``, ``alleged``,
  ``hypothetical``, ``denied``. A hop whose certainty is ``unknown`` tells
  nothing and does not weaken the chain (Bloomberg's text is not held, so its
  hop of the green-light chain is ``unknown`` and the chain stays ``alleged``);
  a chain of unknown hops only is ``unknown``.
- A claim's **independent origins** counts the distinct origins over all its
  chains (ten outlets relaying the same anonymous diplomats count once); the
  claim is **on the record** when one of its chains is, and ``null`` when no
  source records it at all.

This module only depends on the models, so the services of the other
resources can call :func:`refresh_corroboration` after their writes.
"""

import functools
from collections.abc import Iterable, Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import (
    CTE,
    Integer,
    Select,
    Text,
    and_,
    any_,
    bindparam,
    case,
    cast,
    distinct,
    exists,
    false,
    func,
    literal,
    literal_column,
    or_,
    select,
    text,
    tuple_,
    union,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY, aggregate_order_by
from sqlalchemy.dialects.postgresql import UUID as PG_UUID
from sqlalchemy.dialects.postgresql.asyncpg import dialect as asyncpg_dialect
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.selectable import TextualSelect

from app import pagination
from app.actors.models import Actor
from app.attributions.models import Attribution
from app.claims.models import Claim, ClaimRelation
from app.errors import BadCursor
from app.fuzzytime import fuzzy_time_json
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


def certainty_rank(certainty: ColumnElement[Any]) -> ColumnElement[int]:
    ranks = {name: rank for rank, name in enumerate(CERTAINTY_ORDER)}
    return case(ranks, value=certainty, else_=UNKNOWN_RANK)


def certainty_name(rank: ColumnElement[Any]) -> ColumnElement[str]:
    return case(dict(enumerate(CERTAINTY_ORDER)), value=rank, else_="unknown")


def same_as_groups(seeds: Any, *, name: str = "same_as_group") -> CTE:
    """``(root, claim_id)``: each seed claim (column ``claim_id`` of ``seeds``)
    and every claim linked to it by ``same_as``, either way, transitively."""
    groups = select(seeds.c.claim_id.label("root"), seeds.c.claim_id.label("claim_id")).cte(
        name, recursive=True
    )
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
    start = attributions.alias("start")
    relayer = attributions.alias("same_source_relayer")

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
    first = attributions.alias("walk_start")
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
    step = attributions.alias("walk_step")
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


def _hop_json(
    attribution_id: ColumnElement[Any], depth: ColumnElement[Any], attributions: Any
) -> ColumnElement[Any]:
    hop = attributions.alias("hop")
    return (
        select(
            func.json_build_object(
                "attribution_id",
                hop.c.id,
                "depth",
                depth,
                "claim_id",
                hop.c.claim_id,
                "speaker",
                embedded_speaker(hop.c.speaker_id),
                "source",
                embedded_source(hop.c.source_id),
                "time",
                fuzzy_time_json(hop),
                "mode",
                hop.c.mode,
                "cue",
                hop.c.cue,
                "certainty",
                hop.c.certainty,
            )
        )
        .where(hop.c.id == attribution_id)
        .scalar_subquery()
    )


def _origin_json(attribution_id: ColumnElement[Any], attributions: Any) -> ColumnElement[Any]:
    origin = attributions.alias("origin")
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


async def refresh_corroboration(
    session: AsyncSession,
    *,
    claim_ids: Iterable[UUID] = (),
    attribution_ids: Iterable[UUID] = (),
    speaker_ids: Iterable[UUID] = (),
    seed_claims: Select[Any] | TextualSelect | None = None,
) -> None:
    """Recompute ``claims.independent_origins`` and ``claims.on_record`` of
    every claim a write may have changed, in ONE set-based statement.

    Affected claims: ``claim_ids``; for ``attribution_ids`` (and the
    attributions of ``speaker_ids``) the claims of those attributions and of
    every attribution relaying them, directly or not (their chains pass through
    them), and the claim of the attribution each one relays (whether that one
    starts a chain depends on who relays it); then every claim ``same_as``
    any of these; and the claims ``seed_claims`` selects. Call it after the
    write, with the ids the write touched before and after (a re-pointed
    attribution: old and new claim)."""
    claim_ids, attribution_ids, speaker_ids = (
        list(claim_ids),
        list(attribution_ids),
        list(speaker_ids),
    )
    if not (claim_ids or attribution_ids or speaker_ids or seed_claims is not None):
        return
    if seed_claims is not None:
        # A bulk load: many rows, from staging tables, where hash joins are right.
        statement = _refresh_statement(
            with_claims=False, with_touched=False, seed_claims=seed_claims
        )
        await session.execute(statement)
        return
    # From a few ids the recursive CTEs reach a handful of rows, but the
    # planner cannot know how few: on a large database it hashed whole tables
    # (a sequential scan of attributions on every write, 100 ms at 30k
    # attributions and growing with size). Index lookups are what these rows
    # need; the settings are put back for the rest of the transaction. From
    # thousands of ids (a recount of every claim) hash joins are right again,
    # and a speaker's attributions may be that many.
    few = not speaker_ids and len(claim_ids) + len(attribution_ids) <= FEW_IDS
    if few:
        await session.execute(_PLAN_FOR_FEW_ROWS)
    # Built and compiled once per shape: building this tree and its cache key
    # cost 20 ms of CPU per write.
    sql, template = _refresh_sql(bool(claim_ids), bool(attribution_ids or speaker_ids))
    values = {
        "claim_ids": claim_ids,
        "attribution_ids": attribution_ids,
        "speaker_ids": speaker_ids,
    }
    parameters = tuple(values[value] if isinstance(value, _Ids) else value for value in template)
    connection = await session.connection()
    await connection.exec_driver_sql(sql, parameters)
    if few:
        await session.execute(_PLAN_AS_USUAL)


FEW_IDS = 100
"""Up to this many claim and attribution ids, a recount is planned for few rows."""


def _ids(name: str) -> Any:
    return bindparam(name, type_=ARRAY(PG_UUID(as_uuid=True)))


_ID_LISTS = ("claim_ids", "attribution_ids", "speaker_ids")


@functools.cache
def _refresh_sql(with_claims: bool, with_touched: bool) -> tuple[str, tuple[Any, ...]]:
    """The refresh statement as driver SQL, and its parameters in order: the
    name of an id list, or the constant the statement holds there."""
    compiled = _refresh_statement(with_claims=with_claims, with_touched=with_touched).compile(
        dialect=asyncpg_dialect()  # type: ignore[no-untyped-call]
    )
    parameters = tuple(
        _Ids(name) if name in _ID_LISTS else compiled.params[name]
        for name in compiled.positiontup or ()
    )
    return str(compiled), parameters


class _Ids(str):
    """Marks the place of an id list among a statement's parameters."""


def _refresh_statement(
    *,
    with_claims: bool,
    with_touched: bool,
    seed_claims: Select[Any] | TextualSelect | None = None,
) -> Any:
    seed_parts: list[Select[Any]] = []
    if seed_claims is not None:
        # A bulk load names its claims with a query over its staging tables:
        # too many for a list of parameters.
        seed_parts.append(select(seed_claims.subquery("bulk_seed").c[0].label("claim_id")))
    if with_claims:
        seed_parts.append(
            select(CLAIMS.c.id.label("claim_id")).where(CLAIMS.c.id == any_(_ids("claim_ids")))
        )
    if with_touched:
        touched = ATTRIBUTIONS.alias("touched")
        is_touched = or_(
            touched.c.id == any_(_ids("attribution_ids")),
            touched.c.speaker_id == any_(_ids("speaker_ids")),
        )
        downstream = select(touched.c.id).where(is_touched).cte("downstream", recursive=True)
        relayer = ATTRIBUTIONS.alias("relayer")
        downstream = downstream.union(
            select(relayer.c.id).where(relayer.c.relayed_through_id == downstream.c.id)
        )
        down = ATTRIBUTIONS.alias("down")
        seed_parts.append(select(down.c.claim_id).where(down.c.id.in_(select(downstream.c.id))))
        relaying = ATTRIBUTIONS.alias("relaying")
        relayed = ATTRIBUTIONS.alias("relayed")
        seed_parts.append(
            select(relayed.c.claim_id)
            .select_from(relaying.join(relayed, relayed.c.id == relaying.c.relayed_through_id))
            .where(
                or_(
                    relaying.c.id == any_(_ids("attribution_ids")),
                    relaying.c.speaker_id == any_(_ids("speaker_ids")),
                )
            )
        )
    seeds = (seed_parts[0] if len(seed_parts) == 1 else union(*seed_parts)).cte("seed")
    groups = same_as_groups(seeds)
    walk = chain_walk(chain_starts(select(groups.c.claim_id)))
    chains = chain_summaries(walk).subquery("chain_summary")
    start = ATTRIBUTIONS.alias("chain_start")
    per_root = (
        select(
            groups.c.root,
            func.count(distinct(chains.c.origin_key)).label("origins"),
            func.bool_or(chains.c.on_record).label("on_record"),
        )
        .select_from(
            groups.join(start, start.c.claim_id == groups.c.claim_id).join(
                chains, chains.c.start_id == start.c.id
            )
        )
        .group_by(groups.c.root)
        .subquery("per_root")
    )
    # Every member of a group has the group's counts: one row per claim.
    targets = (
        select(
            groups.c.claim_id,
            func.coalesce(per_root.c.origins, 0).label("origins"),
            per_root.c.on_record,
        )
        .distinct()
        .select_from(groups.outerjoin(per_root, per_root.c.root == groups.c.root))
        .subquery("target")
    )
    return (
        update(Claim)
        .where(
            CLAIMS.c.id == targets.c.claim_id,
            or_(
                CLAIMS.c.independent_origins.is_distinct_from(targets.c.origins),
                CLAIMS.c.on_record.is_distinct_from(targets.c.on_record),
            ),
        )
        .values(independent_origins=targets.c.origins, on_record=targets.c.on_record)
    )


_JOIN_SETTINGS = ("enable_hashjoin", "enable_mergejoin", "enable_seqscan")
_PLAN_FOR_FEW_ROWS = text(
    "SELECT " + ", ".join(f"set_config('{name}', 'off', true)" for name in _JOIN_SETTINGS)
)
_PLAN_AS_USUAL = text(
    "SELECT set_config(name, reset_val, true) FROM pg_settings WHERE name IN ("
    + ", ".join(f"'{name}'" for name in _JOIN_SETTINGS)
    + ")"
)


CLAIM_SORTS = ("id", "independent_origins", "-independent_origins")
"""``?sort=`` of the claim list: creation order, or by independent origins
(ties in creation order ascending, newest first descending)."""


async def fetch_origins_page(
    session: AsyncSession,
    *,
    document: ColumnElement[Any],
    where: Sequence[ColumnElement[bool]],
    limit: int,
    cursor: str | None,
    descending: bool,
) -> str:
    """A keyset page of claims ordered by ``(independent_origins, id)``, one way
    or the other (an index scan of ``ix_claims_independent_origins_id``). The
    cursor carries the sort, the count and the id of the last row."""
    sort = "-independent_origins" if descending else "independent_origins"
    key, ident = CLAIMS.c.independent_origins, CLAIMS.c.id
    statement = select(key, ident, cast(document, Text)).where(*where)
    if cursor:
        name, count, last = pagination.decode_cursor(cursor, parts=3)
        if name != sort:
            raise BadCursor()
        try:
            count_value, last_id = int(count), UUID(last)
        except ValueError as exc:
            raise BadCursor() from exc
        if not 0 <= count_value < 2**31:
            raise BadCursor()
        position = tuple_(key, ident)
        bound = tuple_(literal(count_value, Integer), literal(last_id, PG_UUID(as_uuid=True)))
        statement = statement.where(position < bound if descending else position > bound)
    order = (key.desc(), ident.desc()) if descending else (key.asc(), ident.asc())
    rows = (await session.execute(statement.order_by(*order).limit(limit + 1))).all()
    page = rows[:limit]
    next_cursor = (
        pagination.encode_cursor(sort, page[-1][0], page[-1][1]) if len(rows) > limit else None
    )
    return pagination.page_json([row[2] for row in page], next_cursor)
