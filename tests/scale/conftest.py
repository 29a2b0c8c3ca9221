"""Fixtures of the scale tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from scale_corpus import Corpus, write_corpus


@pytest.fixture
def corpus(tmp_path: Path) -> Corpus:
    """The small Arabic corpus around a window boundary (see scale_corpus.py)."""
    return write_corpus(tmp_path)
