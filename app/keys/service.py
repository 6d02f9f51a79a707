"""Creating, revoking and checking API keys.

A token is ``onr_<prefix>_<secret>``: 12 hex digits of prefix (stored in the
clear, unique: the lookup is one index probe) and 256 random bits of secret.
Only the SHA-256 of the whole token is stored; a high-entropy secret needs
no slow hash. The secret is shown once, when the key is created.
"""

import contextlib
import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.keys.models import SCOPES, ApiKey

TOKEN_PREFIX = "onr"  # noqa: S105 (not a secret: the start of every token)
SCOPE_RANK = {scope: rank for rank, scope in enumerate(SCOPES)}
"""read < write < admin: a key may do what its scope and every lower one allow."""

KEYS = ApiKey.__table__


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> tuple[str, str]:
    """A fresh ``(prefix, token)``."""
    prefix = secrets.token_hex(6)
    return prefix, f"{TOKEN_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"


def token_prefix(token: str) -> str | None:
    """The prefix of a well-formed token, else None."""
    parts = token.split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX or len(parts[1]) != 12 or not parts[2]:
        return None
    return parts[1]


def allows(scope: str, needed: str) -> bool:
    return SCOPE_RANK.get(scope, -1) >= SCOPE_RANK[needed]


@dataclass(frozen=True)
class KeyInfo:
    id: UUID
    name: str
    prefix: str
    scope: str
    created_at: datetime
    revoked_at: datetime | None


async def create_key(session: AsyncSession, *, name: str, scope: str) -> tuple[KeyInfo, str]:
    """Store a new key; returns it and its token (shown once, never stored)."""
    if scope not in SCOPE_RANK:
        raise ValueError(f"scope must be one of {', '.join(SCOPES)}")
    prefix, token = new_token()
    row = (
        await session.execute(
            insert(ApiKey)
            .values(name=name, prefix=prefix, secret_hash=hash_token(token), scope=scope)
            .returning(*_columns())
        )
    ).one()
    return KeyInfo(*row), token


def _columns() -> tuple[Any, ...]:
    c = KEYS.c
    return (c.id, c.name, c.prefix, c.scope, c.created_at, c.revoked_at)


async def revoke_keys(session: AsyncSession, *, name_or_id: str) -> list[KeyInfo]:
    """Revoke the active key with this name, id or prefix; returns those revoked."""
    c = KEYS.c
    matches = [c.name == name_or_id, c.prefix == name_or_id]
    with contextlib.suppress(ValueError):
        matches.append(c.id == UUID(name_or_id))
    rows = await session.execute(
        update(ApiKey)
        .where(or_(*matches), c.revoked_at.is_(None))
        .values(revoked_at=func.now(), updated_at=func.now())
        .returning(*_columns())
    )
    return [KeyInfo(*row) for row in rows]


async def list_keys(session: AsyncSession, *, include_revoked: bool = False) -> list[KeyInfo]:
    statement = select(*_columns()).order_by(KEYS.c.created_at, KEYS.c.id)
    if not include_revoked:
        statement = statement.where(KEYS.c.revoked_at.is_(None))
    return [KeyInfo(*row) for row in await session.execute(statement)]
