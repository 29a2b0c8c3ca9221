"""Candidate retrieval: a vector index over live story centroids, bucketed by day.

A story sits in the bucket of the day it was last seen. A query searches only the buckets within
the time window around its date, so the cost per query follows the number of stories active in the
window, not the size of the whole pool. Each bucket keeps a preallocated float32 matrix; a story that
moves (seen again on a later day) leaves a dead row behind, reclaimed when the bucket is compacted.
Stories with no date at all sit in the `UNDATED` bucket, which every search includes; an undated
query searches every bucket (a scan, but undated documents are the exception in a live stream).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

Vector = npt.NDArray[np.float32]
UNDATED = -(10**9)  # bucket of stories none of whose documents has a date


@dataclass(slots=True)
class _Bucket:
    matrix: npt.NDArray[np.float32]
    ids: list[str] = field(default_factory=list)
    alive: list[bool] = field(default_factory=list)
    n_alive: int = 0


class StoryIndex:
    """Top-k cosine search over story centroids within +-`window_days` of a query day."""

    def __init__(self, dim: int, window_days: int = 7, initial_rows: int = 64) -> None:
        if dim < 1:
            raise ValueError(f"dim must be >= 1, got {dim}")
        if window_days < 0:
            raise ValueError(f"window_days must be >= 0, got {window_days}")
        self.dim = dim
        self.window_days = window_days
        self._initial_rows = max(initial_rows, 1)
        self._buckets: dict[int, _Bucket] = {}
        self._where: dict[str, tuple[int, int]] = {}  # story id -> (day, row)

    def __len__(self) -> int:
        return len(self._where)

    def upsert(self, story_id: str, centroid: Vector, day: int) -> None:
        """Put or move `story_id` with this centroid into the bucket of `day`."""
        old = self._where.get(story_id)
        if old is not None and old[0] == day:
            self._buckets[day].matrix[old[1]] = centroid
            return
        if old is not None:
            self._kill(*old)
        bucket = self._buckets.get(day)
        if bucket is None:
            bucket = self._buckets[day] = _Bucket(np.zeros((self._initial_rows, self.dim), np.float32))
        row = len(bucket.ids)
        if row == bucket.matrix.shape[0]:
            if bucket.n_alive < row // 2:
                self._compact(day, bucket)
                row = len(bucket.ids)
            if row == bucket.matrix.shape[0]:
                grown = np.zeros((row * 2, self.dim), np.float32)
                grown[:row] = bucket.matrix[:row]
                bucket.matrix = grown
        bucket.matrix[row] = centroid
        bucket.ids.append(story_id)
        bucket.alive.append(True)
        bucket.n_alive += 1
        self._where[story_id] = (day, row)

    def _kill(self, day: int, row: int) -> None:
        bucket = self._buckets[day]
        bucket.alive[row] = False
        bucket.n_alive -= 1
        if bucket.n_alive == 0:
            del self._buckets[day]

    def _compact(self, day: int, bucket: _Bucket) -> None:
        keep = [i for i, a in enumerate(bucket.alive) if a]
        matrix = np.zeros_like(bucket.matrix)
        matrix[: len(keep)] = bucket.matrix[keep]
        bucket.matrix = matrix
        bucket.ids = [bucket.ids[i] for i in keep]
        bucket.alive = [True] * len(keep)
        for row, sid in enumerate(bucket.ids):
            self._where[sid] = (day, row)

    def search(self, query: Vector, day: int | None, k: int) -> list[tuple[str, float]]:
        """The `k` best (story id, cosine) among stories last seen within the window of `day`.

        Undated stories are always candidates; `day=None` (an undated query) searches every story.
        """
        found_ids: list[str] = []
        found_scores: list[npt.NDArray[np.float32]] = []
        if day is None:
            days = sorted(self._buckets)
        else:
            days = [UNDATED, *range(day - self.window_days, day + self.window_days + 1)]
        for d in days:
            bucket = self._buckets.get(d)
            if bucket is None:
                continue
            n = len(bucket.ids)
            scores = bucket.matrix[:n] @ query
            if bucket.n_alive < n:
                scores = np.where(np.asarray(bucket.alive), scores, -np.inf).astype(np.float32)
            if n > k:
                top = np.argpartition(-scores, k)[:k]
                scores = scores[top]
                found_ids.extend(bucket.ids[i] for i in top)
            else:
                found_ids.extend(bucket.ids)
            found_scores.append(scores)
        if not found_ids:
            return []
        allscores = np.concatenate(found_scores)
        order = np.argsort(-allscores)[:k]
        return [(found_ids[i], float(allscores[i])) for i in order if np.isfinite(allscores[i])]
