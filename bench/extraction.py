"""``python -m bench extraction``: runs ``app.extraction.extract`` over
PolNeAR dev (English; the first annotator's file of each article) and the
French gold set, and prints per role exact and overlap precision/recall/F1,
seconds per article (mean, median, first), the models' load time and the RSS
with both loaded, and peak RSS; writes bench/results/extraction-<date>.json and .md.

    python -m bench extraction                       # English dev + French dev
    python -m bench extraction --split all --time    # + French heldout, time expressions
    python -m bench extraction --language fr --split heldout
    python -m bench extraction --time                # time expressions: rules vs dateparser
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psutil

from bench.extraction_data import POLNEAR, GoldArticle, load_french_gold, load_polnear
from bench.extraction_french import relay_and_certainty
from bench.extraction_scoring import ROLES, new_scores, score_article
from bench.machine import machine, write_result

PUBLISHED = {"exact": {"speaker": 50.6, "cue": 53.4, "content": 28.6}}
BERT_CRF = {"speaker": 82.2, "cue": 74.9, "content": 71.0}


def peak_rss_mb() -> float:
    info = psutil.Process().memory_full_info()
    peak = getattr(info, "peak_wset", None)  # Windows; elsewhere read VmHWM
    if peak is None:
        try:
            for line in Path("/proc/self/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    return round(int(line.split()[1]) / 1024, 1)
        except OSError:
            pass
        peak = info.rss
    return round(float(peak) / 2**20, 1)


def models_memory() -> dict[str, float]:
    """RSS before any model, and once both languages have extracted a sentence
    (what an extraction worker holds), before any corpus is read."""
    from app.extraction import extract

    process = psutil.Process()
    before = process.memory_info().rss / 2**20
    started = time.perf_counter()
    extract("The minister said the talks had failed.", language="en", published=None)
    english = time.perf_counter() - started
    started = time.perf_counter()
    extract(
        "Le ministre a déclaré que les pourparlers avaient échoué.", language="fr", published=None
    )
    french = time.perf_counter() - started
    return {
        "rss_before_models_mb": round(before, 1),
        "rss_both_models_mb": round(process.memory_info().rss / 2**20, 1),
        "english_load_and_first_call_s": round(english, 2),
        "french_load_and_first_call_s": round(french, 2),
    }


def run(articles: Sequence[GoldArticle], language: str) -> dict[str, Any]:
    from app.extraction import extract

    scores = new_scores()
    seconds: list[float] = []
    extras: dict[str, int] = {}
    for article in articles:
        started = time.perf_counter()
        extraction = extract(article.text, language=language, published=article.published)  # type: ignore[arg-type]
        seconds.append(time.perf_counter() - started)
        in_text = [p for p in extraction.attributions if p.in_source is None]
        scores.add(score_article(article.text, in_text, article.annotations[0]))
        if language == "fr":
            for name, value in relay_and_certainty(extraction, article.annotations[0]).items():
                extras[name] = extras.get(name, 0) + value
    result: dict[str, Any] = {
        "articles": len(articles),
        "scores": scores.table(),
        "seconds": {
            "first_call": round(seconds[0], 3) if seconds else None,
            "mean": round(statistics.fmean(seconds), 4) if seconds else None,
            "median": round(statistics.median(seconds), 4) if seconds else None,
            "mean_after_first": round(statistics.fmean(seconds[1:]), 4)
            if len(seconds) > 1
            else None,
        },
        "counts": {
            role: {"gold": scores.exact[role].gold, "predicted": scores.exact[role].predicted}
            for role in ROLES
        },
    }
    if extras:
        result["french"] = extras
    return result


def _percent(value: float) -> str:
    return f"{100 * value:.1f}"


def markdown(results: dict[str, Any]) -> str:
    lines = [
        f"# Extraction — {results['date']}",
        "",
        f"`{results['command']}` on {results['machine'].get('cpu', '?')}, "
        f"{results['machine'].get('cores', '?')} cores. Peak RSS {results['peak_rss_mb']} MB "
        f"(this process, every model it loaded).",
        "",
        f"Both models loaded (an extraction worker): RSS {results['memory']['rss_both_models_mb']} "
        f"MB (before loading: {results['memory']['rss_before_models_mb']} MB); loading and a "
        f"first sentence: English {results['memory']['english_load_and_first_call_s']} s, "
        f"French {results['memory']['french_load_and_first_call_s']} s.",
        "",
    ]
    for name, block in results["runs"].items():
        lines += [f"## {name} ({block['articles']} articles)", ""]
        lines += ["| role | exact P | exact R | exact F1 | overlap P | overlap R | overlap F1 |"]
        lines += ["|---|---|---|---|---|---|---|"]
        for role in ROLES:
            exact = block["scores"]["exact"][role]
            overlap = block["scores"]["overlap"][role]
            lines.append(
                f"| {role} | {_percent(exact['precision'])} | {_percent(exact['recall'])} | "
                f"**{_percent(exact['f1'])}** | {_percent(overlap['precision'])} | "
                f"{_percent(overlap['recall'])} | **{_percent(overlap['f1'])}** |"
            )
        s = block["seconds"]
        lines += [
            "",
            f"Seconds per article (models already loaded, see above): mean {s['mean']}, "
            f"median {s['median']}, first article {s['first_call']}, mean after the first "
            f"{s['mean_after_first']}.",
        ]
        if "french" in block:
            f = block["french"]
            lines += [
                "",
                f"Paired attributions {f['paired']}/{f['gold']}; certainty right "
                f"{f['certainty_right']}/{f['paired']}; alleged found {f['alleged_found']}/"
                f"{f['alleged']}; relays in the text found {f['relays_in_text_found']}/"
                f"{f['relays_in_text']}; relays through a proposed source found "
                f"{f['relays_through_source_found']}/{f['relays_through_source']}.",
            ]
        lines.append("")
    if "time" in results:
        lines += ["## Time expressions", ""]
        for name, block in results["time"].items():
            lines.append(f"- {name}: {block['right']}/{block['cases']} right")
        lines.append("")
    return "\n".join(lines)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench extraction", description=__doc__)
    parser.add_argument("--language", choices=["en", "fr"], help="Only one language.")
    parser.add_argument("--compartment", default="dev", help="PolNeAR compartment (English).")
    parser.add_argument("--split", default="dev", choices=["dev", "heldout", "all"])
    parser.add_argument("--limit", type=int, help="Only the first N PolNeAR articles.")
    parser.add_argument("--time", action="store_true", help="Also score time expressions.")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    results: dict[str, Any] = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "command": "python -m bench extraction " + " ".join(argv),
        "machine": machine(),
        "published_anchors": {"crf": PUBLISHED["exact"], "bert_crf": BERT_CRF},
        "runs": {},
    }
    results["memory"] = models_memory()
    if args.language in (None, "fr"):
        for split in ("dev", "heldout") if args.split == "all" else (args.split,):
            gold = [a for a in load_french_gold() if a.split == split]
            results["runs"][f"French gold, {split}"] = run(gold, "fr")
    if args.language in (None, "en"):
        if (POLNEAR / args.compartment).is_dir():
            articles = load_polnear(args.compartment, limit=args.limit)
            results["runs"][f"PolNeAR {args.compartment}"] = run(articles, "en")
        else:
            print(f"PolNeAR not found at {POLNEAR}: English skipped")
    if args.time:
        from bench.extraction_time import compare

        results["time"] = compare()
    results["peak_rss_mb"] = peak_rss_mb()
    text = markdown(results)
    print(text)
    if args.no_write:
        return
    write_result("extraction", datetime.now(UTC), results, text)
