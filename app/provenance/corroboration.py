"""The corroboration counters stored on claims, and the definitions of the
relay chains and origins they count (the SQL of chains: ``chains``).

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

This module depends only on the models, ``chains`` and the shared SQL
helpers, so the services of the other resources can call
:func:`refresh_corroboration` after their writes.
"""

import contextlib
import functools
from collections.abc import AsyncIterator, Iterable, Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import (
    CTE,
    Select,
    Text,
    any_,
    bindparam,
    distinct,
    func,
    literal_column,
    or_,
    select,
    text,
    union,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.postgresql import UUID as PG_UUID
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement, TextClause
from sqlalchemy.sql.selectable import TextualSelect

from app import pagination, sqlcompile
from app.claims.models import Claim
from app.provenance.chains import (
    ATTRIBUTIONS,
    CLAIMS,
    chain_starts,
    chain_summaries,
    chain_walk,
    same_as_groups,
)


async def refresh_corroboration(
    session: AsyncSession,
    *,
    claim_ids: Iterable[UUID] = (),
    attribution_ids: Iterable[UUID] = (),
    speaker_ids: Iterable[UUID] = (),
    seed_claims: Select[Any] | TextualSelect | None = None,
    few_seeds: bool = False,
    lock: bool = True,
) -> None:
    """Recompute ``claims.independent_origins`` and ``claims.on_record`` of
    every claim a write may have changed: one set-based statement locks
    them (``_lock_statement``: exact under concurrent writes), one recounts
    them.

    Affected claims: ``claim_ids``; for ``attribution_ids`` (and the
    attributions of ``speaker_ids``) the claims of those attributions and of
    every attribution relaying them, directly or not (their chains pass through
    them), and the claim of the attribution each one relays (whether that one
    starts a chain depends on who relays it); then every claim ``same_as``
    any of these; and the claims ``seed_claims`` selects. Call it after the
    write, with the ids the write touched before and after (a re-pointed
    attribution: old and new claim). ``few_seeds``: ``seed_claims`` selects
    few claims against the size of the tables (a bundle, a batch appended to
    a large database). ``lock=False``: claims no other transaction can see or
    write (a first import's, uncommitted), recounted without locking them
    first."""
    claim_ids, attribution_ids, speaker_ids = (
        list(claim_ids),
        list(attribution_ids),
        list(speaker_ids),
    )
    if not (claim_ids or attribution_ids or speaker_ids or seed_claims is not None):
        return
    if seed_claims is not None and few_seeds:
        # A bulk load of few seeds against the tables (a bundle, a batch
        # appended to a large database): by index, a hundred claims at a time.
        # Planned as one statement, its CTEs misjudged and hashed whole tables
        # (0.8 s of a 1,000-attribution bundle at 300k attributions); planned
        # for few rows, thousands of seeds met each other in nested loops, and
        # so did the history trigger's transition tables (11 s a batch of
        # 20,000 attributions at 3M).
        # In id order, as each statement locks: concurrent loads lock alike.
        seeds = sorted(row[0] for row in (await session.execute(seed_claims)).all())
        for start in range(0, len(seeds), FEW_IDS):
            await _recount_few(session, seeds[start : start + FEW_IDS], [], [])
        return
    if seed_claims is not None:
        # Many seeds (every claim, a first import): hash joins are right. The
        # session holds none of these claims as objects: the UPDATE need not
        # send back their ids. Its plan's cost is past ``jit_above_cost``:
        # compiling it took 0.6 s of the 1.6 s a recount of 20k claims took.
        async with _planned_without(session, ("jit",)):
            if lock:
                await session.execute(_lock_statement(_affected(False, False, seed_claims)))
            await session.execute(
                _refresh_statement(_affected(False, False, seed_claims)),
                execution_options={"synchronize_session": False},
            )
        return
    # From a few ids the recursive CTEs reach a handful of rows, but the
    # planner cannot know how few: on a large database it hashed whole tables
    # (a sequential scan of attributions on every write, 100 ms at 30k
    # attributions and growing with size). From thousands of ids (a recount
    # of every claim) hash joins are right again, and a speaker's
    # attributions may be that many.
    if not speaker_ids and len(claim_ids) + len(attribution_ids) <= FEW_IDS:
        await _recount_few(session, claim_ids, attribution_ids, speaker_ids)
    else:
        await _recount_ids(session, claim_ids, attribution_ids, speaker_ids)


async def _recount_few(
    session: AsyncSession,
    claim_ids: list[UUID],
    attribution_ids: list[UUID],
    speaker_ids: list[UUID],
) -> None:
    """``_recount_ids`` planned for few rows (``_FEW_ROWS`` off), in one round
    trip: ``onrecord_recount_few`` (migration 0015) runs the same lock and
    recount, in statements of their own, with the settings off for its
    duration. Four round trips before (settings off, lock, recount, settings
    back): 2 of the 7 statements of a ``POST /v1/attributions``."""
    await _recount_few_sql(bool(claim_ids), bool(attribution_ids or speaker_ids)).execute(
        session,
        {"claim_ids": claim_ids, "attribution_ids": attribution_ids, "speaker_ids": speaker_ids},
    )


@functools.cache
def _recount_few_sql(with_claims: bool, with_touched: bool) -> sqlcompile.DriverSQL:
    return sqlcompile.DriverSQL.compile(
        select(_recount_few_call(with_claims, with_touched)), _ID_LISTS
    )


@functools.cache
def _recount_few_call(with_claims: bool, with_touched: bool) -> ColumnElement[Any]:
    """The call of ``onrecord_recount_few`` with the SQL of ``_recount_ids``,
    written into the call's text (compiled once, and prepared once per
    connection by asyncpg, not sent with every call)."""
    texts = (_lock_sql(with_claims, with_touched), _refresh_sql(True, False))
    return func.onrecord_recount_few(
        *(literal_column(_quoted(sql.inlined(_ID_LISTS)), Text) for sql in texts),
        *(_ids(name) for name in _ID_LISTS),
    )


def recount_call(*, attribution_ids: list[UUID]) -> tuple[ColumnElement[Any], dict[str, Any]]:
    """What ``refresh_corroboration(attribution_ids=...)`` runs for a few ids,
    as a call to make in a statement of the caller's (and its values): a
    write reads its document back and recounts in one round trip. The call
    sees what the statements before it wrote; what the statement it is part
    of reads comes from that statement's snapshot, taken before the call."""
    assert 0 < len(attribution_ids) <= FEW_IDS
    values = {"claim_ids": [], "attribution_ids": attribution_ids, "speaker_ids": []}
    return _recount_few_call(False, True), values


def _quoted(sql: str) -> str:
    return "'" + sql.replace("'", "''") + "'"


async def _recount_ids(
    session: AsyncSession,
    claim_ids: list[UUID],
    attribution_ids: list[UUID],
    speaker_ids: list[UUID],
) -> None:
    """Lock the claims the ids reach, then recount them (planned as usual:
    the ids may reach many rows)."""
    # Built and compiled once per shape: building this tree and its cache key
    # cost 20 ms of CPU per write.
    locked = await _lock_sql(bool(claim_ids), bool(attribution_ids or speaker_ids)).rows(
        session,
        {"claim_ids": claim_ids, "attribution_ids": attribution_ids, "speaker_ids": speaker_ids},
    )
    # A new statement, so a new snapshot: it sees every write committed by the
    # transactions whose locks it waited for.
    await _refresh_sql(True, False).execute(
        session, {"claim_ids": [row[0] for row in locked], "attribution_ids": [], "speaker_ids": []}
    )


@contextlib.asynccontextmanager
async def _planned_without(session: AsyncSession, settings: tuple[str, ...]) -> AsyncIterator[None]:
    """Statements run inside planned with the planner's ``settings`` off
    (``enable_seqscan``...); they are put back as they were for the rest of
    the transaction. Not in a ``finally``: the settings are local to the
    transaction (``set_config(..., true)``), so an error that ends it, or the
    savepoint they were set in, takes them back already, and a statement sent
    into an aborted transaction would hide that error behind its own."""
    if not settings:
        yield
        return
    off, back = _planner_settings(settings)
    before = (await session.execute(off)).one()[: len(settings)]
    yield
    await session.execute(back, {f"before_{index}": value for index, value in enumerate(before)})


FEW_IDS = 100
"""Up to this many claim and attribution ids, a recount is planned for few rows."""


def _ids(name: str) -> Any:
    return bindparam(name, type_=ARRAY(PG_UUID(as_uuid=True)))


_ID_LISTS = ("claim_ids", "attribution_ids", "speaker_ids")


@functools.cache
def _refresh_sql(with_claims: bool, with_touched: bool) -> sqlcompile.DriverSQL:
    """The recount as driver SQL, its id lists given per call."""
    statement = _refresh_statement(_affected(with_claims, with_touched))
    return sqlcompile.DriverSQL.compile(statement, _ID_LISTS)


@functools.cache
def _lock_sql(with_claims: bool, with_touched: bool) -> sqlcompile.DriverSQL:
    """The lock on the claims a recount will write, as driver SQL."""
    return sqlcompile.DriverSQL.compile(
        _lock_statement(_affected(with_claims, with_touched)), _ID_LISTS
    )


def _lock_statement(groups: CTE) -> Select[Any]:
    """Lock the claims of ``groups`` (``FOR NO KEY UPDATE``, as the recount's
    own UPDATE would, in id order so that two recounts never deadlock) and
    return their ids.

    Counts read in one statement come from its snapshot: two writers each
    adding an attribution of a claim would each count the other's as absent,
    and the later UPDATE would store a count missing one (a lost update;
    100 concurrent attributions once read back 63 to 92). With the claims
    locked first, the recount that follows, in a statement of its own,
    starts after every earlier holder of the lock committed, and sees it."""
    return (
        select(CLAIMS.c.id)
        .where(CLAIMS.c.id.in_(select(groups.c.claim_id)))
        .order_by(CLAIMS.c.id)
        .with_for_update(key_share=True)
    )


def _affected(
    with_claims: bool,
    with_touched: bool,
    seed: Select[Any] | TextualSelect | None = None,
) -> CTE:
    """``(root, claim_id)``: the claims a write may have changed the counts of
    (``refresh_corroboration``), grouped by ``same_as``."""
    seed_parts: list[Select[Any]] = []
    if seed is not None:
        # A bulk load names its claims with a query over its staging tables:
        # too many for a list of parameters.
        seed_parts.append(select(seed.subquery("bulk_seed").c[0].label("claim_id")))
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
    return same_as_groups(seeds, many=seed is not None)


def _refresh_statement(groups: CTE) -> Any:
    """Recount the claims of ``groups`` and store what changed."""
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


def group_counts(
    groups: CTE, *, attributions: Any = ATTRIBUTIONS, name: str = "group"
) -> dict[str, ColumnElement[Any]]:
    """``independent_origins`` and ``on_record`` of ONE group of claims
    (``groups``, the ``same_as_groups`` of one claim) over ``attributions``
    (the table, or its rows as they were at a past time), as the recount
    stores them: 0 origins and a null ``on_record`` when nothing records it.
    ``name`` keeps its CTEs apart from those of the statement using it."""
    walk = chain_walk(
        chain_starts(select(groups.c.claim_id), attributions=attributions),
        name=f"{name}_walk",
        attributions=attributions,
    )
    chains = chain_summaries(walk, attributions=attributions).subquery(f"{name}_chains")
    return {
        "independent_origins": select(func.count(distinct(chains.c.origin_key))).scalar_subquery(),
        "on_record": select(func.bool_or(chains.c.on_record)).scalar_subquery(),
    }


_FEW_ROWS = ("enable_hashjoin", "enable_mergejoin", "enable_seqscan")
"""A single write's recount: index lookups and nested loops only."""


@functools.cache
def _planner_settings(names: tuple[str, ...]) -> tuple[TextClause, TextClause]:
    """The statements that turn ``names`` off, answering what they were
    (read in a subquery the planner cannot flatten into the settings' own
    select list: evaluated first, so what is put back is what was), and put
    them back (not ``set_config(name, reset_val, true) FROM pg_settings``:
    that view builds every setting of the server, 0.9 ms of each write)."""
    off = text(
        "SELECT before.*, "
        + ", ".join(f"set_config('{name}', 'off', true)" for name in names)
        + " FROM (SELECT "
        + ", ".join(f"current_setting('{name}')" for name in names)
        + " OFFSET 0) AS before"
    )
    back = text(
        "SELECT "
        + ", ".join(
            f"set_config('{name}', CAST(:before_{index} AS text), true)"
            for index, name in enumerate(names)
        )
    )
    return off, back


CLAIM_SORTS = ("id", "independent_origins", "-independent_origins")
"""``?sort=`` of the claim list: creation order, or by independent origins
(ties in creation order ascending, newest first descending)."""


def _origins_count(text: str) -> int:
    count = int(text)
    if not 0 <= count < 2**31:  # an integer column: no other count was ever stored
        raise ValueError(text)
    return count


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
    return await pagination.fetch_sorted_page(
        session,
        sort="-independent_origins" if descending else "independent_origins",
        key=CLAIMS.c.independent_origins,
        parse_key=_origins_count,
        id_column=CLAIMS.c.id,
        document=document,
        where=where,
        limit=limit,
        cursor=cursor,
        descending=descending,
    )
