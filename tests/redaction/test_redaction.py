"""Redaction end to end: after an admin redacts an actor's personal details
or a span of a source's text, reads, lists, search, export, history, the
changes feed and replayed idempotent responses show that a redaction
happened and when, and never the removed content."""

import pytest

from tests.conftest import make_key
from tests.factories import make_actor, make_attribution, make_claim, make_source, problem

SECRET = "Lives at 12 rue des Lilas"
ALIAS = "Jojo la Fouine"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def everything(client, *paths: str) -> str:
    """Every place a client could read the content back, as one text."""
    texts = []
    for path in paths:
        response = await client.get(path)
        assert response.status_code == 200, (path, response.text)
        texts.append(response.text)
    texts.append((await client.get("/v1/export")).text)
    texts.append((await client.get("/v1/changes", params={"limit": 200})).text)
    return "\n".join(texts)


JOSEPH = {
    "kind": "person",
    "name": "Joseph Exemple",
    "description": SECRET,
    "nationality": "FR",
    "names": [{"name": ALIAS, "kind": "epithet"}],
    "roles": [{"title": "informant"}],
}


async def test_an_actors_personal_details_are_redacted_everywhere(client):
    created = await client.post(
        "/v1/actors", json=JOSEPH, headers={"Idempotency-Key": "make-joseph"}
    )
    assert created.status_code == 201, created.text
    actor = created.json()
    path = f"/v1/actors/{actor['id']}"
    await client.patch(path, json={"description": f"{SECRET}, 2nd floor"})
    attribution = await make_attribution(client, speaker_id=actor["id"])
    assert ALIAS in await everything(client, path, f"{path}/history")

    response = await client.post(
        f"{path}/redactions",
        json={"fields": ["description", "names", "roles"], "reason": "court order 2026-117"},
    )

    assert response.status_code == 200, response.text
    redacted = response.json()
    assert redacted["description"] == "[redacted]"
    assert redacted["names"] == []
    assert redacted["roles"] == []
    assert redacted["name"] == "Joseph Exemple"  # not asked for
    (redaction,) = redacted["redactions"]
    assert redaction["fields"] == ["description", "names", "roles"]
    assert redaction["reason"] == "court order 2026-117"
    assert redaction["at"]
    read = await everything(
        client,
        path,
        f"{path}/history",
        f"/v1/attributions/{attribution['id']}?expand=speaker",
        f"/v1/actors/{actor['id']}/statements",
        "/v1/actors?limit=200",
    )
    for removed in (SECRET, ALIAS, "informant"):
        assert removed not in read
    search = await client.get("/v1/search", params={"q": ALIAS, "types": "actor"})
    assert actor["id"] not in search.text
    history = (await client.get(f"{path}/history")).json()["items"]
    assert history[0]["reason"] == "redaction: court order 2026-117"
    replayed = await client.post(
        "/v1/actors", json=JOSEPH, headers={"Idempotency-Key": "make-joseph"}
    )
    assert replayed.headers.get("idempotent-replayed") == "true"
    assert SECRET not in replayed.text
    assert ALIAS not in replayed.text


async def test_a_span_of_a_source_text_is_masked_and_offsets_stay_valid(client):
    before = "Le témoin, "
    text = f"{before}{SECRET}, a parlé. Il a dit : « rien »."
    source = await make_source(client, full_text=text, title="Témoignage")
    path = f"/v1/sources/{source['id']}"
    await client.patch(path, json={"title": "Témoignage anonyme"})
    start = len(before)
    end = start + len(SECRET)
    # A span over the secret and past it; another elsewhere.
    over = {"start": start + 9, "end": end + 10, "text": text[start + 9 : end + 10]}
    said = text.index("« rien »")
    elsewhere = {"start": said, "end": said + 8, "text": "« rien »"}
    claim = await make_claim(client)
    covering = await make_attribution(
        client,
        claim_id=claim["id"],
        source_id=source["id"],
        span=over,
        spans=[{"role": "content", **over}, {"role": "cue", **elsewhere}],
    )
    other = await make_attribution(client, source_id=source["id"], span=elsewhere)

    response = await client.post(
        f"{path}/redactions", json={"start": start, "end": end, "reason": "takedown"}
    )

    assert response.status_code == 200, response.text
    masked = response.json()["full_text"]
    assert len(masked) == len(text)
    assert masked == text[:start] + "█" * len(SECRET) + text[end:]
    assert response.json()["redactions"][0] | {"at": None} == {
        "at": None,
        "start": start,
        "end": end,
        "reason": "takedown",
    }
    # every span still reads exactly the text at its offsets
    for attribution in (covering, other):
        stored = (await client.get(f"/v1/attributions/{attribution['id']}")).json()
        for span in [stored["span"], *stored["spans"]]:
            assert span["text"] == masked[span["start"] : span["end"]]
    read = await everything(
        client,
        path,
        f"{path}/history",
        f"/v1/attributions/{covering['id']}/history",
        f"/v1/sources/{source['id']}/claims",
    )
    assert "12 rue des Lilas" not in read
    assert "Lilas" not in read
    search = await client.get("/v1/search", params={"q": "Lilas"})
    assert source["id"] not in search.text
    # writes anchored in the masked text still check out
    fresh = await make_attribution(client, source_id=source["id"], span=elsewhere)
    assert fresh["span"]["text"] == "« rien »"


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"start": 0, "end": 10_000, "reason": "x"}, 422),
        ({"start": 5, "end": 5, "reason": "x"}, 422),
        ({"start": 0, "end": 3}, 422),
        ({"start": 0, "end": 3, "reason": "x", "extra": 1}, 422),
    ],
)
async def test_a_bad_source_redaction_changes_nothing(client, body, status):
    source = await make_source(client, full_text="abcdef")
    response = await client.post(f"/v1/sources/{source['id']}/redactions", json=body)
    assert response.status_code == status, response.text
    assert (await client.get(f"/v1/sources/{source['id']}")).json()["full_text"] == "abcdef"


async def test_only_admins_redact(client, connection):
    actor = await make_actor(client, description=SECRET)
    writer = await make_key(connection, scope="write", name="desk")
    response = await client.post(
        f"/v1/actors/{actor['id']}/redactions",
        json={"fields": ["description"], "reason": "x"},
        headers=bearer(writer),
    )
    problem(response, 403, "forbidden")
    assert (await client.get(f"/v1/actors/{actor['id']}")).json()["description"] == SECRET
    no_text = await make_source(client)
    response = await client.post(
        f"/v1/sources/{no_text['id']}/redactions", json={"start": 0, "end": 1, "reason": "x"}
    )
    problem(response, 422, "invalid-field")
