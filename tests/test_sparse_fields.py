"""``?fields=`` (sparse fieldsets) on the hot reads, and ``?sort=`` on the
attribution lists (an actor's statements, ``GET /v1/attributions``): exactly
the members asked for, orders right with fuzzy and unknown times, pages that
neither repeat nor skip, and refusals before any SQL runs."""

from typing import Any

import pytest
from jsonschema import Draft202012Validator  # type: ignore[import-untyped]

from app.attributions.schemas import AttributionRead
from app.claims.schemas import ClaimRead
from app.provenance.schemas import StatementRead
from app.sources.schemas import SourceRead
from tests.factories import (
    make_actor,
    make_attribution,
    make_claim,
    make_source,
    pointers,
    problem,
    walk,
)

JSON = dict[str, Any]


@pytest.fixture(params=["fast", "framework"])
def path_taken(request: pytest.FixtureRequest, client) -> str:
    """Both ways to a hot read: the fast path, and the framework's."""
    if request.param == "framework":
        client._transport.app.state.fast_fetch = None
    return str(request.param)


async def _said(client, speaker: JSON, time: JSON | None, **fields: Any) -> JSON:
    body: JSON = {"speaker_id": speaker["id"], **fields}
    if time is not None:
        body["time"] = time
    return await make_attribution(client, **body)


def _day(day: str) -> JSON:
    return {"earliest": day, "latest": day, "precision": "day"}


async def test_a_claim_has_exactly_the_members_asked_for(client, path_taken):
    claim = await make_claim(client, translations=[{"language": "en", "text": "a red line"}])
    response = await client.get(f"/v1/claims/{claim['id']}", params={"fields": "text,language"})
    assert response.status_code == 200, response.text
    assert response.json() == {"id": claim["id"], "text": claim["text"], "language": "fr"}
    # id is always there, asked for or not; the order of the names does not matter
    only_id = await client.get(f"/v1/claims/{claim['id']}", params={"fields": "id"})
    assert only_id.json() == {"id": claim["id"]}
    # no fields (or empty): the whole document, as before
    whole = (await client.get(f"/v1/claims/{claim['id']}")).json()
    assert set(whole) == set(ClaimRead.model_fields) - {"attributions", "events"}
    empty = await client.get(f"/v1/claims/{claim['id']}", params={"fields": ""})
    assert empty.json() == whole


async def test_an_expanded_member_comes_only_with_its_expand(client, path_taken):
    said = await make_attribution(client)
    path = f"/v1/claims/{said['claim_id']}"
    without = await client.get(path, params={"fields": "attributions"})
    assert without.json() == {"id": said["claim_id"]}
    expanded = await client.get(path, params={"fields": "attributions", "expand": "attributions"})
    body = expanded.json()
    assert set(body) == {"id", "attributions"}
    assert [a["id"] for a in body["attributions"]] == [said["id"]]


async def test_lists_take_fields_too(client, path_taken):
    speaker = await make_actor(client)
    said = [await _said(client, speaker, _day(f"2019-04-0{n}")) for n in range(1, 4)]
    claims = await walk(client, "/v1/claims", fields="text")
    assert all(set(claim) == {"id", "text"} for claim in claims)
    attributions = await walk(
        client, "/v1/attributions", speaker_id=speaker["id"], fields="time,mode", limit=2
    )
    assert [a["id"] for a in attributions] == [a["id"] for a in said]
    assert all(set(a) == {"id", "time", "mode"} for a in attributions)
    assert attributions[0]["time"]["earliest"] == "2019-04-01"
    statements = await walk(
        client, f"/v1/actors/{speaker['id']}/statements", fields="claim,certainty", limit=2
    )
    assert [s["id"] for s in statements] == [a["id"] for a in said]
    assert all(set(s) == {"id", "claim", "certainty"} for s in statements)
    assert statements[0]["claim"]["id"] == said[0]["claim_id"]
    # without claim nor chain: neither is joined, the rest is the same
    bare = await walk(client, f"/v1/actors/{speaker['id']}/statements", fields="direct,source")
    assert [s["direct"] for s in bare] == [True, True, True]
    assert all(set(s) == {"id", "direct", "source"} for s in bare)


async def test_a_source_without_its_text(client):
    source = await make_source(client, full_text="Le Quai d'Orsay a déclaré ...")
    response = await client.get(f"/v1/sources/{source['id']}", params={"fields": "title"})
    assert response.status_code == 200, response.text
    assert response.json() == {"id": source["id"], "title": source["title"]}
    whole = (await client.get(f"/v1/sources/{source['id']}")).json()
    assert whole["full_text"] == "Le Quai d'Orsay a déclaré ..."


