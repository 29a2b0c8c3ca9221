"""Inputs cut into shards: independent units of map work, each read on its own by any worker.

A shard is one file, a byte range of a large JSONL file (split on line boundaries), or a range of
row groups of a Parquet file. Paths are local or any fsspec URL (s3://, gs://, http://, ...).
A shard's key hashes its location and size, so a re-run recognises shards it has already done.
"""

from __future__ import annotations

import hashlib
import importlib
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

import pyarrow as pa

from marsad import errors
from marsad.errors import InputError, MissingExtraError
from marsad.ingest.files import read_file, record_document, walk
from marsad.ingest.jsonline import json_object, rejected
from marsad.records import RawDocument, Rejected

JSONL_SUFFIXES = (".jsonl", ".ndjson")
PARQUET_SUFFIXES = (".parquet", ".pq")

Item = RawDocument | Rejected


@dataclass(slots=True, frozen=True)
class Shard:
    """One unit of map work. `start`/`end` are bytes (jsonl) or row groups (parquet); else 0/0."""

    url: str
    kind: str  # "jsonl", "parquet" or "file"
    start: int = 0
    end: int = 0
    size: int = 0

    @property
    def key(self) -> str:
        blob = f"{self.url}|{self.kind}|{self.start}|{self.end}|{self.size}".encode()
        return hashlib.sha256(blob).hexdigest()[:16]

    def describe(self) -> str:
        return self.url if self.kind == "file" else f"{self.url}[{self.start}:{self.end}]"


def _is_url(path: str) -> bool:
    return "://" in path and not path.startswith("file://")


def _fs(url: str) -> tuple[Any, str]:
    try:
        fsspec: Any = importlib.import_module("fsspec")
    except ImportError:
        raise MissingExtraError("fsspec", "ray") from None
    fs, path = fsspec.core.url_to_fs(url)
    return fs, path


def _kind(name: str) -> str:
    if name.startswith(SKIPPED):
        return "skipped"
    lower = name.lower()
    if lower.endswith(JSONL_SUFFIXES):
        return "jsonl"
    if lower.endswith(PARQUET_SUFFIXES):
        return "parquet"
    return "file"


def _files(entry: str) -> list[tuple[str, int]]:
    """(location, size) of every file behind `entry`, sorted; hidden files skipped."""
    if _is_url(entry):
        fs, path = _fs(entry)
        protocol = entry.split("://", 1)[0]
        found = fs.find(path, detail=True) if fs.isdir(path) else {path: fs.info(path)}
        return sorted(
            (f"{protocol}://{p}", int(info.get("size") or 0))
            for p, info in found.items()
            if not Path(p).name.startswith(".")
        )
    root = Path(entry.removeprefix("file://"))
    if root.is_dir():
        out = []
        for found in walk(root):
            if isinstance(found, Rejected):
                # Not read, but reported by the map task: "skipped:CODE:reason" is not a real path.
                out.append((f"{SKIPPED}{found.code}:{found.record_id}", 0))
            else:
                out.append((str(found), _size(found)))
        return sorted(out)
    if not root.exists():
        raise InputError(f"{entry}: no such file or directory", code=errors.UNREADABLE)
    return [(str(root), root.stat().st_size)]


SKIPPED = "skipped:"


def _size(path: Path) -> int:
    """The file's size; 0 when it cannot be stat'ed (a dangling link): its reader says why."""
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _parquet_shards(url: str, size: int, shard_bytes: int) -> list[Shard]:
    import pyarrow.parquet as pq

    with _open(url) as fh:
        meta = pq.ParquetFile(fh).metadata
    shards, start, acc = [], 0, 0
    for rg in range(meta.num_row_groups):
        acc += meta.row_group(rg).total_byte_size
        if acc >= shard_bytes:
            shards.append(Shard(url, "parquet", start, rg + 1, size))
            start, acc = rg + 1, 0
    if start < meta.num_row_groups or not shards:
        shards.append(Shard(url, "parquet", start, meta.num_row_groups, size))
    return shards


def list_shards(
    inputs: Sequence[str], *, shard_bytes: int = 64 << 20, exclude: Path | None = None
) -> list[Shard]:
    """Every shard behind `inputs`, in input order then path order. Raises InputError for a missing
    path; large plain JSONL files are cut into byte ranges of about `shard_bytes`. Local files under
    `exclude` (the run's own output directory) are left out."""
    shards: list[Shard] = []
    skip = exclude.resolve() if exclude is not None else None
    for entry in inputs:
        for url, size in _files(entry):
            if (
                skip is not None
                and not _is_url(url)
                and not url.startswith(SKIPPED)
                and Path(url).resolve().is_relative_to(skip)
            ):
                continue
            kind = _kind(url)
            if kind == "jsonl" and size > shard_bytes:
                shards.extend(
                    Shard(url, kind, s, min(s + shard_bytes, size), size) for s in range(0, size, shard_bytes)
                )
            elif kind == "jsonl":
                shards.append(Shard(url, kind, 0, size, size))
            elif kind == "parquet":
                shards.extend(_parquet_shards(url, size, shard_bytes))
            else:
                shards.append(Shard(url, kind, 0, 0, size))
    return shards


