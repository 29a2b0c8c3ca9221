"""What every batch task needs to know about its run: settings and where files go.

Layout of an output directory:

    OUT/manifest.json                   the run: fingerprint, inputs, counts, timings, outputs
    OUT/articles/part-<shard>.parquet   clean articles, one file per input shard
    OUT/rejects/part-<shard>.parquet    records a stage could not take, with the reason
    OUT/duplicates/part-<p>.parquet     every document: group_id, kind (exact|near|unique), canonical
    OUT/stories/part-<w>.parquet        every document: story_id (one file per time window)
    OUT/_work/<fingerprint>/...         partitioned intermediates (safe to delete after a run):
                                        map outputs per shard, and corpus-<inputs>/ for the steps
                                        that depend on the whole input set
    OUT/_state/<fingerprint>/...        per-task done-markers that make a re-run resume
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from marsad.dedup.params import DedupParams

NO_TIME = 2**63 - 1  # sorts after every real timestamp: undated documents come last
UNDATED_WINDOW = 0
_WINDOW_OFFSET = 1 << 20  # keeps window codes positive for dates before 1970
RANK_BITS = 40


@dataclass(slots=True, frozen=True)
class RunContext:
    """Settings and paths shared by the tasks of one run (picklable, sent to every worker)."""

    out: Path
    fingerprint: str
    inputs_digest: str
    partitions: int
    dedup: DedupParams
    window_seconds: int
    cluster_window_seconds: int
    join_threshold: float
    clusterer: str
    max_bytes: int
    fmt: str
    # Seconds of extraction per document before it is rejected (E109); 0: no limit.
    time_budget: float = 15.0

    @property
    def work(self) -> Path:
        return self.out / "_work" / self.fingerprint

    @property
    def state(self) -> Path:
        return self.out / "_state" / self.fingerprint

    @property
    def corpus(self) -> Path:
        """Intermediates of the corpus-wide steps: they depend on the whole input set."""
        return self.work / f"corpus-{self.inputs_digest}"

    @property
    def corpus_state(self) -> Path:
        return self.state / f"corpus-{self.inputs_digest}"

    def window_of(self, ts: int) -> int:
        """The window code of a timestamp (UNDATED_WINDOW for NO_TIME)."""
        if ts == NO_TIME:
            return UNDATED_WINDOW
        return ts // self.window_seconds + _WINDOW_OFFSET

    def window_start(self, window: int) -> int:
        """The first second (UTC epoch) of a dated window."""
        return (window - _WINDOW_OFFSET) * self.window_seconds


def shard_file(directory: Path, name: str) -> Path:
    """`directory/<name>.parquet`: one producer's rows for one partition."""
    return directory / f"{name}.parquet"
