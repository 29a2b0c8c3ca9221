"""Quality floors on real articles (bench/dedup.py's quality half), pinned under today's figures.

Measured: precision 1.0 for every edit kind, recall 0.99-1.0, no distinct same-topic pair grouped.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_dedup", ROOT / "bench" / "dedup.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_dedup"] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_dedup_quality_floor_on_edited_real_articles(shared_data: Path, seeds_dir: Path) -> None:
    result = _bench().quality()
    for kind, row in result["per_kind"].items():
        assert row["precision"] >= 0.99, (kind, row)
        assert row["recall"] >= 0.97, (kind, row)
    assert result["pairwise"]["precision"] >= 0.99
    assert result["pairwise"]["recall"] >= 0.98
    assert result["same_topic"]["distinct_pairs"] >= 200
    assert result["same_topic"]["grouped_wrongly"] == 0
