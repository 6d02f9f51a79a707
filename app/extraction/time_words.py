"""The words of time expressions, English and French: months, weekdays,
numbers, units and the relative words, each mapped to what it means."""

from app.extraction.tokens import words


def _numbered(rows: list[str], *, start: int = 0) -> dict[str, int]:
    """Every word of each row to the row's number, counted from ``start``."""
    return {word: number for number, row in enumerate(rows, start=start) for word in row.split()}


MONTHS: dict[str, int] = _numbered(
    [
        "january jan janvier janv",
        "february feb febr février fevrier févr fevr",
        "march mar mars",
        "april apr avril avr",
        "may mai",
        "june jun juin",
        "july jul juillet juil",
        "august aug août aout",
        "september sept sep septembre",
        "october oct octobre",
        "november nov novembre",
        "december dec décembre decembre déc",
    ],
    start=1,
)
WEEKDAYS: dict[str, int] = _numbered(
    [
        "monday mon lundi",
        "tuesday tue tues mardi",
        "wednesday wed mercredi",
        "thursday thu thur thurs jeudi",
        "friday fri vendredi",
        "saturday sat samedi",
        "sunday sun dimanche",
    ]
)
NUMBERS: dict[str, int] = {
    **_numbered(
        [
            "",
            "one a an un une",
            "two deux",
            "three trois",
            "four quatre",
            "five cinq",
            "six",
            "seven sept",
            "eight huit",
            "nine neuf",
            "ten dix",
            "eleven onze",
            "twelve douze",
        ]
    ),
    "fifteen": 15,
    "quinze": 15,
    "twenty": 20,
    "vingt": 20,
    "thirty": 30,
    "trente": 30,
}
UNITS: dict[str, str] = {
    **dict.fromkeys(words("day days jour jours journée journées"), "day"),
    **dict.fromkeys(words("week weeks semaine semaines"), "week"),
    **dict.fromkeys(words("month months mois"), "month"),
    **dict.fromkeys(words("year years an ans année années"), "year"),
}
DAY_OFFSETS: dict[str, int] = {
    "today": 0,
    "aujourd'hui": 0,
    "aujourd’hui": 0,
    "tonight": 0,
    "ce soir": 0,
    "ce matin": 0,
    "this morning": 0,
    "this afternoon": 0,
    "cet après-midi": 0,
    "yesterday": -1,
    "hier": -1,
    "hier soir": -1,
    "last night": -1,
    "avant-hier": -2,
    "tomorrow": 1,
    "demain": 1,
    "après-demain": 2,
    # relative to an event as well as to a source: "the next day", "la veille"
    "the next day": 1,
    "the day after": 1,
    "the following day": 1,
    "le lendemain": 1,
    "the day before": -1,
    "the previous day": -1,
    "la veille": -1,
}
# "last week" / "la semaine dernière": (unit, shift in units from the anchor's)
PERIOD_SHIFTS: dict[str, tuple[str, int]] = {
    phrase: (unit, shift)
    for unit, shift, phrases in [
        ("week", 0, ["this week", "cette semaine"]),
        ("week", -1, ["last week", "la semaine dernière", "la semaine passée"]),
        ("week", 1, ["next week", "la semaine prochaine"]),
        ("month", 0, ["this month", "ce mois-ci"]),
        ("month", -1, ["last month", "le mois dernier", "le mois passé"]),
        ("month", 1, ["next month", "le mois prochain"]),
        ("year", 0, ["this year", "cette année"]),
        (
            "year",
            -1,
            [
                "last year",
                "l'an dernier",
                "l’an dernier",
                "l'année dernière",
                "l’année dernière",
                "l'an passé",
                "l’an passé",
            ],
        ),
        (
            "year",
            1,
            [
                "next year",
                "l'an prochain",
                "l’an prochain",
                "l'année prochaine",
                "l’année prochaine",
            ],
        ),
    ]
    for phrase in phrases
}
LAST = ("last", "past", "dernier", "dernière", "passé", "passée")
NEXT = ("next", "coming", "prochain", "prochaine")
AGO = ("ago",)
EARLY = ("early", "début", "debut", "au début de", "début de", "at the beginning of")
LATE = ("late", "fin", "fin de", "à la fin de", "at the end of")
MID = ("mid", "mi", "mid-", "mi-")
