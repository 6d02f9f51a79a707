"""The OpenAPI document tells the truth: every operation is summarised, and
real responses (successes and problems) match the schemas it documents."""

import re
from typing import Any

import httpx
import pytest
from jsonschema import Draft202012Validator  # type: ignore[import-untyped]

from tests.factories import (
    make_actor,
    make_attribution,
    make_claim,
    make_event,
    make_source,
    post,
)

JSON = dict[str, Any]

# Every operation of the foundation: (method, path template).
OPERATIONS = {
    (method, f"/v1/{resource}{suffix}")
    for resource, item in (
        ("actors", "actor_id"),
        ("sources", "source_id"),
        ("events", "event_id"),
        ("claims", "claim_id"),
        ("claim-relations", "relation_id"),
        ("attributions", "attribution_id"),
    )
    for method, suffix in (
        ("get", ""),
        ("post", ""),
        ("get", f"/{{{item}}}"),
        ("patch", f"/{{{item}}}"),
        ("delete", f"/{{{item}}}"),
    )
} | {("get", "/health")}


@pytest.fixture
async def openapi(client) -> JSON:
    response = await client.get("/openapi.json")
    assert response.status_code == 200
    document: JSON = response.json()
    return document


def operations(document: JSON) -> list[tuple[str, str, JSON]]:
    methods = {"get", "post", "put", "patch", "delete", "head", "options"}
    return [
        (method, path, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in methods
    ]


async def test_openapi_lists_every_operation(openapi):
    assert openapi["openapi"].startswith("3.1")
    listed = {(method, path) for method, path, _ in operations(openapi)}
    assert listed >= OPERATIONS, OPERATIONS - listed


async def test_every_operation_has_a_summary(openapi):
    missing = [f"{m.upper()} {p}" for m, p, op in operations(openapi) if not op.get("summary")]
    assert not missing


async def test_error_responses_are_documented_as_problem_json(openapi):
    for method, path, operation in operations(openapi):
        for status, response in operation["responses"].items():
            if status.startswith(("4", "5")):
                content = response.get("content", {})
                assert "application/problem+json" in content, (method, path, status)
                assert "schema" in content["application/problem+json"], (method, path, status)
                assert "application/json" not in content, (method, path, status)


async def test_docs_page(client):
    response = await client.get("/docs")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "/openapi.json" in response.text


async def test_docs_pages_need_no_internet(client):
    """Swagger UI and ReDoc load their scripts and styles from the app itself."""
    for page in ("/docs", "/redoc"):
        html = (await client.get(page)).text
        assets = re.findall(r'(?:src|href)="([^"]+\.(?:js|css))"', html)
        assert assets, page
        for asset in assets:
            assert asset.startswith("/"), f"{page} loads {asset} from another host"
            response = await client.get(asset)
            assert response.status_code == 200, asset
            assert len(response.content) > 10_000, asset


class Conformance:
    """Validates a real response against the operation it answered."""

    def __init__(self, document: JSON) -> None:
        self.document = document
        self.checked: set[tuple[str, str, int]] = set()

    def __call__(self, response: httpx.Response, method: str, template: str) -> None:
        operation = self.document["paths"][template][method]
        status = response.status_code
        documented = operation["responses"].get(str(status))
        assert documented is not None, f"{method} {template} answered undocumented {status}"
        content = documented.get("content", {})
        if status == 204:
            assert response.content == b""
            assert not content
        else:
            media_type = response.headers["content-type"].split(";")[0]
            assert media_type in content, (method, template, status, media_type, list(content))
            schema = {**content[media_type]["schema"], "components": self.document["components"]}
            errors = sorted(
                Draft202012Validator(schema).iter_errors(response.json()), key=lambda e: e.path
            )
            assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]
            if status >= 400:
                assert media_type == "application/problem+json"
                body = response.json()
                assert body["type"].startswith("https://")
                assert body["title"]
                assert body["status"] == status
        self.checked.add((method, template, status))


