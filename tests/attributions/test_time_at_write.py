"""Fuzzy times read when written: an expression and its anchor, no days."""

from tests.factories import make_attribution, make_event, make_source


async def test_an_expression_relative_to_a_source_is_read_against_its_day(client):
    article = await make_source(
        client,
        language="fr",
        published={"earliest": "2019-04-26", "latest": "2019-04-26", "precision": "day"},
    )
    said = await make_attribution(
        client,
        source_id=article["id"],
        time={
            "expression": "jeudi dernier",
            "relative_to": "source",
            "anchor_source_id": article["id"],
        },
    )
    assert said["time"] | {"anchor_source_id": None} == {
        "expression": "jeudi dernier",
        "relative_to": "source",
        "anchor_source_id": None,
        "anchor_event_id": None,
        "offset_days": -8,
        "earliest": "2019-04-18",
        "latest": "2019-04-18",
        "precision": "day",
        "resolution": "parsed",
    }


async def test_what_cannot_be_read_stays_unknown_and_says_so(client):
    article = await make_source(
        client, published={"earliest": "2016-09-30", "latest": "2016-09-30", "precision": "day"}
    )
    event = await make_event(
        client,
        time={
            "expression": "when the moon was blue",
            "relative_to": "source",
            "anchor_source_id": article["id"],
        },
    )
    assert (event["time"]["precision"], event["time"]["resolution"]) == ("unknown", "unparsed")
    assert event["time"]["earliest"] is None
    # Days sent are kept as sent, whatever the expression says.
    given = await make_event(
        client,
        time={"expression": "on Thursday", "earliest": "2016-09-01", "precision": "day"},
    )
    assert (given["time"]["earliest"], given["time"]["resolution"]) == ("2016-09-01", "given")


async def test_an_expression_relative_to_an_event_is_read_against_its_day(client):
    summit = await make_event(
        client, time={"earliest": "2019-04-04", "latest": "2019-04-04", "precision": "day"}
    )
    later = await make_event(
        client,
        time={
            "expression": "the next day",
            "relative_to": "event",
            "anchor_event_id": summit["id"],
        },
    )
    assert (later["time"]["earliest"], later["time"]["offset_days"]) == ("2019-04-05", 1)
    assert later["time"]["resolution"] == "parsed"


async def test_bundles_read_their_times_too(client):
    bundle = {
        "format": "onrecord-bundle",
        "version": 1,
        "id": "time-at-write",
        "actors": [{"ref": "p", "kind": "person", "name": "Mike Pompeo"}],
        "sources": [
            {
                "ref": "s",
                "kind": "article",
                "title": "t",
                "language": "fr",
                "published": {"earliest": "2019-04-26", "latest": "2019-04-26"},
            }
        ],
        "claims": [{"ref": "c", "text": "x", "language": "fr"}],
        "attributions": [
            {
                "ref": "a",
                "claim": "c",
                "source": "s",
                "speaker": "p",
                "mode": "paraphrase",
                "time": {
                    "expression": "vendredi dernier",
                    "relative_to": "source",
                    "anchor_source": "s",
                },
            }
        ],
    }
    loaded = await client.post("/v1/bundles", json=bundle)
    assert loaded.status_code == 201, loaded.text
    said = (await client.get(f"/v1/attributions/{loaded.json()['ids']['a']}")).json()
    assert (said["time"]["earliest"], said["time"]["resolution"]) == ("2019-04-19", "parsed")
