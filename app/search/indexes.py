"""The search indexes and vectors, declared for the models (migrations 0002, 0004,
0013, 0016).

Kept apart from the search service so models can import it without a cycle.
The expressions call the IMMUTABLE functions created by migration 0002.
"""

from typing import Any

from sqlalchemy import Computed, Index, literal_column
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.orm import mapped_column

TRIGRAM_SIGNATURE_BYTES = 1024
"""Wide signatures let a name that matches nothing skip the index's inner
pages instead of reading all of them (migration 0013)."""


def trigram_index(name: str, expression: str) -> Index:
    """A GiST trigram index, for nearest-by-word-similarity (``<->>``)."""
    return Index(
        name,
        literal_column(expression),
        postgresql_using="gist",
        postgresql_ops={expression: f"gist_trgm_ops(siglen={TRIGRAM_SIGNATURE_BYTES})"},
    )


def trigram_gate_index(name: str, expression: str) -> Index:
    """A GIN trigram index over the lowercased ``expression``: whether any
    row is like the query at all, hit or miss in a fraction of a millisecond
    (migration 0016). Lowercased so that only it matches the gate's
    expression (trigrams are lowercased anyway)."""
    gated = f"lower({expression})"
    return Index(
        name, literal_column(gated), postgresql_using="gin", postgresql_ops={gated: "gin_trgm_ops"}
    )


def search_vector_column(expression: str) -> Any:
    """The stored ``search_vector`` a table's text search ranks on (migration 0004)."""
    return mapped_column(TSVECTOR, Computed(expression, persisted=True), deferred=True)


def search_vector_index(name: str) -> Index:
    """The GIN index over ``search_vector``, for ``@@``."""
    return Index(name, "search_vector", postgresql_using="gin")
