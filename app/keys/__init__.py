"""API keys: who may write (and read, when reads are not public)."""


def demo_write_key(database_url: str) -> str | None:
    """A fresh write key named "demo" for ``onrecord serve --demo`` to print
    (the previous demo key is revoked: a secret is only ever shown once)."""
    from app.keys.commands import fresh_demo_key

    return fresh_demo_key(database_url)
