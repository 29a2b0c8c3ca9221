"""Fixtures of the entity tests."""

from __future__ import annotations

import gzip
from importlib import resources

import pycrfsuite
import pytest

from marsad.entities.ner import MODEL_FILE


@pytest.fixture(scope="session")
def reference_crf(tmp_path_factory: pytest.TempPathFactory) -> pycrfsuite.Tagger:
    """crfsuite's own tagger on the shipped model file: the reference the tagger must equal."""
    path = tmp_path_factory.mktemp("crf") / "ner-ar.crfsuite"
    path.write_bytes(gzip.decompress(resources.files("marsad.entities").joinpath(MODEL_FILE).read_bytes()))
    tagger = pycrfsuite.Tagger()
    tagger.open(str(path))
    return tagger
