"""Time expressions: the listed cases (tests/data/extraction/time-expressions.json,
the same the bench compares with dateparser) and finding them in text."""

from datetime import date

import pytest

from app.extraction import find_times, parse_time
from bench.extraction_time import is_right, load_cases, rules_answer

CASES = load_cases()


@pytest.mark.parametrize(
    "case", CASES, ids=[f"{c['language']}-{c['anchor']}-{c['expression']}" for c in CASES]
)
def test_listed_expression(case):
    assert is_right(rules_answer(case), case["expected"])
    parsed = parse_time(
        case["expression"],
        language=case["language"],
        anchor=date.fromisoformat(case["anchor"]) if case["anchor"] else None,
    )
    assert parsed.offset_days == case["expected"]["offset_days"]
    assert parsed.precision == case["expected"]["precision"]
    assert parsed.relative_to == case["expected"]["relative_to"]
    assert parsed.expression == case["expression"]


def test_unknown_stays_unknown_and_consistent():
    for expression in ["", "bogus", "au printemps", "one day"]:
        parsed = parse_time(expression, language="en", anchor=date(2020, 1, 1))
        assert (parsed.earliest, parsed.latest, parsed.precision) == (None, None, "unknown")


def test_ranges_are_fuzzy_time_ranges():
    """Every answer is storable as the API's FuzzyTime (range and precision agree)."""
    from app.fuzzytime import FuzzyTime

    for case in CASES:
        anchor = date.fromisoformat(case["anchor"]) if case["anchor"] else None
        parsed = parse_time(case["expression"], language=case["language"], anchor=anchor)
        FuzzyTime(
            expression=parsed.expression,
            offset_days=parsed.offset_days,
            earliest=parsed.earliest,
            latest=parsed.latest,
            precision=parsed.precision,
        )


def test_found_in_text():
    text = (
        "Il a déclaré le 7 avril, puis en février et vendredi dernier, qu'il partirait "
        "il y a deux semaines. He said on Thursday night that last week was hard; he may go."
    )
    found = [text[f.start : f.end] for f in find_times(text)]
    assert found == [
        "le 7 avril",
        "en février",
        "vendredi dernier",
        "il y a deux semaines",
        "on Thursday night",
        "last week",
    ]
