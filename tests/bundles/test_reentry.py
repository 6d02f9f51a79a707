"""Re-entry by content: the same document under another bundle id (or brat
folder name) creates nothing; a changed document is never skipped in silence."""

from typing import Any

from tests.factories import problem

TEXT = "Des diplomates américains ont confié que Mike Pompeo aurait parlé. Il a démenti."


def article(bundle_id: str, prefix: str = "", text: str = TEXT) -> dict[str, Any]:
    def at(phrase: str) -> dict[str, Any]:
        start = text.index(phrase)
        return {"start": start, "end": start + len(phrase), "text": phrase}

    return {
        "format": "onrecord-bundle",
        "version": 1,
        "id": bundle_id,
        "actors": [
            {"ref": f"{prefix}diplomats", "kind": "anonymous", "name": "des diplomates américains"},
            {"ref": f"{prefix}pompeo", "kind": "person", "name": "Mike Pompeo"},
        ],
        "sources": [{"ref": f"{prefix}s", "kind": "article", "title": "Libye", "full_text": text}],
        "claims": [{"ref": f"{prefix}c", "text": "Mike Pompeo aurait parlé", "language": "fr"}],
        "attributions": [
            {
                "ref": f"{prefix}a",
                "claim": f"{prefix}c",
                "source": f"{prefix}s",
                "speaker": f"{prefix}diplomats",
                "mode": "paraphrase",
                "certainty": "alleged",
                "spans": [
                    {"role": "content", **at("Mike Pompeo aurait parlé")},
                    {"role": "cue", **at("ont confié")},
                    {"role": "speaker", **at("Des diplomates américains")},
                ],
            }
        ],
    }


async def test_the_same_content_under_another_bundle_id_creates_nothing(client):
    first = await client.post("/v1/bundles", json=article("libye-1"))
    assert first.status_code == 201, first.text
    again = await client.post("/v1/bundles", json=article("libye-copy", prefix="x-"))
    assert again.status_code == 200, again.text
    summary = again.json()
    assert sum(summary["created"].values()) == 0
    assert summary["existing"] == {**summary["existing"], "actors": 2, "sources": 1, "claims": 1}
    assert summary["existing"]["attributions"] == 1
    mine, theirs = first.json()["ids"], summary["ids"]
    for ref in ("diplomats", "pompeo", "s", "c", "a"):
        assert theirs[f"x-{ref}"] == mine[ref], ref


async def test_a_changed_document_is_refused_naming_it_or_updated_when_asked(client):
    assert (await client.post("/v1/bundles", json=article("libye-2"))).status_code == 201
    edited = TEXT.replace("Il a démenti.", "Il a tout démenti.")
    changed = article("libye-2", text=edited)
    body = problem(await client.post("/v1/bundles", json=changed), 422, "invalid-bundle")
    assert {e["pointer"] for e in body["errors"]} == {"/sources/0/full_text"}
    assert "changed" in body["detail"]
    updated = await client.post("/v1/bundles", params={"on_changed": "update"}, json=changed)
    assert updated.status_code == 200, updated.text
    source = (await client.get(f"/v1/sources/{updated.json()['ids']['s']}")).json()
    assert source["full_text"] == edited
    # A text that would break a stored span is refused even then.
    broken = article("libye-2", text="Autre chose. " + TEXT)
    refused = await client.post("/v1/bundles", params={"on_changed": "update"}, json=broken)
    assert "spans" in problem(refused, 409, "conflict")["detail"]
    source = (await client.get(f"/v1/sources/{updated.json()['ids']['s']}")).json()
    assert source["full_text"] == edited


async def test_the_same_document_again_with_a_speaker_given_by_its_stored_id(client):
    """A reviewed extraction re-enters a stored text naming a stored actor by id."""
    first = await client.post("/v1/bundles", json=article("libye-3"))
    assert first.status_code == 201, first.text
    pompeo = first.json()["ids"]["pompeo"]
    reviewed = article("libye-3-reviewed", prefix="r-")
    reviewed["attributions"][0]["speaker"] = pompeo
    reviewed["actors"] = []
    again = await client.post("/v1/bundles", json=reviewed)
    assert again.status_code == 201, again.text
    assert again.json()["ids"]["r-s"] == first.json()["ids"]["s"]
    stored = (await client.get(f"/v1/attributions/{again.json()['ids']['r-a']}")).json()
    assert stored["speaker_id"] == pompeo
