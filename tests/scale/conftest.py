"""Fixtures of the scale tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from parity_inputs import write_events_and_english
from scale_corpus import Corpus, write_corpus


@pytest.fixture
def corpus(tmp_path: Path) -> Corpus:
    """The small Arabic corpus around a window boundary (see scale_corpus.py)."""
    return write_corpus(tmp_path)


@pytest.fixture
def events_input(shared_data: Path, tmp_path: Path) -> Path:
    """30 SaudiNewsNet events-dev articles and 2 English MMDS ones (see parity_inputs.py), or skip."""
    if not (shared_data / "saudinewsnet-events-dev" / "dev.jsonl").exists():
        pytest.skip("saudinewsnet-events-dev not found in ../shared/data")
    return write_events_and_english(shared_data, tmp_path / "events.jsonl")
