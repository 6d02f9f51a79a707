"""Fuzzy time, property by property (Hypothesis).

Whatever a client sends as a time, ``FuzzyTime`` either refuses it with a
validation error naming a field or accepts it in a consistent state:

- a known range exactly when the precision is not ``unknown``;
- ``earliest <= latest`` when both are known;
- an anchor exactly for ``relative_to`` ``source``/``event``;
- validating what it dumps gives it back (a stored time reads back the same);
- its columns hold the inclusive days as a ``[earliest, latest + 1)`` range.

And through the API, a time stored on an event reads back as sent.
"""

from datetime import date, timedelta
from typing import Any
from uuid import UUID

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from app.fields import FIRST_DAY, LAST_DAY
from app.fuzzytime import PRECISIONS, RELATIVE_TO, FuzzyTime, FuzzyTimeRead
from tests.factories import make_event, make_source

DAYS = st.dates(min_value=date.min, max_value=date.max)
STORABLE_DAYS = st.dates(min_value=FIRST_DAY, max_value=LAST_DAY)
ANY_UUID = st.uuids().map(str)


def day_value(day: date) -> Any:
    return day.isoformat()


RAW_TIMES = st.fixed_dictionaries(
    {},
    optional={
        "expression": st.one_of(st.none(), st.text(max_size=20)),
        "relative_to": st.sampled_from([*RELATIVE_TO, "later", ""]),
        "anchor_source_id": st.one_of(st.none(), ANY_UUID),
        "anchor_event_id": st.one_of(st.none(), ANY_UUID),
        "offset_days": st.one_of(
            st.none(), st.integers(-40000, 40000), st.just("6"), st.just(6.0), st.booleans()
        ),
        "earliest": st.one_of(
            st.none(), DAYS.map(day_value), st.just("2019"), st.just(0), st.just("2019-02-30")
        ),
        "latest": st.one_of(st.none(), DAYS.map(day_value), st.just("April 2019")),
        "precision": st.sampled_from([*PRECISIONS, "decade"]),
    },
)


def check_consistent(time: FuzzyTime) -> None:
    known = time.earliest is not None or time.latest is not None
    assert known == (time.precision != "unknown"), time
    if time.earliest is not None and time.latest is not None:
        assert time.earliest <= time.latest, time
    for day in (time.earliest, time.latest):
        assert day is None or FIRST_DAY <= day <= LAST_DAY, time
    assert (time.anchor_source_id is not None) == (time.relative_to == "source"), time
    assert (time.anchor_event_id is not None) == (time.relative_to == "event"), time
    if time.offset_days is not None:
        assert isinstance(time.offset_days, int)
        assert not isinstance(time.offset_days, bool)
        assert -36500 <= time.offset_days <= 36500


@settings(max_examples=500, derandomize=True, database=None, deadline=None)
@given(RAW_TIMES)
def test_a_time_is_refused_naming_a_field_or_accepted_consistent(raw: dict[str, Any]) -> None:
    try:
        time = FuzzyTime.model_validate(raw)
    except ValidationError as exc:
        for error in exc.errors():
            assert error["msg"], error
        return
    check_consistent(time)
    # what it dumps validates back to itself (what is stored reads back the same)
    assert FuzzyTime.model_validate(time.model_dump(mode="json")) == time
    columns = time.to_columns()
    time_range = columns["time_range"]
    if time.precision == "unknown":
        assert time_range is None
    else:
        assert time_range.lower == time.earliest
        expected_upper = None if time.latest is None else time.latest + timedelta(days=1)
        assert time_range.upper == expected_upper
        assert time_range.bounds == "[)"


@settings(max_examples=300, derandomize=True, database=None, deadline=None)
@given(
    STORABLE_DAYS,
    st.integers(0, 4000),
    st.sampled_from(["day", "week", "month", "year", "range"]),
)
def test_every_storable_window_is_accepted(first: date, span: int, precision: str) -> None:
    last = min(first + timedelta(days=span), LAST_DAY)
    time = FuzzyTime.model_validate({"earliest": first, "latest": last, "precision": precision})
    check_consistent(time)


@settings(max_examples=200, derandomize=True, database=None, deadline=None)
@given(STORABLE_DAYS, STORABLE_DAYS)
def test_bounds_in_the_wrong_order_are_refused_on_latest(a: date, b: date) -> None:
    first, last = max(a, b), min(a, b)
    if first == last:
        return
    with pytest.raises(ValidationError) as refused:
        FuzzyTime(earliest=first, latest=last)
    # the model-level check names the field it blames (the API points at /latest)
    blamed = [
        getattr((e.get("ctx") or {}).get("error"), "field", None) for e in refused.value.errors()
    ]
    assert blamed == ["latest"]


TIMES_TO_STORE = st.builds(
    lambda first, span, open_end, precision, expression: {
        "expression": expression,
        "earliest": first.isoformat(),
        "latest": None if open_end else min(first + timedelta(days=span), LAST_DAY).isoformat(),
        "precision": precision,
    },
    STORABLE_DAYS,
    st.integers(0, 400),
    st.booleans(),
    st.sampled_from(["day", "week", "month", "year", "range"]),
    st.one_of(st.none(), st.text(st.characters(codec="utf-8", exclude_characters="\x00"))),
)


@settings(
    max_examples=25,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(time=TIMES_TO_STORE, relative=st.sampled_from(["none", "source", "event"]))
async def test_a_stored_time_reads_back_as_sent(client, connection, time, relative) -> None:
    savepoint = await connection.begin_nested()
    try:
        sent = dict(time)
        if relative == "source":
            sent |= {"relative_to": "source", "anchor_source_id": (await make_source(client))["id"]}
        elif relative == "event":
            sent |= {"relative_to": "event", "anchor_event_id": (await make_event(client))["id"]}
        event = await make_event(client, time=sent)
        read = (await client.get(f"/v1/events/{event['id']}")).json()["time"]
        expected = FuzzyTimeRead.model_validate(sent).model_dump(mode="json")
        assert read == expected
        assert UUID(event["id"])
        # an overlapping window finds it, a window after it does not
        window = {"time_from": time["earliest"], "time_to": time["earliest"]}
        found = await client.get("/v1/events", params={**window, "limit": 200})
        assert event["id"] in {item["id"] for item in found.json()["items"]}
    finally:
        await savepoint.rollback()