def _open(url: str) -> IO[bytes]:
    if _is_url(url):
        fs, path = _fs(url)
        handle: IO[bytes] = fs.open(path, "rb")
        return handle
    return open(url.removeprefix("file://"), "rb")


def _reject(code: str, record: str, detail: str) -> Rejected:
    return Rejected(stage="ingest", code=code, record_id=record, detail=f"{record}: {detail}")


def _jsonl_records(shard: Shard, max_bytes: int) -> Iterator[Item]:
    with _open(shard.url) as fh:
        pos = shard.start
        if pos > 0:
            # The line that straddles `start` belongs to the previous shard: skip to its end.
            fh.seek(pos - 1)
            pos += len(fh.readline()) - 1
        while pos < shard.end:
            line = fh.readline(max_bytes + 1)
            if not line:
                break
            where = f"{shard.url}@{pos}"
            pos += len(line)
            if len(line) > max_bytes and not line.endswith(b"\n"):
                rest = fh.readline()
                while rest and not rest.endswith(b"\n"):
                    pos += len(rest)
                    rest = fh.readline()
                pos += len(rest)
                yield _reject(errors.TOO_LARGE, where, f"line is over the {max_bytes:,} byte limit")
                continue
            if not line.strip():
                continue
            yield _json_record(line, where)


def _json_record(line: bytes, where: str) -> Item:
    try:
        return record_document(json_object(line, where), where)
    except InputError as exc:
        return rejected("ingest", exc, where)


def _plain(value: Any) -> Any:
    """Parquet cell values as the JSON types a record holds (dates become ISO 8601 strings)."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _parquet_records(shard: Shard) -> Iterator[Item]:
    import pyarrow.parquet as pq

    with _open(shard.url) as fh:
        pf = pq.ParquetFile(fh)
        for rg in range(shard.start, shard.end):
            table = pf.read_row_group(rg)
            for n, row in enumerate(table.to_pylist()):
                where = f"{shard.url}#rg{rg}:{n}"
                yield record_document({k: _plain(v) for k, v in row.items() if v is not None}, where)


def _file_records(shard: Shard, max_bytes: int) -> Iterator[Item]:
    if not _is_url(shard.url):
        yield from read_file(Path(shard.url.removeprefix("file://")), max_bytes=max_bytes)
        return
    if shard.size > max_bytes and not shard.url.endswith(".gz"):
        yield _reject(errors.TOO_LARGE, shard.url, f"file is {shard.size:,} bytes, over {max_bytes:,}")
        return
    # Remote single files (WARC, HTML, text) go through the local readers from a temporary copy.
    suffix = "".join(Path(shard.url).suffixes[-2:])
    with tempfile.TemporaryDirectory(prefix="marsad-shard-") as tmp:
        local = Path(tmp) / f"input{suffix}"
        try:
            with _open(shard.url) as src, open(local, "wb") as dst:
                while chunk := src.read(1 << 20):
                    dst.write(chunk)
        except OSError as exc:
            yield _reject(errors.UNREADABLE, shard.url, f"cannot read: {exc}")
            return
        for item in read_file(local, max_bytes=max_bytes):
            yield _relabel(item, shard.url, str(local))


def _relabel(item: Item, url: str, local: str) -> Item:
    if isinstance(item, Rejected):
        return Rejected(
            item.stage, item.code, item.record_id.replace(local, url), item.detail.replace(local, url)
        )
    from dataclasses import replace

    return replace(item, source=item.source.replace(local, url))


def read_shard(shard: Shard, *, max_bytes: int) -> Iterator[Item]:
    """Every document of `shard`, or a Rejected naming the file (and offset) and the reason."""
    if shard.kind == "skipped":
        code, path = shard.url.removeprefix(SKIPPED).split(":", 1)
        reason = "hidden, not read" if code == errors.HIDDEN else "cannot be listed"
        yield _reject(code, path, reason)
        return
    try:
        if shard.kind == "jsonl":
            yield from _jsonl_records(shard, max_bytes)
        elif shard.kind == "parquet":
            yield from _parquet_records(shard)
        else:
            yield from _file_records(shard, max_bytes)
    except (OSError, pa.ArrowException) as exc:
        yield _reject(errors.UNREADABLE, shard.describe(), f"cannot read: {exc}")
