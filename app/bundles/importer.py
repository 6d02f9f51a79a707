"""``onrecord import``: files of bundles and exported records, loaded in bulk.

A file is one bundle (``.json``) or NDJSON (any other name; ``-`` is standard
input): each line a whole bundle (it has ``"format"``) or one exported record
(it has ``"collection"``, as ``onrecord export`` writes them).

Atomicity: bundles are committed in groups of whole bundles (about
``batch_attributions`` attributions each), so an interrupted import leaves no
half-written bundle, and running it again skips what is already stored.
Into an empty database, the whole import is one transaction instead, its
biggest tables' indexes built at the end (``app.bundles.bulk.fresh``): an
interrupted first import leaves the database empty.
Exported records refer to each other across the whole file, so a stream
holding any of them is loaded in one transaction. Either way, the first error
stops the import with a message naming the file, line, record and field;
what was committed before it stays (and a re-run skips it).
"""

import asyncio
import contextlib
import gc
import sys
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import orjson
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from app.bundles.bulk import BulkLoad, Loaded, OnChanged
from app.bundles.bulk.fresh import database_is_empty, restore, set_aside
from app.bundles.bulk.load import recount_every_claim
from app.bundles.format import (
    FORMAT,
    KINDS,
    VERSION,
    Bundle,
    InvalidBundle,
    error_message,
    parse_bundle,
    per_kind,
)
from app.db import session_factory
from app.errors import ProblemError

RECORDS_PER_CHUNK = 5000
"""Exported records validated and staged together."""


@contextlib.contextmanager
def fewer_collections() -> Iterator[None]:
    """The cyclic garbage collector run seldom, for a process that imports:
    parsing makes millions of objects that live until their batch is
    written, and the collector traversed them again and again (40% of the
    import's CPU at 20k claims, the same peak memory without it). Reference
    counting still frees every batch; what is there before (the code) is
    frozen, never traversed."""
    thresholds = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(100_000, 50, 1000)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


class ImportFailed(Exception):
    """The import stopped: the message is for a person, one line per problem."""


@dataclass
class ImportReport:
    files: int = 0
    lines: int = 0
    bundles: int = 0
    records: int = 0
    transactions: int = 0
    created: dict[str, int] = field(default_factory=per_kind)
    existing: dict[str, int] = field(default_factory=per_kind)

    def add(self, loaded: Loaded) -> None:
        self.transactions += 1
        for kind in KINDS:
            self.created[kind] += loaded.created[kind]
            self.existing[kind] += loaded.existing[kind]

    def line(self) -> str:
        created = ", ".join(f"{self.created[k]} {k.replace('_', ' ')}" for k in KINDS)
        existing = sum(self.existing.values())
        return (
            f"{self.files} file(s), {self.bundles} bundle(s), {self.records} exported record(s):"
            f" created {created}; {existing} already stored"
        )


@dataclass
class Item:
    """One line (or file) read: a bundle, or an exported record."""

    where: str
    bundle: Bundle | None = None
    kind: str | None = None
    record: dict[str, Any] | None = None


def _problem_lines(where: str, problem: ProblemError) -> str:
    """One line per error; ``where`` (a file and line) leads each, unless the
    errors already name their own lines."""
    details = [error.detail for error in problem.errors or []] or [problem.detail]
    shown = [f"{where}: {detail}" if where else detail for detail in details[:20]]
    more = [f"  ... and {len(details) - 20} more"] if len(details) > 20 else []
    return "\n".join([*shown, *more])


def _decode(raw: bytes, where: str) -> Any:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ImportFailed(f"{where}: not UTF-8 (byte {exc.start} of the line)") from None
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        hint = "" if raw.endswith(b"\n") else " (truncated: the line has no end)"
        raise ImportFailed(f"{where}: not valid JSON{hint}: {exc}") from None


def _item(document: Any, where: str) -> Item:
    if isinstance(document, dict) and "format" in document:
        try:
            return Item(where, bundle=parse_bundle(document))
        except InvalidBundle as exc:
            raise ImportFailed(_problem_lines(where, exc)) from None
    if isinstance(document, dict) and "collection" in document:
        kind = document.pop("collection")
        if kind not in KINDS:
            raise ImportFailed(f"{where}: collection {kind!r} is not one of {', '.join(KINDS)}")
        return Item(where, kind=kind, record=document)
    raise ImportFailed(
        f'{where}: neither a bundle (no "format") nor an exported record (no "collection")'
    )


