"""What an actor said, over time (``GET /v1/actors/{id}/statements``): ONE
statement, its page in the order asked (``app.attributions.order``: by the
earliest possible day, unknown last, by default), each record with its
claim, source, time and chain summary, and the actor looked up in the same
statement (a missing actor is a 404 without a second round trip). With
``?fields=`` only the members asked for are built: without ``chain`` no
relay chain is walked, without ``claim`` no claim is joined.
"""

import functools
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import (
    Boolean,
    Date,
    Select,
    Text,
    and_,
    bindparam,
    cast,
    func,
    or_,
    select,
    true,
)
from sqlalchemy.sql.elements import ColumnElement

from app import pagination, sqlcompile
from app.actors.service import survivor
from app.attributions import order
from app.fuzzytime import check_window
from app.provenance.chains import ACTORS, ATTRIBUTIONS, CLAIMS, chain_summaries, chain_walk
from app.provenance.service import CLAIM_EVENTS, claim_brief, page_of_parent, record_fields
from app.sparse import Fields, pick, wanted

STATEMENTS_FILTERS = (
    "actor_id",
    "time_from",
    "time_to",
    "event_id",
    "certainty",
    "mode",
    "direct",
    order.AFTER_KEY,
    order.AFTER_ID,
    pagination.PAGE_SIZE,
)


async def actor_statements(
    reader: sqlcompile.Reader,
    *,
    actor_id: UUID,
    time_from: date | None,
    time_to: date | None,
    event_id: UUID | None,
    certainty: str | None,
    mode: str | None,
    direct: bool | None,
    limit: int,
    cursor: str | None,
    sort: str = "time",
    fields: Fields = None,
) -> str:
    """The actor's attributions in ``sort`` order (``app.attributions.order``);
    each with its claim, source, time and chain summary (those of ``fields``)."""
    check_window(time_from, time_to)
    last_key, last_id = (
        pagination.decode_keyset_cursor(cursor, functools.partial(order.parse_key, sort))
        if cursor
        else (None, None)
    )
    filters = (time_from, time_to, event_id, certainty, mode, direct, last_id)
    first_page = all(value is None for value in filters)
    rows = await _statements_sql(sort, fields, first_page).rows(
        reader,
        {
            "actor_id": actor_id,
            "time_from": time_from,
            "time_to": time_to,
            "event_id": event_id,
            "certainty": certainty,
            "mode": mode,
            "direct": direct,
            order.AFTER_KEY: last_key,
            order.AFTER_ID: last_id,
            pagination.PAGE_SIZE: limit + 1,
        },
    )
    return page_of_parent(
        rows, limit=limit, what="actor", id=actor_id, cursor_of=lambda row: (row[2], row[1])
    )


@functools.lru_cache(maxsize=256)  # one per order, set of fields and first page: compiled once
def _statements_sql(sort: str, fields: Fields, first_page: bool) -> sqlcompile.DriverSQL:
    """``first_page``: no filter and no cursor, the request most made. That
    statement has no optional condition left, so one plan (the speaker's
    index, in the order asked) is right for every actor: it is planned once
    per connection (``app.db.GENERIC_PLANS``; planning it was 1.8 of its 4.6
    ms at 1M claims)."""
    statement = _statements_statement(sort, fields, first_page)
    return sqlcompile.DriverSQL.compile(statement, STATEMENTS_FILTERS, generic_plan=first_page)


def _statements_statement(sort: str, fields: Fields, first_page: bool) -> Select[Any]:
    """Every optional filter is ``(:value IS NULL OR condition)``: the app's
    connections plan each execution with its values (plan_cache_mode), so
    PostgreSQL folds the unused ones away and indexes serve the rest. The
    ``first_page`` statement has none of them."""
    said = ATTRIBUTIONS.alias("said")
    key = order.sort_key(sort, said.c.time_range)
    time_from = bindparam("time_from", type_=Date)
    time_to = bindparam("time_to", type_=Date)
    event_id = sqlcompile.uuid_param("event_id")
    certainty = bindparam("certainty", type_=Text)
    mode = bindparam("mode", type_=Text)
    direct = bindparam("direct", type_=Boolean)
    last_id = sqlcompile.uuid_param(order.AFTER_ID)
    where: list[ColumnElement[bool]] = [
        # a merged actor's statements are its survivor's
        said.c.speaker_id == survivor(sqlcompile.uuid_param("actor_id")),
        said.c.retracted_at.is_(None),  # retracted: kept, not a statement any more
    ]
    if not first_page:
        where += [
            or_(
                and_(time_from.is_(None), time_to.is_(None)),
                said.c.time_range.op("&&")(func.daterange(time_from, time_to, "[]")),
            ),
            or_(
                event_id.is_(None),
                said.c.occasion_event_id == event_id,
                said.c.claim_id.in_(
                    select(CLAIM_EVENTS.c.claim_id).where(CLAIM_EVENTS.c.event_id == event_id)
                ),
            ),
            or_(certainty.is_(None), said.c.certainty == certainty),
            or_(mode.is_(None), said.c.mode == mode),
            or_(direct.is_(None), said.c.relayed_through_id.is_(None) == direct),
            or_(last_id.is_(None), order.after(sort, key, said.c.id)),
        ]
    page = (
        select(
            said.c.id,
            order.key_text(key, said.c.id).label("key"),
            *([] if key is None else [key.label("sort_value")]),
        )
        .where(*where)
        .order_by(*order.order_by(sort, key, said.c.id))
        .limit(pagination.page_size_param())
        .cte("page")
    )
    record = ATTRIBUTIONS.alias("record")
    joined = page.join(record, record.c.id == page.c.id)
    members: list[Any] = ["id", record.c.id]
    if wanted(fields, "claim"):
        claim = CLAIMS.alias("claim")
        joined = joined.join(claim, claim.c.id == record.c.claim_id)
        members += ["claim", claim_brief(claim)]
    members += ["occasion_event_id", record.c.occasion_event_id]
    summary = None
    if wanted(fields, "chain"):
        summary = chain_summaries(chain_walk(select(page.c.id))).subquery("summary")
        joined = joined.join(summary, summary.c.start_id == page.c.id)
    members += record_fields(record, summary)
    items = (
        select(
            page.c.id.label("item_id"),
            page.c.key,
            *([] if key is None else [page.c.sort_value]),
            cast(func.json_build_object(*pick(members, fields)), Text).label("document"),
        )
        .select_from(joined)
        .subquery("items")
    )
    parent = (
        select(ACTORS.c.id.label("parent_id"))
        .where(ACTORS.c.id == sqlcompile.uuid_param("actor_id"))
        .subquery()
    )
    outer_key = None if key is None else items.c.sort_value  # by the key's value, not its text
    return (
        select(parent.c.parent_id, items.c.item_id, items.c.key, items.c.document)
        .select_from(parent.outerjoin(items, true()))
        .order_by(*order.order_by(sort, outer_key, items.c.item_id))
    )
