"""Settings, read once from the environment (prefix ``ONRECORD_``).

Bad values stop the process at start-up with a message naming the variable,
instead of surfacing later as a confusing connection error.
"""

from functools import lru_cache
from pathlib import Path
from typing import Literal

import platformdirs
from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir("onrecord", appauthor=False))


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ONRECORD_", extra="ignore")

    database_url: str | None = Field(
        default=None,
        description=(
            "SQLAlchemy URL of a PostgreSQL server (postgresql://user@host:port/db). "
            "Unset: OnRecord runs an embedded PostgreSQL in data_dir."
        ),
    )
    data_dir: Path = Field(
        default_factory=default_data_dir,
        description="Where the embedded PostgreSQL keeps its data.",
    )
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    pool_size: int = Field(default=10, ge=1, le=200)
    log_level: Literal["debug", "info", "warning", "error"] = "info"

    @field_validator("database_url")
    @classmethod
    def _postgres_only(cls, value: str | None) -> str | None:
        if value is None or value == "":
            return None
        scheme = value.split("://", 1)[0]
        if scheme not in {"postgresql", "postgres", "postgresql+asyncpg", "postgresql+psycopg"}:
            raise ValueError(
                f"ONRECORD_DATABASE_URL must be a postgresql:// URL, got scheme {scheme!r}"
            )
        return value


@lru_cache
def get_settings() -> Settings:
    return Settings()
