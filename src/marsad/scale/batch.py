"""The batch job: map every shard, then the corpus-wide duplicate and story steps, resumably.

`run_batch(inputs, out, ...)` is what `marsad batch` calls. The executor only decides where tasks
run; the answer (articles, duplicate groups, story assignments) is the same for every executor and
worker count. The single-process reference is `LocalExecutor(workers=1)`: the same tasks run one
after another in this process.

Resuming: each finished task leaves a done-marker (its summary, under the run's fingerprint); a
re-run skips tasks with a marker and redoes the rest. Counts come from the markers, so a task
redone after a crash is counted once.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from itertools import pairwise
from pathlib import Path
from typing import Any

from marsad.config import Config
from marsad.dedup.params import DedupParams
from marsad.errors import ConfigError, InputError
from marsad.scale.candidates import PartTask, run_buckets, run_pairs_new, run_pairs_other, run_pairs_verify
from marsad.scale.components import connected_components
from marsad.scale.context import UNDATED_WINDOW, RunContext
from marsad.scale.duplicates import run_group_join, run_group_reduce
from marsad.scale.executor import Executor, Task, make_executor
from marsad.scale.mapper import MapTask, run_map
from marsad.scale.parts import MarkerBook, atomic_write_bytes
from marsad.scale.shards import Shard, list_shards
from marsad.scale.stories import CLUSTERERS, WindowTask, run_boundary, run_finalize, run_window

Progress = Callable[[str, int, int], None]
# Version 3: the map writes entities and quotes (runs of version 2 are redone, not resumed).
MAP_OUTPUTS = ("articles", "entities", "quotes", "rejects")  # one file per shard each
OUTPUT_DIRS = (*MAP_OUTPUTS, "duplicates", "stories")
MANIFEST_VERSION = 3


@dataclass(slots=True, frozen=True)
class BatchOptions:
    """How to run: the executor and its size, and the settings that shape the answer.

    `executor`, `workers`, `ray_address` and `shard_mb` never change the answer and are left out of
    the fingerprint; everything else is in it. `dedup` None: the config's `[dedup]` section.
    `clusterer`: "embedding" is the learned multilingual clusterer `marsad ingest` and `marsad cluster`
    use (the default); "lexical" the model-free TF-IDF fallback (faster, worse stories).
    """

    executor: str = "local"
    workers: int = 1
    partitions: int = 16
    window_days: float | None = None
    shard_mb: int = 64
    dedup: DedupParams | None = None
    clusterer: str = "embedding"
    fmt: str = "parquet"
    ray_address: str | None = None

    def __post_init__(self) -> None:
        if not 1 <= self.partitions <= 65536:
            raise ConfigError(f"--partitions must be between 1 and 65536, got {self.partitions}")
        if self.fmt not in ("parquet", "jsonl"):
            raise ConfigError(f"--format must be 'parquet' or 'jsonl', got {self.fmt!r}")
        if self.shard_mb < 1:
            raise ConfigError(f"--shard-mb must be >= 1, got {self.shard_mb}")
        if self.clusterer not in CLUSTERERS:
            raise ConfigError(f"unknown clusterer {self.clusterer!r}; known: {sorted(CLUSTERERS)}")


def dedup_params(config: Config, options: BatchOptions) -> DedupParams:
    """The duplicate parameters of a run: the options' when given, else the config's `[dedup]`."""
    return options.dedup if options.dedup is not None else config.dedup


def run_fingerprint(config: Config, options: BatchOptions) -> str:
    """Hash of every setting that shapes the outputs (the config's own fingerprint included)."""
    shaping = {
        "config": config.fingerprint(),
        "partitions": options.partitions,
        "window_days": options.window_days or config.cluster.window_days,
        "dedup": asdict(dedup_params(config, options)),
        "clusterer": options.clusterer,
        "format": options.fmt,
        "version": MANIFEST_VERSION,
    }
    return hashlib.sha256(json.dumps(shaping, sort_keys=True).encode()).hexdigest()[:12]


def _inputs_digest(shards: Sequence[Shard]) -> str:
    return hashlib.sha256("\n".join(s.key for s in shards).encode()).hexdigest()[:12]


@dataclass
class _Runner:
    """Runs phases of tasks on the executor, skipping tasks with a done-marker."""

    executor: Executor
    state: Path
    fingerprint: str
    progress: Progress | None
    timings: dict[str, float] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)

    def phase(self, name: str, tasks: Sequence[Any], fn: Task) -> list[dict[str, Any]]:
        book = MarkerBook(self.state, name, self.fingerprint)
        summaries: list[dict[str, Any] | None] = [book.get(t.key) for t in tasks]
        todo = [i for i, s in enumerate(summaries) if s is None]
        self.skipped[name] = len(tasks) - len(todo)
        done = len(tasks) - len(todo)
        if self.progress is not None:
            self.progress(name, done, len(tasks))
        started = time.perf_counter()

        def on_done(j: int, summary: dict[str, Any]) -> None:
            nonlocal done
            book.put(tasks[todo[j]].key, summary)
            summaries[todo[j]] = summary
            done += 1
            if self.progress is not None:
                self.progress(name, done, len(tasks))

        self.executor.run(fn, [tasks[i] for i in todo], on_done)
        self.timings[name] = self.timings.get(name, 0.0) + time.perf_counter() - started
        return [s or {} for s in summaries]


