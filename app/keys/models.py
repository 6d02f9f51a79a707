from datetime import datetime
from typing import Literal, get_args

from sqlalchemy import DateTime, Index, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Entity, one_of

Scope = Literal["read", "write", "admin"]
SCOPES: tuple[str, ...] = get_args(Scope)


class ApiKey(Entity):
    """An API key (migration 0006). The token is ``onr_<prefix>_<secret>``:
    ``prefix`` finds the row by index, ``secret_hash`` is the SHA-256 of the
    whole token (the secret itself is shown once and never stored). Revoked
    keys stay, so history can still name them."""

    __tablename__ = "api_keys"
    __table_args__ = (
        one_of("scope", SCOPES),
        Index(
            "uq_api_keys_active_name",
            "name",
            unique=True,
            postgresql_where=text("revoked_at IS NULL"),
        ),
    )

    name: Mapped[str] = mapped_column(Text)
    prefix: Mapped[str] = mapped_column(Text, unique=True)
    secret_hash: Mapped[str] = mapped_column(Text)
    scope: Mapped[str] = mapped_column(Text)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
