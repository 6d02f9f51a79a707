"""Settings, read once from the environment (prefix ``ONRECORD_``).

Bad values stop the process at start-up with a message naming the variable,
instead of surfacing later as a confusing connection error.
"""

import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import platformdirs
from pydantic import Field, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir("onrecord", appauthor=False))


def _seconds(default: float, *, at_most: float, description: str) -> Any:
    """A duration setting, in seconds: more than none, at most ``at_most``."""
    return Field(default=default, gt=0, le=at_most, description=description)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ONRECORD_", extra="ignore")

    database_url: str | None = Field(
        default=None,
        description=(
            "SQLAlchemy URL of a PostgreSQL server (postgresql://user@host:port/db). "
            "Unset: OnRecord runs an embedded PostgreSQL in data_dir."
        ),
    )
    database_read_url: str | None = Field(
        default=None,
        description=(
            "URL of a read replica of database_url: GET and HEAD requests read there, "
            "writes (and the export's snapshot) stay on database_url. Replication lag shows: "
            "a record just written may not be readable yet. Unset: everything on database_url."
        ),
    )
    read_your_writes_wait_ms: int = Field(
        default=500,
        ge=0,
        le=10_000,
        description="How long a read with X-OnRecord-Min-LSN waits for the read replica to "
        "replay that far before it is answered from the primary instead.",
    )
    data_dir: Path = Field(
        default_factory=default_data_dir,
        description="Where the embedded PostgreSQL keeps its data.",
    )
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    pool_size: int = Field(default=10, ge=1, le=200)
    log_level: Literal["debug", "info", "warning", "error"] = "info"
    # -- operations (issue 8) --
    workers: int = Field(
        default=1,
        ge=1,
        le=64,
        description="uvicorn worker processes of `onrecord serve` (with a database URL only).",
    )
    graceful_shutdown_s: float = _seconds(
        30.0,
        at_most=3600,
        description="On SIGTERM, how long in-flight requests may take to finish.",
    )
    opentelemetry: bool = Field(
        default=False,
        description="FastAPI's native OpenTelemetry (traces, metrics, logs to the globally "
        "configured providers); off, the app exports Prometheus metrics and JSON logs only.",
    )
    # -- access control and concurrent writes (issue 7) --
    public_reads: bool = Field(
        default=True,
        description="Reads need no API key; false: every read needs a `read` key.",
    )
    require_if_match: bool = Field(
        default=False,
        description="PATCH and DELETE of a resource need If-Match (428 without it).",
    )
    # -- limits and faults (issue 7) --
    max_body_bytes: int = Field(
        default=32 * 1024 * 1024,
        ge=1024,
        description="Largest request body (bytes) outside POST /v1/bundles; past it, 413.",
    )
    max_bundle_bytes: int = Field(
        default=256 * 1024 * 1024,
        ge=1024,
        description="Largest POST /v1/bundles body (bytes); past it, 413.",
    )
    statement_timeout_ms: int = Field(
        default=30_000,
        ge=0,
        description="Longest one SQL statement of a request may run (0: no limit); past it, 503.",
    )
    pool_timeout_s: float = _seconds(
        5.0,
        at_most=600,
        description="Longest a request waits for a pooled connection; past it, 503.",
    )
    # 1 s was seen to fail on a busy 2-core machine (a healthy server, a
    # connection opened while the suite ran): a refused connection fails at
    # once anyway, this bounds only a server that does not answer.
    connect_timeout_s: float = _seconds(
        5.0,
        at_most=600,
        description="Longest opening a database connection may take; past it, 503.",
    )
    # -- hostile clients (issue 17; app/http_protocol.py, onrecord serve) --
    max_header_bytes: int = Field(
        default=16 * 1024,
        ge=1024,
        le=1024 * 1024,
        description="Largest request head (request line and headers, bytes); past it, 431.",
    )
    max_url_bytes: int = Field(
        default=8 * 1024,
        ge=256,
        le=1024 * 1024,
        description="Longest request target (path and query, bytes); past it, 414.",
    )
    header_timeout_s: float = _seconds(
        10.0,
        at_most=600,
        description="Longest a client may take to send a request's head; past it, 408 "
        "(and a connection that sent nothing is closed).",
    )
    body_timeout_s: float = _seconds(
        30.0,
        at_most=3600,
        description="Longest a request body may pause (no byte arriving); past it, 408.",
    )
    keep_alive_s: int = Field(
        default=5,
        ge=1,
        le=600,
        description="How long an idle keep-alive connection stays open (uvicorn's "
        "timeout_keep_alive).",
    )
    limit_concurrency: int | None = Field(
        default=None,
        ge=1,
        description="Most connections or requests in progress per worker; past it, 503 "
        "(/health and /ready are always answered). Unset: no limit.",
    )
    metrics_address: str | None = Field(
        default=None,
        description="host:port where GET /metrics is served without a key, on a listener of "
        "its own (one worker); unset: /metrics on the API's address needs an admin key.",
    )
    # -- extraction (issue 15) --
    extraction_workers: int = Field(
        default=1,
        ge=1,
        le=32,
        description="Processes that run extractions (each loads the models it needs once).",
    )
    extraction_in_flight: int = Field(
        default=2,
        ge=1,
        le=256,
        description="Extractions one API process runs at once; past it, 429 with Retry-After.",
    )
    extraction_timeout_s: float = _seconds(
        120.0, at_most=3600, description="Longest one extraction may take; past it, 503."
    )
    # A worker at SCHED_IDLE that never sleeps still doubled claim reads' p99
    # on 2 cores; a half share still let it rise 2.2x, a quarter 1.6x
    # (docs/extraction.md): resting in short slices is what keeps it.
    extraction_cpu_share: float = Field(
        default=0.25,
        gt=0,
        le=1,
        description="Share of a core an extraction worker uses while it works: it rests the "
        "remainder in slices of a few milliseconds, so that reads keep their tail latency "
        "(1: no rest).",
    )
    # -- rate limits (issue 17) --
    rate_limit_key: str | None = Field(
        default=None,
        description="Budget of each API key, as requests/period (600/minute; second, minute, "
        "hour, day), per server process; past it, 429 with Retry-After. Unset: no limit.",
    )
    rate_limit_anonymous: str | None = Field(
        default=None,
        description="Budget of each client address for requests whose key is not checked "
        "(public reads; as rate_limit_key). Unset: no limit.",
    )
    cors_origins: str = Field(
        default="",
        description="Comma-separated origins allowed by CORS; empty: no CORS headers at all.",
    )

    @field_validator("cors_origins")
    @classmethod
    def _origins(cls, value: str) -> str:
        for origin in (part.strip() for part in value.split(",")):
            if origin and origin != "*" and not re.fullmatch(r"https?://[^/\s]+", origin):
                raise ValueError(
                    "ONRECORD_CORS_ORIGINS must be comma-separated origins like "
                    f"https://example.org (scheme and host, no path), got {origin!r}"
                )
        return value

    @field_validator("metrics_address")
    @classmethod
    def _host_and_port(cls, value: str | None) -> str | None:
        if not value:
            return None
        host, _, port = value.rpartition(":")
        if not host or not port.isdigit() or not 0 < int(port) < 65536:
            raise ValueError(
                f"ONRECORD_METRICS_ADDRESS must be host:port (127.0.0.1:9464), got {value!r}"
            )
        return value

    def metrics_host_port(self) -> tuple[str, int] | None:
        if self.metrics_address is None:
            return None
        host, _, port = self.metrics_address.rpartition(":")
        return host.strip("[]"), int(port)

    @field_validator("rate_limit_key", "rate_limit_anonymous")
    @classmethod
    def _budget(cls, value: str | None, info: ValidationInfo) -> str | None:
        from app.budgets import Budget

        if value is None or not value.strip():
            return None
        try:
            Budget.parse(value)
        except ValueError as exc:
            raise ValueError(f"ONRECORD_{info.field_name}".upper() + f": {exc}") from None
        return value

    def cors_origin_list(self) -> list[str]:
        return [part.strip() for part in self.cors_origins.split(",") if part.strip()]

    @field_validator("database_url", "database_read_url")
    @classmethod
    def _postgres_only(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None or value == "":
            return None
        variable = f"ONRECORD_{info.field_name}".upper()
        scheme = value.split("://", 1)[0]
        if scheme not in {"postgresql", "postgres", "postgresql+asyncpg", "postgresql+psycopg"}:
            raise ValueError(f"{variable} must be a postgresql:// URL, got scheme {scheme!r}")
        from sqlalchemy.engine import make_url
        from sqlalchemy.exc import ArgumentError

        try:
            _ = make_url(value).port  # a port that is not a number fails here
        except (ArgumentError, ValueError) as exc:
            raise ValueError(f"{variable} is not a valid URL: {exc}") from None
        return value


@lru_cache
def get_settings() -> Settings:
    return Settings()
