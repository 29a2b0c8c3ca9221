"""The bench harness metrics (bench/harness.py) on small cases worked by hand."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

from harness import bcubed_prf, pairwise_prf, pearson, singleton_labels, spearman


def test_pairwise_prf_counts_pairs() -> None:
    gold = ["a", "a", "a", "b"]
    pred = [1, 1, 2, 2]
    # gold pairs: 3 (a-a); pred pairs: 2 ((0,1), (2,3)); both: 1
    assert pairwise_prf(gold, pred) == pytest.approx({"precision": 0.5, "recall": 1 / 3, "f1": 0.4})


def test_bcubed_prf_matches_hand_computation() -> None:
    gold = ["a", "a", "b"]
    pred = [1, 1, 1]
    r = bcubed_prf(gold, pred)
    assert r["precision"] == pytest.approx((2 / 3 + 2 / 3 + 1 / 3) / 3)
    assert r["recall"] == pytest.approx(1.0)
    assert bcubed_prf(gold, ["x", "x", "y"])["f1"] == pytest.approx(1.0)


def test_correlations_and_misc_bucket() -> None:
    assert pearson([1, 2, 3], [2, 4, 6]) == pytest.approx(1.0)
    assert spearman([1, 2, 3, 4], [10, 20, 30, 1000]) == pytest.approx(1.0)
    labels = singleton_labels([5, 166, 166, 5], 166)
    assert labels[0] == labels[3] and labels[1] != labels[2]
