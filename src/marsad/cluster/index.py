"""Candidate retrieval: a vector index over live story centroids, bucketed by day.

A story sits in the bucket of the day it was last seen. A query searches only the buckets within
the time window around its date, so the cost per query follows the number of stories active in the
window, not the size of the whole pool. Each bucket keeps a preallocated float32 matrix; a story that
moves (seen again on a later day) leaves a dead row behind, reclaimed when the bucket is compacted.

A bucket that grows past `ivf_min_rows` (a burst: thousands of stories on one day) gets a coarse
quantizer: k-means cells over its centroids, each row filed under its nearest cell; a search then
scores the cell centres and only the rows of the `probe` best cells, so its cost stays bounded
(about sqrt-sized) however many stories fall in the window. Cells are retrained when the bucket
has doubled since the last training.

Stories with no date at all sit in the `UNDATED` bucket, which every search includes; an undated
query searches every bucket (undated documents are the exception in a live stream).
`retire_before(day)` drops whole buckets that fell behind the stream, which bounds memory.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

Vector = npt.NDArray[np.float32]
UNDATED = -(10**9)  # bucket of stories none of whose documents has a date
_CELL_ROWS = 64  # target rows per k-means cell
_KMEANS_ITERS = 5
_KMEANS_SAMPLE = 16  # training rows per cell, at most


@dataclass(slots=True)
class _Cells:
    """A bucket's coarse quantizer: cell centres and the rows filed under each."""

    centres: Vector  # (c, dim), unit rows
    cell_of: npt.NDArray[np.int64]  # row -> cell, as long as the bucket's matrix
    trained_at: int


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

    def __contains__(self, story_id: object) -> bool:
        return story_id in self._where

    def days(self) -> list[int]:
        """The days that hold at least one live story, ascending."""
        return sorted(self._buckets)

    def upsert(self, story_id: str, centroid: Vector, day: int) -> None:
        """Put or move `story_id` with this centroid into the bucket of `day`."""
        old = self._where.get(story_id)
        if old is not None and old[0] == day:
            same = self._buckets[day]
            same.matrix[old[1]] = centroid
            if same.cells is not None:
                self._refile(same, old[1], centroid)
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
                    cell_of = np.zeros(row * 2, np.int64)
                    cell_of[:row] = bucket.cells.cell_of[:row]
                    bucket.cells.cell_of = cell_of
        bucket.matrix[row] = centroid
        bucket.alive[row] = True
        bucket.ids.append(story_id)
        bucket.n_alive += 1
        self._where[story_id] = (day, row)
        cells = bucket.cells
        if cells is not None:
            cells.cell_of[row] = int(np.argmax(cells.centres @ centroid))
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
        keep = np.flatnonzero(bucket.alive[: len(bucket.ids)])
        matrix = np.zeros_like(bucket.matrix)
        matrix[: len(keep)] = bucket.matrix[keep]
        alive = np.zeros_like(bucket.alive)
        alive[: len(keep)] = True
        bucket.matrix, bucket.alive = matrix, alive
        bucket.ids = [bucket.ids[i] for i in keep]
        for row, sid in enumerate(bucket.ids):
            self._where[sid] = (day, row)
        if bucket.cells is not None:
            self._file_all(bucket, bucket.cells.centres, bucket.cells.trained_at)

    def _train(self, day: int, bucket: _Bucket) -> None:
        n = len(bucket.ids)
        if bucket.n_alive < 2 * _CELL_ROWS:
            # Mostly moved-out rows: reclaim them instead of quantizing a handful of stories.
            self._compact(day, bucket)
            return
        live = bucket.matrix[:n][bucket.alive[:n]]
        k = max(2, min(len(live) // _CELL_ROWS, 4096))
        self._file_all(bucket, _kmeans(live, k, seed=n), n)

    def _file_all(self, bucket: _Bucket, centres: Vector, trained_at: int) -> None:
        n = len(bucket.ids)
        nearest = np.zeros(bucket.matrix.shape[0], dtype=np.int64)
        for start in range(0, n, 4096):  # bounded transient
            nearest[start : min(n, start + 4096)] = np.argmax(
                bucket.matrix[start : min(n, start + 4096)] @ centres.T, 1
            )
        bucket.cells = _Cells(centres, nearest, trained_at)

    def _refile(self, bucket: _Bucket, row: int, centroid: Vector) -> None:
        cells = bucket.cells
        assert cells is not None
        cells.cell_of[row] = int(np.argmax(cells.centres @ centroid))

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
            best = np.argpartition(-near, probe - 1)[:probe]
            rows = np.flatnonzero(np.isin(cells.cell_of[:n], best) & bucket.alive[:n])
            scores = bucket.matrix[rows] @ query
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
