"""Local inputs: files, directories (recursively), JSON and JSONL records, gzip.

A reader yields `RawDocument`s and, for what it cannot read, `Rejected` records naming the file
(and line) and the reason; one bad file or line never stops the batch.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from marsad import errors
from marsad.ingest.jsonline import json_value, rejected
from marsad.records import RawDocument, Rejected

TEXT_SUFFIXES = {".txt", ".text", ".md", ""}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
WARC_SUFFIXES = {".warc", ".arc"}

Item = RawDocument | Rejected


def content_id(content: bytes) -> str:
    """The document id: the first 16 hex digits of the SHA-256 of the raw bytes."""
    return hashlib.sha256(content).hexdigest()[:16]


def _reject(code: str, record: str, detail: str) -> Rejected:
    return Rejected(stage="ingest", code=code, record_id=record, detail=f"{record}: {detail}")


def _suffixes(path: Path) -> tuple[str, bool]:
    """The meaningful suffix (lower case) and whether the file is gzip-compressed."""
    name = path.name.lower()
    gz = name.endswith(".gz")
    if gz:
        name = name[:-3]
    return Path(name).suffix, gz


def _read_bounded(path: Path, gz: bool, max_bytes: int) -> bytes | None:
    """Read at most `max_bytes` (after decompression); None when the file is larger."""
    opener = gzip.open if gz else open
    with opener(path, "rb") as fh:
        data = fh.read(max_bytes + 1)
    return None if len(data) > max_bytes else data


def _records(path: Path, data: bytes, fetched: datetime) -> Iterator[Item]:
    suffix, _ = _suffixes(path)
    if suffix in JSONL_SUFFIXES:
        lines = data.split(b"\n")
        numbered: Iterable[tuple[str, bytes]] = (
            (f"{path}:{n}", line) for n, line in enumerate(lines, start=1) if line.strip()
        )
    else:
        numbered = [(str(path), data)]
    for where, blob in numbered:
        try:
            value = json_value(blob, where)
        except errors.InputError as exc:
            yield rejected("ingest", exc, where)
            continue
        items = value if isinstance(value, list) else [value]
        for i, item in enumerate(items):
            label = where if len(items) == 1 else f"{where}[{i}]"
            if not isinstance(item, dict):
                yield _reject(errors.BAD_RECORD, label, f"expected a JSON object, got {type(item).__name__}")
                continue
            yield record_document(item, label, fetched)


def record_document(item: dict[str, Any], source: str, fetched: datetime | None = None) -> RawDocument:
    """A JSON record ({id, text|html, title, published, outlet, url, language}) as a RawDocument."""
    canonical = json.dumps(item, ensure_ascii=False, sort_keys=True).encode("utf-8")
    url = item.get("url") if isinstance(item.get("url"), str) else None
    outlet = item.get("outlet") if isinstance(item.get("outlet"), str) else None
    return RawDocument(
        id=content_id(canonical),
        source=source,
        content=canonical,
        hint="record",
        url=url,
        outlet=outlet,
        fetched_at=fetched,
        fields=item,
    )


def read_file(path: Path, *, max_bytes: int) -> Iterator[Item]:
    """Documents from one file, or a Rejected naming the file and the reason."""
    source = str(path)
    suffix, gz = _suffixes(path)
    try:
        size = path.stat().st_size
        if size == 0:
            yield _reject(errors.EMPTY, source, "empty file")
            return
        if size > max_bytes and not gz:
            yield _reject(
                errors.TOO_LARGE,
                source,
                f"file is {size:,} bytes, over the {max_bytes:,} byte limit"
                " (raise ingest.max_bytes in your config to accept it)",
            )
            return
        if suffix in WARC_SUFFIXES:
            from marsad.ingest.warc import read_warc

            yield from read_warc(path, max_bytes=max_bytes)
            return
        data = _read_bounded(path, gz, max_bytes)
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        yield _reject(errors.UNREADABLE, source, f"cannot read: {exc}")
        return
    if data is None:
        yield _reject(errors.TOO_LARGE, source, f"decompressed size is over the {max_bytes:,} byte limit")
        return
    fetched = datetime.fromtimestamp(path.stat().st_mtime, UTC)
    if suffix in JSONL_SUFFIXES or suffix == ".json":
        yield from _records(path, data, fetched)
        return
    hint = (
        "html"
        if suffix in HTML_SUFFIXES or data[:512].lstrip().lower().startswith((b"<!doctype html", b"<html"))
        else "text"
    )
    yield RawDocument(id=content_id(data), source=source, content=data, hint=hint, fetched_at=None)


def _walk(root: Path) -> Iterator[Path]:
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if not name.startswith("."):
                yield Path(dirpath) / name


def read_paths(paths: Iterable[str | Path], *, max_bytes: int = 20_000_000) -> Iterator[Item]:
    """Documents from files and directories (walked recursively, in sorted order)."""
    for entry in paths:
        path = Path(entry)
        if path.is_dir():
            for file in _walk(path):
                yield from read_file(file, max_bytes=max_bytes)
        elif path.exists():
            yield from read_file(path, max_bytes=max_bytes)
        else:
            yield _reject(errors.UNREADABLE, str(path), "no such file or directory")
