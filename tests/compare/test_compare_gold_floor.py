"""Quality floors on our gold set (bench/gold), pinned just under what bench/compare.py measures."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _bench() -> Any:
    spec = importlib.util.spec_from_file_location("bench_compare", ROOT / "bench" / "compare.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_gold_quotes_speakers_entities_floors(shared_data: Path, seeds_dir: Path) -> None:
    bench = _bench()
    records = [json.loads(x) for x in bench.GOLD.read_text("utf-8").splitlines() if x.strip()]
    articles = bench.load_articles(records)
    analysed = bench.analyse_all(records, articles)
    quotes = bench.score_quotes(records, analysed)
    entities = bench.score_entities(records, analysed)
    assert quotes["quotes"]["f1"] >= 0.90
    assert quotes["speakers"]["p"] >= 0.90 and quotes["speakers"]["r"] >= 0.75
    # measured (bench/compare.py) with the learned Arabic CRF recognizer: P 0.825, R 0.713, F1 0.765 (ar
    # P 0.773 R 0.667, en 0.919 / 0.711, fr 0.833 / 0.796). The rules before it measured P 0.871, R 0.762,
    # F1 0.813 on this gold set: a drop the CRF brought, pinned here so that it gets no worse.
    assert entities["entities"]["p"] >= 0.82 and entities["entities"]["r"] >= 0.71
    assert entities["entities"]["f1"] >= 0.76


@pytest.mark.slow
def test_gold_alignment_floors(shared_data: Path, seeds_dir: Path) -> None:
    from marsad.compare import CompareConfig
    from marsad.embed import UsemEmbedder

    bench = _bench()
    records = [json.loads(x) for x in bench.GOLD.read_text("utf-8").splitlines() if x.strip()]
    articles = bench.load_articles(records)
    analysed = bench.analyse_all(records, articles)
    result = bench.run_alignment(records, articles, analysed, UsemEmbedder(), CompareConfig())
    assert result["warnings"] == []  # every gold sentence key still names one sentence
    pairs = result["sentence_pairs"]
    # measured (bench/compare.py, pairs derived from the story-wide claims): P 0.781 R 0.758 with
    # continuation sentences joined (the seed's defence ministries) and quote splits (003 folds two of
    # 000's Lavrov quotes into one: quote pairs R 0.75 -> 1.0); before: P 0.774 R 0.727 with the CRF
    # entities (0.800 / 0.727 with the rules before it; 0.719 / 0.697 before figures had units, splits a
    # higher bar and Arabic near-synonym families)
    assert pairs["p"] >= 0.77 and pairs["r"] >= 0.75
    assert result["quote_pairs"]["p"] >= 0.95 and result["quote_pairs"]["r"] >= 0.99
    assert result["unique"]["p"] >= 0.95 and result["unique"]["r"] >= 0.95
