"""``GET /v1/events/timeline``: events in time order, with their uncertainty.

One SQL statement resolves what can be resolved and fetches every event with
its participants and the claims about it; Python only orders the rows.

- An event's own range places it ("placement": "time"), ordered by its first
  possible day, then its last (open ends sort first / last), then id.
- An event without a range whose time is relative to a dated event (or a
  chain of them) with an ``offset_days``, or relative to a dated source with
  an offset, or tied to a dated event by a relation with ``offset_days``
  ("6 jours après"), gets a derived range (``resolved.derived``): worked out
  by triggers after every write that can change one and kept in
  ``event_derived_times`` (migration 0014), not on every request.
- An event still undated but related ("after", "before", "during") to a placed
  event is put next to it ("placement": "relation", ``placed`` says how);
  chains of such relations are followed. Anything else comes last
  ("placement": "unknown"). Nothing is guessed into ``time``: the stored
  fuzzy time is returned as is, the derived range separately.
"""

import functools
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal
from uuid import UUID

import orjson
from pydantic import BaseModel, Field
from sqlalchemy import text

from app import sqlcompile
from app.errors import InvalidField
from app.fuzzytime import FuzzyTimeRead

_TIMELINE_OF = """
WITH
effective AS (
    SELECT e.*, coalesce(e.time_range, d.time_range) AS effective_range,
           e.time_range IS NULL AND d.event_id IS NOT NULL AS derived
    FROM events AS e LEFT JOIN event_derived_times AS d ON d.event_id = e.id
),
chosen AS (
    SELECT * FROM {events} AS e
    WHERE (CAST(:participant_id AS uuid) IS NULL OR e.id IN (
              SELECT p.event_id FROM event_participants AS p
              WHERE p.actor_id = CAST(:participant_id AS uuid)))
    ORDER BY e.effective_range IS NULL, lower(e.effective_range) NULLS FIRST,
             upper(e.effective_range) NULLS LAST, e.id
    LIMIT :limit
)
SELECT json_build_object(
    'id', e.id,
    'kind', e.kind,
    'title', e.title,
    'place', e.place,
    'time', json_build_object(
        'expression', e.time_expression,
        'relative_to', e.time_relative_to,
        'anchor_source_id', e.time_anchor_source_id,
        'anchor_event_id', e.time_anchor_event_id,
        'offset_days', e.time_offset_days,
        'earliest', lower(e.time_range),
        'latest', upper(e.time_range) - 1,
        'precision', e.time_precision),
    'resolved', CASE WHEN e.effective_range IS NOT NULL THEN json_build_object(
        'earliest', lower(e.effective_range),
        'latest', upper(e.effective_range) - 1,
        'derived', e.derived) END,
    'participants', (
        SELECT coalesce(json_agg(json_build_object(
            'actor_id', p.actor_id, 'role', p.role, 'name', a.name) ORDER BY p.id), '[]'::json)
        FROM event_participants AS p JOIN actors AS a ON a.id = p.actor_id
        WHERE p.event_id = e.id),
    'claims', (
        SELECT coalesce(json_agg(json_build_object(
            'id', c.id,
            'text', c.text,
            'language', c.language,
            'english', CASE WHEN c.language = 'en' OR c.language LIKE 'en-%' THEN c.text ELSE (
                SELECT t.text FROM claim_translations AS t
                WHERE t.claim_id = c.id AND (t.language = 'en' OR t.language LIKE 'en-%')
                ORDER BY t.language = 'en' DESC, t.language LIMIT 1) END
        ) ORDER BY c.id), '[]'::json)
        FROM claim_events AS ce JOIN claims AS c ON c.id = ce.claim_id
        WHERE ce.event_id = e.id){placement}
)::text,
-- For undated events: the events they are related to, seen from this side.
CASE WHEN e.effective_range IS NULL THEN (
    SELECT coalesce(json_agg(json_build_object(
        'relation', x.relation, 'event_id', x.other,
        'earliest', lower(o.effective_range), 'latest', upper(o.effective_range) - 1,
        'dated', o.effective_range IS NOT NULL) ORDER BY x.rank, x.relation_id), '[]'::json)
    FROM (
        SELECT r.id AS relation_id, 0 AS rank, r.relation, r.related_event_id AS other
        FROM event_relations AS r WHERE r.event_id = e.id
        UNION ALL
        SELECT r.id, 1, CASE r.relation WHEN 'before' THEN 'after' WHEN 'after' THEN 'before'
                                       WHEN 'during' THEN 'contains' ELSE r.relation END,
               r.event_id
        FROM event_relations AS r WHERE r.related_event_id = e.id
    ) AS x JOIN effective AS o ON o.id = x.other
)::text END
FROM chosen AS e
ORDER BY e.effective_range IS NULL, lower(e.effective_range) NULLS FIRST,
         upper(e.effective_range) NULLS LAST, e.id
"""

# Every event, dated, derived or not (the undated ones last).
_TIMELINE = _TIMELINE_OF.format(events="effective", placement="")
# A window's events: the stored ranges that overlap it and the derived ones
# that do, each found on its GiST index. All of them are dated, so the SQL's
# order is the timeline's and its documents are final (``body``).
_WINDOW = _TIMELINE_OF.format(
    placement=",\n    'placement', 'time', 'placed', NULL",
    events="""(
        SELECT e.*, e.time_range AS effective_range, false AS derived
        FROM events AS e
        WHERE e.time_range && daterange(CAST(:time_from AS date), CAST(:time_to AS date), '[]')
        UNION ALL
        SELECT e.*, d.time_range, true
        FROM event_derived_times AS d JOIN events AS e ON e.id = d.event_id
        WHERE e.time_range IS NULL
          AND d.time_range && daterange(CAST(:time_from AS date), CAST(:time_to AS date), '[]')
    )""",
)