async def test_real_responses_match_the_documented_schemas(client, openapi):
    check = Conformance(openapi)

    async def call(method: str, template: str, url: str, **kwargs: Any) -> httpx.Response:
        response: httpx.Response = await client.request(method.upper(), url, **kwargs)
        check(response, method, template)
        return response

    bloomberg = await make_actor(client, kind="media", name="Bloomberg")
    actor = (
        await call(
            "post",
            "/v1/actors",
            "/v1/actors",
            json={
                "kind": "person",
                "name": "Peter Bode",
                "names": [{"name": "Peter Bodde", "kind": "spelling"}],
                "roles": [{"title": "chargé d'affaires", "organisation_id": bloomberg["id"]}],
            },
        )
    ).json()
    text = "Tripoli est une ligne rouge, affirment ces sources."
    source = (
        await call(
            "post",
            "/v1/sources",
            "/v1/sources",
            json={
                "kind": "article",
                "title": "S0",
                "publisher_id": bloomberg["id"],
                "author_ids": [actor["id"]],
                "full_text": text,
                "language": "fr",
                "published": {"earliest": "2019-04-25", "latest": "2019-04-30"},
            },
        )
    ).json()
    event = (
        await call(
            "post",
            "/v1/events",
            "/v1/events",
            json={
                "kind": "meeting",
                "title": "Abu Dhabi meeting",
                "participants": [{"actor_id": actor["id"], "role": "warns"}],
                "time": {
                    "expression": "en février",
                    "relative_to": "source",
                    "anchor_source_id": source["id"],
                    "precision": "month",
                    "earliest": "2019-02-01",
                    "latest": "2019-02-28",
                },
            },
        )
    ).json()
    claim = (
        await call(
            "post",
            "/v1/claims",
            "/v1/claims",
            json={
                "text": "Tripoli est une ligne rouge",
                "language": "fr",
                "translations": [{"language": "en", "text": "Tripoli is a red line"}],
                "event_ids": [event["id"]],
            },
        )
    ).json()
    other = await make_claim(client)
    relation = (
        await call(
            "post",
            "/v1/claim-relations",
            "/v1/claim-relations",
            json={
                "kind": "contradicts",
                "from_claim_id": other["id"],
                "to_claim_id": claim["id"],
                "asserted_by_actor_id": actor["id"],
            },
        )
    ).json()
    origin = await make_attribution(client, claim_id=claim["id"], speaker_id=actor["id"])
    attribution = (
        await call(
            "post",
            "/v1/attributions",
            "/v1/attributions",
            json={
                "claim_id": claim["id"],
                "speaker_id": actor["id"],
                "source_id": source["id"],
                "occasion_event_id": event["id"],
                "relayed_through_id": origin["id"],
                "mode": "partial_quote",
                "certainty": "asserted",
                "span": {"start": 16, "end": 27, "text": "ligne rouge"},
                "time": {"relative_to": "event", "anchor_event_id": event["id"]},
            },
        )
    ).json()

    resources = {
        "actors": ("actor_id", actor, []),
        "sources": ("source_id", source, ["publisher,authors"]),
        "events": ("event_id", event, ["participants"]),
        "claims": ("claim_id", claim, ["attributions,events"]),
        "claim-relations": ("relation_id", relation, ["from_claim,to_claim,asserted_by"]),
        "attributions": (
            "attribution_id",
            attribution,
            ["speaker,source,claim,relayed_through,occasion_event"],
        ),
    }
    for name, (id_name, document, expands) in resources.items():
        collection, item = f"/v1/{name}", f"/v1/{name}/{{{id_name}}}"
        url = f"{collection}/{document['id']}"
        for expand in [None, *expands]:
            params = {"expand": expand} if expand else {}
            await call("get", item, url, params=params)
            page = await call("get", collection, collection, params={**params, "limit": 2})
            assert page.json()["items"]
        await call("patch", item, url, json={})
        # Problems: not found, invalid path id, unknown field, bad page size, malformed body.
        missing = f"{collection}/00000000-0000-7000-8000-000000000000"
        await call("get", item, missing)
        await call("delete", item, missing)
        await call("get", item, f"{collection}/nope")
        await call("patch", item, url, json={"nope": 1})
        await call("get", collection, collection, params={"limit": 0})
        await call("get", collection, collection, params={"cursor": "garbage"})
        await call(
            "post",
            collection,
            collection,
            content=b"{",
            headers={"content-type": "application/json"},
        )

    # Conflicts and refusals the database makes.
    await call("delete", "/v1/actors/{actor_id}", f"/v1/actors/{actor['id']}")
    await call(
        "post",
        "/v1/actors",
        "/v1/actors",
        json={"kind": "person", "name": "X", "wikidata_id": "Q1"},
    )
    await call(
        "post",
        "/v1/actors",
        "/v1/actors",
        json={"kind": "person", "name": "Y", "wikidata_id": "Q1"},
    )
    await call(
        "patch",
        "/v1/sources/{source_id}",
        f"/v1/sources/{source['id']}",
        json={"full_text": "changed"},
    )
    await call(
        "patch",
        "/v1/attributions/{attribution_id}",
        f"/v1/attributions/{origin['id']}",
        json={"relayed_through_id": attribution["id"]},
    )
    await call(
        "post",
        "/v1/sources",
        "/v1/sources",
        json={"kind": "article", "title": "T", "author_ids": [str(event["id"])]},
    )
    await call(
        "delete", "/v1/claim-relations/{relation_id}", f"/v1/claim-relations/{relation['id']}"
    )
    await call("get", "/health", "/health")

    statuses = {status for _, _, status in check.checked}
    assert statuses >= {200, 201, 204, 400, 404, 409, 422}
    await post(client, "/v1/events", {"kind": "x", "title": "still writable"})
    await make_event(client)
    await make_source(client)
