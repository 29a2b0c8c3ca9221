"""Connected components of a graph too big for one machine: alternating large-star / small-star.

Kiveris, Lattanzi, Mirrokni, Rastogi, Vassilvitskii, "Connected Components in MapReduce and
Beyond" (SoCC 2014). Nodes are uint64; each step is one group-by on a node, run as one task per
partition of the node hash, reading the edges its partition received and writing the edges it
emits straight into the partitions of the next step. Rounds (large then small) repeat until the
edge set no longer changes; it is then a star around the smallest node of every component, and a
last pass writes (node, label = smallest node of its component). O(log^2 n) rounds at worst, a
handful in practice. No step ever holds more than one partition of the edges.

Edge files: corpus/cc/<graph>/s<step>/p=<part>/<producer>.parquet with columns (u, v): an edge
keyed by u, which is in partition `part`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from marsad.dedup.shingles import mix64
from marsad.errors import MarsadError
from marsad.scale.context import RANK_BITS, RunContext, shard_file
from marsad.scale.parts import partition_of, read_tables, scatter, write_table

U64 = npt.NDArray[np.uint64]
EDGE_SCHEMA = pa.schema([("u", pa.uint64()), ("v", pa.uint64())])
LABEL_SCHEMA = pa.schema([("node", pa.uint64()), ("label", pa.uint64())])
MAX_ROUNDS = 64

RunPhase = Callable[[str, Sequence[Any], Callable[[Any], dict[str, Any]]], list[dict[str, Any]]]


def step_dir(ctx: RunContext, graph: str, step: int, part: int) -> Path:
    return ctx.corpus / "cc" / graph / f"s{step}" / f"p={part}"


def labels_dir(ctx: RunContext, graph: str) -> Path:
    return ctx.corpus / "cc" / graph / "labels"


def write_undirected(ctx: RunContext, graph: str, step: int, producer: str, a: U64, b: U64) -> None:
    """Write edges {a, b} in the large-star layout of `step`: both directions, keyed by each end."""
    keep = a != b
    u = np.concatenate([a[keep], b[keep]])
    v = np.concatenate([b[keep], a[keep]])
    _write_keyed(ctx, graph, step, producer, u, v)


def _write_keyed(ctx: RunContext, graph: str, step: int, producer: str, u: U64, v: U64) -> None:
    table = pa.table({"u": u, "v": v}, schema=EDGE_SCHEMA)
    for part, rows in scatter(table, partition_of(u, ctx.partitions)).items():
        write_table(shard_file(step_dir(ctx, graph, step, part), producer), rows)


def _read_edges(ctx: RunContext, graph: str, step: int, part: int) -> tuple[U64, U64]:
    directory = step_dir(ctx, graph, step, part)
    files = sorted(directory.glob("*.parquet")) if directory.is_dir() else []
    table = read_tables(files, EDGE_SCHEMA)
    u = table["u"].to_numpy().astype(np.uint64)
    v = table["v"].to_numpy().astype(np.uint64)
    if len(u) == 0:
        return u, v
    order = np.lexsort((v, u))
    u, v = u[order], v[order]
    fresh = np.ones(len(u), dtype=bool)
    fresh[1:] = (u[1:] != u[:-1]) | (v[1:] != v[:-1])
    return u[fresh], v[fresh]


def _group_min(u: U64, v: U64) -> tuple[U64, U64, npt.NDArray[np.int64]]:
    """For edges sorted by u: the distinct u, min(v over N(u)), and each edge's group index."""
    starts = np.flatnonzero(np.concatenate(([True], u[1:] != u[:-1])))
    mins = np.minimum.reduceat(v, starts)
    group = np.repeat(np.arange(len(starts)), np.diff(np.append(starts, len(u))))
    return u[starts], mins, group


@dataclass(slots=True, frozen=True)
class StarTask:
    """One partition of one step: `kind` is "large", "small" or "labels"."""

    ctx: RunContext
    graph: str
    step: int
    part: int
    kind: str
    label_layout: str = "hash"

    @property
    def key(self) -> str:
        return f"{self.graph}-s{self.step}-{self.kind}-p{self.part}"


