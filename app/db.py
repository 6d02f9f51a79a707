"""Engine, declarative base and the per-request transaction.

The request owns the transaction: ``get_session`` commits when the endpoint
returned normally and rolls back on any exception, before the response is
sent (``scope="function"``), so a client never sees a 2xx for a write that
was not committed. Services only ``flush``.
"""

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, Protocol, get_args
from uuid import UUID

import uuid_utils
from fastapi import Depends, Request
from sqlalchemy import (
    CheckConstraint,
    DateTime,
    ForeignKey,
    FromClause,
    MetaData,
    UniqueConstraint,
    func,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import UUID as PG_UUID
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.sql.elements import ColumnElement

# Stable constraint names: migrations can name them, and errors.py maps a
# violated constraint back to the request field that caused it.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_id() -> UUID:
    """Time-ordered UUIDv7: keyset pagination by id follows creation order."""
    return UUID(bytes=uuid_utils.uuid7().bytes)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def refers_to(table: str) -> Any:
    """A column naming a row of ``table`` that may not be deleted while
    referred to, indexed so that the check (and "who refers to it?") is a
    lookup."""
    return mapped_column(ForeignKey(f"{table}.id", ondelete="RESTRICT"), index=True)


def part_of(table: str) -> Any:
    """A child row's parent: deleted with it. No index of its own: the
    child table's unique constraint leads with this column."""
    return mapped_column(ForeignKey(f"{table}.id", ondelete="CASCADE"))


def one_of(column: str, choices: Any) -> CheckConstraint:
    """CHECK that a text column holds one of the ``choices`` the schema's
    Literal (or a tuple of strings) allows, named after the column."""
    listed = ", ".join(f"'{value}'" for value in get_args(choices) or choices)
    return CheckConstraint(f"{column} IN ({listed})", name=column)


def directed_relation(
    subject: str, obj: str, kind: str, kinds: Any
) -> tuple[UniqueConstraint, CheckConstraint, CheckConstraint]:
    """The constraints of a row relating two rows of one table: one relation
    of each ``kind`` from ``subject`` to ``obj``, a kind of ``kinds``, never a
    row to itself."""
    return (
        UniqueConstraint(subject, obj, kind),
        one_of(kind, kinds),
        CheckConstraint(f"{subject} <> {obj}", name="not_self"),
    )


class Entity(Base):
    """Every row: a UUID id and created/updated timestamps."""

    __abstract__ = True

    id: Mapped[UUID] = mapped_column(PG_UUID(as_uuid=True), primary_key=True, default=new_id)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now(), nullable=False
    )


async def row_by_id(
    session: AsyncSession, table: FromClause, row_id: UUID, *columns: ColumnElement[Any]
) -> Any:
    """``columns`` of the row of ``table`` whose id is ``row_id`` (a ``Row``, unpacked
    as the caller's columns say); None when there is none."""
    statement = select(*columns).where(table.c.id == row_id)
    return (await session.execute(statement)).one_or_none()


SERVER_SETTINGS = {
    # Timestamps leave PostgreSQL as UTC ISO strings, whatever the server's zone.
    "timezone": "UTC",
    "application_name": "onrecord",
    # asyncpg prepares every statement; after five runs PostgreSQL may switch
    # to a generic plan that ignores the parameters, and for a time filter or
    # a search term that plan can walk a whole table. Planning our statements
    # afresh costs a fraction of a millisecond; a generic plan can cost 10x.
    # The exceptions, whose plan is right for any parameters, are documents
    # read by id, provenance, search, the timeline's window and an actor's
    # first page of statements (``GENERIC_PLANS``).
    "plan_cache_mode": "force_custom_plan",
    # The recursive queries (provenance, statements) are estimated far above
    # jit_above_cost, and JIT-compiling them took 44 ms of a 59 ms provenance
    # query at 100k attributions. Short OLTP statements never repay it.
    "jit": "off",
    # Parallel workers cost more to start than our statements take, and an API
    # serving many requests has no idle core to give them: a search's unused
    # GIN branch started two workers (20 ms) even when a one-time filter
    # skipped it. Common-term searches at 100k claims, 8 connections, two
    # cores (python -m bench, back to back): 66/s with them, 120/s without.
    "max_parallel_workers_per_gather": "0",
    # Search's name match (app.search.service) prunes the trigram index with
    # the %> operator, which reads this threshold: just under the similarity a
    # name needs there (MIN_NAME_SIMILARITY, checked after), so that nothing
    # it keeps is pruned.
    "pg_trgm.word_similarity_threshold": "0.49",
}


