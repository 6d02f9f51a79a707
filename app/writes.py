"""Row writes that report a missing row as 404 and a stale ``If-Match`` as 412."""

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import delete, func, insert, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.concurrency.preconditions import refuse_stale, version_condition
from app.database_errors import database_problem
from app.db import Entity
from app.errors import NotFound, StillReferenced
from app.referrers import referrers_of


async def insert_row(
    session: AsyncSession, model: type[Entity], values: dict[str, Any], *, id: UUID | None = None
) -> UUID:
    """Insert one row; ``id`` fixes its id (bundles use deterministic ids), else UUIDv7.

    A Core insert of the table on the session's connection: the ORM's bulk
    insert path (``session.execute(insert(Model))``) added nothing here (no
    objects come back) and cost a tenth of a ``POST /v1/attributions``'s CPU."""
    if id is not None:
        values = {**values, "id": id}
    table = model.metadata.tables[model.__tablename__]
    connection = await session.connection()
    row_id: UUID = (
        await connection.execute(insert(table).values(**values).returning(table.c.id))
    ).scalar_one()
    return row_id


async def update_row(
    session: AsyncSession, model: type[Entity], row_id: UUID, values: dict[str, Any], *, what: str
) -> None:
    """Update the given columns (and ``updated_at``); 404 when the row is missing,
    412 when the request's If-Match names another version of it."""
    table = model.__table__
    expected, condition = version_condition(session, table, row_id)
    statement = update(model).where(model.id == row_id)
    if condition is not None:
        statement = statement.where(condition)
    statement = statement.values(**values, updated_at=func.now()).returning(model.id)
    if (await session.execute(statement)).scalar_one_or_none() is None:
        if expected is not None:
            await refuse_stale(session, table, row_id, what)
        raise NotFound(f"no {what} with id {row_id}")


async def delete_row(
    session: AsyncSession, model: type[Entity], row_id: UUID, *, what: str
) -> None:
    """Delete the row; 404 when it is missing, 412 on a stale If-Match, 409
    naming what still refers to it (``app.referrers``). The delete runs in a
    savepoint, so that once PostgreSQL refuses it the transaction can still
    ask which rows refer to it: the references that stopped it, however
    recent."""
    table = model.__table__
    expected, condition = version_condition(session, table, row_id)
    statement = delete(model).where(model.id == row_id)
    if condition is not None:
        statement = statement.where(condition)
    try:
        async with session.begin_nested():
            deleted = (await session.execute(statement.returning(model.id))).scalar_one_or_none()
    except IntegrityError as exc:
        if not isinstance(database_problem(exc), StillReferenced):
            raise
        found = await referrers_of(session, model.__tablename__, row_id)
        raise StillReferenced(
            f"the {what} is still referred to by {found.count} record(s): delete or change "
            "those first (`referrers` lists them)",
            referrers=found.listed,
            count=found.count,
        ) from exc
    if deleted is None:
        if expected is not None:
            await refuse_stale(session, table, row_id, what)
        raise NotFound(f"no {what} with id {row_id}")


async def replace_children(
    session: AsyncSession,
    model: type[Entity],
    parent_column: Any,
    parent_id: UUID,
    rows: Sequence[dict[str, Any]],
) -> None:
    """Make the parent's children exactly ``rows`` (PATCH replaces a list whole)."""
    await session.execute(delete(model).where(parent_column == parent_id))
    if rows:
        await session.execute(insert(model), [{**row} for row in rows])
