"""English extraction with the shipped CRF, on text written for these tests."""

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from app.extraction import Proposal, extract
from app.extraction.models import model_path

TEXT = (
    "The mayor of Riverton, Dana Okafor, said on Tuesday that the bridge would reopen "
    "next month. \u201cWe are not going to cut corners,\u201d she told reporters.\n"
    "According to city engineers, the repairs have cost more than $4 million so far.\n"
    "Council member Luis Ortega denied that the contract had been rushed."
)


def words(text: str, proposal: Proposal, role: str) -> str:
    return " ".join(text[f.start : f.end] for f in getattr(proposal, role))


def test_the_shipped_model_is_package_data_and_small():
    path = model_path()
    assert path.exists()
    assert path.stat().st_size <= 50 * 2**20


def test_extracts_sensible_spans_from_a_short_text():
    extraction = extract(TEXT, language="en", published=date(2016, 9, 14))
    assert extraction.language == "en"
    cues = {words(TEXT, p, "cue"): p for p in extraction.attributions}
    assert {"said", "told", "denied"} <= set(cues), list(cues)
    said = cues["said"]
    assert "Dana Okafor" in words(TEXT, said, "speaker") or words(TEXT, said, "speaker") == (
        "The mayor of Riverton"
    )
    assert "the bridge would reopen" in words(TEXT, said, "content")
    told = cues["told"]
    assert words(TEXT, told, "speaker") == "she"
    assert words(TEXT, told, "content") == "We are not going to cut corners"
    assert told.mode == "direct_quote"
    assert cues["denied"].certainty == "denied"
    assert said.time is not None
    assert said.time.earliest == date(2016, 9, 13)


def test_deterministic():
    first = extract(TEXT, language="en", published=None)
    second = extract(TEXT, language="en", published=None)
    assert first == second


@pytest.mark.parametrize("text", ["", "   \n\t  "])
@pytest.mark.parametrize("language", ["en", "fr", "auto"])
def test_empty_text_has_no_attributions(text, language):
    extraction = extract(text, language=language, published=None)
    assert extraction.attributions == []
    assert extraction.sources == []


def test_importing_the_package_loads_no_model():
    code = (
        "import sys, app.extraction; "
        "print(any(m in sys.modules for m in ('spacy', 'pycrfsuite', 'thinc')))"
    )
    out = subprocess.run(  # noqa: S603 - this interpreter, fixed code
        [sys.executable, "-c", code], capture_output=True, text=True, check=True,
        cwd=Path(__file__).resolve().parents[2],
    )  # fmt: skip
    assert out.stdout.strip() == "False"


def test_model_features_are_single_words():
    """The artifact holds features and weights only: every attribute value is
    one token (no stretch of article text)."""
    import pycrfsuite

    tagger = pycrfsuite.Tagger()
    tagger.open(str(model_path()))
    attributes = {name for name, _ in tagger.info().state_features}
    assert attributes
    assert all(" " not in name and len(name) < 80 for name in attributes)
