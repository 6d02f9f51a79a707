"""Time expressions, English and French: ``parse_time`` turns one ("vendredi
dernier", "le 7 avril", "last week", "il y a deux semaines") into FuzzyTime's
fields resolved against an anchor day (a source's publication), and
``find_times`` finds them in running text.

Rules, not dateparser: on the listed cases (tests/data/extraction/
time-expressions.json, scored by ``python -m bench extraction --time``) the
rules give the expected range far more often, because dateparser answers a
single day where the text gives a week or a month, and reads "jeudi
dernier" on a Friday as yesterday. Conventions, where usage varies:

- "<weekday> dernier" / "last <weekday>": the latest such day at least two
  days before the anchor ("jeudi dernier" written on a Friday is eight days
  back: the day before would be "hier"); a bare weekday ("on Thursday"):
  the latest such day on or before the anchor.
- a day or month without a year: the latest one not after the anchor (news
  reports what happened), a day up to a week ahead allowed.
- without an anchor, a relative expression keeps its offset when it has one
  in days ("yesterday": -1, "two weeks ago": -14) and no range.
"""

import calendar
import re
from datetime import date, timedelta

from app.extraction.proposals import Fragment, TimeProposal
from app.extraction.time_words import (
    DAY_OFFSETS,
    MONTHS,
    NUMBERS,
    PERIOD_SHIFTS,
    UNITS,
    WEEKDAYS,
)


def _alternatives(words: object) -> str:
    names = sorted((str(w) for w in words), key=len, reverse=True)  # type: ignore[attr-defined]
    return "|".join(re.escape(n) for n in names)


_MONTH = rf"(?P<month>{_alternatives(MONTHS)})\.?"
_WEEKDAY = rf"(?P<weekday>{_alternatives(WEEKDAYS)})"
_NUMBER = rf"(?P<count>\d+|{_alternatives(NUMBERS)})"
_UNIT = rf"(?P<unit>{_alternatives(UNITS)})"
_DAY = r"(?P<day>[0-3]?\d)(?:er|st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_PART = r"(?:\s+(?:morning|afternoon|evening|night|matin|après-midi|soir|soirée))?"

PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (kind, re.compile(pattern, re.IGNORECASE))
    for kind, pattern in [
        ("iso", r"(?P<year>\d{4})-(?P<month>\d\d)-(?P<day>\d\d)"),
        (
            "day_month",
            rf"(?:{_WEEKDAY},?\s+)?(?:the\s+)?{_DAY}\s+(?:of\s+)?{_MONTH}(?:,?\s+{_YEAR})?",
        ),
        ("month_day", rf"(?:{_WEEKDAY},?\s+)?{_MONTH}\s+{_DAY}(?!\d)(?:,?\s+{_YEAR})?"),
        (
            "month",
            r"(?P<part>early|late|mid-|mid|début|fin|mi-|courant)?\s*(?:d'|d’|de\s+)?"
            rf"{_MONTH}(?:\s+(?:de\s+)?{_YEAR})?",
        ),
        ("year", rf"{_YEAR}"),
        ("named", rf"(?P<named>{_alternatives(DAY_OFFSETS)})"),
        ("period", rf"(?P<period>{_alternatives(PERIOD_SHIFTS)})"),
        ("ago", rf"il\s+y\s+a\s+{_NUMBER}\s+{_UNIT}"),
        ("ago", rf"{_NUMBER}\s+{_UNIT}\s+ago"),
        (
            "after",
            rf"{_NUMBER}\s+{_UNIT}\s+"
            r"(?P<direction>après|plus tard|later|after|avant|before|earlier)",
        ),
        (
            "weekday",
            rf"(?P<which>last|next|this|past|ce|cet)?\s*{_WEEKDAY}{_PART}"
            r"(?:\s+(?P<after>dernier|dernière|passé|prochain|prochaine))?",
        ),
    ]
]
_FILLER = re.compile(r"^(?:on|in|at|since|by|during|le|la|les|en|au|dès|depuis|du|ce|this)\s+")


def _normalise(expression: str) -> str:
    text = re.sub(r"\s+", " ", expression.replace("’", "'")).strip(" .,;:")
    return text.lower()


