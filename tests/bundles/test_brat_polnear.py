"""The whole PolNeAR corpus (train and dev) through the brat importer.

Imports every article with the functions ``onrecord import-brat`` uses, one
committed transaction each, into a scratch database of the test server
(dropped afterwards: real commits, as the command makes them), then reads
every attribution back in one SQL statement (the API's own read document)
and checks, against a parse of the ``.ann`` files written here independently
of the importer, that every E line is an attribution whose spans are exactly
its annotated fragments, or is in the report with a reason; and that the
report accounts for every T and E line. The counts go to stdout (``pytest
-s``) and to a Markdown table in pytest's temporary folder; to refresh the
committed one, ``bench/results/polnear-import.md``, name it::

    ONRECORD_POLNEAR_RESULTS=bench/results/polnear-import.md pytest -m polnear -s

(so that running the tests never rewrites a tracked file).

The corpus is third-party text: it is read from ../shared/polnear, never
copied here; without it the test is skipped.
"""

import os
import re
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import pytest
from sqlalchemy import Text, cast, select

from app.attributions.service import ATTRIBUTIONS, attribution_document
from app.bundles.brat.load import import_articles
from app.bundles.brat.metadata import read_metadata
from app.bundles.brat.reader import ArticleFiles, annotator_of, find_articles
from app.bundles.brat.refs import bundle_id, ref_part
from app.bundles.format import record_id
from app.db import create_engine, session_factory
from tests.conftest import migrated_database

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO.parent / "shared" / "polnear"
RESULTS_VARIABLE = "ONRECORD_POLNEAR_RESULTS"

pytestmark = [
    pytest.mark.polnear,
    pytest.mark.slow,
    pytest.mark.skipif(
        not (CORPUS / "train").is_dir(),
        reason=f"the PolNeAR corpus is not at {CORPUS} (../shared/polnear beside the repository)",
    ),
]

ROLE = {"Source": "speaker", "Cue": "cue", "Content": "content"}


@dataclass
class Expected:
    """One E line as the .ann file says, parsed here without the importer."""

    file: str
    event: str
    attribution_id: Any
    spans: list[dict[str, Any]]
    has_content: bool


def expected_attributions(article: ArticleFiles) -> tuple[list[Expected], int, int]:
    """The E lines of the article's .ann files, and how many T and E lines they have."""
    text = article.text.read_text(encoding="utf-8")
    bundle = bundle_id(f"{article.compartment}/{article.name}")
    found: list[Expected] = []
    t_lines = e_lines = 0
    for path in article.annotations:
        annotator = annotator_of(path, article.name)
        bounds: dict[str, list[tuple[int, int]]] = {}
        events: list[tuple[str, list[tuple[str, str]]]] = []
        for line in path.read_text(encoding="utf-8").split("\n"):
            if match := re.match(r"(T\d+)\t\S+ ([\d ;]+)\t", line):
                t_lines += 1
                bounds[match.group(1)] = [
                    (int(a), int(b)) for a, b in (p.split() for p in match.group(2).split(";"))
                ]
            elif match := re.match(r"(E\d+)\t(.*)$", line):
                e_lines += 1
                pairs = [arg.split(":", 1) for arg in match.group(2).split()]
                events.append((match.group(1), [(role, target) for role, target in pairs]))
        for event, arguments in events:
            by_role: dict[str, set[tuple[int, int]]] = {
                "content": set(),
                "cue": set(),
                "speaker": set(),
            }
            for role, target in arguments[1:]:
                by_role[ROLE[role.rstrip("0123456789")]].update(bounds.get(target, []))
            spans = [
                {"role": role, "start": start, "end": end, "text": text[start:end]}
                for role in ("content", "cue", "speaker")
                for start, end in sorted(by_role[role])
            ]
            ref = f"{ref_part(annotator, limit=40)}-{event}"
            found.append(
                Expected(path.name, event, record_id(bundle, ref), spans, bool(by_role["content"]))
            )
    return found, t_lines, e_lines


def write_results(lines: list[str], scratch: Path) -> Path:
    """The table, where ``ONRECORD_POLNEAR_RESULTS`` says, else in ``scratch``."""
    named = os.environ.get(RESULTS_VARIABLE)
    results = Path(named) if named else scratch / "polnear-import.md"
    results.parent.mkdir(parents=True, exist_ok=True)
    results.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return results


@pytest.fixture
def polnear_url(server_url_: str) -> Iterator[str]:
    with migrated_database(server_url_, "polnear") as url:
        yield url


