"""The shipped English model on PolNeAR dev: above the published CRF on every
role (exact F1; bench/results/extraction-*.md has the committed figures)."""

from pathlib import Path

import pytest

from bench.extraction_data import load_polnear
from bench.extraction_scoring import new_scores, score_article

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "polnear"
PUBLISHED_CRF = {"speaker": 0.506, "cue": 0.534, "content": 0.286}

pytestmark = [
    pytest.mark.polnear,
    pytest.mark.skipif(
        not (CORPUS / "dev").is_dir(),
        reason=f"the PolNeAR corpus is not at {CORPUS} (../shared/polnear beside the repository)",
    ),
]


def test_dev_above_the_published_crf():
    from app.extraction import extract

    scores = new_scores()
    for article in load_polnear("dev", CORPUS):
        extraction = extract(article.text, language="en", published=article.published)
        in_text = [p for p in extraction.attributions if p.in_source is None]
        scores.add(score_article(article.text, in_text, article.annotations[0]))
    exact = scores.table()["exact"]
    for role, published in PUBLISHED_CRF.items():
        assert exact[role]["f1"] > published, (role, exact[role])
