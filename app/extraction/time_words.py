"""The words of time expressions, English and French: months, weekdays,
numbers, units and the relative words, each mapped to what it means."""

from app.extraction.tokens import words

MONTHS: dict[str, int] = {
    **{
        name: number
        for number, names in enumerate(
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
        for name in names.split()
    }
}
WEEKDAYS: dict[str, int] = {
    name: number
    for number, names in enumerate(
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
    for name in names.split()
}
NUMBERS: dict[str, int] = {
    **{
        word: number
        for number, words in enumerate(
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
        )
        for word in words.split()
    },
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
    "this week": ("week", 0),
    "cette semaine": ("week", 0),
    "last week": ("week", -1),
    "la semaine dernière": ("week", -1),
    "la semaine passée": ("week", -1),
    "next week": ("week", 1),
    "la semaine prochaine": ("week", 1),
    "this month": ("month", 0),
    "ce mois-ci": ("month", 0),
    "last month": ("month", -1),
    "le mois dernier": ("month", -1),
    "le mois passé": ("month", -1),
    "next month": ("month", 1),
    "le mois prochain": ("month", 1),
    "this year": ("year", 0),
    "cette année": ("year", 0),
    "last year": ("year", -1),
    "l'an dernier": ("year", -1),
    "l’an dernier": ("year", -1),
    "l'année dernière": ("year", -1),
    "l’année dernière": ("year", -1),
    "l'an passé": ("year", -1),
    "l’an passé": ("year", -1),
    "next year": ("year", 1),
    "l'an prochain": ("year", 1),
    "l’an prochain": ("year", 1),
    "l'année prochaine": ("year", 1),
    "l’année prochaine": ("year", 1),
}
LAST = ("last", "past", "dernier", "dernière", "passé", "passée")
NEXT = ("next", "coming", "prochain", "prochaine")
AGO = ("ago",)
EARLY = ("early", "début", "debut", "au début de", "début de", "at the beginning of")
LATE = ("late", "fin", "fin de", "à la fin de", "at the end of")
MID = ("mid", "mi", "mid-", "mi-")
