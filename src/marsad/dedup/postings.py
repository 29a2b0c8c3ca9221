"""An append-only inverted index from uint64 keys to document numbers, queried a batch at a time.

Keys live in sorted runs (a log-structured merge): each added batch becomes a run, and the two
newest runs merge while the newer is at least half the older, so there are O(log n) runs and each
key is re-sorted O(log n) times. A query is one `searchsorted` per run for the whole batch of keys.
Memory: 12 bytes per posting.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

U64 = npt.NDArray[np.uint64]
I64 = npt.NDArray[np.int64]
I32 = npt.NDArray[np.int32]


class Postings:
    """key -> document numbers, for band buckets and sampled shingles."""

    def __init__(self) -> None:
        self._runs: list[tuple[U64, I32]] = []

    def __len__(self) -> int:
        return sum(len(k) for k, _ in self._runs)

    def add(self, keys: U64, docs: I64) -> None:
        """Index `docs[i]` under `keys[i]` for every i."""
        if not len(keys):
            return
        order = np.argsort(keys, kind="stable")
        self._runs.append((keys[order], docs[order].astype(np.int32)))
        while len(self._runs) >= 2 and 2 * len(self._runs[-1][0]) >= len(self._runs[-2][0]):
            (k2, d2), (k1, d1) = self._runs.pop(), self._runs.pop()
            keys_m = np.concatenate((k1, k2))
            order = np.argsort(keys_m, kind="stable")
            self._runs.append((keys_m[order], np.concatenate((d1, d2))[order]))

    def lookup(self, keys: U64, *, max_hits: int | None = None) -> tuple[I64, I64]:
        """(query index, document) for every posting of every key in `keys`.

        A key with more than `max_hits` postings in total is skipped (a shingle every outlet
        prints, such as a disclaimer, says nothing about two documents being copies).
        """
        per_run = []
        totals = np.zeros(len(keys), dtype=np.int64)
        for run_keys, run_docs in self._runs:
            lo = np.searchsorted(run_keys, keys, side="left")
            hi = np.searchsorted(run_keys, keys, side="right")
            per_run.append((lo, hi, run_docs))
            totals += hi - lo
        allowed = np.ones(len(keys), dtype=np.bool_) if max_hits is None else totals <= max_hits
        queries: list[I64] = []
        found: list[I64] = []
        for lo, hi, run_docs in per_run:
            counts = np.where(allowed, hi - lo, 0)
            total = int(counts.sum())
            if not total:
                continue
            q = np.repeat(np.arange(len(keys), dtype=np.int64), counts)
            starts = np.repeat(lo, counts)
            within = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(counts) - counts, counts)
            queries.append(q)
            found.append(run_docs[starts + within].astype(np.int64))
        if not queries:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty
        return np.concatenate(queries), np.concatenate(found)
