"""The shipped model files (package data: ``pip install .`` ships them)."""

from importlib.resources import files
from pathlib import Path

EN_CRF = "en-crf.crfsuite"


def model_path(name: str = EN_CRF) -> Path:
    return Path(str(files("app.extraction.models") / name))
