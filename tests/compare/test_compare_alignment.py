"""Sentence alignment beyond one-to-one: mutual best partners and splits (one sentence, two halves)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from marsad.compare.alignment import MergedScore, align


def test_align_one_to_one_above_threshold_only() -> None:
    score = np.array([[0.9, 0.1], [0.2, 0.3]])
    links = align(score, 0.55, 0.45, None)
    assert [(x.a, x.b) for x in links] == [(0, 0)]


def test_align_mutual_best_pair_under_threshold() -> None:
    score = np.array([[0.9, 0.1, 0.0], [0.1, 0.48, 0.2], [0.0, 0.3, 0.1]])
    assert [(x.a, x.b) for x in align(score, 0.55, 0.45, None)] == [(0, 0), (1, 1)]
    # Row 2's best partner is column 1, but column 1 prefers row 1: no pair for row 2.
    assert all(x.a != 2 for x in align(score, 0.55, 0.45, None))


def _merged(value: float) -> tuple[MergedScore, list[tuple[str, tuple[int, ...], int]]]:
    calls: list[tuple[str, tuple[int, ...], int]] = []

    def merged(side: str, units: Sequence[int], other: int) -> float:
        calls.append((side, tuple(units), other))
        return value

    return merged, calls


def test_align_split_joins_second_half_when_reading_both_does_not_dilute() -> None:
    # Row 0 says what columns 0 and 2 say apart; column 1 is unrelated.
    score = np.array([[0.70, 0.05, 0.62], [0.10, 0.80, 0.15]])
    merged, calls = _merged(0.72)
    links = align(score, 0.55, 0.45, merged)
    assert [(x.a, x.b) for x in links] == [(0, 0), (0, 2), (1, 1)]
    assert links[0].group == links[1].group != links[2].group
    assert calls == [("b", (0, 2), 0)]


def test_align_split_refused_when_merged_reading_is_worse_or_half_too_weak() -> None:
    score = np.array([[0.70, 0.05, 0.62], [0.10, 0.80, 0.15]])
    worse, _ = _merged(0.55)
    assert [(x.a, x.b) for x in align(score, 0.55, 0.45, worse)] == [(0, 0), (1, 1)]
    weak = np.array([[0.80, 0.05, 0.50], [0.10, 0.80, 0.15]])  # 0.50 is far under 0.80
    good, calls = _merged(0.9)
    assert [(x.a, x.b) for x in align(weak, 0.55, 0.45, good)] == [(0, 0), (1, 1)]
    assert calls == []


def test_align_empty_side() -> None:
    assert align(np.zeros((0, 3)), 0.55, 0.45, None) == []
