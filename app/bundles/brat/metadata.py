"""What is known of an article besides its text: PolNeAR's ``metadata.tsv``
rows, and the people its byline names (the source's authors)."""

import csv
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError

from app.fields import Day, LongText, Name
from app.identity.names import mention_key, words
from app.identity.shared import PUBLISHERS, WIRES
from app.schemas import Input


class ArticleMetadata(Input):
    """What is known of an article besides its text (a row of PolNeAR's metadata.tsv)."""

    publisher: Name | None = Field(default=None, examples=["nyt"])
    publication_date: Day | None = None
    author: LongText | None = Field(
        default=None,
        max_length=2000,
        description="The byline as printed: names split on commas and 'and'.",
        examples=["AMY CHOZICK and ALEXANDER BURNS"],
    )
    title: Name | None = None
    wire: Name | None = Field(
        default=None, description="The wire service the story came from.", examples=["AP"]
    )


_MISSING = frozenset({"", "none", "na", "n/a", "null"})


def _cell(row: Mapping[str, str], column: str) -> str | None:
    value = (row.get(column) or "").strip()
    return None if value.casefold() in _MISSING else value


def read_metadata(path: Path) -> dict[tuple[str, str], ArticleMetadata]:
    """PolNeAR's ``metadata.tsv``: (compartment, filename) → metadata. A row
    whose values do not fit (a bad date) keeps the fields that do."""
    table: dict[tuple[str, str], ArticleMetadata] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            values: dict[str, Any] = {
                name: _cell(row, name)
                for name in ("publisher", "publication_date", "author", "title", "wire")
            }
            try:
                metadata = ArticleMetadata(**values)
            except ValidationError as exc:
                for error in exc.errors():
                    values[str(error["loc"][0])] = None
                metadata = ArticleMetadata(**values)
            table[(row.get("compartment") or "", row.get("filename") or "")] = metadata
    return table


def find_metadata(
    table: Mapping[tuple[str, str], ArticleMetadata], compartment: str, name: str
) -> ArticleMetadata | None:
    """The row of (compartment, name), else the only row of that name."""
    found = table.get((compartment, name))
    if found is not None:
        return found
    rows = [metadata for (_, filename), metadata in table.items() if filename == name]
    return rows[0] if len(rows) == 1 else None


# A byline part that names the outlet or the author's contact, not a co-author.
_NOT_A_NAME = re.compile(
    r"@|https?:|contributed|reporting|\bfollow\b|\bemail\b|\btwitter\b|\d", re.IGNORECASE
)
_OUTLET_WORDS = words(
    "times post journal news press today tribune herald gazette enquirer register "
    "examiner magazine daily staff"
)


def byline_names(byline: str) -> list[str]:
    """People named in a byline, as printed ("By AMY CHOZICK and ALEXANDER
    BURNS", "Heidi M. Przybyla, USA TODAY", "Abby Phillip,David Weigel").
    Deliberately simple: split on commas; cut a part at a sentence end (". "
    after a word, not an initial); drop parts with handles, e-mail, digits or
    "contributed" (contributors are not authors); split the rest on " and ",
    drop a leading "By", outlet names ("USA TODAY", "The Atlantic") and wire
    services (a wire is the source's author on its own: ``wire``);
    capitals-only names are title-cased."""
    outlets = {mention_key(name) for name in PUBLISHERS.values()} | set(PUBLISHERS) | set(WIRES)
    names: list[str] = []
    for part in byline.split(","):
        part = re.sub(r"(?<=\w\w)\. .*$", "", part.strip(), flags=re.DOTALL)
        if _NOT_A_NAME.search(part):
            continue
        for name in re.split(r"\band\b", part, flags=re.IGNORECASE):
            name = re.sub(r"^by\s+", "", name.strip(), flags=re.IGNORECASE).strip(" .")
            key = mention_key(name)
            tokens = key.split()
            if (
                not tokens
                or key in outlets
                or tokens[0] == "the"
                or tokens[-1] in _OUTLET_WORDS
                or len(tokens) > 5
            ):
                continue
            names.append(name.title() if name.isupper() else name)
    return names
