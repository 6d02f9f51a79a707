"""Merging two actors that are one person, and undoing it exactly.

A merge moves to the survivor everything that points at the merged actor
(its attributions, its roles as publisher or author of sources, others'
roles in it as an organisation, its part in events and claim relations,
actors merged into it before) and copies its names and roles to the
survivor, so the merged actor stays readable as it was. What moved is kept
in ``actor_merges``; an unmerge puts back exactly those rows (those still
pointing at the survivor) and records that the two are different people.
"""

import json
from collections.abc import Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import Table, delete, func, insert, literal, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from app import writes
from app.actors.models import Actor, ActorName, ActorRole
from app.actors.service import get_actor, refresh_keys
from app.attributions.models import Attribution
from app.claims.models import ClaimRelation
from app.documents import Document
from app.errors import ActorMerged, Conflict, FieldError, NotFound, UnknownReference
from app.events.models import EventParticipant
from app.identity.keys import kind_family
from app.identity.models import ActorDistinction, ActorDuplicate, ActorKey, ActorMerge
from app.provenance.corroboration import refresh_corroboration
from app.sources.models import Source, SourceAuthor


def _table(model: type[Any]) -> Table:
    table = model.__table__
    assert isinstance(table, Table)
    return table


ACTORS = _table(Actor)
DISTINCT = _table(ActorDistinction)
DUPLICATES = _table(ActorDuplicate)
MERGES = _table(ActorMerge)

# (table, column): references to an actor that a merge re-points, each row
# recorded by id. Source authors and event participants are unique per
# source/event: where the survivor is already there, the merged actor's row
# goes (recorded whole, to come back on unmerge).
MOVED: dict[str, tuple[Any, str]] = {
    "attributions": (Attribution.__table__, "speaker_id"),
    "publisher_of": (Source.__table__, "publisher_id"),
    "roles_in": (ActorRole.__table__, "organisation_id"),
    "claim_relations": (ClaimRelation.__table__, "asserted_by_actor_id"),
}
UNIQUE_LINKS: dict[str, tuple[Any, str]] = {
    "authors": (SourceAuthor.__table__, "source_id"),
    "participants": (EventParticipant.__table__, "event_id"),
}


async def _locked(session: AsyncSession, ids: Sequence[UUID]) -> dict[UUID, Any]:
    rows = await session.execute(
        select(ACTORS).where(ACTORS.c.id.in_(ids)).order_by(ACTORS.c.id).with_for_update()
    )
    return {row.id: row for row in rows}


def _merge_conflicts(merged: Any, survivor: Any) -> list[str]:
    """Single values the two hold differently: a merge would have to choose."""
    conflicts = []
    if kind_family(merged.kind) != kind_family(survivor.kind):
        conflicts.append(f"kind: {merged.kind!r} and {survivor.kind!r}")
    if merged.wikidata_id and survivor.wikidata_id and merged.wikidata_id != survivor.wikidata_id:
        conflicts.append(f"wikidata_id: {merged.wikidata_id} and {survivor.wikidata_id}")
    return conflicts


async def _repoint(
    session: AsyncSession, table: Any, column: str, old: UUID, new: UUID
) -> list[str]:
    rows = await session.execute(
        update(table).where(table.c[column] == old).values({column: new}).returning(table.c.id)
    )
    return [str(row_id) for (row_id,) in rows]


async def _repoint_unique(
    session: AsyncSession, table: Any, parent: str, old: UUID, new: UUID
) -> tuple[list[str], list[dict[str, Any]]]:
    """Re-point ``actor_id`` rows; where the survivor is already linked to the
    same parent, delete the merged actor's row instead (returned whole)."""
    removed = await session.execute(
        text(
            f"DELETE FROM {table.name} t WHERE t.actor_id = :old AND t.{parent} IN"
            f" (SELECT s.{parent} FROM {table.name} s WHERE s.actor_id = :new)"
            " RETURNING to_jsonb(t)"
        ),
        {"old": old, "new": new},
    )
    deleted = [row for (row,) in removed]
    moved = await _repoint(session, table, "actor_id", old, new)
    return moved, deleted


