"""Examples for the OpenAPI document, taken from the founding article's demo
data (``app/demo/libya-haftar.json``): the ids are the demo's own (the same on
every machine), so an example read from ``/docs`` works against
``onrecord serve --demo``. ``tests/test_openapi.py`` checks each one against
its schema and against the demo bundle.
"""

from typing import Any

# Ids of the demo's records: uuid5 of "libya-haftar/<ref>" (app.bundles.format.record_id).
C1 = "1d17ab0e-250b-5da9-b114-8075ee562869"
E2 = "0cfdb878-a8b1-5188-b347-4dfbee5b45df"
E1 = "8263de2d-2c62-5b53-9f98-58dbf7cc217c"
US_DIPLOMATS = "f10460ca-4290-55bc-897b-0e1dbc0957eb"
BLOOMBERG = "3789d401-56dd-51cd-b2b4-4fde61f52ac6"
S0 = "de22c941-edb0-59de-82b1-5ad67da310bc"
S1 = "51027e2c-99ba-5172-b7e5-c244ca718372"
A_C1_S1 = "32de8d32-1be7-5075-8777-de60f6a308a1"
A_C1_S0 = "3cb646e6-a2da-5dd6-890a-e3548b4dd62a"

C1_TEXT = (
    "Le président Trump aurait donné son feu vert au général à la retraite Khalifa Haftar "
    "pour prendre Tripoli"
)
C1_TRANSLATION = {
    "language": "en",
    "text": "President Trump reportedly gave retired general Khalifa Haftar the green light "
    "to take Tripoli",
    "note": "OnRecord editors' translation",
}

ACTOR_CREATE: dict[str, Any] = {
    "kind": "anonymous",
    "name": "US diplomats",
    "description": "Unnamed US diplomats who spoke to Bloomberg; the article calls them "
    "'des diplomates américains', then 'les mêmes sources' and 'ces sources diplomatiques': "
    "one group, known only by description.",
    "nationality": "US",
    "role_description": "diplomats",
    "names": [
        {"name": "des diplomates américains", "language": "fr", "kind": "description"},
        {"name": "les mêmes sources", "language": "fr", "kind": "description"},
        {"name": "ces sources diplomatiques", "language": "fr", "kind": "description"},
    ],
}

SOURCE_CREATE: dict[str, Any] = {
    "kind": "report",
    "title": "Bloomberg's report: US diplomats say Trump gave Haftar a green light "
    "(relayed by the founding article; text not held)",
    "publisher_id": BLOOMBERG,
    "language": "en",
    "published": {"earliest": "2019-04-24", "latest": "2019-04-24", "precision": "day"},
}

EVENT_CREATE: dict[str, Any] = {
    "kind": "phone_call",
    "title": "Trump–Haftar phone call",
    "description": "The call in which Trump is said to have given Haftar a green light.",
    "time": {
        "expression": "6 jours après",
        "relative_to": "event",
        "anchor_event_id": E1,
        "offset_days": 6,
        "earliest": "2019-04-15",
        "latest": "2019-04-15",
        "precision": "day",
    },
}

CLAIM_CREATE: dict[str, Any] = {
    "text": C1_TEXT,
    "language": "fr",
    "translations": [C1_TRANSLATION],
    "event_ids": [E2],
}

CLAIM_READ: dict[str, Any] = {
    "id": C1,
    "created_at": "2026-01-01T12:00:00.000000+00:00",
    "updated_at": "2026-01-01T12:00:00.000000+00:00",
    "text": C1_TEXT,
    "language": "fr",
    "translations": [C1_TRANSLATION],
    "event_ids": [E2],
    "referenced_source_ids": [],
    "independent_origins": 1,
    "on_record": False,
}

# S0: the article relays Bloomberg's report of what US diplomats said (C1).
ATTRIBUTION_CREATE: dict[str, Any] = {
    "claim_id": C1,
    "speaker_id": US_DIPLOMATS,
    "source_id": S0,
    "relayed_through_id": A_C1_S1,
    "mode": "paraphrase",
    "cue": "ont confié",
    "certainty": "alleged",
    "span": {"start": 0, "end": 105, "text": C1_TEXT},
    "note": "French conditional 'aurait donné': the article does not vouch for it.",
}
