"""Small factories that create data through the API, as a client would."""

from typing import Any

import httpx

JSON = dict[str, Any]


async def post(client: httpx.AsyncClient, path: str, body: JSON) -> JSON:
    response = await client.post(path, json=body)
    assert response.status_code == 201, response.text
    document: JSON = response.json()
    return document


async def make_actor(client: httpx.AsyncClient, **fields: Any) -> JSON:
    return await post(client, "/v1/actors", {"kind": "person", "name": "Mike Pompeo", **fields})


async def make_source(client: httpx.AsyncClient, **fields: Any) -> JSON:
    return await post(client, "/v1/sources", {"kind": "article", "title": "A report", **fields})


async def make_event(client: httpx.AsyncClient, **fields: Any) -> JSON:
    return await post(client, "/v1/events", {"kind": "meeting", "title": "A meeting", **fields})


async def make_claim(client: httpx.AsyncClient, **fields: Any) -> JSON:
    return await post(
        client, "/v1/claims", {"text": "Tripoli est une ligne rouge", "language": "fr", **fields}
    )


async def make_attribution(client: httpx.AsyncClient, **fields: Any) -> JSON:
    body: JSON = {"mode": "paraphrase", **fields}
    if "claim_id" not in body:
        body["claim_id"] = (await make_claim(client))["id"]
    if "source_id" not in body:
        body["source_id"] = (await make_source(client))["id"]
    if "speaker_id" not in body and body["mode"] != "own_voice":
        body["speaker_id"] = (await make_actor(client))["id"]
    return await post(client, "/v1/attributions", body)


async def count(client: httpx.AsyncClient, path: str) -> int:
    """Rows visible through a listing (all pages)."""
    total, cursor = 0, None
    while True:
        params: dict[str, Any] = {"limit": 200}
        if cursor:
            params["cursor"] = cursor
        page = (await client.get(path, params=params)).json()
        total += len(page["items"])
        cursor = page["next"]
        if not cursor:
            return total


async def walk(client: httpx.AsyncClient, path: str, **params: Any) -> list[JSON]:
    """Every item of a listing, following ``next`` to the last page."""
    items: list[JSON] = []
    cursor: str | None = None
    while True:
        query: dict[str, Any] = {"limit": 200, **params}
        if cursor:
            query["cursor"] = cursor
        response = await client.get(path, params=query)
        assert response.status_code == 200, response.text
        page = response.json()
        items.extend(page["items"])
        cursor = page["next"]
        if not cursor:
            return items


async def ids(client: httpx.AsyncClient, path: str, **params: Any) -> list[str]:
    """The ids a (filtered) listing returns, in order."""
    return [item["id"] for item in await walk(client, path, **params)]


def problem(response: httpx.Response, status: int, slug: str) -> JSON:
    """Assert ``response`` is the RFC 9457 problem ``slug`` with ``status``; return it."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json", response.headers
    body: JSON = response.json()
    assert body["type"] == f"https://onrecord.dev/problems/{slug}", body
    assert body["status"] == status
    assert body["title"]
    return body


def pointers(body: JSON, location: str | None = None) -> set[str]:
    """The JSON pointers a problem's ``errors`` name (optionally in one location)."""
    return {
        error["pointer"]
        for error in body.get("errors") or []
        if location is None or error["location"] == location
    }


async def send_raw(
    client: httpx.AsyncClient, method: str, path: str, content: bytes | str | None
) -> httpx.Response:
    """Send a body byte for byte (malformed JSON, lone surrogates, no body)."""
    headers = {"content-type": "application/json"} if content is not None else {}
    return await client.request(method, path, content=content, headers=headers)