# How an undated event sits next to the event it is related to.
_SIDE = {"after": 1, "during": 1, "same_time": 1, "before": -1, "contains": -1}

Path = tuple[tuple[Any, ...], ...]


@dataclass
class _Entry:
    document: dict[str, Any]
    related: list[dict[str, Any]] = field(default_factory=list)


def _time_path(event_id: str, earliest: str | None, latest: str | None) -> Path:
    return ((earliest or "", latest or "~", event_id),)


def order(rows: list[tuple[str, str | None]]) -> list[dict[str, Any]]:
    """Order the events; mark each one's placement."""
    entries = [_Entry(orjson.loads(doc), orjson.loads(rel) if rel else []) for doc, rel in rows]
    paths: dict[str, Path] = {}
    for entry in entries:
        doc = entry.document
        resolved = doc["resolved"]
        if resolved is not None:
            doc["placement"], doc["placed"] = "time", None
            paths[doc["id"]] = _time_path(doc["id"], resolved["earliest"], resolved["latest"])
        for other in entry.related:
            if other["dated"]:
                paths.setdefault(
                    other["event_id"],
                    _time_path(other["event_id"], other["earliest"], other["latest"]),
                )
    pending = [entry for entry in entries if entry.document["resolved"] is None]
    progress = True
    while pending and progress:
        progress = False
        for entry in list(pending):
            for other in entry.related:
                anchor = paths.get(other["event_id"])
                if anchor is None or other["relation"] not in _SIDE:
                    continue
                doc = entry.document
                paths[doc["id"]] = (*anchor, (_SIDE[other["relation"]], doc["id"]))
                doc["placement"] = "relation"
                doc["placed"] = {"relation": other["relation"], "event_id": other["event_id"]}
                pending.remove(entry)
                progress = True
                break
    for entry in pending:
        entry.document["placement"], entry.document["placed"] = "unknown", None

    def key(entry: _Entry) -> tuple[int, Path]:
        path = paths.get(entry.document["id"])
        if path is None:
            return (1, ((entry.document["id"],),))
        return (0, (*path, (0, "")))

    return [entry.document for entry in sorted(entries, key=key)]


def body(rows: list[tuple[str, str | None]], limit: int, *, windowed: bool) -> str:
    """The response from the statement's rows (``limit`` + 1 of them at most).

    A window's events are all dated: the statement's order is the timeline's
    and its documents are final, so their text is passed through unparsed
    (at 1M claims, parsing and re-serialising 50 events cost more Python
    time than the rest of the request)."""
    truncated = "true" if len(rows) > limit else "false"
    if windowed:
        return f'{{"items":[{",".join(row[0] for row in rows[:limit])}],"truncated":{truncated}}}'
    items = order(rows[:limit])
    return orjson.dumps({"items": items, "truncated": len(rows) > limit}).decode()


@functools.cache
def _timeline_sql(windowed: bool) -> sqlcompile.DriverSQL:
    if windowed:
        # Planned once per connection on the fast path: the plan reads both
        # ranges' GiST indexes whatever the window (a custom plan is the same
        # plan, and planning it was 1.1 of 5.3 ms at 1M claims).
        values = ("participant_id", "time_from", "time_to", "limit")
        return sqlcompile.DriverSQL.compile(text(_WINDOW), values, generic_plan=True)
    return sqlcompile.DriverSQL.compile(text(_TIMELINE), ("participant_id", "limit"))


async def timeline(
    reader: sqlcompile.Reader,
    *,
    participant_id: UUID | None,
    time_from: date | None,
    time_to: date | None,
    limit: int,
) -> str:
    if time_from and time_to and time_from > time_to:
        raise InvalidField(
            "time_from must not be after time_to", field="time_from", location="query"
        )
    windowed = time_from is not None or time_to is not None
    values: dict[str, Any] = {"participant_id": participant_id, "limit": limit + 1}
    if windowed:
        values |= {"time_from": time_from, "time_to": time_to}
    rows = await _timeline_sql(windowed).rows(reader, values)
    return body([(row[0], row[1]) for row in rows], limit, windowed=windowed)


class TimelineResolved(BaseModel):
    earliest: date | None
    latest: date | None
    derived: bool = Field(
        description="True when computed from a relative anchor (another event or a source, "
        "plus offset_days) rather than stored on the event."
    )


class TimelineParticipant(BaseModel):
    actor_id: UUID
    role: str
    name: str


class TimelineClaim(BaseModel):
    id: UUID
    text: str
    language: str
    english: str | None = Field(description="The claim in English: its text or translation.")


class TimelinePlaced(BaseModel):
    relation: Literal["after", "before", "during", "contains", "same_time"]
    event_id: UUID = Field(description="The event this one is placed next to.")


class TimelineEvent(BaseModel):
    id: UUID
    kind: str
    title: str
    place: str | None
    time: FuzzyTimeRead = Field(description="The event's time as stored.")
    resolved: TimelineResolved | None = Field(
        description="The days it can denote, stored or derived; null when unknown."
    )
    placement: Literal["time", "relation", "unknown"] = Field(
        description="`time`: ordered by `resolved`; `relation`: undated, put next to a "
        "related event (`placed`); `unknown`: undated and unrelated, listed last."
    )
    placed: TimelinePlaced | None
    participants: list[TimelineParticipant]
    claims: list[TimelineClaim] = Field(description="Claims about the event.")


class Timeline(BaseModel):
    items: list[TimelineEvent]
    truncated: bool = Field(description="More events match than `limit`.")