def _digest(u: U64, v: U64) -> tuple[int, int]:
    """Count and order-free checksum of the edges {u, v} with u > v (each undirected edge once)."""
    one = u > v
    if not one.any():
        return 0, 0
    mixed = mix64(mix64(u[one]) ^ v[one])
    return int(one.sum()), int(np.bitwise_xor.reduce(mixed))


def run_star(task: StarTask) -> dict[str, Any]:
    """Run one partition of one step and write its output edges (or labels)."""
    ctx, producer = task.ctx, f"p{task.part}"
    u, v = _read_edges(ctx, task.graph, task.step, task.part)
    if task.kind == "large":
        count, digest = _digest(u, v)
        if len(u):
            nodes, mins, group = _group_min(u, v)
            m = np.minimum(mins, nodes)[group]
            out = v > u
            # New edges {v, m}, m < v: the small-star step groups them by the larger end v.
            _write_keyed(ctx, task.graph, task.step + 1, producer, v[out], m[out])
        return {"edges": count, "digest": digest}
    if task.kind == "small":
        if len(u):
            nodes, mins, group = _group_min(u, v)
            a = np.concatenate([v, nodes])
            b = np.concatenate([mins[group], mins])
            write_undirected(ctx, task.graph, task.step + 1, producer, a, b)
        return {"edges": len(u)}
    if len(u) == 0:
        return {"nodes": 0}
    nodes, mins, _ = _group_min(u, v)
    labels = pa.table({"node": nodes, "label": np.minimum(mins, nodes)}, schema=LABEL_SCHEMA)
    if task.label_layout == "window":
        for window, rows in scatter(labels, (nodes >> np.uint64(RANK_BITS)).astype(np.int64)).items():
            write_table(shard_file(labels_dir(ctx, task.graph) / f"w={window}", producer), rows)
    else:
        write_table(shard_file(labels_dir(ctx, task.graph) / f"p={task.part}", producer), labels)
    return {"nodes": len(nodes)}


def connected_components(
    ctx: RunContext, graph: str, run_phase: RunPhase, *, label_layout: str = "hash"
) -> dict[str, Any]:
    """Label every node of the edges written to step 0 of `graph` with its component's least node.

    Raises MarsadError when the rounds do not converge (a bug, not a property of the data).
    """
    previous: tuple[int, int] | None = None
    parts = range(ctx.partitions)
    for rnd in range(MAX_ROUNDS):
        large = 2 * rnd
        summaries = run_phase(
            f"cc-{graph}-s{large}", [StarTask(ctx, graph, large, p, "large") for p in parts], run_star
        )
        edges = sum(int(s["edges"]) for s in summaries)
        digest = 0
        for s in summaries:
            digest ^= int(s["digest"])
        if previous == (edges, digest) or edges == 0:
            final = [StarTask(ctx, graph, large, p, "labels", label_layout) for p in parts]
            labelled = run_phase(f"cc-{graph}-labels", final, run_star)
            return {"rounds": rnd, "edges": edges, "nodes": sum(int(s["nodes"]) for s in labelled)}
        previous = (edges, digest)
        run_phase(
            f"cc-{graph}-s{large + 1}",
            [StarTask(ctx, graph, large + 1, p, "small") for p in parts],
            run_star,
        )
    raise MarsadError(f"connected components of {graph!r} did not converge in {MAX_ROUNDS} rounds")


def read_labels(ctx: RunContext, graph: str, where: str) -> tuple[U64, U64]:
    """(node, label) rows of one label directory (`p=<part>` or `w=<window>`)."""
    directory = labels_dir(ctx, graph) / where
    files = sorted(directory.glob("*.parquet")) if directory.is_dir() else []
    table = read_tables(files, LABEL_SCHEMA)
    return table["node"].to_numpy().astype(np.uint64), table["label"].to_numpy().astype(np.uint64)
