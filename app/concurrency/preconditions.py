"""ETags and If-Match: no lost updates.

A single resource's ETag is its row's ``xmin`` (the id of the transaction
that last wrote it), strong, e.g. ``"4711"``: any change of the row gives a
new one, including the corroboration counts a claim carries. It versions the
record, so ``?expand=`` variants of one version share it, and a change to an
expanded neighbour does not change it.

PATCH and DELETE with ``If-Match`` put the version into the UPDATE's (or
DELETE's) WHERE clause (``writes.update_row``/``writes.delete_row``): of two
clients sending the same ETag, the second waits for the first's row lock,
then PostgreSQL re-checks the WHERE on the new row version, finds another
``xmin`` and changes nothing, and the client gets 412. ``If-Match: *``
matches any existing version. With ``ONRECORD_REQUIRE_IF_MATCH=true`` a PATCH
or DELETE without If-Match is refused (428).
"""

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from fastapi import Request
from sqlalchemy import ColumnElement, exists, literal_column, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.errors import PreconditionFailed, PreconditionRequired

IF_MATCH = "onrecord.if_match"
"""``session.info`` key of the request's ``Expected`` version."""

CHECKED_METHODS = frozenset({"PATCH", "PUT", "DELETE"})


@dataclass(frozen=True)
class Expected:
    """The If-Match of a request on the resource ``row_id``; ``tags`` None for ``*``."""

    row_id: UUID
    tags: frozenset[str] | None


def etag(version: str) -> str:
    return f'"{version}"'


def parse_if_match(header: str) -> frozenset[str] | None:
    """The strong entity tags of an If-Match (their opaque part), None for ``*``.
    Weak tags never match If-Match (RFC 9110 strong comparison)."""
    if header.strip() == "*":
        return None
    tags = set()
    for part in header.split(","):
        tag = part.strip()
        if len(tag) >= 2 and tag.startswith('"') and tag.endswith('"'):
            tags.add(tag[1:-1])
    return frozenset(tags)


def expect_version(request: Request, session: AsyncSession, *, require: bool) -> None:
    """Record the If-Match of a PATCH/PUT/DELETE of ``/v1/<resources>/<id>``."""
    if request.method not in CHECKED_METHODS:
        return
    row_id = _resource_id(request)
    if row_id is None:
        return
    header = request.headers.get("if-match")
    if header is None:
        if require:
            raise PreconditionRequired(
                "send If-Match with the ETag of the version you read (or * for any version)"
            )
        return
    session.info[IF_MATCH] = Expected(row_id=row_id, tags=parse_if_match(header))


def expect_version_of(request: Request, session: AsyncSession, row_id: UUID) -> None:
    """Record the If-Match of a POST that changes ``row_id`` (a merge checks
    the version of the actor merged), as ``expect_version`` does for PATCH."""
    header = request.headers.get("if-match")
    if header is not None:
        session.info[IF_MATCH] = Expected(row_id=row_id, tags=parse_if_match(header))


def _resource_id(request: Request) -> UUID | None:
    values = list(request.path_params.values())
    if len(values) != 1:
        return None
    try:
        return UUID(str(values[0]))
    except ValueError:
        return None


def version_condition(
    session: AsyncSession, table: Any, row_id: UUID
) -> tuple[Expected | None, ColumnElement[bool] | None]:
    """The WHERE clause an UPDATE/DELETE of ``row_id`` needs, if the request
    sent If-Match for it (consumed: later writes of the same row in the same
    request are the request's own)."""
    expected = session.info.get(IF_MATCH)
    if not isinstance(expected, Expected) or expected.row_id != row_id:
        return None, None
    del session.info[IF_MATCH]
    if expected.tags is None:
        return expected, None
    return expected, xmin_text(table).in_(sorted(expected.tags))


def xmin_text(table: Any) -> ColumnElement[str]:
    return literal_column(f'"{table.name}".xmin::text')


async def refuse_stale(session: AsyncSession, table: Any, row_id: UUID, what: str) -> None:
    """After a guarded write matched nothing: 412 when the row exists (another
    version), else nothing (the caller reports 404)."""
    found = await session.execute(select(exists().where(table.c.id == row_id)))
    if found.scalar_one():
        raise PreconditionFailed(
            f"the {what} has changed since the ETag you sent: read it again, then retry"
        )