@pytest.mark.parametrize(
    ("path", "model"),
    [
        ("/v1/claims/{claim_id}", ClaimRead),
        ("/v1/claims", ClaimRead),
        ("/v1/attributions", AttributionRead),
        ("/v1/actors/{speaker_id}/statements", StatementRead),
        ("/v1/sources/{source_id}", SourceRead),
    ],
)
async def test_an_unknown_member_is_refused_naming_it(client, path_taken, path, model, statements):
    said = await make_attribution(client)
    url = path.format(**said)
    statements.clear()
    response = await client.get(url, params={"fields": "id,txt,mode"})
    body = problem(response, 400, "unknown-field")
    assert pointers(body, "query") == {"/fields"}
    assert "`txt`" in body["detail"]
    if "text" in model.model_fields:
        assert "did you mean `text`?" in body["detail"]
    else:
        assert "they have `id`" in body["detail"]
    for bad in ("text,", ",text", "text,,id", " text"):
        problem(await client.get(url, params={"fields": bad}), 400, "unknown-field")
    assert not [s for s in statements.statements if s.lstrip().upper().startswith("SELECT")]


async def test_the_openapi_document_declares_fields_and_sort(client):
    document = (await client.get("/openapi.json")).json()

    def parameters(path: str) -> dict[str, JSON]:
        return {p["name"]: p for p in document["paths"][path]["get"]["parameters"]}

    for path in (
        "/v1/claims/{claim_id}",
        "/v1/claims",
        "/v1/attributions",
        "/v1/actors/{actor_id}/statements",
        "/v1/sources/{source_id}",
    ):
        assert "fields" in parameters(path), path
    for path in ("/v1/attributions", "/v1/actors/{actor_id}/statements"):
        sort = parameters(path)["sort"]["schema"]
        assert sort["enum"] == ["time", "-time", "created", "-created"], sort


async def test_the_openapi_document_describes_sparse_answers_truthfully(client):
    """Without ``fields`` the whole document, with it any subset with ``id``:
    the declared schema accepts both answers, and only the whole one
    satisfies the whole document's schema."""
    document = (await client.get("/openapi.json")).json()
    said = await make_attribution(client)

    def answer_schema(path: str) -> JSON:
        content = document["paths"][path]["get"]["responses"]["200"]["content"]
        return {**content["application/json"]["schema"], "components": document["components"]}

    for path, url in (
        ("/v1/claims/{claim_id}", f"/v1/claims/{said['claim_id']}"),
        ("/v1/claims", "/v1/claims"),
        ("/v1/attributions", "/v1/attributions"),
        ("/v1/actors/{actor_id}/statements", f"/v1/actors/{said['speaker_id']}/statements"),
        ("/v1/sources/{source_id}", f"/v1/sources/{said['source_id']}"),
    ):
        declared = Draft202012Validator(answer_schema(path))
        whole = Draft202012Validator(
            {**answer_schema(path)["anyOf"][0], "components": document["components"]}
        )
        full = (await client.get(url)).json()
        sparse = (await client.get(url, params={"fields": "id"})).json()
        assert declared.is_valid(full), path
        assert whole.is_valid(full), path
        assert declared.is_valid(sparse), (path, list(declared.iter_errors(sparse))[:1])
        assert not whole.is_valid(sparse), path


async def _mixed_times(client) -> tuple[JSON, dict[str, JSON]]:
    """A speaker's records at known days, a month, an open start, and none
    known, created out of time order."""
    speaker = await make_actor(client, name="Ghassan Salamé")
    said = {
        "april 5": await _said(client, speaker, _day("2019-04-05")),
        "unknown 1": await _said(client, speaker, None),
        "april 4": await _said(client, speaker, _day("2019-04-04")),
        "before april": await _said(
            client, speaker, {"latest": "2019-03-31", "precision": "range"}
        ),
        "april": await _said(
            client,
            speaker,
            {"earliest": "2019-04-01", "latest": "2019-04-30", "precision": "month"},
        ),
        "april 4 again": await _said(client, speaker, _day("2019-04-04")),
        "unknown 2": await _said(client, speaker, None),
    }
    return speaker, said


TIME_ORDER = ["before april", "april", "april 4", "april 4 again", "april 5"]
UNKNOWN = ["unknown 1", "unknown 2"]  # created in this order
CREATED = ["april 5", "unknown 1", "april 4", "before april", "april", "april 4 again", "unknown 2"]
EXPECTED = {
    "time": TIME_ORDER + UNKNOWN,
    # latest first; ties by id the same way; unknown last all the same
    "-time": ["april 5", "april 4 again", "april 4", "april", "before april", *UNKNOWN[::-1]],
    "created": CREATED,
    "-created": CREATED[::-1],
}


