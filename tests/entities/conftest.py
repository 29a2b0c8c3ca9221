"""Fixtures of the entity tests."""

from __future__ import annotations

import gzip
from importlib import resources
from pathlib import Path

import pycrfsuite
import pytest
from crf_reference import CrfReference

from marsad.entities.ner import MODEL_FILE, STAGE2_FILE


@pytest.fixture(scope="session")
def reference_crf(tmp_path_factory: pytest.TempPathFactory) -> CrfReference:
    """crfsuite's own taggers on the shipped model files, one per stage."""
    folder: Path = tmp_path_factory.mktemp("crf")
    package = resources.files("marsad.entities")
    stages = []
    for name in (MODEL_FILE, STAGE2_FILE):
        if not package.joinpath(name).is_file():
            continue
        path = folder / Path(name).name.removesuffix(".gz")
        path.write_bytes(gzip.decompress(package.joinpath(name).read_bytes()))
        tagger = pycrfsuite.Tagger()
        tagger.open(str(path))
        stages.append(tagger)
    return CrfReference(stages)