def _clear_other_runs(out: Path, fingerprint: str, inputs_digest: str) -> None:
    """Intermediates of other settings or input sets can never be read again: remove them."""
    for area in ("_work", "_state"):
        root = out / area
        if not root.is_dir():
            continue
        for child in root.iterdir():
            if child.name != fingerprint:
                shutil.rmtree(child, ignore_errors=True)
                continue
            for sub in child.iterdir():
                if sub.name.startswith("corpus-") and sub.name != f"corpus-{inputs_digest}":
                    shutil.rmtree(sub, ignore_errors=True)


def _remove_stale_outputs(out: Path, written: set[str]) -> None:
    for area in OUTPUT_DIRS:
        directory = out / area
        if directory.is_dir():
            for path in directory.iterdir():
                if path.name.startswith("part-") and f"{area}/{path.name}" not in written:
                    path.unlink()


def _sum(summaries: Sequence[dict[str, Any]], key: str) -> int:
    return sum(int(s.get(key, 0)) for s in summaries)


def run_batch(
    inputs: Sequence[str],
    out: Path,
    *,
    config: Config,
    options: BatchOptions,
    executor: Executor | None = None,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Run the whole job into `out` and return its manifest (also written to OUT/manifest.json).

    Raises InputError when no input is found, ConfigError for bad settings, TaskFailedError when a
    task fails (finished tasks keep their markers: run again to resume).
    """
    started = datetime.now(UTC)
    t0 = time.perf_counter()
    window_days = options.window_days or config.cluster.window_days
    if window_days < config.cluster.window_days:
        raise ConfigError(
            f"--window-days ({window_days}) must be >= cluster.window_days ({config.cluster.window_days}):"
            " stories only merge across adjacent windows"
        )
    shards = list_shards(inputs, shard_bytes=options.shard_mb << 20, exclude=out)
    if not shards:
        raise InputError(f"no input files found in {', '.join(inputs)}")
    fingerprint = run_fingerprint(config, options)
    ctx = RunContext(
        out=out,
        fingerprint=fingerprint,
        inputs_digest=_inputs_digest(shards),
        partitions=options.partitions,
        dedup=dedup_params(config, options),
        window_seconds=round(window_days * 86400),
        cluster_window_seconds=round(config.cluster.window_days * 86400),
        join_threshold=config.cluster.join_threshold,
        clusterer=options.clusterer,
        max_bytes=config.ingest.max_bytes,
        fmt=options.fmt,
        time_budget=config.ingest.time_budget,
    )
    out.mkdir(parents=True, exist_ok=True)
    _clear_other_runs(out, fingerprint, ctx.inputs_digest)
    own = executor is None
    ex = executor or make_executor(options.executor, options.workers, address=options.ray_address)
    runner = _Runner(ex, ctx.state, fingerprint, progress)
    try:
        counts = _run_phases(ctx, shards, runner, ctx.corpus_state)
    finally:
        if own:
            ex.close()
    written = {f"{area}/part-{s.key}.{options.fmt}" for s in shards for area in MAP_OUTPUTS}
    written |= {f"duplicates/part-{k}{p:05d}.{options.fmt}" for p in range(options.partitions) for k in "ug"}
    written |= {
        f"stories/part-{'undated' if w == UNDATED_WINDOW else f'w{w:08d}'}.{options.fmt}"
        for w in counts.pop("_windows")
    }
    _remove_stale_outputs(out, written)
    manifest = {
        "version": MANIFEST_VERSION,
        "fingerprint": fingerprint,
        "config_fingerprint": config.fingerprint(),
        "settings": {
            "partitions": options.partitions,
            "window_days": window_days,
            "cluster_window_days": config.cluster.window_days,
            "join_threshold": config.cluster.join_threshold,
            "dedup": {**asdict(ctx.dedup), "lsh_threshold": round(ctx.dedup.lsh_threshold, 3)},
            "clusterer": options.clusterer,
            "format": options.fmt,
        },
        "executor": {"name": ex.name, "workers": ex.workers},
        "inputs": list(inputs),
        "shards": len(shards),
        "counts": counts,
        "timings": {k: round(v, 3) for k, v in runner.timings.items()}
        | {"total": round(time.perf_counter() - t0, 3)},
        "resumed_tasks": {k: v for k, v in runner.skipped.items() if v},
        "outputs": sorted(written),
        "started": started.isoformat(),
        "finished": datetime.now(UTC).isoformat(),
    }
    blob = json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
    atomic_write_bytes(out / "manifest.json", blob.encode("utf-8"))
    return manifest


def _run_phases(
    ctx: RunContext, shards: Sequence[Shard], runner: _Runner, corpus_state: Path
) -> dict[str, Any]:
    mapped = runner.phase("map", [MapTask(s, ctx) for s in shards], run_map)
    keys = tuple(s.key for s in shards)
    runner.state = corpus_state
    parts = [PartTask(ctx, p, keys) for p in range(ctx.partitions)]
    runner.phase("buckets", parts, run_buckets)
    runner.phase("pairs-new", parts, run_pairs_new)
    paired = runner.phase("pairs-other", parts, run_pairs_other)
    verified = runner.phase("pairs-verify", parts, run_pairs_verify)
    dedup_cc = connected_components(ctx, "dedup", runner.phase)
    joined = runner.phase("group-join", parts, run_group_join)
    groups = runner.phase("group-reduce", parts, run_group_reduce)

    shards_of: dict[int, list[str]] = {}
    for shard, summary in zip(shards, mapped, strict=True):
        for window in summary.get("windows", []):
            shards_of.setdefault(int(window), []).append(shard.key)
    windows = sorted(shards_of)
    window_tasks = [WindowTask(ctx, w, tuple(shards_of[w])) for w in windows]
    clustered = runner.phase("windows", window_tasks, run_window)
    dated = [w for w in windows if w != UNDATED_WINDOW]
    pairs = [(a, b) for a, b in pairwise(dated) if b == a + 1]
    boundary_tasks = [WindowTask(ctx, a, tuple(shards_of[a]), b, tuple(shards_of[b])) for a, b in pairs]
    linked = runner.phase("boundaries", boundary_tasks, run_boundary)
    story_cc = connected_components(ctx, "stories", runner.phase, label_layout="window")
    connected_components(ctx, "storylines", runner.phase, label_layout="window")
    finals = runner.phase("finalize", window_tasks, run_finalize)

    by_code: dict[str, int] = {}
    for s in mapped:
        for code, n in s.get("rejected_by_code", {}).items():
            by_code[code] = by_code.get(code, 0) + int(n)
    counts: dict[str, Any] = {
        "read": _sum(mapped, "read"),
        "articles": _sum(mapped, "articles"),
        "mentions": _sum(mapped, "mentions"),
        "quotes": _sum(mapped, "quotes"),
        "rejected": _sum(mapped, "rejected"),
        "rejected_by_code": dict(sorted(by_code.items())),
        "repeated_ids": _sum(mapped, "repeated") + _sum(joined, "repeated"),
        "documents": _sum(joined, "documents"),
        "duplicates": {
            "candidate_pairs": _sum(paired, "candidates"),
            "exact_or_near_links": _sum(paired, "near"),
            "containment_candidates": _sum(paired, "containment_candidates"),
            "verified_containments": _sum(verified, "verified"),
            "cc_rounds": dedup_cc["rounds"],
            "unique": _sum(joined, "unique"),
            "groups": _sum(groups, "groups"),
            "grouped_documents": _sum(groups, "grouped_documents"),
            "exact_members": _sum(groups, "exact_members"),
            "near_members": _sum(groups, "near_members"),
            "contained_members": _sum(groups, "contained_members"),
        },
        "stories": {
            "windows": len(windows),
            "clustered_documents": _sum(clustered, "documents"),
            "window_stories": _sum(clustered, "stories"),
            "boundary_links": _sum(linked, "links"),
            "cc_rounds": story_cc["rounds"],
            "stories": _sum(clustered, "stories") - _sum(linked, "links"),
            "assigned_documents": _sum(finals, "documents"),
        },
        "_windows": windows,
    }
    return counts
