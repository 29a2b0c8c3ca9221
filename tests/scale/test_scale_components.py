"""Distributed connected components against a plain union-find on the same graphs."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from marsad.dedup.params import DedupParams
from marsad.scale.components import connected_components, read_labels, write_undirected
from marsad.scale.context import RunContext


def _ctx(tmp_path: Path, partitions: int) -> RunContext:
    return RunContext(
        out=tmp_path,
        fingerprint="test",
        inputs_digest="graph",
        partitions=partitions,
        dedup=DedupParams(),
        window_seconds=7 * 86400,
        cluster_window_seconds=7 * 86400,
        join_threshold=0.3,
        clusterer="lexical",
        max_bytes=1 << 20,
        fmt="parquet",
    )


def _inline(name: str, tasks: Sequence[Any], fn: Callable[[Any], dict[str, Any]]) -> list[dict[str, Any]]:
    return [fn(t) for t in tasks]


def _oracle(edges: list[tuple[int, int]]) -> dict[int, int]:
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in edges:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return {x: find(x) for x in parent}


def _labels(ctx: RunContext) -> dict[int, int]:
    found: dict[int, int] = {}
    for p in range(ctx.partitions):
        nodes, labels = read_labels(ctx, "g", f"p={p}")
        for n, lab in zip(nodes.tolist(), labels.tolist(), strict=True):
            assert n not in found  # every node is labelled exactly once
            found[n] = lab
    return found


@pytest.mark.parametrize(
    ("seed", "nodes", "edges", "partitions"), [(1, 60, 40, 3), (2, 400, 380, 5), (3, 50, 0, 2)]
)
def test_components_match_union_find_on_random_graphs(
    tmp_path: Path, seed: int, nodes: int, edges: int, partitions: int
) -> None:
    rng = np.random.default_rng(seed)
    ids = np.unique(rng.integers(0, 2**64 - 1, size=nodes, dtype=np.uint64, endpoint=True))
    nodes = len(ids)  # full 64-bit ids, as content hashes are
    pairs = rng.integers(0, nodes, size=(edges, 2))
    a, b = ids[pairs[:, 0]], ids[pairs[:, 1]]
    ctx = _ctx(tmp_path, partitions)
    write_undirected(ctx, "g", 0, "input", a, b)
    result = connected_components(ctx, "g", _inline)
    expected = _oracle([(int(x), int(y)) for x, y in zip(a, b, strict=True) if x != y])
    assert _labels(ctx) == expected
    assert result["nodes"] == len(expected)


def test_components_converge_on_a_long_path(tmp_path: Path) -> None:
    # A path scrambled over ids is the slow case for label propagation; star steps take O(log n).
    rng = np.random.default_rng(7)
    ids = rng.permutation(np.arange(1, 2001, dtype=np.uint64))
    ctx = _ctx(tmp_path, 4)
    write_undirected(ctx, "g", 0, "input", ids[:-1], ids[1:])
    result = connected_components(ctx, "g", _inline)
    assert set(_labels(ctx).values()) == {1}
    assert result["rounds"] <= 20
