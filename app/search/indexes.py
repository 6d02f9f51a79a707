"""The search indexes, declared for the models (migration 0002 creates them).

Kept apart from the search service so models can import it without a cycle.
The expressions call the IMMUTABLE functions created by migration 0002.
"""

from sqlalchemy import Index, literal_column


def text_search_index(name: str, expression: str) -> Index:
    """A GIN index over a tsvector expression, for ``@@``."""
    return Index(name, literal_column(expression), postgresql_using="gin")


def trigram_index(name: str, expression: str) -> Index:
    """A GiST trigram index, for nearest-by-word-similarity (``<->>``)."""
    return Index(
        name,
        literal_column(expression),
        postgresql_using="gist",
        postgresql_ops={expression: "gist_trgm_ops"},
    )
