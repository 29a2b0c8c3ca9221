"""An append-only inverted index from uint64 keys to document numbers, queried a batch at a time.

Keys live in sorted runs (a log-structured merge): each added batch becomes a run, and the two
newest runs merge while the newer is at least half the older, so there are O(log n) runs and each
key is re-sorted O(log n) times. A query sorts its keys once and does one `searchsorted` per run
(sorted needles let numpy narrow each search from the previous one). Memory: 12 bytes a posting.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

U64 = npt.NDArray[np.uint64]
I64 = npt.NDArray[np.int64]
I32 = npt.NDArray[np.int32]


def _expand(lo: I64, hi: I64, order: I64, run_docs: npt.NDArray[np.int32]) -> tuple[I64, I64]:
    """(query index, document) for the ranges [lo, hi) of a run, queries given in sorted order."""
    counts = hi - lo
    total = int(counts.sum())
    if not total:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    sorted_q = np.repeat(np.arange(len(lo), dtype=np.int64), counts)
    within = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(counts) - counts, counts)
    return order[sorted_q], run_docs[np.repeat(lo, counts) + within].astype(np.int64)


def _merge(k1: U64, d1: I32, k2: U64, d2: I32) -> tuple[U64, I32]:
    """Merge two sorted runs in linear time (the older run's postings first among equal keys)."""
    at = np.searchsorted(k1, k2, side="right") + np.arange(len(k2), dtype=np.int64)
    keys = np.empty(len(k1) + len(k2), dtype=np.uint64)
    docs = np.empty(len(keys), dtype=np.int32)
    older = np.ones(len(keys), dtype=np.bool_)
    older[at] = False
    keys[at], docs[at] = k2, d2
    keys[older], docs[older] = k1, d1
    return keys, docs


class Postings:
    """key -> document numbers, for band buckets and sampled shingles."""

    def __init__(self) -> None:
        self._runs: list[tuple[U64, I32]] = []

    def __len__(self) -> int:
        return sum(len(k) for k, _ in self._runs)

    def match_and_add(self, keys: U64, docs: I64, *, limit: int) -> tuple[I64, I64]:
        """Postings of every key (documents added before, and this call's own), then add them.

        Returns (query index, document) pairs, the query's own posting included. A key keeps its
        first `limit` documents and takes no more: those are the ones a later copy needs to find,
        and a bucket every document falls in (boilerplate) must not grow without bound.
        """
        order = np.argsort(keys, kind="stable")
        needles = keys[order]
        existing = np.zeros(len(keys), dtype=np.int64)
        queries: list[I64] = []
        found: list[I64] = []
        for run_keys, run_docs in self._runs:
            lo = np.searchsorted(run_keys, needles, side="left")
            hi = np.searchsorted(run_keys, needles, side="right")
            existing += hi - lo
            q, d = _expand(lo, hi, order, run_docs)
            queries.append(q)
            found.append(d)
        # This call's own postings: equal keys are neighbours among the sorted needles.
        own_docs = docs[order].astype(np.int32)
        lo = np.searchsorted(needles, needles, side="left")
        hi = np.minimum(np.searchsorted(needles, needles, side="right"), lo + limit)
        q, d = _expand(lo, hi, order, own_docs)
        queries.append(q)
        found.append(d)
        # Room left per key: what the runs hold plus the earlier equal keys of this call.
        rank = np.arange(len(needles), dtype=np.int64) - lo
        room = existing + rank < limit
        self._push(needles[room], own_docs[room])
        return np.concatenate(queries), np.concatenate(found)

    def lookup(self, keys: U64) -> tuple[I64, I64]:
        """(query index, document) for every posting of every key in `keys`."""
        order = np.argsort(keys, kind="stable")
        needles = keys[order]
        queries: list[I64] = [np.zeros(0, dtype=np.int64)]
        found: list[I64] = [np.zeros(0, dtype=np.int64)]
        for run_keys, run_docs in self._runs:
            lo = np.searchsorted(run_keys, needles, side="left")
            hi = np.searchsorted(run_keys, needles, side="right")
            q, d = _expand(lo, hi, order, run_docs)
            queries.append(q)
            found.append(d)
        return np.concatenate(queries), np.concatenate(found)

    def _push(self, sorted_keys: U64, docs: I32) -> None:
        if not len(sorted_keys):
            return
        self._runs.append((sorted_keys, docs))
        while len(self._runs) >= 2 and 2 * len(self._runs[-1][0]) >= len(self._runs[-2][0]):
            (k2, d2), (k1, d1) = self._runs.pop(), self._runs.pop()
            self._runs.append(_merge(k1, d1, k2, d2))
