"""How a mention's text is normalised: the key that says two mentions are the
same name, the name shown for it, and the digest that keeps refs distinct."""

import hashlib

MAX_NAME = 500  # app.fields.Name


def mention_key(text: str) -> str:
    """Normalised mention: whitespace collapsed, case folded, curly apostrophes straight."""
    return " ".join(text.replace("’", "'").split()).casefold()


def bare_mention(mention: str) -> str:
    """A mention normalised, without the punctuation around it."""
    return mention_key(mention).strip(" .,:;\"'“”‘")


def display_name(value: str) -> str:
    """A mention as an actor name or cue: whitespace collapsed, at most 500 characters."""
    flat = " ".join(value.split())
    return flat if len(flat) <= MAX_NAME else flat[: MAX_NAME - 1] + "…"


def words(text: str) -> frozenset[str]:
    return frozenset(text.split())


def digest(value: str, length: int = 10) -> str:
    """A short stable digest of ``value``: part of a ref that must stay distinct."""
    return hashlib.sha1(value.encode("utf-8"), usedforsecurity=False).hexdigest()[:length]
