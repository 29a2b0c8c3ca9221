"""Candidate retrieval: a vector index over live story centroids, bucketed by day.

A story sits in the bucket of the day it was last seen. A query searches only the buckets within
the time window around its date, so the cost per query follows the number of stories active in the
window, not the size of the whole pool. Each bucket keeps a preallocated float32 matrix; a story that
moves (seen again on a later day) leaves a dead row behind, reclaimed when the bucket is compacted.

A bucket that grows past `ivf_min_rows` (a burst: thousands of stories on one day) gets a coarse
quantizer: k-means cells over its centroids, each row filed under its nearest cell in an inverted list; a
search then scores the cell centres and only the rows listed under the `probe` best cells, so its
cost grows with about the square root of the stories in the window, never with a scan of them.
Cells are retrained when the bucket has doubled since the last training; the lists are re-sorted
when an eighth of their rows have been filed or moved since the last sort.

Stories with no date at all sit in the `UNDATED` bucket, which every search includes; an undated
query searches every bucket (undated documents are the exception in a live stream).
`retire_before(day)` drops whole buckets that fell behind the stream, which bounds memory.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import numpy.typing as npt

Vector = npt.NDArray[np.float32]
UNDATED = -(10**9)  # bucket of stories none of whose documents has a date
_CELL_ROWS = 64  # target rows per k-means cell
_KMEANS_ITERS = 5
_KMEANS_SAMPLE = 16  # training rows per cell, at most


@dataclass(slots=True)
class _Cells:
    """A bucket's coarse quantizer: cell centres, and the bucket's rows kept sorted by cell.

    At each reorganization the bucket's matrix is rewritten with its rows sorted by cell, so cell c
    is the contiguous block `starts[c]:starts[c+1]` (scored in place, no gather). Rows appended or
    moved to another cell since then are `pending`; a row's true cell is `cell_of`, so a row that
    moved out of a block is masked there and found through `pending`. The owner reorganizes when
    `pending` outgrows an eighth of the sorted rows.
    """

    centres: Vector  # (c, dim), unit rows
    cell_of: npt.NDArray[np.int64]  # row -> cell (-1: not filed), as long as the bucket's matrix
    trained_at: int
    starts: npt.NDArray[np.int64] = field(default_factory=lambda: np.zeros(1, np.int64))
    pending: npt.NDArray[np.int64] = field(default_factory=lambda: np.zeros(64, np.int64))
    n_pending: int = 0

    def file(self, row: int, centroid: Vector) -> None:
        """File `row` under the cell nearest `centroid`."""
        cell = int(np.argmax(self.centres @ centroid))
        if self.cell_of[row] != cell:
            self.cell_of[row] = cell
            if self.n_pending == len(self.pending):
                self.pending = np.concatenate((self.pending, np.zeros_like(self.pending)))
            self.pending[self.n_pending] = row
            self.n_pending += 1

    def needs_sorting(self) -> bool:
        return self.n_pending > max(64, int(self.starts[-1]) // 8)

    def pending_in(self, best: list[int]) -> npt.NDArray[np.int64]:
        """Pending rows now filed under one of `best` and not already inside that cell's block."""
        if not self.n_pending:
            return np.zeros(0, np.int64)
        moved = self.pending[: self.n_pending]
        # (a row moved twice is pending twice)
        moved = np.unique(moved[np.isin(self.cell_of[moved], best)])
        sorted_end = int(self.starts[-1])
        block_cell = np.searchsorted(self.starts, moved, side="right") - 1
        # (a row that moved out and back again is valid in its block: not counted twice)
        keep = (moved >= sorted_end) | (block_cell != self.cell_of[moved])
        out: npt.NDArray[np.int64] = moved[keep]
        return out


@dataclass(slots=True)
class _Bucket:
    matrix: npt.NDArray[np.float32]
    alive: npt.NDArray[np.bool_]
    ids: list[str] = field(default_factory=list)
    n_alive: int = 0
    cells: _Cells | None = None