async def _copy_names_and_roles(
    session: AsyncSession, merged: Any, survivor_id: UUID
) -> tuple[list[str], list[str]]:
    """The merged actor's name and names become the survivor's (new rows,
    recorded), and its roles too; the merged actor keeps its own."""
    names = ActorName.__table__
    own = await session.execute(
        select(names.c.name, names.c.language, names.c.kind).where(names.c.actor_id == merged.id)
    )
    wanted = [{"name": merged.name, "language": None, "kind": "alias"}]
    wanted += [dict(row._asdict()) for row in own]
    added_names: list[str] = []
    for values in wanted:
        statement = (
            pg_insert(ActorName)
            .values(actor_id=survivor_id, **values)
            .on_conflict_do_nothing()
            .returning(ActorName.id)
        )
        row_id = (await session.execute(statement)).scalar_one_or_none()
        if row_id is not None:
            added_names.append(str(row_id))
    roles = ActorRole.__table__
    copied = await session.execute(
        insert(ActorRole)
        .from_select(
            ["actor_id", "title", "organisation_id", "started_on", "ended_on"],
            select(
                literal(survivor_id),
                roles.c.title,
                roles.c.organisation_id,
                roles.c.started_on,
                roles.c.ended_on,
            ).where(roles.c.actor_id == merged.id),
        )
        .returning(ActorRole.id)
    )
    return added_names, [str(row_id) for (row_id,) in copied]


async def merge_actor(session: AsyncSession, *, actor_id: UUID, into_id: UUID) -> Document:
    """Merge ``actor_id`` into ``into_id``; the survivor's document."""
    if actor_id == into_id:
        raise Conflict(
            "an actor cannot be merged into itself",
            errors=[FieldError(pointer="/into", location="body", detail="the actor itself")],
        )
    actors = await _locked(session, [actor_id, into_id])
    merged, survivor = actors.get(actor_id), actors.get(into_id)
    if merged is None:
        raise NotFound(f"no actor with id {actor_id}")
    if survivor is None:
        raise UnknownReference(f"into ({into_id}) names no actor", field="into")
    if merged.merged_into_id is not None:
        raise ActorMerged(
            f"actor {actor_id} is already merged into actor {merged.merged_into_id}",
            merged_into=merged.merged_into_id,
        )
    if survivor.merged_into_id is not None:
        raise ActorMerged(
            f"actor {into_id} is itself merged into actor {survivor.merged_into_id}: merge "
            "into that one",
            merged_into=survivor.merged_into_id,
            field="into",
        )
    conflicts = _merge_conflicts(merged, survivor)
    if conflicts:
        raise Conflict(
            "the two actors hold different values a merge would have to choose between: "
            + "; ".join(conflicts)
            + " (correct one of them first)"
        )
    # The merged actor's version is what If-Match names: checked by this update.
    await writes.update_row(
        session,
        Actor,
        actor_id,
        {"status": "merged", "merged_into_id": into_id, "merged_at": func.now()},
        what="actor",
    )
    moved: dict[str, Any] = {}
    for name, (table, column) in MOVED.items():
        moved[name] = await _repoint(session, table, column, actor_id, into_id)
    for name, (table, parent) in UNIQUE_LINKS.items():
        moved[name], moved[f"{name}_removed"] = await _repoint_unique(
            session, table, parent, actor_id, into_id
        )
    moved["merged_before"] = await _repoint(session, ACTORS, "merged_into_id", actor_id, into_id)
    moved["names_added"], moved["roles_added"] = await _copy_names_and_roles(
        session, merged, into_id
    )
    if merged.wikidata_id and not survivor.wikidata_id:
        await session.execute(update(Actor).where(Actor.id == actor_id).values(wikidata_id=None))
        await writes.update_row(
            session, Actor, into_id, {"wikidata_id": merged.wikidata_id}, what="actor"
        )
        moved["wikidata_id"] = merged.wikidata_id
    moved["duplicates_removed"] = await _forget_pair(session, actor_id, into_id)
    await session.execute(
        insert(ActorMerge).values(actor_id=actor_id, into_id=into_id, moved=moved)
    )
    await session.execute(delete(ActorKey).where(ActorKey.actor_id == actor_id))
    await refresh_keys(session, into_id)
    await refresh_corroboration(session, speaker_ids=[into_id])
    return await get_actor(session, actor_id=into_id)


async def _forget_pair(session: AsyncSession, a: UUID, b: UUID) -> list[Any]:
    """No duplicate candidate of ``a`` (merged away), no "distinct" decision
    between the two; the candidates removed, for an unmerge to put back."""
    low, high = min(a, b), max(a, b)
    removed = await session.execute(
        text(
            "DELETE FROM actor_duplicates d WHERE d.actor_id = :a OR d.candidate_id = :a"
            " RETURNING to_jsonb(d)"
        ),
        {"a": a},
    )
    await session.execute(
        delete(DISTINCT).where(DISTINCT.c.actor_id == low, DISTINCT.c.other_id == high)
    )
    return [row for (row,) in removed]


