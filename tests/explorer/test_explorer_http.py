"""The explorer is served by the app, from package data, outside the API's
schema. (What it shows is checked in a real browser: tests/browser.)"""

import re
from pathlib import Path

import app.explorer

STATIC = Path(app.explorer.__file__).with_name("static")


async def test_root_redirects_to_the_explorer(client):
    response = await client.get("/", follow_redirects=False)
    assert response.status_code == 307
    assert response.headers["location"] == "/explore"


async def test_explorer_page_and_every_asset_it_loads_are_served(client):
    response = await client.get("/explore")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assets = re.findall(r'(?:src|href)="(/explore/static/[^"]+)"', response.text)
    assert len(assets) == 2, assets
    modules = sorted(p.relative_to(STATIC).as_posix() for p in (STATIC / "js").glob("*.js"))
    assert "js/main.js" in modules
    for path in [*assets, *(f"/explore/static/{m}" for m in modules)]:
        asset = await client.get(path)
        assert asset.status_code == 200, path
        kind = "text/css" if path.endswith(".css") else "text/javascript"
        assert asset.headers["content-type"].startswith(kind), path


async def test_explorer_uses_only_the_public_api(client):
    """Every request goes through api.js to /v1 on the same host: no library, no CDN."""
    for module in (STATIC / "js").glob("*.js"):
        text = module.read_text(encoding="utf-8")
        assert "http://" not in text.replace("http://www.w3.org/2000/svg", ""), module.name
        assert "https://" not in text, module.name
        if module.name != "api.js":
            assert "fetch(" not in text, module.name
        for target in re.findall(r"(?<![.\w])(?:get|all|read|post)\(\s*[`\"]([^`\"]+)", text):
            assert target.startswith("/"), (module.name, target)
    assert "https://" not in (STATIC / "index.html").read_text(encoding="utf-8")


async def test_explorer_is_not_in_the_openapi_document(client):
    paths = (await client.get("/openapi.json")).json()["paths"]
    assert "/" not in paths
    assert not [path for path in paths if path.startswith("/explore")]


async def test_unknown_static_file_is_404(client):
    assert (await client.get("/explore/static/nope.js")).status_code == 404
