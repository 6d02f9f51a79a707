"""Actors many articles name (publishers, wire services, authors), as the
bundle records of one article. They are global actors like any speaker: the
resolver finds the one stored (or staged earlier in the same import) by its
name, so every article naming one points at the same actor, and a byline
author quoted elsewhere is that actor too."""

import re
from typing import Any

from app.identity.names import mention_key


def shared_actor_ref(kind: str, name: str) -> str:
    """The ref of an actor the article's metadata names."""
    return f"{kind}/" + (re.sub(r"[^a-z0-9]+", "-", mention_key(name)).strip("-")[:80] or "x")


PUBLISHERS = {
    # PolNeAR's publisher slugs; any other name is used as written.
    "breitbart": "Breitbart News",
    "huff-post": "HuffPost",
    "nyt": "The New York Times",
    "politico": "Politico",
    "usa-today": "USA Today",
    "wash-post": "The Washington Post",
    "west-journal": "Western Journalism",
}
WIRES = {
    "ap": "Associated Press",
    "the associated press": "Associated Press",
    "associated press": "Associated Press",
    "afp": "Agence France-Presse",
    "agence france-presse": "Agence France-Presse",
    "reuters": "Reuters",
    "upi": "United Press International",
    "united press international": "United Press International",
}


def _media_actor(name: str, *, alias: str | None) -> dict[str, Any]:
    """A publisher or wire service: one actor for every article naming it."""
    actor: dict[str, Any] = {"ref": shared_actor_ref("publisher", name), "kind": "media"}
    actor["name"] = name
    if alias and mention_key(alias) != mention_key(name):
        actor["names"] = [{"name": alias, "kind": "abbreviation"}]
    return actor


def publisher_actor(publisher: str) -> dict[str, Any]:
    return _media_actor(PUBLISHERS.get(mention_key(publisher), publisher), alias=publisher)


def wire_actor(wire: str) -> dict[str, Any]:
    return _media_actor(WIRES.get(mention_key(wire), wire), alias=wire)


def author_actor(name: str) -> dict[str, Any]:
    return {"ref": shared_actor_ref("author", name), "kind": "person", "name": name}