def read_items(paths: list[Path], *, advance: Callable[[int], None]) -> Iterator[Item]:
    for path in paths:
        name = "<stdin>" if str(path) == "-" else str(path)
        stream: IO[bytes]
        try:
            stream = sys.stdin.buffer if name == "<stdin>" else path.open("rb")
        except OSError as exc:
            raise ImportFailed(f"{name}: cannot read: {exc.strerror}") from None
        with stream:
            if path.suffix == ".json":
                raw = stream.read()
                advance(len(raw))
                document = _decode(raw if raw.endswith(b"\n") else raw + b"\n", name)
                for index, part in enumerate(
                    document if isinstance(document, list) else [document]
                ):
                    yield _item(part, f"{name}[{index}]" if isinstance(document, list) else name)
                continue
            for number, raw in enumerate(stream, start=1):
                advance(len(raw))
                if raw.strip():
                    yield _item(_decode(raw, f"{name}:{number}"), f"{name}:{number}")


def _chunk(items: list[Item]) -> tuple[Bundle, dict[tuple[str, int], str]]:
    """Exported records as one bundle; (collection, index) → the line it came from."""
    document: dict[str, Any] = {"format": FORMAT, "version": VERSION, "id": "import"}
    where: dict[tuple[str, int], str] = {}
    for item in items:
        assert item.kind is not None
        records = document.setdefault(item.kind, [])
        where[(item.kind, len(records))] = item.where
        records.append(item.record)
    try:
        return Bundle.model_validate(document), where
    except ValidationError as exc:
        lines = []
        for error in exc.errors()[:20]:
            kind, index, *path = error["loc"]
            message = error_message(error)
            field_path = ".".join(str(part) for part in path)
            lines.append(f"{where[(str(kind), int(index))]}: {field_path}: {message}")
        raise ImportFailed("\n".join(lines)) from None


PREFETCH_BUNDLES = 500
"""Bundles whose lookups of stored rows go in one statement."""