def async_url(url: str) -> str:
    """Accept plain postgresql:// URLs and use the asyncpg driver."""
    parsed = make_url(url)
    return parsed.set(drivername="postgresql+asyncpg").render_as_string(hide_password=False)


def create_engine(
    url: str,
    *,
    pool_size: int = 10,
    read_only: bool = False,
    statement_timeout_ms: int | None = None,
    pool_timeout_s: float | None = None,
    connect_timeout_s: float | None = None,
) -> AsyncEngine:
    """An engine on ``url``. The API's engines also pass the limits: a
    ``statement_timeout`` (a runaway query is cancelled by the server and
    answered 503), how long a request may wait for a pooled connection, and
    how long opening one may take (with the database down, requests fail in
    about that long instead of hanging). ``read_only`` engines run every
    statement in a read-only transaction (``default_transaction_read_only``)."""
    server_settings = dict(SERVER_SETTINGS)
    if statement_timeout_ms is not None:
        server_settings["statement_timeout"] = str(statement_timeout_ms)
    if read_only:
        server_settings["default_transaction_read_only"] = "on"
    connect_args: dict[str, Any] = {"server_settings": server_settings}
    if connect_timeout_s is not None:
        connect_args["timeout"] = connect_timeout_s
    options: dict[str, Any] = {}
    if pool_timeout_s is not None:
        options["pool_timeout"] = pool_timeout_s
    target = make_url(async_url(url))
    if read_only and target.query.get("target_session_attrs") == "read-write":
        # A read-only session fails that check of asyncpg's (it asks whether
        # the session is read-only); "primary" picks the same server.
        target = target.update_query_dict({"target_session_attrs": "primary"})
    return create_async_engine(
        target,
        pool_size=pool_size,
        # No overflow: a connection opened for a burst and closed right after
        # costs more (TCP, TLS negotiation, auth) than waiting for a pooled one.
        max_overflow=0,
        # No ping per checkout (a round trip per request): a connection found
        # dead raises a disconnect error, which invalidates the whole pool, so
        # the requests after it reconnect (errors.py answers that one 503).
        pool_pre_ping=False,
        connect_args=connect_args,
        **options,
    )


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)


READ_METHODS = frozenset({"GET", "HEAD"})


GENERIC_PLANS = {**SERVER_SETTINGS, "plan_cache_mode": "force_generic_plan"}
"""The settings of the fast path's second pool (``app.fastpath.open_pool``),
for statements planned once per connection and reused, whatever their
parameters (``sqlcompile.DriverSQL.generic_plan``). Only a statement whose
plan is right for any parameters belongs there: search, whose bounded walks
and index reads are written into the statement and do not depend on the
planner's estimate of the term (``app.search.matching``), planning it afresh
took 3 of its 7-12 ms at 1M claims; the event timeline's window, read on
its GiST indexes whatever the window (``app.events.timeline``); and an
actor's first page of statements, which has no optional filter left
(``app.provenance.statements``); and a document read by id, a claim's
provenance among them (``app.records``, ``app.provenance.service``), whose
every read is by an id: planning a claim's provenance took 1.0-1.4 ms, as
long as running it, and a claim's 0.10 ms of its 0.13 ms at 100k claims."""


class Fetch(Protocol):
    """Runs driver SQL (``$1``-style, as ``sqlcompile.DriverSQL`` compiles it)
    with positional arguments and returns its rows, each indexable by
    position: on a session (``session_fetch``), on sessions of a factory
    (``factory_fetch``), or on the fast path's asyncpg pools
    (``app.fastpath.pool_fetch``). ``generic_plan``: the statement may run
    on a connection that plans it once (``GENERIC_PLANS``); a session
    plans it afresh, which gives the same answer at the cost of planning."""

    async def __call__(
        self, sql: str, args: Sequence[Any], /, *, generic_plan: bool = False
    ) -> Sequence[Any]: ...


def session_fetch(session: AsyncSession) -> Fetch:
    async def fetch(
        sql: str, args: Sequence[Any], /, *, generic_plan: bool = False
    ) -> Sequence[Any]:
        connection = await session.connection()
        return (await connection.exec_driver_sql(sql, tuple(args))).all()

    return fetch


