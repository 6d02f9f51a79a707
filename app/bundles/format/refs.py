"""How a bundle names records: refs, the ids they fix, references to stored rows."""

import re
from collections.abc import Callable
from functools import lru_cache
from typing import Annotated, Literal
from uuid import NAMESPACE_URL, UUID, uuid5

from pydantic import Field, StringConstraints

from app.fields import WHITESPACE, States

FORMAT = "onrecord-bundle"
VERSION = 1
NAMESPACE = uuid5(NAMESPACE_URL, "https://onrecord.dev/bundles")
"""Namespace of the deterministic ids of bundle records."""

KINDS = ("actors", "sources", "events", "claims", "attributions", "claim_relations")
MAX_RECORDS = 1_000_000
"""Records of one kind in one bundle, at most (a bound on every list a client sends)."""

Ref = Annotated[
    str,
    StringConstraints(min_length=1, max_length=2048, pattern=rf"^[^{WHITESPACE}\u0000]+$"),
    Field(
        description=(
            "Local name of a record of the bundle; in a reference, also a stored row: its "
            "UUID, an actor's Wikidata id or a source's URL. A record whose ref is a UUID "
            "gets that UUID as its id."
        ),
        examples=["S0", "A-C1-S0", "us-diplomats"],
    ),
]

Refs = Annotated[list[Ref], States("uniqueItems", True)]
"""Refs of other records, each at most once (the API's rule for its id lists,
checked with the others: ``check_api_rules``)."""

PLACEHOLDER = UUID(int=0)
"""Stands for any reference while a record is checked against its API schema."""

Resolve = Callable[[str], UUID]


def per_kind() -> dict[str, int]:
    """A count of records for each collection, all zero."""
    return dict.fromkeys(KINDS, 0)


def record_id(bundle_id: str, ref: str) -> UUID:
    """The id a record of a bundle gets: the same on every load.

    A ref that is a UUID is the record's id itself: that is how an export
    keeps ids through a re-import, and how records shared by many bundles (a
    publisher named in every article) are written once."""
    if is_uuid(ref):
        return UUID(ref)
    return uuid5(NAMESPACE, f"{bundle_id}/{ref}")


def placeholder(ref: str) -> UUID:
    """An id standing for ``ref`` while the API's rules are checked: one per
    ref, so a list naming one record twice is seen to."""
    return uuid5(PLACEHOLDER, ref)


@lru_cache(maxsize=1 << 16)
def stored_id(ref: str) -> UUID:
    """A reference to a stored row by its UUID, parsed once: the same few
    thousand speakers are named by every bundle of an import."""
    return UUID(ref)


def resolve_optional(resolve: Resolve, ref: str | None) -> UUID | None:
    return None if ref is None else resolve(ref)


CANONICAL_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)


def is_uuid(value: str) -> bool:
    """Whatever ``UUID()`` accepts. An import asks this of every reference:
    the usual answers (a canonical UUID, a short ref) are found without it."""
    if len(value) < 32:  # 32 hex digits at least, whatever else UUID() strips
        return False
    if CANONICAL_UUID.fullmatch(value):
        return True
    try:
        UUID(value)
    except ValueError:
        return False
    return True


WIKIDATA_REF = re.compile(r"^Q[1-9][0-9]{0,11}$")
URL_REF = re.compile(r"^https?://\S+$")
EXTERNAL_HINTS = {"actors": ", nor a Wikidata id", "sources": ", nor a URL"}


@lru_cache(maxsize=1 << 16)  # an import asks it of the same shared refs again and again
def external_kind(ref: str, target: str) -> Literal["id", "wikidata_id", "url"] | None:
    """How a reference that is no ref of its bundle names a stored row: by
    ``id`` (any collection), by ``wikidata_id`` (actors) or by ``url`` (sources)."""
    if is_uuid(ref):
        return "id"
    if target == "actors" and WIKIDATA_REF.match(ref):
        return "wikidata_id"
    if target == "sources" and URL_REF.match(ref):
        return "url"
    return None


External = tuple[str, str, str, str]
"""A reference to a stored row: (JSON pointer, where, collection, ref)."""
