"""``python -m bench identity``: how well imported speakers are resolved to actors.

Imports the PolNeAR articles a gold file names (``../shared/polnear/dev``
or ``train``) through ``onrecord import-brat``'s own path into a new
database, reads back the actor of every Source span of the gold file
(``tests/data/identity/*.tsv``: article, span, entity label, made by reading
the articles) and scores the clustering:

- B-cubed precision, recall and F1 over the gold mentions (``unresolvable``
  ones left out; a mention the import gave no actor counts as its own
  singleton);
- false merges: pairs of different gold entities that share an actor;
- how many of the 20 most frequent named gold speakers (persons,
  organisations, media, government bodies) have all their mentions on
  exactly one actor;
- the import's throughput (attributions per second).

    .venv/bin/python -m bench identity                       # embedded PostgreSQL
    .venv/bin/python -m bench identity --database-url postgresql://postgres@127.0.0.1:5432/postgres
    .venv/bin/python -m bench identity --gold tests/data/identity/polnear-dev-heldout.tsv

Results: ``bench/results/identity-<date>[-<name>].json`` and ``.md``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

from sqlalchemy.engine import make_url

REPO = Path(__file__).resolve().parents[1]
POLNEAR = REPO.parent / "shared" / "polnear"
GOLD = REPO / "tests" / "data" / "identity" / "polnear-dev-speakers.tsv"
RESULTS = REPO / "bench" / "results"
NAMED = ("person:", "org:", "media:", "gov:")
TOP = 20
COMPARTMENTS = ("dev", "train")

Span = tuple[tuple[int, int], ...]


def parse_span(value: str) -> Span:
    return tuple(
        (int(start), int(end)) for start, end in (part.split() for part in value.split(";"))
    )


def read_gold(path: Path) -> dict[tuple[str, Span], str]:
    gold: dict[tuple[str, Span], str] = {}
    for line in path.read_text(encoding="utf-8").splitlines()[1:]:
        if not line.strip():
            continue
        article, span, label = line.split("\t")
        gold[(article, parse_span(span))] = label
    return gold


@dataclass
class Score:
    precision: float
    recall: float
    f1: float
    mentions: int
    unpredicted: int
    false_merges: list[tuple[str, str, int]] = field(default_factory=list)
    top: list[dict[str, Any]] = field(default_factory=list)

    @property
    def top_on_one_actor(self) -> int:
        return sum(1 for row in self.top if row["actors"] == 1 and row["unpredicted"] == 0)


def b_cubed(gold: dict[Any, str], predicted: dict[Any, Any]) -> tuple[float, float]:
    """B-cubed precision and recall of ``predicted`` (mention → cluster)
    against ``gold`` (mention → entity); an unpredicted mention is a singleton."""
    mentions = list(gold)
    cluster = {m: predicted.get(m, ("singleton", m)) for m in mentions}
    by_gold: dict[str, set[Any]] = defaultdict(set)
    by_predicted: dict[Any, set[Any]] = defaultdict(set)
    for m in mentions:
        by_gold[gold[m]].add(m)
        by_predicted[cluster[m]].add(m)
    precision = recall = 0.0
    for m in mentions:
        same_gold = by_gold[gold[m]]
        same_predicted = by_predicted[cluster[m]]
        both = len(same_gold & same_predicted)
        precision += both / len(same_predicted)
        recall += both / len(same_gold)
    return precision / len(mentions), recall / len(mentions)


def score(gold: dict[tuple[str, Span], str], predicted: dict[tuple[str, Span], UUID]) -> Score:
    scored = {m: label for m, label in gold.items() if label != "unresolvable"}
    precision, recall = b_cubed(scored, predicted)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    labels_of: dict[UUID, Counter[str]] = defaultdict(Counter)
    for mention, label in scored.items():
        actor = predicted.get(mention)
        if actor is not None:
            labels_of[actor][label] += 1
    merges: Counter[tuple[str, str]] = Counter()
    for labels in labels_of.values():
        names = sorted(labels)
        for i, a in enumerate(names):
            for b in names[i + 1 :]:
                merges[(a, b)] += labels[a] * labels[b]
    frequency = Counter(label for label in scored.values() if label.startswith(NAMED))
    top = []
    for label, count in frequency.most_common(TOP):
        mentions = [m for m, g in scored.items() if g == label]
        actors = {predicted[m] for m in mentions if m in predicted}
        top.append(
            {
                "label": label,
                "mentions": count,
                "actors": len(actors),
                "unpredicted": sum(1 for m in mentions if m not in predicted),
            }
        )
    return Score(
        precision=precision,
        recall=recall,
        f1=f1,
        mentions=len(scored),
        unpredicted=sum(1 for m in scored if m not in predicted),
        false_merges=[(a, b, n) for (a, b), n in merges.most_common()],
        top=top,
    )


async def _import(database_url: str, articles: Iterable[str]) -> tuple[int, float]:
    """Import the articles named in the gold (dev or train; without one, all of
    dev); attributions, seconds."""
    from app.bundles.brat.load import import_articles
    from app.bundles.brat.metadata import read_metadata
    from app.bundles.brat.reader import find_articles
    from app.db import create_engine, session_factory

    wanted = set(articles)
    chosen = []
    # a gold file may name articles of dev or of train (never of both: the
    # compartments hold different articles); without a gold: all of dev
    for compartment in COMPARTMENTS if wanted else ("dev",):
        found, _problems = find_articles(POLNEAR / compartment)
        chosen += [a for a in found if not wanted or a.name in wanted]
    missing = wanted - {a.name for a in chosen}
    if missing:
        raise SystemExit(f"not in PolNeAR {'/'.join(COMPARTMENTS)}: {', '.join(sorted(missing))}")
    metadata = read_metadata(POLNEAR / "metadata.tsv")
    engine = create_engine(database_url, pool_size=1)
    try:
        started = time.perf_counter()
        result = await import_articles(session_factory(engine), chosen, metadata)
        seconds = time.perf_counter() - started
    finally:
        await engine.dispose()
    return result.created.get("attributions", 0), seconds


async def _speakers(database_url: str) -> dict[tuple[str, Span], UUID]:
    """(article, speaker span) → the actor of the attributions with that
    speaker span (a merged actor: its survivor)."""
    import asyncpg

    url = make_url(database_url).set(drivername="postgresql")
    connection = await asyncpg.connect(url.render_as_string(hide_password=False))
    try:
        rows = await connection.fetch(
            """
            SELECT a.note, coalesce(x.merged_into_id, x.id) AS actor,
                   array_agg(ARRAY[p.start, p."end"] ORDER BY p.ordinal) AS fragments
            FROM attributions a
            JOIN actors x ON x.id = a.speaker_id
            JOIN attribution_spans p ON p.attribution_id = a.id AND p.role = 'speaker'
            WHERE a.note LIKE 'brat %'
            GROUP BY a.id, a.note, x.merged_into_id, x.id
            """
        )
    finally:
        await connection.close()
    found: dict[tuple[str, Span], UUID] = {}
    for row in rows:
        # the note is "brat <article>_<annotator>.ann E<n>…": the article's file name
        annotation_file = row["note"].split()[1]
        article = annotation_file.rsplit("_", 1)[0]
        span = tuple((int(s), int(e)) for s, e in row["fragments"])
        found.setdefault((article, span), row["actor"])
    return found


async def _actor_names(database_url: str, actors: set[UUID]) -> dict[UUID, str]:
    import asyncpg

    url = make_url(database_url).set(drivername="postgresql")
    connection = await asyncpg.connect(url.render_as_string(hide_password=False))
    try:
        rows = await connection.fetch(
            "SELECT id, name FROM actors WHERE id = ANY($1::uuid[])", list(actors)
        )
    finally:
        await connection.close()
    return {row["id"]: row["name"] for row in rows}


def _markdown(result: dict[str, Any]) -> str:
    s = result["score"]
    lines = [
        f"# Speaker identity on PolNeAR ({result['gold']})",
        "",
        f"`{result['command']}` — {result['date']}, {result['database']}",
        "",
        "| measure | value | goal |",
        "|---|---|---|",
        f"| B-cubed precision | {s['precision']:.3f} | ≥ 0.95 |",
        f"| B-cubed recall | {s['recall']:.3f} | |",
        f"| B-cubed F1 | {s['f1']:.3f} | ≥ 0.90 |",
        f"| top {TOP} named speakers on exactly one actor | {s['top_on_one_actor']} | ≥ 18 |",
        f"| gold mentions scored (unresolvable left out) | {s['mentions']} | |",
        f"| gold mentions the import gave no actor | {s['unpredicted']} | |",
        f"| false merges (pairs of gold entities on one actor) | {len(s['false_merges'])} | |",
        f"| import: attributions / s ({result['attributions']} in {result['seconds']:.1f} s) "
        f"| {result['attributions_per_second']:.0f} | |",
        "",
        "## Most frequent named speakers",
        "",
        "| gold entity | mentions | actors | mentions without actor |",
        "|---|---|---|---|",
        *(
            f"| {row['label']} | {row['mentions']} | {row['actors']} | {row['unpredicted']} |"
            for row in s["top"]
        ),
        "",
        "## False merges (most mention pairs first)",
        "",
        *(f"- {a} + {b}: {n} mention pairs" for a, b, n in s["false_merges"][:30]),
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench identity", description=__doc__)
    parser.add_argument("--gold", type=Path, default=GOLD)
    parser.add_argument("--database-url", help="a server to create a scratch database on")
    parser.add_argument(
        "--all-dev", action="store_true", help="import all of dev, not only the gold articles"
    )
    parser.add_argument("--name", default="", help="suffix of the results' file names")
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument(
        "--explain",
        metavar="LABEL",
        action="append",
        default=[],
        help="print each mention of this gold entity with the actor it got (repeatable)",
    )
    args = parser.parse_args(argv)
    if not POLNEAR.is_dir():
        raise SystemExit(f"PolNeAR is not at {POLNEAR}")
    gold = read_gold(args.gold)
    articles = sorted({article for article, _ in gold})
    result = asyncio.run(_run(args, gold, [] if args.all_dev else articles))
    explained = result.pop("explained")
    for label in args.explain:
        for (article, span), actor in sorted(explained.get(label, {}).items()):
            print(f"{label}\t{article}\t{span}\t{actor}")
    text_ = _markdown(result)
    print(text_)
    if not args.no_write:
        RESULTS.mkdir(parents=True, exist_ok=True)
        stem = datetime.now(UTC).strftime("identity-%Y-%m-%d-%H%M") + (
            f"-{args.name}" if args.name else ""
        )
        (RESULTS / f"{stem}.json").write_text(json.dumps(result, indent=2, default=str) + "\n")
        (RESULTS / f"{stem}.md").write_text(text_)
        print(f"wrote bench/results/{stem}.json and .md")


async def _run(
    args: argparse.Namespace, gold: dict[tuple[str, Span], str], articles: list[str]
) -> dict[str, Any]:
    from app.embedded import drop_database, ensure_database, server_url, start_server
    from app.migrate import upgrade

    name = "onrecord_bench_identity"
    with tempfile.TemporaryDirectory(prefix="onrecord-identity-") as data_dir:
        server = None
        if args.database_url:
            admin = make_url(args.database_url)
        else:
            server = start_server(Path(data_dir))
            admin = server_url(server, "postgres")
        try:
            url = admin.set(database=name)
            await drop_database(url, name)
            await ensure_database(url, name)
            rendered = url.render_as_string(hide_password=False)
            await asyncio.to_thread(upgrade, rendered)
            attributions, seconds = await _import(rendered, articles)
            predicted = await _speakers(rendered)
            names = await _actor_names(rendered, set(predicted.values()))
            await drop_database(url, name)
        finally:
            if server is not None:
                server.cleanup()
    scored = score(gold, predicted)
    explained: dict[str, dict[tuple[str, str], str]] = defaultdict(dict)
    for label in args.explain:
        for mention, gold_label in gold.items():
            if gold_label == label:
                actor = predicted.get(mention)
                shown = f"{names.get(actor, '?')} ({actor})" if actor else "-"
                explained[label][(mention[0], str(mention[1]))] = shown
    return {
        "explained": explained,
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": "python -m bench identity",
        "gold": str(args.gold.relative_to(REPO) if args.gold.is_relative_to(REPO) else args.gold),
        "database": "given server" if args.database_url else "embedded PostgreSQL",
        "articles": len(articles) or "all of dev",
        "attributions": attributions,
        "seconds": seconds,
        "attributions_per_second": attributions / seconds if seconds else 0.0,
        "score": {
            "precision": scored.precision,
            "recall": scored.recall,
            "f1": scored.f1,
            "mentions": scored.mentions,
            "unpredicted": scored.unpredicted,
            "top_on_one_actor": scored.top_on_one_actor,
            "top": scored.top,
            "false_merges": scored.false_merges,
        },
    }