def _kmeans(x: Vector, k: int, seed: int) -> Vector:
    """Spherical k-means centres of the rows of `x` (a few Lloyd iterations; approximate on purpose)."""
    rng = np.random.default_rng(seed)
    sample = x[rng.choice(len(x), size=min(len(x), k * _KMEANS_SAMPLE), replace=False)]
    centres = sample[rng.choice(len(sample), size=k, replace=False)].copy()
    for _ in range(_KMEANS_ITERS):
        nearest = np.argmax(sample @ centres.T, axis=1)
        sums = np.zeros_like(centres)
        np.add.at(sums, nearest, sample)
        norms = np.linalg.norm(sums, axis=1, keepdims=True)
        empty = norms[:, 0] < 1e-9
        # An empty cell is reseeded on a random sample row instead of collapsing.
        sums[empty] = sample[rng.choice(len(sample), size=int(empty.sum()))]
        centres = (sums / np.maximum(np.linalg.norm(sums, axis=1, keepdims=True), 1e-12)).astype(np.float32)
    return centres


def _packed(bucket: _Bucket) -> tuple[int, _Bucket]:
    """`bucket` without its free rows, and its capacity (`_unpacked` restores both as they were)."""
    n = len(bucket.ids)
    cells = bucket.cells
    if cells is not None:
        cells = replace(
            cells, cell_of=cells.cell_of[:n].copy(), pending=cells.pending[: cells.n_pending].copy()
        )
    return len(bucket.matrix), replace(
        bucket, matrix=bucket.matrix[:n].copy(), alive=bucket.alive[:n].copy(), cells=cells
    )


def _unpacked(capacity: int, bucket: _Bucket) -> _Bucket:
    n = len(bucket.ids)
    matrix = np.zeros((capacity, bucket.matrix.shape[1]), np.float32)
    matrix[:n] = bucket.matrix
    alive = np.zeros(capacity, bool)
    alive[:n] = bucket.alive
    cells = bucket.cells
    if cells is not None:
        cell_of = np.full(capacity, -1, np.int64)
        cell_of[:n] = cells.cell_of
        pending = np.zeros(max(64, 1 << max(cells.n_pending - 1, 0).bit_length()), np.int64)
        pending[: cells.n_pending] = cells.pending
        cells = replace(cells, cell_of=cell_of, pending=pending)
    return replace(bucket, matrix=matrix, alive=alive, cells=cells)