def _month_range(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def _shift_month(year: int, month: int, shift: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + shift
    return index // 12, index % 12 + 1


def _count(word: str) -> int | None:
    return int(word) if word.isdigit() else NUMBERS.get(word.lower())


def _weekday(anchor: date, weekday: int, which: str | None) -> date:
    back = (anchor.weekday() - weekday) % 7
    if which == "last":
        back = back if back >= 2 else back + 7
    elif which == "next":
        ahead = (weekday - anchor.weekday()) % 7 or 7
        return anchor + timedelta(days=ahead)
    return anchor - timedelta(days=back)


def _unknown(expression: str, relative_to: str = "none", offset: int | None = None) -> TimeProposal:
    return TimeProposal(expression, relative_to, offset)  # type: ignore[arg-type]


def _day(expression: str, day: date, anchor: date | None, relative: bool) -> TimeProposal:
    if relative and anchor is not None:
        return TimeProposal(expression, "source", (day - anchor).days, day, day, "day")
    return TimeProposal(expression, "none", None, day, day, "day")


def parse_time(expression: str, *, language: str, anchor: date | None) -> TimeProposal:
    """FuzzyTime's fields for one expression; ``relative_to="source"``: the
    anchor (the source's publication date) resolved it. What cannot be
    parsed stays unknown (the expression kept)."""
    del language  # one table serves both: their words do not collide
    text = _normalise(expression)
    for candidate in (text, _FILLER.sub("", text)):
        for kind, pattern in PATTERNS:
            match = pattern.fullmatch(candidate)
            if match:
                parsed = _resolve(kind, match, expression, anchor)
                if parsed is not None:
                    return parsed
    return _unknown(expression)


def _resolve(
    kind: str, match: re.Match[str], expression: str, anchor: date | None
) -> TimeProposal | None:
    groups = match.groupdict()
    if kind == "iso":
        try:
            day = date(int(groups["year"]), int(groups["month"]), int(groups["day"]))
        except ValueError:
            return None
        return _day(expression, day, anchor, relative=False)
    if kind in {"day_month", "month_day"}:
        month, day_number = MONTHS[groups["month"].lower()], int(groups["day"])
        if groups.get("year"):
            try:
                return _day(expression, date(int(groups["year"]), month, day_number), None, False)
            except ValueError:
                return None
        if anchor is None:
            return _unknown(expression)
        for year in (anchor.year + 1, anchor.year, anchor.year - 1):
            try:
                day = date(year, month, day_number)
            except ValueError:
                continue
            if day <= anchor + timedelta(days=7):
                return _day(expression, day, None, relative=False)
        return None
    if kind == "month":
        return _month(groups, expression, anchor)
    if kind == "year":
        year = int(groups["year"])
        return TimeProposal(expression, "none", None, date(year, 1, 1), date(year, 12, 31), "year")
    if kind == "named":
        offset = DAY_OFFSETS[groups["named"].replace("’", "'")]
        if anchor is None:
            return _unknown(expression, "source", offset)
        return _day(expression, anchor + timedelta(days=offset), anchor, relative=True)
    if kind == "period":
        return _period(groups["period"], expression, anchor)
    if kind in {"ago", "after"}:
        return _ago(kind, groups, expression, anchor)
    if kind == "weekday":
        which = groups.get("which")
        after = groups.get("after")
        mode = (
            "last"
            if which in {"last", "past"} or after in {"dernier", "dernière", "passé"}
            else None
        )
        if which == "next" or after in {"prochain", "prochaine"}:
            mode = "next"
        if anchor is None:
            return _unknown(expression, "source")
        day = _weekday(anchor, WEEKDAYS[groups["weekday"].lower()], mode)
        return _day(expression, day, anchor, relative=True)
    return None


def _month(
    groups: dict[str, str | None], expression: str, anchor: date | None
) -> TimeProposal | None:
    month = MONTHS[(groups["month"] or "").lower()]
    if groups.get("year"):
        year = int(groups["year"] or 0)
        relative = False
    elif anchor is not None:
        year = anchor.year if month <= anchor.month else anchor.year - 1
        relative = False
    else:
        return _unknown(expression)
    earliest, latest = _month_range(year, month)
    part = (groups.get("part") or "").rstrip("-")
    if part in {"early", "début"}:
        latest = earliest + timedelta(days=9)
    elif part in {"late", "fin"}:
        earliest = latest - timedelta(days=9)
    elif part in {"mid", "mi"}:
        earliest, latest = earliest + timedelta(days=9), earliest + timedelta(days=19)
    precision = (
        "month" if earliest.day == 1 and latest.month != (latest + timedelta(1)).month else "range"
    )
    del relative
    return TimeProposal(expression, "none", None, earliest, latest, precision)  # type: ignore[arg-type]


def _period(period: str, expression: str, anchor: date | None) -> TimeProposal:
    unit, shift = (
        PERIOD_SHIFTS[period.replace("’", "'")]
        if period in PERIOD_SHIFTS
        else PERIOD_SHIFTS[period.replace("'", "’")]
    )
    offset = 7 * shift if unit == "week" else None
    if anchor is None:
        return _unknown(expression, "source", offset)
    if unit == "week":
        monday = anchor - timedelta(days=anchor.weekday()) + timedelta(weeks=shift)
        return TimeProposal(
            expression, "source", offset, monday, monday + timedelta(days=6), "week"
        )
    if unit == "month":
        year, month = _shift_month(anchor.year, anchor.month, shift)
        earliest, latest = _month_range(year, month)
        return TimeProposal(expression, "source", None, earliest, latest, "month")
    year = anchor.year + shift
    return TimeProposal(expression, "source", None, date(year, 1, 1), date(year, 12, 31), "year")


def _ago(
    kind: str, groups: dict[str, str | None], expression: str, anchor: date | None
) -> TimeProposal | None:
    count = _count(groups["count"] or "")
    unit = UNITS.get((groups["unit"] or "").lower())
    if count is None or unit is None:
        return None
    sign = -1
    if kind == "after":
        if groups.get("direction") in {"après", "plus tard", "later", "after"}:
            # "6 jours après" another event: the offset is all the text gives
            return _unknown(expression, "event", count * {"day": 1, "week": 7}.get(unit, 0) or None)
        return _unknown(expression, "event", -count * {"day": 1, "week": 7}.get(unit, 0) or None)
    if unit in {"day", "week"}:
        offset = sign * count * (1 if unit == "day" else 7)
        if anchor is None:
            return _unknown(expression, "source", offset)
        day = anchor + timedelta(days=offset)
        if unit == "day":
            return _day(expression, day, anchor, relative=True)
        return TimeProposal(
            expression, "source", offset, day - timedelta(days=3), day + timedelta(days=3), "week"
        )
    if anchor is None:
        return _unknown(expression, "source")
    if unit == "month":
        year, month = _shift_month(anchor.year, anchor.month, -count)
        earliest, latest = _month_range(year, month)
        return TimeProposal(expression, "source", None, earliest, latest, "month")
    year = anchor.year - count
    return TimeProposal(expression, "source", None, date(year, 1, 1), date(year, 12, 31), "year")


# -- in running text --------------------------------------------------------------------

_FULL_MONTH = _alternatives(name for name in MONTHS if len(name) >= 4 or name in {"mai", "may"})
_FULL_WEEKDAY = _alternatives(name for name in WEEKDAYS if len(name) >= 5)
_PREPOSITION = r"(?:in|en|since|depuis|dès|until|during|jusqu'en|jusqu’en|de|of)"
FINDERS: list[re.Pattern[str]] = [
    re.compile(rf"(?<![\w-])(?:(?:le|on|the)\s+)?(?:{pattern})(?![\w-])", re.IGNORECASE)
    for pattern in [
        *(p.pattern for kind, p in PATTERNS if kind in {"iso", "day_month", "month_day"}),
        rf"(?:(?:{_PREPOSITION}|early|late|début|fin)\s+|mid-|mi-)(?:d'|d’|de\s+)?"
        rf"(?:{_FULL_MONTH})(?:\s+{_YEAR})?",
        rf"(?:{_FULL_MONTH})\s+{_YEAR}",
        rf"{_PREPOSITION}\s+{_YEAR}",
        *(p.pattern for kind, p in PATTERNS if kind in {"named", "period", "ago", "after"}),
        rf"(?:(?:last|next|this|past)\s+)?(?:{_FULL_WEEKDAY}){_PART}"
        r"(?:\s+(?:dernier|dernière|passé|prochain|prochaine))?",
    ]
]


def find_times(text: str) -> list[Fragment]:
    """Where time expressions are in a text: the longest at each place, no
    two overlapping. Stricter than ``parse_time`` ("May" and "2016" count
    only after a preposition, weekdays only spelt out)."""
    found = [
        Fragment(match.start(), match.end())
        for finder in FINDERS
        for match in finder.finditer(text)
        if match.end() > match.start()
    ]
    found.sort(key=lambda f: (f.start, -(f.end - f.start)))
    kept: list[Fragment] = []
    for fragment in found:
        if kept and fragment.start < kept[-1].end:
            continue
        kept.append(fragment)
    return kept


def time_near(
    text: str, start: int, end: int, *, language: str, anchor: date | None
) -> TimeProposal | None:
    """The first time expression between ``start`` and ``end`` (a sentence) that
    parses to something known, with where it is."""
    for fragment in find_times(text[start:end]):
        expression = text[start + fragment.start : start + fragment.end]
        parsed = parse_time(expression, language=language, anchor=anchor)
        if parsed.precision != "unknown" or parsed.offset_days is not None:
            where = Fragment(start + fragment.start, start + fragment.end)
            return TimeProposal(
                parsed.expression,
                parsed.relative_to,
                parsed.offset_days,
                parsed.earliest,
                parsed.latest,
                parsed.precision,
                where,
            )
    return None
