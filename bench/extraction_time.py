"""Time expressions: our rules (app/extraction/time_expressions.py) against
dateparser on the cases of tests/data/extraction/time-expressions.json. A
case is right when the range (earliest, latest) is the expected one (both
unknown included: without an anchor a relative expression has no range).
Offsets are not compared: dateparser gives none."""

from __future__ import annotations

import calendar
import json
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from app.extraction.time_expressions import parse_time

CASES = (
    Path(__file__).resolve().parent.parent
    / "tests"
    / "data"
    / "extraction"
    / "time-expressions.json"
)


def load_cases(path: Path = CASES) -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))
    return cases


def _anchor(case: dict[str, Any]) -> date | None:
    return date.fromisoformat(case["anchor"]) if case["anchor"] else None


def rules_answer(case: dict[str, Any]) -> dict[str, Any]:
    parsed = parse_time(case["expression"], language=case["language"], anchor=_anchor(case))
    return {
        "earliest": parsed.earliest.isoformat() if parsed.earliest else None,
        "latest": parsed.latest.isoformat() if parsed.latest else None,
        "offset_days": parsed.offset_days,
    }


def dateparser_answer(case: dict[str, Any]) -> dict[str, Any]:
    """dateparser's day and period ("day", "week", "month", "year") as a range."""
    from dateparser.date import DateDataParser

    settings: dict[str, Any] = {"PREFER_DATES_FROM": "past", "RETURN_TIME_AS_PERIOD": True}
    anchor = _anchor(case)
    if anchor is not None:
        settings["RELATIVE_BASE"] = datetime(anchor.year, anchor.month, anchor.day, 12)
    parser = DateDataParser(languages=[case["language"]], settings=settings)
    data = parser.get_date_data(case["expression"])
    if data.date_obj is None:
        return {"earliest": None, "latest": None, "offset_days": None}
    day = data.date_obj.date()
    period = data.period or "day"
    if period == "month":
        earliest = day.replace(day=1)
        latest = day.replace(day=calendar.monthrange(day.year, day.month)[1])
    elif period == "year":
        earliest, latest = date(day.year, 1, 1), date(day.year, 12, 31)
    elif period == "week":
        earliest = day - timedelta(days=day.weekday())
        latest = earliest + timedelta(days=6)
    else:
        earliest = latest = day
    offset = (day - anchor).days if anchor is not None and period in {"day", "time"} else None
    return {"earliest": earliest.isoformat(), "latest": latest.isoformat(), "offset_days": offset}


def is_right(answer: dict[str, Any], expected: dict[str, Any]) -> bool:
    return (answer["earliest"], answer["latest"]) == (expected["earliest"], expected["latest"])


def compare(path: Path = CASES) -> dict[str, Any]:
    cases = load_cases(path)
    result: dict[str, Any] = {}
    for name, answer in (("rules", rules_answer), ("dateparser", dateparser_answer)):
        wrong = [c["expression"] for c in cases if not is_right(answer(c), c["expected"])]
        result[name] = {"cases": len(cases), "right": len(cases) - len(wrong), "wrong": wrong}
    return result


def main(argv: list[str]) -> None:
    del argv
    print(json.dumps(compare(), indent=1, ensure_ascii=False))
