"""``python -m bench extraction-train``: trains the English attribution tagger
(a linear-chain CRF, crfsuite's L-BFGS) on PolNeAR train, every annotator's
file, and writes app/extraction/models/en-crf.crfsuite.

Deterministic: L-BFGS has no randomness and the articles are read in name
order (the seed fixes only the optional ``--sample``). Takes a few minutes
and a few GB of memory on 2 cores."""

from __future__ import annotations

import argparse
import random
import time
from pathlib import Path

from app.extraction.english_features import paragraph_features
from app.extraction.models import model_path
from app.extraction.tokens import Paragraph, paragraphs
from bench.extraction_data import POLNEAR, GoldArticle, GoldAttribution, load_polnear

SEED = 15
PRIORITY = {"C": 3, "S": 2, "T": 1}  # a token in two roles keeps the stronger one
ROLE_LETTERS = (("speaker", "S"), ("cue", "C"), ("content", "T"))


def paragraph_labels(paragraph: Paragraph, attributions: list[GoldAttribution]) -> list[str]:
    """BIO labels: a token belongs to a fragment it overlaps; B on a fragment's first token."""
    labels = ["O"] * len(paragraph.tokens)
    tokens = paragraph.tokens
    for attribution in attributions:
        for role, letter in ROLE_LETTERS:
            for start, end in getattr(attribution, role):
                inside = [i for i, t in enumerate(tokens) if t.start < end and t.end > start]
                for position, index in enumerate(inside):
                    current = labels[index]
                    if current != "O" and PRIORITY[current[2]] >= PRIORITY[letter]:
                        continue
                    labels[index] = ("B-" if position == 0 else "I-") + letter
    return labels


def sequences(
    articles: list[GoldArticle], *, every_annotator: bool
) -> list[tuple[list[list[str]], list[str]]]:
    result: list[tuple[list[list[str]], list[str]]] = []
    for article in articles:
        parts = paragraphs(article.text)
        features = [paragraph_features(p) for p in parts]
        annotations = article.annotations if every_annotator else article.annotations[:1]
        for attributions in annotations:
            for paragraph, feats in zip(parts, features, strict=True):
                result.append((feats, paragraph_labels(paragraph, attributions)))
    return result


def train(
    output: Path,
    *,
    c1: float,
    c2: float,
    iterations: int,
    sample: float | None = None,
    root: Path = POLNEAR,
) -> dict[str, float]:
    import pycrfsuite

    started = time.perf_counter()
    articles = load_polnear("train", root)
    if sample:
        random.Random(SEED).shuffle(articles)  # noqa: S311 (a sample, not a secret)
        articles = sorted(articles[: int(len(articles) * sample)], key=lambda a: a.name)
    trainer = pycrfsuite.Trainer(verbose=False)
    data = sequences(articles, every_annotator=True)
    for features, labels in data:
        trainer.append(features, labels)
    trainer.set_params(
        {
            "c1": c1,
            "c2": c2,
            "max_iterations": iterations,
            "feature.possible_transitions": True,
        }
    )
    output.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(output))
    return {
        "articles": len(articles),
        "sequences": len(data),
        "seconds": round(time.perf_counter() - started, 1),
        "bytes": output.stat().st_size,
    }


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench extraction-train", description=__doc__)
    parser.add_argument("--output", type=Path, default=model_path())
    parser.add_argument("--c1", type=float, default=1.0)
    parser.add_argument("--c2", type=float, default=0.01)
    parser.add_argument("--iterations", type=int, default=200)
    parser.add_argument("--sample", type=float, help="Train on this share of the articles.")
    parser.add_argument("--polnear", type=Path, default=POLNEAR)
    args = parser.parse_args(argv)
    if not (args.polnear / "train").is_dir():
        parser.error(f"PolNeAR train not found under {args.polnear}")
    report = train(
        args.output,
        c1=args.c1,
        c2=args.c2,
        iterations=args.iterations,
        sample=args.sample,
        root=args.polnear,
    )
    print(f"wrote {args.output}: {report}")
