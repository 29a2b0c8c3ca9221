"""Partitioned intermediate files and done-markers in the work directory.

Every file is written to a temporary name and renamed into place, so a reader never sees half a
file and a task killed mid-write leaves nothing that a redo does not overwrite. Names are
deterministic (step, partition, producing task), so a redone task replaces its own files and
nothing is counted twice. A missing partition file means "this producer had no rows for it".
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file in the same directory and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_table(path: Path, table: pa.Table) -> None:
    """Write `table` as Parquet at `path`, atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        pq.write_table(table, tmp, compression="zstd")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_jsonl(path: Path, rows: Iterable[dict[str, Any]]) -> None:
    """Write `rows` as UTF-8 JSON lines (Arabic as characters), atomically."""
    text = "".join(json.dumps(r, ensure_ascii=False, default=str) + "\n" for r in rows)
    atomic_write_bytes(path, text.encode("utf-8"))


def write_output(path_stem: Path, table: pa.Table, fmt: str) -> Path:
    """A final output file: `<stem>.parquet` or `<stem>.jsonl`. Returns the path written."""
    if fmt == "jsonl":
        path = path_stem.with_suffix(".jsonl")
        write_jsonl(path, table.to_pylist())
    else:
        path = path_stem.with_suffix(".parquet")
        write_table(path, table)
    return path


def read_tables(paths: Iterable[Path], schema: pa.Schema) -> pa.Table:
    """Concatenate the Parquet files that exist among `paths` (an empty table when none do)."""
    tables = [pq.read_table(p) for p in paths if p.exists()]
    if not tables:
        return schema.empty_table()
    return pa.concat_tables([t.select(schema.names).cast(schema) for t in tables])


def partition_of(keys: np.ndarray[Any, Any], partitions: int) -> np.ndarray[Any, Any]:
    """The partition of each uint64 key: a multiplicative hash, so sequential ids spread evenly."""
    mixed = keys.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)
    return ((mixed >> np.uint64(32)) % np.uint64(partitions)).astype(np.int64)


def scatter(table: pa.Table, parts: np.ndarray[Any, Any]) -> dict[int, pa.Table]:
    """Split `table` by the partition number of each row."""
    if table.num_rows == 0:
        return {}
    order = np.argsort(parts, kind="stable")
    sorted_parts = parts[order]
    bounds = np.flatnonzero(np.diff(sorted_parts)) + 1
    starts = np.concatenate([[0], bounds])
    ends = np.concatenate([bounds, [len(order)]])
    taken = table.take(pa.array(order))
    return {int(sorted_parts[s]): taken.slice(int(s), int(e - s)) for s, e in zip(starts, ends, strict=True)}


class MarkerBook:
    """Done-markers of one phase: `<root>/<phase>/<task>.json`, each holding the task's summary."""

    def __init__(self, root: Path, phase: str, fingerprint: str) -> None:
        self.dir = root / phase
        self.fingerprint = fingerprint

    def _path(self, task: str) -> Path:
        return self.dir / f"{task}.json"

    def get(self, task: str) -> dict[str, Any] | None:
        """The summary recorded for `task` under this fingerprint, or None (not done or stale)."""
        path = self._path(task)
        try:
            data = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict) or data.get("fingerprint") != self.fingerprint:
            return None
        summary = data.get("summary")
        return summary if isinstance(summary, dict) else None

    def put(self, task: str, summary: dict[str, Any]) -> None:
        """Record `task` as done with `summary`, atomically (the last thing a task does)."""
        blob = json.dumps({"fingerprint": self.fingerprint, "summary": summary}, ensure_ascii=False)
        atomic_write_bytes(self._path(task), blob.encode("utf-8"))