class StoryIndex:
    """Top-k cosine search over story centroids within +-`window_days` of a query day."""

    def __init__(
        self,
        dim: int,
        window_days: int = 7,
        initial_rows: int = 64,
        *,
        ivf_min_rows: int = 2048,
        probe: int = 8,
    ) -> None:
        if dim < 1:
            raise ValueError(f"dim must be >= 1, got {dim}")
        if window_days < 0:
            raise ValueError(f"window_days must be >= 0, got {window_days}")
        if ivf_min_rows < 2 * _CELL_ROWS or probe < 1:
            raise ValueError(f"ivf_min_rows must be >= {2 * _CELL_ROWS} and probe >= 1")
        self.dim = dim
        self.window_days = window_days
        self.ivf_min_rows = ivf_min_rows
        self.probe = probe
        self._initial_rows = max(initial_rows, 1)
        self._buckets: dict[int, _Bucket] = {}
        self._where: dict[str, tuple[int, int]] = {}  # story id -> (day, row)

    def __len__(self) -> int:
        return len(self._where)

    def __getstate__(self) -> dict[str, Any]:
        """Pickled (a clusterer snapshot) without the rows each bucket keeps free for growth: a day's
        bucket preallocates `initial_rows` (64 x 512 float32: 128 kB) for what is often a few stories."""
        state = dict(self.__dict__)
        state["_buckets"] = {day: _packed(bucket) for day, bucket in self._buckets.items()}
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        state["_buckets"] = {day: _unpacked(*packed) for day, packed in state["_buckets"].items()}
        self.__dict__.update(state)

    def __contains__(self, story_id: object) -> bool:
        return story_id in self._where

    def days(self) -> list[int]:
        """The days that hold at least one live story, ascending."""
        return sorted(self._buckets)

    def restricted(self, days: frozenset[int]) -> StoryIndex:
        """An index of the buckets of `days` only, sharing them with this one (to pickle a part)."""
        part = StoryIndex.__new__(StoryIndex)
        part.__dict__.update(self.__dict__)
        part._buckets = {d: b for d, b in self._buckets.items() if d in days}
        part._where = {sid: at for sid, at in self._where.items() if at[0] in days}
        return part

    def absorb(self, part: StoryIndex) -> None:
        """Take back the buckets of `part` (a `restricted` index of days this one does not hold)."""
        assert not part._buckets.keys() & self._buckets.keys()
        self._buckets.update(part._buckets)
        self._where.update(part._where)

    def upsert(self, story_id: str, centroid: Vector, day: int) -> None:
        """Put or move `story_id` with this centroid into the bucket of `day`."""
        old = self._where.get(story_id)
        if old is not None and old[0] == day:
            same = self._buckets[day]
            same.matrix[old[1]] = centroid
            if same.cells is not None:
                self._refile(day, same, old[1], centroid)
            return
        if old is not None:
            self._kill(*old)
        bucket = self._buckets.get(day)
        if bucket is None:
            bucket = self._buckets[day] = _Bucket(
                np.zeros((self._initial_rows, self.dim), np.float32), np.zeros(self._initial_rows, bool)
            )
        row = len(bucket.ids)
        if row == bucket.matrix.shape[0]:
            if bucket.n_alive < row // 2:
                self._compact(day, bucket)
                row = len(bucket.ids)
            if row == bucket.matrix.shape[0]:
                grown = np.zeros((row * 2, self.dim), np.float32)
                grown[:row] = bucket.matrix[:row]
                alive = np.zeros(row * 2, bool)
                alive[:row] = bucket.alive[:row]
                bucket.matrix, bucket.alive = grown, alive
                if bucket.cells is not None:
                    cell_of = np.full(row * 2, -1, np.int64)
                    cell_of[:row] = bucket.cells.cell_of[:row]
                    bucket.cells.cell_of = cell_of
        bucket.matrix[row] = centroid
        bucket.alive[row] = True
        bucket.ids.append(story_id)
        bucket.n_alive += 1
        self._where[story_id] = (day, row)
        cells = bucket.cells
        if cells is not None:
            cells.cell_of[row] = -1
            self._refile(day, bucket, row, centroid)
        if row + 1 >= self.ivf_min_rows and (cells is None or row + 1 >= 2 * cells.trained_at):
            self._train(day, bucket)

    def remove(self, story_id: str) -> None:
        """Forget `story_id` (no-op when absent)."""
        old = self._where.pop(story_id, None)
        if old is not None:
            self._kill(*old)

    def retire_before(self, day: int) -> list[str]:
        """Drop every dated bucket older than `day`; returns the story ids dropped."""
        gone: list[str] = []
        for d in [d for d in self._buckets if UNDATED < d < day]:
            bucket = self._buckets.pop(d)
            for row, sid in enumerate(bucket.ids):
                if bucket.alive[row]:
                    del self._where[sid]
                    gone.append(sid)
        return gone

    def _kill(self, day: int, row: int) -> None:
        bucket = self._buckets[day]
        bucket.alive[row] = False
        bucket.n_alive -= 1
        if bucket.n_alive == 0:
            del self._buckets[day]

    def _compact(self, day: int, bucket: _Bucket) -> None:
        """Rewrite the bucket without its dead rows; with cells, its rows sorted by cell."""
        n = len(bucket.ids)
        keep = np.flatnonzero(bucket.alive[:n])
        cells = bucket.cells
        if cells is not None:
            keep = keep[np.argsort(cells.cell_of[keep], kind="stable")]
        matrix = np.zeros_like(bucket.matrix)
        matrix[: len(keep)] = bucket.matrix[keep]
        alive = np.zeros_like(bucket.alive)
        alive[: len(keep)] = True
        bucket.matrix, bucket.alive = matrix, alive
        bucket.ids = [bucket.ids[i] for i in keep]
        for row, sid in enumerate(bucket.ids):
            self._where[sid] = (day, row)
        if cells is not None:
            kept_cells = cells.cell_of[keep]
            cells.cell_of = np.full(len(matrix), -1, np.int64)
            cells.cell_of[: len(keep)] = kept_cells
            counts = np.bincount(kept_cells, minlength=len(cells.centres))
            cells.starts = np.concatenate(([0], np.cumsum(counts))).astype(np.int64)
            cells.n_pending = 0

    def _train(self, day: int, bucket: _Bucket) -> None:
        n = len(bucket.ids)
        if bucket.n_alive < 2 * _CELL_ROWS:
            # Mostly moved-out rows: reclaim them instead of quantizing a handful of stories.
            self._compact(day, bucket)
            return
        live = bucket.matrix[:n][bucket.alive[:n]]
        k = max(2, min(len(live) // _CELL_ROWS, 4096))
        centres = _kmeans(live, k, seed=n)
        nearest = np.full(bucket.matrix.shape[0], -1, dtype=np.int64)
        for start in range(0, n, 4096):  # bounded transient
            nearest[start : min(n, start + 4096)] = np.argmax(
                bucket.matrix[start : min(n, start + 4096)] @ centres.T, 1
            )
        bucket.cells = _Cells(centres, nearest, n)
        self._compact(day, bucket)

    def _refile(self, day: int, bucket: _Bucket, row: int, centroid: Vector) -> None:
        cells = bucket.cells
        assert cells is not None
        cells.file(row, centroid)
        if cells.needs_sorting():
            self._compact(day, bucket)

    def _bucket_top(self, bucket: _Bucket, query: Vector, k: int) -> tuple[list[str], Vector]:
        n = len(bucket.ids)
        cells = bucket.cells
        if cells is None:
            rows = None
            scores = bucket.matrix[:n] @ query
            if bucket.n_alive < n:
                scores[~bucket.alive[:n]] = -np.inf
        else:
            near = cells.centres @ query
            probe = min(self.probe, len(near))
            best = np.argpartition(-near, probe - 1)[:probe].tolist()
            row_parts, score_parts = [], []
            for c in best:
                lo, hi = int(cells.starts[c]), int(cells.starts[c + 1])
                if hi > lo:
                    block = bucket.matrix[lo:hi] @ query  # contiguous: scored in place
                    ok = (cells.cell_of[lo:hi] == c) & bucket.alive[lo:hi]
                    row_parts.append(np.arange(lo, hi)[ok])
                    score_parts.append(block[ok])
            moved = cells.pending_in(best)
            moved = moved[bucket.alive[moved]]
            row_parts.append(moved)
            score_parts.append(bucket.matrix[moved] @ query)
            rows = np.concatenate(row_parts)
            scores = np.concatenate(score_parts)
        if len(scores) > k:
            top = np.argpartition(-scores, k - 1)[:k]
            scores = scores[top]
        else:
            top = np.arange(len(scores))
        picked = top if rows is None else rows[top]
        return [bucket.ids[i] for i in picked.tolist()], scores

    def search(self, query: Vector, day: int | None, k: int) -> list[tuple[str, float]]:
        """The `k` best (story id, cosine) among stories last seen within the window of `day`.

        Undated stories are always candidates; `day=None` (an undated query) searches every story.
        """
        found_ids: list[str] = []
        found_scores: list[Vector] = []
        if day is None:
            days = sorted(self._buckets)
        else:
            days = [UNDATED, *range(day - self.window_days, day + self.window_days + 1)]
        for d in days:
            bucket = self._buckets.get(d)
            if bucket is None:
                continue
            ids, scores = self._bucket_top(bucket, query, k)
            found_ids.extend(ids)
            found_scores.append(scores)
        if not found_ids:
            return []
        allscores = np.concatenate(found_scores)
        order = np.argsort(-allscores)[:k]
        return [(found_ids[i], float(allscores[i])) for i in order.tolist() if math.isfinite(allscores[i])]


def cells_in_use(index: StoryIndex) -> int:
    """How many buckets of `index` search through a coarse quantizer (for benches and tests)."""
    return sum(1 for b in index._buckets.values() if b.cells is not None)
