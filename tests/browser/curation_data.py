"""Work for a curator beside the founding article, made through the API as a
newsroom's imports would make it: a second record of Mike Pompeo typed by
hand, a note naming "Michael Pompeo" that ties between the two (the resolver
makes a third actor and records duplicate candidates), a pronoun placed with
low confidence, a speaker it could not place, and Peter Bode's misspelt
double already merged into him. The text is made up here (no third-party
text)."""

from dataclasses import dataclass
from typing import Any

import httpx

NOTE = (
    "Michael Pompeo said the talks would go on. He added that the city was calm. "
    "They said nothing more."
)


def _span(role: str, words: str, *, after: int = 0) -> dict[str, Any]:
    start = NOTE.index(words, after)
    return {"role": role, "start": start, "end": start + len(words), "text": words}


def note_bundle() -> dict[str, Any]:
    """One briefing note: a speaker by name, a pronoun, an unplaced "They"."""
    said, added, nothing = (
        "the talks would go on",
        "the city was calm",
        "nothing more",
    )
    by_name = {"name": "Michael Pompeo", "kind": "person"}
    return {
        "format": "onrecord-bundle",
        "version": 1,
        "id": "browser-tests:curation-note",
        "actors": [{"ref": "they", "kind": "person", "name": "They", "scope": "document"}],
        "sources": [
            {
                "ref": "note",
                "kind": "article",
                "title": "Briefing note (made-up test data)",
                "language": "en",
                "full_text": NOTE,
            }
        ],
        "claims": [
            {"ref": "talks", "text": said, "language": "en"},
            {"ref": "calm", "text": added, "language": "en"},
            {"ref": "nothing", "text": nothing, "language": "en"},
        ],
        "attributions": [
            {
                "ref": "a-talks",
                "claim": "talks",
                "source": "note",
                "speaker": by_name,
                "mode": "paraphrase",
                "cue": "said",
                "spans": [
                    _span("speaker", "Michael Pompeo"),
                    _span("cue", "said"),
                    _span("content", said),
                ],
            },
            {
                "ref": "a-calm",
                "claim": "calm",
                "source": "note",
                "speaker": by_name,
                "mode": "paraphrase",
                "cue": "added",
                "speaker_resolution": {
                    "mention": "He",
                    "method": "pronoun",
                    "confidence": 0.45,
                    "through_attribution": "a-talks",
                },
                "spans": [_span("speaker", "He"), _span("cue", "added"), _span("content", added)],
            },
            {
                "ref": "a-nothing",
                "claim": "nothing",
                "source": "note",
                "speaker": "they",
                "mode": "paraphrase",
                "cue": "said",
                "speaker_resolution": {"mention": "They", "method": "new", "confidence": 0.3},
                "spans": [
                    _span("speaker", "They"),
                    _span("cue", "said", after=NOTE.index("They")),
                    _span("content", nothing),
                ],
            },
        ],
    }


@dataclass
class Curation:
    """Ids of what ``seed`` made (and of the demo's actors it doubles)."""

    pompeo: str  # the demo's Mike Pompeo
    michael_r: str  # "Michael R. Pompeo", typed by hand
    tie: str  # "Michael Pompeo", the actor the tie made
    bode: str  # the demo's Peter Bode
    bodde: str  # "Peter Bodde", merged into Peter Bode
    note: str  # the briefing note (a source)
    pronoun: str  # the attribution whose speaker is "He"
    unplaced: str  # the attribution whose speaker is "They"


def _actor_named(client: httpx.Client, name: str) -> str:
    [found] = client.get("/v1/actors", params={"name": name, "status": "active"}).json()["items"]
    actor_id: str = found["id"]
    return actor_id


def _created(response: httpx.Response) -> Any:
    assert response.status_code in (200, 201), response.text
    return response.json()


def seed(url: str, write: dict[str, str]) -> Curation:
    """Make the curator's work on the server at ``url`` (the demo loaded)."""
    with httpx.Client(base_url=url, headers=write, timeout=30) as client:
        pompeo = _actor_named(client, "Mike Pompeo")
        bode = _actor_named(client, "Peter Bode")
        michael_r = _created(
            client.post(
                "/v1/actors",
                json={
                    "kind": "person",
                    "name": "Michael R. Pompeo",
                    "description": "Typed by hand at the desk",
                    "names": [{"name": "Pompeo", "kind": "alias"}],
                },
            )
        )["id"]
        loaded = _created(client.post("/v1/bundles", json=note_bundle()))
        ids = loaded["ids"]
        bodde = _created(
            client.post(
                "/v1/actors",
                json={"kind": "person", "name": "Peter Bodde", "description": "Misspelt double"},
            )
        )["id"]
        etag = client.get(f"/v1/actors/{bodde}").headers["etag"]
        _created(
            client.post(
                f"/v1/actors/{bodde}/merge", json={"into": bode}, headers={"If-Match": etag}
            )
        )
        tie = client.get(f"/v1/attributions/{ids['a-talks']}").json()["speaker_id"]
        return Curation(
            pompeo=pompeo,
            michael_r=michael_r,
            tie=tie,
            bode=bode,
            bodde=bodde,
            note=ids["note"],
            pronoun=ids["a-calm"],
            unplaced=ids["a-nothing"],
        )