async def test_all_of_polnear_imports_and_every_span_round_trips(
    polnear_url: str, tmp_path: Path
) -> None:
    articles, problems = find_articles(CORPUS)
    metadata = read_metadata(CORPUS / "metadata.tsv")
    assert {article.compartment for article in articles} == {"train", "dev"}

    load_before = os.getloadavg()[0]
    engine = create_engine(polnear_url, pool_size=1)
    try:
        started = time.perf_counter()
        result = await import_articles(
            session_factory(engine), articles, metadata, problems=problems
        )
        import_seconds = time.perf_counter() - started
        started = time.perf_counter()
        async with engine.connect() as connection:
            read = select(ATTRIBUTIONS.c.id, cast(attribution_document(), Text))
            rows = await connection.execute(read)
            stored = {row[0]: orjson.loads(row[1]) for row in rows}
        read_seconds = time.perf_counter() - started
    finally:
        await engine.dispose()
    report = result.report
    assert report.failures == [], report.failures[:5]

    skipped = {(issue.file, issue.id): issue.reason for issue in report.skipped}
    checked = missing_content = t_total = e_total = 0
    wrong: list[str] = []
    for article in articles:
        expected, t_lines, e_lines = expected_attributions(article)
        t_total += t_lines
        e_total += e_lines
        for line in expected:
            document = stored.get(line.attribution_id)
            if document is None:
                reason = skipped.get((line.file, line.event))
                if reason is None:
                    wrong.append(f"{line.file} {line.event}: neither imported nor reported")
                missing_content += reason == "missing-content"
                continue
            checked += 1
            if document["spans"] != line.spans:
                wrong.append(f"{line.file} {line.event}: {document['spans']} != {line.spans}")
            contents = [span for span in line.spans if span["role"] == "content"]
            single = {k: contents[0][k] for k in ("start", "end", "text")}
            if document["span"] != (single if len(contents) == 1 else None):
                wrong.append(f"{line.file} {line.event}: span {document['span']}")
    assert wrong == [], f"{len(wrong)} attributions differ, e.g.:\n" + "\n".join(wrong[:10])

    # Every T and E line is imported, skipped with a reason, or in a refused article.
    kinds = Counter(issue.kind for issue in report.skipped)
    assert (report.t_lines, report.e_lines) == (t_total, e_total)
    assert report.t_imported + kinds["T"] + report.t_refused == report.t_lines
    assert report.attributions + kinds["E"] + report.e_refused == report.e_lines
    assert checked == report.attributions
    relays = sum(1 for document in stored.values() if document["relayed_through_id"])
    assert relays == report.relays
    assert missing_content == report.skipped_by_reason().get("E missing-content", 0)

    lines = [
        "# PolNeAR through `onrecord import-brat`",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d} by tests/bundles/test_brat_polnear.py: train and",
        "dev compartments of ../shared/polnear, one committed transaction per article",
        "(`app.bundles.brat.load.import_articles`, the bulk loader behind `load_bundle`), into a",
        "scratch database of the test server (embedded PostgreSQL 18, 2 shared cores).",
        "",
        "| what | count |",
        "|---|---|",
        f"| articles imported | {report.articles} |",
        f"| annotation files (.ann) | {report.annotation_files} |",
        f"| T lines | {report.t_lines} ({report.t_imported} imported) |",
        f"| E lines | {report.e_lines} |",
        f"| attributions (one per imported E line) | {report.attributions} |",
        f"| nested attributions (anchor inside another's content) | {report.nested} |",
        f"| relay attributions derived from nesting | {report.relays} |",
        f"| anonymous speakers (of which unnamed source) | {report.anonymous_speakers} "
        f"({report.unnamed_speakers}) |",
        f"| pronoun speakers (unresolved) | {report.pronoun_speakers} |",
        f"| records created | {', '.join(f'{k}: {n}' for k, n in result.created.items())} |",
        f"| failures (files or articles not imported) | {len(report.failures)} |",
        "",
        "Skipped, by reason:",
        "",
        *(f"- {reason}: {count}" for reason, count in report.skipped_by_reason().items()),
        "",
        f"Import: {import_seconds:.1f} s ({report.attributions / import_seconds:.0f} "
        "attributions/s, conversion included). Reading back every attribution "
        f"(one statement, spans included): {read_seconds:.1f} s. Load average (1 min) "
        f"{load_before:.1f} before, {os.getloadavg()[0]:.1f} after: the machine is shared, "
        "so timings vary with it. Every span of every imported E line round-trips exactly "
        f"({checked} attributions checked).",
    ]
    print("\n".join(lines))
    print(f"written to {write_results(lines, tmp_path)}")
