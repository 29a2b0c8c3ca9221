"""Local inputs: files, directories (recursively), JSON and JSONL records, gzip.

A reader yields `RawDocument`s and, for what it cannot read, `Rejected` records naming the file
(and line) and the reason; one bad file or line never stops the batch.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import zlib
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

from marsad import errors
from marsad.boundary import guarded_items
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


class PartialRead(Exception):
    """A compressed file readable only up to a point: `data` is what came out before `reason`."""

    def __init__(self, data: bytes, reason: str) -> None:
        super().__init__(reason)
        self.data = data
        self.reason = reason


_CHUNK = 1 << 20


def _read_bounded(path: Path, gz: bool, max_bytes: int) -> bytes | None:
    """Read at most `max_bytes` (after decompression); None when the file is larger.

    Raises PartialRead (with what was decompressed) when a gzip stream breaks off or is corrupt.
    """
    if not gz:
        with open(path, "rb") as fh:
            data = fh.read(max_bytes + 1)
        return None if len(data) > max_bytes else data
    with open(path, "rb") as raw:
        return _gunzip_bounded(raw, max_bytes)


def _gunzip_bounded(raw: BinaryIO, max_bytes: int) -> bytes | None:
    """All gzip members of `raw`, decompressed, or None past `max_bytes`.

    zlib directly rather than GzipFile: what decompressed before a corrupt byte is kept (PartialRead),
    and the output is bounded at every step, so a zip bomb stops at max_bytes + 1.
    """
    out = bytearray()
    inflater = zlib.decompressobj(wbits=31)
    consumed = 0  # compressed bytes used so far
    member_open = False
    pending = b""
    while len(out) <= max_bytes:
        if not pending:
            pending = raw.read(_CHUNK)
            if not pending:
                break
        if not member_open and not pending.strip(b"\0"):  # zero padding after a member, as gzip allows
            pending = b""
            continue
        try:
            out.extend(inflater.decompress(pending, max_bytes + 1 - len(out)))
        except zlib.error as exc:
            if consumed == 0 and not out:
                raise gzip.BadGzipFile(f"not gzip data ({exc})") from exc
            reason = (
                f"corrupt compressed data near byte {consumed:,} of the file, after {len(out):,}"
                f" decompressed bytes ({exc})"
            )
            raise PartialRead(bytes(out), reason) from exc
        if inflater.eof:
            rest = inflater.unused_data
            inflater = zlib.decompressobj(wbits=31)
            member_open = False
        else:
            rest = inflater.unconsumed_tail
            member_open = True
        consumed += len(pending) - len(rest)
        pending = rest
    if len(out) > max_bytes:
        return None
    if member_open:
        raise PartialRead(
            bytes(out),
            f"compressed stream ends early at byte {consumed:,} of the file, after {len(out):,}"
            " decompressed bytes",
        )
    return bytes(out)


def _records(path: Path, data: bytes, fetched: datetime, *, partial: str | None = None) -> Iterator[Item]:
    """The records of a .json or .jsonl file. `partial`: the file broke off (the reason); its last,
    incomplete line is not read, and the break is rejected with the reason after the good lines."""
    suffix, _ = _suffixes(path)
    if suffix in JSONL_SUFFIXES:
        lines = data.split(b"\n")
        if partial is not None:
            lines = lines[:-1]
        numbered: list[tuple[str, bytes]] = [
            (f"{path}:{n}", line) for n, line in enumerate(lines, start=1) if line.strip()
        ]
        if not numbered and partial is None:
            yield _reject(errors.EMPTY, str(path), "no JSON records: every line is blank")
            return
    elif partial is None:
        numbered = [(str(path), data)]
    else:
        numbered = []
    for where, blob in numbered:
        yield from guarded_items("ingest", where, _line_records(where, blob, fetched))
    if partial is not None:
        yield _reject(errors.TRUNCATED, str(path), f"{partial}; the records before it were read")


def _line_records(where: str, blob: bytes, fetched: datetime) -> Iterator[Item]:
    try:
        value = json_value(blob, where)
    except errors.InputError as exc:
        yield rejected("ingest", exc, where)
        return
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
    if path.is_symlink() and not path.exists():
        yield _reject(errors.UNREADABLE, source, f"symbolic link to a missing file ({os.readlink(path)})")
        return
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
    except PartialRead as broken:
        if suffix in JSONL_SUFFIXES:
            yield from _records(path, broken.data, _mtime(path), partial=broken.reason)
        else:
            # A page or text cut off midway would be stored as if complete: refuse it whole.
            yield _reject(errors.TRUNCATED, source, broken.reason)
        return
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        yield _reject(errors.UNREADABLE, source, f"cannot read: {exc}")
        return
    if data is None:
        yield _reject(errors.TOO_LARGE, source, f"decompressed size is over the {max_bytes:,} byte limit")
        return
    if suffix in JSONL_SUFFIXES or suffix == ".json":
        yield from _records(path, data, _mtime(path))
        return
    hint = (
        "html"
        if suffix in HTML_SUFFIXES or data[:512].lstrip().lower().startswith((b"<!doctype html", b"<html"))
        else "text"
    )
    yield RawDocument(id=content_id(data), source=source, content=data, hint=hint, fetched_at=None)


def _mtime(path: Path) -> datetime:
    return datetime.fromtimestamp(path.stat().st_mtime, UTC)


def walk(root: Path) -> Iterator[Path | Rejected]:
    """Every file under `root` in sorted order, and a Rejected for what is not read: a directory that
    cannot be listed (E106), a hidden file or directory (E112, reported once, never entered)."""
    failures: list[OSError] = []
    for dirpath, dirnames, filenames in os.walk(root, onerror=failures.append):
        while failures:
            exc = failures.pop(0)
            where = str(exc.filename or dirpath)
            yield _reject(errors.UNREADABLE, where, f"cannot list directory: {exc.strerror or exc}")
        hidden = sorted(d for d in dirnames if d.startswith("."))
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in hidden:
            yield _reject(errors.HIDDEN, str(Path(dirpath) / name), "hidden directory not read")
        for name in sorted(filenames):
            if name.startswith("."):
                yield _reject(
                    errors.HIDDEN, str(Path(dirpath) / name), "hidden file not read (name it to ingest it)"
                )
            else:
                yield Path(dirpath) / name
    for exc in failures:
        yield _reject(errors.UNREADABLE, str(exc.filename or root), f"cannot list directory: {exc.strerror}")


def read_paths(paths: Iterable[str | Path], *, max_bytes: int = 20_000_000) -> Iterator[Item]:
    """Documents from files and directories (walked recursively, in sorted order). Whatever one
    file raises becomes a Rejected naming it, and the next file is read."""
    for entry in paths:
        path = Path(entry)
        if path.is_dir():
            for found in walk(path):
                if isinstance(found, Rejected):
                    yield found
                else:
                    yield from guarded_items("ingest", str(found), read_file(found, max_bytes=max_bytes))
        elif path.exists() or path.is_symlink():
            yield from guarded_items("ingest", str(path), read_file(path, max_bytes=max_bytes))
        else:
            yield _reject(errors.UNREADABLE, str(path), "no such file or directory")