def factory_fetch(factory: async_sessionmaker[AsyncSession]) -> Fetch:
    """Each call on a session of its own from ``factory``."""

    async def fetch(
        sql: str, args: Sequence[Any], /, *, generic_plan: bool = False
    ) -> Sequence[Any]:
        async with factory() as session:
            return await session_fetch(session)(sql, args)

    return fetch


@dataclass(frozen=True)
class Sessions:
    """Where requests get their sessions: ``write`` for writes, ``read`` for
    GET and HEAD, ``snapshot`` for long reads that must see one state (the
    export), and the hot reads (``app/fastpath.py``) their ``fast`` fetch
    (else sessions of ``read``); ``engine`` for the readiness check. The
    lifespan makes them from the settings (``create_app``); a test gives its
    own, on its transaction."""

    engine: AsyncEngine
    write: async_sessionmaker[AsyncSession]
    read: async_sessionmaker[AsyncSession] | None = None
    snapshot: async_sessionmaker[AsyncSession] | None = None
    fast: Fetch | None = None
    primary_read: async_sessionmaker[AsyncSession] | None = None
    """Reads that must see the primary (a lagging replica); default: ``read``."""
    replica: Fetch | None = None
    """A fetch on the read replica, when reads go to one (app/replication.py)."""

    @classmethod
    def on(cls, engine: AsyncEngine) -> "Sessions":
        """Every kind of session on one engine (no separate read pool)."""
        return cls(
            engine=engine,
            write=session_factory(engine),
            read=read_only_factory(engine),
            snapshot=snapshot_factory(engine),
        )

    def install(self, app: Any) -> None:
        """Where the dependencies (``get_session``, ``get_reader``) find them."""
        app.state.engine = self.engine
        app.state.session_factory = self.write
        app.state.read_session_factory = self.read or self.write
        app.state.snapshot_session_factory = self.snapshot or self.write
        app.state.fast_fetch = self.fast or factory_fetch(self.read or self.write)
        app.state.primary_read_session_factory = self.primary_read or self.read or self.write
        app.state.replica_fetch = self.replica


def snapshot_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions in REPEATABLE READ: every statement sees the same snapshot."""
    return session_factory(engine.execution_options(isolation_level="REPEATABLE READ"))


def read_only_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions in autocommit mode: no BEGIN/COMMIT around a read. Every read
    endpoint is one statement, which PostgreSQL runs atomically on its own,
    so the transaction would only add two round trips. The app gives it an
    engine made with ``read_only=True``: each of those one-statement
    transactions is then read-only, so a GET cannot write."""
    return session_factory(engine.execution_options(isolation_level="AUTOCOMMIT"))


def _factory_for(request: Request) -> async_sessionmaker[AsyncSession]:
    state = request.app.state
    if request.method not in READ_METHODS:
        factory: async_sessionmaker[AsyncSession] = state.session_factory
    elif getattr(request.state, "onrecord_read_on_primary", False):
        # Its replica has not replayed the client's write yet (app/replication.py).
        factory = state.primary_read_session_factory
    else:
        factory = state.read_session_factory
    return factory


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    async with _factory_for(request)() as session:
        try:
            yield session
        except BaseException:
            await session.rollback()
            raise
        else:
            await session.commit()
            replica = getattr(request.app.state, "replica_fetch", None)
            if replica is not None and request.method not in READ_METHODS:
                await _note_commit_position(request, session)


async def _note_commit_position(request: Request, session: AsyncSession) -> None:
    """Where the primary's WAL is now that the write committed: the answer's
    ``X-OnRecord-LSN`` (app/replication.py). The write is committed whatever
    happens here, so a failure only leaves the header out."""
    try:
        position = await session.scalar(text("SELECT pg_current_wal_insert_lsn()::text"))
        await session.rollback()
    except Exception:
        return  # committed already: never turn it into an error
    request.state.onrecord_commit_lsn = position


SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]

Reader = AsyncSession | Fetch
"""Where a hot read runs: the request's session, or a ``Fetch`` on the hot
reads' pool (``app/fastpath.py``)."""


def fetcher(reader: Reader) -> Fetch:
    return session_fetch(reader) if isinstance(reader, AsyncSession) else reader


async def get_reader(session: SessionDep) -> Reader:
    """The reader of a hot read on the framework's path: the request's session.
    ``app.fastpath.HotRead`` gives the endpoint its pool's ``Fetch`` instead."""
    return session


ReaderDep = Annotated[Reader, Depends(get_reader)]
"""Declares a GET endpoint a hot read (``app/fastpath.py``): it runs on
whichever reader it is given, with one service call."""
