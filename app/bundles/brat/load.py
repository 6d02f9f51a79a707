"""Loading brat articles into the database: read from disk, convert, and
load through the bulk path in batches of whole articles, so that one refused
article is reported and never takes the others down."""

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.bundles.brat.build import convert_article
from app.bundles.brat.metadata import ArticleMetadata, find_metadata, read_metadata
from app.bundles.brat.reader import (
    AnnFile,
    ArticleFiles,
    annotator_of,
    compartment_of,
    find_articles,
    parse_ann,
    read_text,
)
from app.bundles.brat.report import BratReport, Issue
from app.bundles.bulk.content import OnChanged
from app.database_errors import database_problem
from app.errors import ProblemError


def read_brat_article(
    txt_path: Path,
    ann_paths: Sequence[Path],
    metadata: ArticleMetadata | None,
    *,
    name: str | None = None,
) -> tuple[dict[str, Any] | None, BratReport]:
    """Read an article's ``.txt`` and ``.ann`` files: its bundle (None when
    the text cannot be read) and the report. ``name`` defaults to
    ``<compartment>/<file name>``."""
    article = txt_path.stem
    name = name or f"{compartment_of(txt_path)}/{article}"
    report = BratReport()
    text = read_text(txt_path)
    if isinstance(text, Issue):
        report.failures.append(text)
        return None, report
    anns: list[AnnFile] = []
    for path in ann_paths:
        content = read_text(path)
        if isinstance(content, Issue):
            report.failures.append(content)
            continue
        anns.append(parse_ann(content, name=path.name, annotator=annotator_of(path, article)))
    return convert_article(name, text, anns, metadata, report=report)


class ImportResult(BaseModel):
    report: BratReport
    bundles: int = 0
    created: dict[str, int] = Field(default_factory=dict)


BATCH_ATTRIBUTIONS = 20_000
"""Attributions per transaction: whole articles each, as ``onrecord import``."""


async def import_articles(
    sessions: async_sessionmaker[AsyncSession],
    articles: Sequence[ArticleFiles],
    metadata: Mapping[tuple[str, str], ArticleMetadata],
    *,
    problems: Sequence[Issue] = (),
    progress: Callable[[ArticleFiles], None] | None = None,
    batch_attributions: int = BATCH_ATTRIBUTIONS,
    on_changed: OnChanged = "refuse",
) -> ImportResult:
    """Convert and load the articles through the bulk path, whole articles
    per transaction. A refused article never takes others down: one refused
    before the database is reported and left out; if the database refuses a
    batch, its articles are loaded again one per transaction, so only the
    bad one is reported. The CLI and the tests use this."""
    from app.bundles.bulk import BulkLoad, load_bundle
    from app.bundles.format import Bundle, parse_bundle

    total = BratReport(failures=list(problems))
    result = ImportResult(report=total)
    batch: list[tuple[ArticleFiles, Bundle, BratReport]] = []

    def count(created: Mapping[str, int]) -> None:
        for kind, number in created.items():
            result.created[kind] = result.created.get(kind, 0) + number

    async def one_by_one() -> None:
        for files, bundle, report in batch:
            async with sessions() as session:
                try:
                    summary = await load_bundle(session, bundle, on_changed=on_changed)
                    await session.commit()
                except (ProblemError, DBAPIError) as exc:
                    await session.rollback()
                    problem = database_problem(exc) if isinstance(exc, DBAPIError) else exc
                    if problem is None:
                        raise
                    report.refuse(files.label, "refused", problem.detail)
                else:
                    result.bundles += 1
                    count(summary.created)

    async def write() -> None:
        async with sessions() as session:
            load = BulkLoad(session, on_changed=on_changed)
            kept = []
            await load.prefetch(bundle for _, bundle, _ in batch)
            for files, bundle, report in batch:
                try:
                    await load.add(bundle)
                except ProblemError as exc:
                    report.refuse(files.label, "refused", exc.detail)
                    total.merge(report)  # left out of the batch
                else:
                    kept.append((files, bundle, report))
            batch[:] = kept
            try:
                loaded = await load.finish()
                await session.commit()
            except (ProblemError, DBAPIError):
                await session.rollback()
                await one_by_one()
            else:
                result.bundles += len(batch)
                count(loaded.created)

    async def flush() -> None:
        await write()
        # Counted once written: a refusal moves an article's counts to "refused".
        for _, _, written in batch:
            total.merge(written)
        batch.clear()

    staged = 0
    for files in articles:
        row = find_metadata(metadata, files.compartment, files.name)
        document, report = read_brat_article(files.text, files.annotations, row)
        bundle = None
        if document is not None:
            try:
                bundle = parse_bundle(document)
            except ProblemError as exc:
                report.refuse(files.label, "refused", exc.detail)
        if bundle is None:
            total.merge(report)
        else:
            batch.append((files, bundle, report))
            staged += len(bundle.attributions)
            if staged >= batch_attributions:
                await flush()
                staged = 0
        if progress is not None:
            progress(files)
    if batch:
        await flush()
    return result


def import_directory(
    database_url: str,
    directory: Path,
    metadata_path: Path | None,
    *,
    quiet: bool = False,
    on_changed: OnChanged = "refuse",
) -> ImportResult:
    """``onrecord import-brat``: every article under ``directory``, with a
    progress bar on a terminal. ``metadata_path`` defaults to a
    ``metadata.tsv`` in ``directory`` or its parent (PolNeAR's root, when
    given a compartment)."""
    import asyncio
    import sys

    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from app.db import create_engine, session_factory

    if metadata_path is None:
        found = [d / "metadata.tsv" for d in (directory, directory.parent)]
        metadata_path = next((path for path in found if path.is_file()), None)
    metadata = read_metadata(metadata_path) if metadata_path is not None else {}
    articles, problems = find_articles(directory)

    async def run(progress: Progress) -> ImportResult:
        task = progress.add_task("importing", total=len(articles))

        def advance(files: ArticleFiles) -> None:
            progress.update(task, advance=1, description=files.label[-50:])

        engine = create_engine(database_url, pool_size=1)
        try:
            return await import_articles(
                session_factory(engine),
                articles,
                metadata,
                problems=problems,
                progress=advance,
                on_changed=on_changed,
            )
        finally:
            await engine.dispose()

    columns = (
        TextColumn("{task.description:<50}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    )
    disable = quiet or not sys.stderr.isatty()
    with Progress(*columns, transient=True, disable=disable) as progress:
        return asyncio.run(run(progress))