class Importer:
    def __init__(
        self,
        engine: AsyncEngine,
        *,
        batch_attributions: int = 20_000,
        on_changed: OnChanged = "refuse",
        fresh: bool = True,
    ) -> None:
        """``fresh``: into an empty database, load in one transaction with the
        biggest tables' indexes built at the end (``app.bundles.bulk.fresh``)."""
        self.factory = session_factory(engine)
        self.fresh = fresh
        self.batch_attributions = batch_attributions
        self.on_changed: OnChanged = on_changed
        self.report = ImportReport()
        self.writing: asyncio.Task[None] | None = None
        """A fresh import's batch being written on the session while the
        next batch is read and parsed (``_run_fresh``)."""

    async def run(self, paths: list[Path], *, advance: Callable[[int], None]) -> ImportReport:
        """Load the files. A batch's set-based writes run in PostgreSQL while
        Python parses the next batch (on a second connection): one batch in
        flight at most, committed in order; a failure stops everything after.
        Into an empty database: one transaction (``_run_fresh``)."""
        self.report.files = len(paths)
        session = self.factory()
        try:
            fresh = self.fresh and await database_is_empty(session)
        except BaseException:
            await session.close()
            raise
        if fresh:
            return await self._run_fresh(session, paths, advance=advance)
        await session.rollback()
        in_flight: asyncio.Task[None] | None = None

        async def commit_and_go_on(load: BulkLoad) -> BulkLoad:
            nonlocal in_flight, session
            if in_flight is not None:
                await in_flight
            in_flight = asyncio.create_task(self._commit(session, load))
            session = self.factory()
            return BulkLoad(session, after=load, on_changed=self.on_changed)

        try:
            load = BulkLoad(session, on_changed=self.on_changed)
            load = await self._load_all(paths, load, commit_and_go_on, advance=advance)
            if in_flight is not None:
                await in_flight
                in_flight = None
            await self._commit(session, load)
        finally:
            if in_flight is not None:
                # A whole, valid batch: it commits even if a later line fails.
                with contextlib.suppress(Exception):
                    await in_flight
            await session.close()
        return self.report

    async def _run_fresh(
        self, session: AsyncSession, paths: list[Path], *, advance: Callable[[int], None]
    ) -> ImportReport:
        """A first import: indexes and foreign keys of the biggest tables set
        aside, every batch written in one transaction, the corroboration of
        every claim counted once, the indexes built, then one commit."""

        async def write_and_go_on(load: BulkLoad) -> BulkLoad:
            # Its set-based writes run in PostgreSQL while the next lines are
            # parsed; the next load touches the session only after them (``_written``).
            self.writing = asyncio.create_task(self._finish(load))
            return BulkLoad(session, after=load, on_changed=self.on_changed, recount=False)

        try:
            aside = await set_aside(session)
            load = BulkLoad(session, on_changed=self.on_changed, recount=False)
            try:
                load = await self._load_all(paths, load, write_and_go_on, advance=advance)
            except Exception:
                await self._written()  # an earlier batch's refusal is the first error
                raise
            await self._written()
            await self._finish(load)
            await recount_every_claim(session, lock=False)
            await restore(session, aside)
            await session.commit()
        finally:
            if self.writing is not None:
                self.writing.cancel()
                with contextlib.suppress(BaseException):
                    await self.writing
            await session.close()
        self.report.transactions = 1  # whatever the loads it held
        return self.report

    async def _written(self) -> None:
        """Wait for the batch being written (a fresh import's), if any."""
        if self.writing is not None:
            writing, self.writing = self.writing, None
            await writing

    def _writing_now(self) -> bool:
        return self.writing is not None and not self.writing.done()

    async def _load_all(
        self,
        paths: list[Path],
        load: BulkLoad,
        go_on: Callable[[BulkLoad], Awaitable[BulkLoad]],
        *,
        advance: Callable[[int], None],
    ) -> BulkLoad:
        """Every item of the files added to ``load``; after each batch of
        bundles, ``go_on(load)`` writes it and gives the load that follows.
        Returns the last load, its items added, not written."""
        staged_attributions = 0
        waiting: list[Item] = []  # bundles read, added a batch at a time (one lookup)
        pending: list[Item] = []  # exported records, added a chunk at a time
        for item in read_items(paths, advance=advance):
            self.report.lines += 1
            if item.bundle is not None:
                waiting.append(item)
                self.report.bundles += 1
                staged_attributions += len(item.bundle.attributions)
                if len(waiting) >= PREFETCH_BUNDLES and not self._writing_now():
                    await self._written()
                    await self._add_bundles(load, waiting)
                    waiting = []
            else:
                self.report.records += 1
                pending.append(item)
                if len(pending) >= RECORDS_PER_CHUNK:
                    await self._written()
                    await self._add_bundles(load, waiting)
                    await self._add_records(load, pending)
                    waiting, pending = [], []
            # Parsing is CPU work: let a batch in flight send its next statement.
            await asyncio.sleep(0)
            # Exported records refer to each other across the file: one load.
            if staged_attributions >= self.batch_attributions and not self.report.records:
                await self._written()
                await self._add_bundles(load, waiting)
                waiting, staged_attributions = [], 0
                load = await go_on(load)
        await self._written()
        await self._add_bundles(load, waiting)
        await self._add_records(load, pending)
        return load

    async def _finish(self, load: BulkLoad) -> None:
        try:
            loaded = await load.finish()
        except ProblemError as exc:
            raise ImportFailed(_problem_lines("", exc)) from None
        self.report.add(loaded)

    async def _add_bundles(self, load: BulkLoad, items: list[Item]) -> None:
        bundles = [item.bundle for item in items if item.bundle is not None]
        await load.prefetch(bundles)
        for item in items:
            assert item.bundle is not None
            try:
                await load.add(item.bundle, origin=item.where)
            except ProblemError as exc:
                raise ImportFailed(_problem_lines(item.where, exc)) from None

    async def _add_records(self, load: BulkLoad, items: list[Item]) -> None:
        if not items:
            return
        bundle, where = _chunk(items)
        try:
            await load.add(bundle, locate=lambda kind, index: where[(kind, index)])
        except ProblemError as exc:
            raise ImportFailed(_problem_lines("", exc)) from None

    async def _commit(self, session: AsyncSession, load: BulkLoad) -> None:
        try:
            loaded = await load.finish()
            await session.commit()
        except ProblemError as exc:
            raise ImportFailed(_problem_lines("", exc)) from None
        finally:
            await session.close()
        self.report.add(loaded)