@pytest.mark.parametrize("sort", list(EXPECTED))
async def test_statements_in_each_order_page_by_page(client, path_taken, sort):
    speaker, said = await _mixed_times(client)
    name_of = {record["id"]: name for name, record in said.items()}
    for limit in (1, 2, 3, 50):  # every page boundary: no row twice, none skipped
        walked = await walk(
            client, f"/v1/actors/{speaker['id']}/statements", sort=sort, limit=limit
        )
        assert [name_of[s["id"]] for s in walked] == EXPECTED[sort], limit
    default = await walk(client, f"/v1/actors/{speaker['id']}/statements", limit=3)
    assert [name_of[s["id"]] for s in default] == EXPECTED["time"]


@pytest.mark.parametrize("sort", list(EXPECTED))
async def test_attributions_in_each_order_page_by_page(client, path_taken, sort):
    speaker, said = await _mixed_times(client)
    name_of = {record["id"]: name for name, record in said.items()}
    for limit in (1, 3, 50):
        walked = await walk(
            client, "/v1/attributions", speaker_id=speaker["id"], sort=sort, limit=limit
        )
        assert [name_of[a["id"]] for a in walked] == EXPECTED[sort], limit
        # the whole list too (no filter: the time-order indexes), its records among them
        everything = await walk(client, "/v1/attributions", sort=sort, limit=limit)
        assert [name_of[a["id"]] for a in everything if a["id"] in name_of] == EXPECTED[sort]
    default = await walk(client, "/v1/attributions", speaker_id=speaker["id"], limit=2)
    assert [name_of[a["id"]] for a in default] == EXPECTED["created"]


async def test_a_time_window_in_time_order(client):
    speaker, said = await _mixed_times(client)
    name_of = {record["id"]: name for name, record in said.items()}
    walked = await walk(
        client,
        "/v1/attributions",
        speaker_id=speaker["id"],
        time_from="2019-04-04",
        time_to="2019-04-30",
        sort="-time",
        limit=1,
    )
    assert [name_of[a["id"]] for a in walked] == ["april 5", "april 4 again", "april 4", "april"]


@pytest.mark.parametrize(
    "path", ["/v1/attributions", "/v1/actors/{speaker_id}/statements", "/v1/claims"]
)
async def test_a_cursor_is_refused_with_another_sort_or_other_fields(client, path_taken, path):
    speaker = await make_actor(client)
    for n in range(1, 4):
        await _said(client, speaker, _day(f"2019-04-0{n}"))
    url = path.format(speaker_id=speaker["id"])
    sorts = ["-created", "time"] if "claims" not in path else ["-independent_origins", "id"]
    member = "mode" if "claims" not in path else "language"
    first = await client.get(url, params={"sort": sorts[0], "fields": "id", "limit": 1})
    assert first.status_code == 200, first.text
    cursor = first.json()["next"]
    assert cursor
    for other in (
        {"sort": sorts[1], "fields": "id"},
        {"sort": sorts[0]},
        {"sort": sorts[0], "fields": f"id,{member}"},
    ):
        response = await client.get(url, params={**other, "limit": 1, "cursor": cursor})
        problem(response, 400, "cursor-mismatch")
    same = await client.get(url, params={"sort": sorts[0], "fields": "id", "cursor": cursor})
    assert same.status_code == 200, same.text


@pytest.mark.parametrize("path", ["/v1/attributions", "/v1/actors/{speaker_id}/statements"])
async def test_a_bad_sort_is_refused(client, path_taken, path):
    speaker = await make_actor(client)
    url = path.format(speaker_id=speaker["id"])
    for bad in ("when", "+time", "Time", "-id", ""):
        response = await client.get(url, params={"sort": bad})
        assert response.status_code == 422, (bad, response.text)
        assert pointers(response.json(), "query") == {"/sort"}


async def test_a_claim_as_it_was_takes_fields_too(client):
    claim = await make_claim(client)
    changed = await client.patch(f"/v1/claims/{claim['id']}", json={"text": "Syrte aussi"})
    assert changed.status_code == 200, changed.text
    history = (await client.get(f"/v1/claims/{claim['id']}/history")).json()["items"]
    created_at = history[-1]["at"]  # newest first
    then = await client.get(
        f"/v1/claims/{claim['id']}", params={"as_of": created_at, "fields": "text"}
    )
    assert then.status_code == 200, then.text
    assert then.json() == {"id": claim["id"], "text": claim["text"]}