async def record_distinction(session: AsyncSession, a: UUID, b: UUID) -> bool:
    """Record that ``a`` and ``b`` are different people; False if it already was."""
    low, high = min(a, b), max(a, b)
    added = await session.execute(
        pg_insert(ActorDistinction)
        .values(actor_id=low, other_id=high)
        .on_conflict_do_nothing()
        .returning(ActorDistinction.actor_id)
    )
    duplicates = DUPLICATES
    await session.execute(
        delete(duplicates).where(duplicates.c.actor_id == low, duplicates.c.candidate_id == high)
    )
    return added.scalar_one_or_none() is not None


async def unmerge_actor(session: AsyncSession, *, actor_id: UUID) -> Document:
    """Restore a merged actor with its id and exactly what the merge moved."""
    actors = await _locked(session, [actor_id])
    actor = actors.get(actor_id)
    if actor is None:
        raise NotFound(f"no actor with id {actor_id}")
    if actor.merged_into_id is None:
        raise Conflict(f"actor {actor_id} is not merged: nothing to undo")
    into_id: UUID = actor.merged_into_id
    merges = MERGES
    merge = (
        await session.execute(
            select(merges.c.id, merges.c.moved)
            .where(merges.c.actor_id == actor_id, merges.c.undone_at.is_(None))
            .order_by(merges.c.created_at.desc(), merges.c.id.desc())
            .limit(1)
            .with_for_update()
        )
    ).one()
    moved: dict[str, Any] = merge.moved
    await writes.update_row(
        session,
        Actor,
        actor_id,
        {"status": "active", "merged_into_id": None, "merged_at": None},
        what="actor",
    )
    for name, (table, column) in MOVED.items():
        await _restore(session, table, column, moved[name], into_id, actor_id)
    for name, (table, _) in UNIQUE_LINKS.items():
        await _restore(session, table, "actor_id", moved[name], into_id, actor_id)
        rows = moved[f"{name}_removed"]
        if rows:
            await session.execute(
                text(
                    f"INSERT INTO {table.name}"
                    f" SELECT * FROM jsonb_populate_recordset(NULL::{table.name}, :rows)"
                ),
                {"rows": json.dumps(rows)},
            )
    await _restore(session, ACTORS, "merged_into_id", moved["merged_before"], into_id, actor_id)
    for table, ids in (
        (_table(ActorName), moved["names_added"]),
        (_table(ActorRole), moved["roles_added"]),
    ):
        if ids:
            await session.execute(delete(table).where(table.c.id.in_([UUID(i) for i in ids])))
    if moved.get("wikidata_id"):
        await writes.update_row(session, Actor, into_id, {"wikidata_id": None}, what="actor")
        await session.execute(
            update(Actor).where(Actor.id == actor_id).values(wikidata_id=moved["wikidata_id"])
        )
    await session.execute(
        update(merges).where(merges.c.id == merge.id).values(undone_at=func.now())
    )
    await record_distinction(session, actor_id, into_id)
    candidates = moved.get("duplicates_removed") or []
    if candidates:  # the merged actor's duplicate candidates, as they were
        await session.execute(
            text(
                "INSERT INTO actor_duplicates"
                " SELECT * FROM jsonb_populate_recordset(NULL::actor_duplicates, :rows) r"
                " WHERE NOT EXISTS (SELECT FROM actor_distinctions x"
                " WHERE x.actor_id = r.actor_id AND x.other_id = r.candidate_id)"
                " ON CONFLICT DO NOTHING"
            ),
            {"rows": json.dumps(candidates)},
        )
    await refresh_keys(session, actor_id)
    await refresh_keys(session, into_id)
    await refresh_corroboration(session, speaker_ids=[actor_id, into_id])
    return await get_actor(session, actor_id=actor_id)


async def _restore(
    session: AsyncSession, table: Any, column: str, ids: list[str], survivor: UUID, merged: UUID
) -> None:
    """Point the recorded rows back at the merged actor, those that still
    point at the survivor (a row changed since the merge is left as it is)."""
    if ids:
        await session.execute(
            update(table)
            .where(table.c.id.in_([UUID(i) for i in ids]), table.c[column] == survivor)
            .values({column: merged})
        )
