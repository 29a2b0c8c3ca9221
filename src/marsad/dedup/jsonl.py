"""`marsad dedup IN.jsonl -o OUT.jsonl`: group exact, near and contained copies in a JSONL file.

IN records: `{"id", "text" | "html", "title"?, "published"?, ...}`. The body that is compared is
the article body: a `text` goes through the dump parser (ad placeholders, agency credits, site
disclaimers and comment sections removed), an `html` page through the article extractor; the
title never counts. OUT: one `{"id", "group_id", "kind"}` per good input record, in input order;
`group_id` is the id of the group's canonical (earliest) member, `kind` one of exact, near,
contained (the member's strongest link in its group) or unique.

Bad lines (invalid JSON, no id, repeated id, no text, too large, bad date) are reported as
`Rejected` naming `file:line` and the reason; the other lines are processed.
"""

from __future__ import annotations

import json
import os
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache, partial
from pathlib import Path
from typing import IO, Any

from marsad import errors
from marsad.boundary import guarded
from marsad.dedup.index import MemoryDedupIndex
from marsad.dedup.params import DedupParams
from marsad.dedup.sketch import BATCH, SketchBatch, Sketcher
from marsad.extract.dump import parse_dump
from marsad.ingest.jsonline import json_object, record_id
from marsad.records import Rejected
from marsad.text.arabic import normalize

MAX_CHARS = 2_000_000


@dataclass(slots=True)
class DedupRun:
    """What one run produced: output rows in input order and the rejected lines."""

    rows: list[dict[str, str]] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    groups: int = 0


@dataclass(slots=True, frozen=True)
class _Record:
    id: str
    body: str
    published: str | None
    offset: int


def record_body(item: dict[str, Any], where: str) -> str:
    """The comparable body of a JSON record (see the module docstring). Raises InputError."""
    text, html = item.get("text"), item.get("html")
    if isinstance(text, str) and text.strip():
        if len(text) > MAX_CHARS:
            raise errors.InputError(
                f"{where}: 'text' has {len(text)} characters, over {MAX_CHARS}", code=errors.TOO_LARGE
            )
        paragraphs = parse_dump(text, has_title=False).paragraphs
        return "\n\n".join(paragraphs) if paragraphs else text
    if isinstance(html, str) and html.strip():
        if len(html) > 10 * MAX_CHARS:
            raise errors.InputError(
                f"{where}: 'html' is over {10 * MAX_CHARS} characters", code=errors.TOO_LARGE
            )
        from marsad.extract.html import extract_html
        from marsad.ingest.files import record_document

        return extract_html(record_document(item, where), html).body
    raise errors.InputError(
        f"{where}: record needs a non-empty 'text' or 'html' string", code=errors.BAD_RECORD
    )


def published_key(value: Any, where: str) -> str | None:
    """An optional date as UTC ISO 8601 (comparable as text); naive dates are taken as UTC."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise errors.InputError(f"{where}: 'published' must be an ISO 8601 string", code=errors.BAD_RECORD)
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise errors.InputError(
            f"{where}: 'published' is not an ISO 8601 date: {value[:40]!r}", code=errors.BAD_RECORD
        ) from exc
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC).isoformat()


def _parse_line(line: bytes, where: str, offset: int) -> _Record:
    item = json_object(line, where)
    rid = record_id(item, where)
    return _Record(rid, record_body(item, where), published_key(item.get("published"), where), offset)


Line = tuple[int, int, bytes]  # line number, byte offset, raw line


@dataclass(slots=True)
class _Prepared:
    """One chunk of lines parsed, normalized and sketched (in a worker process or in place)."""

    records: list[tuple[str, str | None, int, int]]  # id, published, offset, line number
    rejected: list[Rejected]
    sketch: SketchBatch


@cache
def _sketcher(params: DedupParams) -> Sketcher:
    return Sketcher(params)


def _normalized(line: bytes, where: str, offset: int) -> tuple[_Record, str]:
    record = _parse_line(line, where, offset)
    return record, normalize(record.body)


def _prepare(lines: list[Line], source: str, params: DedupParams) -> _Prepared:
    records: list[tuple[str, str | None, int, int]] = []
    rejected: list[Rejected] = []
    texts: list[str] = []
    wheres: list[str] = []
    for number, offset, line in lines:
        where = f"{source}:{number}"
        # Whatever one line raises (a bad input, or a bug) is that line's Rejected (marsad.boundary).
        done = guarded("dedup", where, partial(_normalized, line, where, offset))
        if isinstance(done, Rejected):
            rejected.append(done)
            continue
        record, text = done
        records.append((record.id, record.published, offset, number))
        texts.append(text)
        wheres.append(where)
    sketcher = _sketcher(params)
    whole = guarded("dedup", source, partial(sketcher.sketch_normalized, texts))
    if not isinstance(whole, Rejected):
        return _Prepared(records, rejected, whole)
    # A text the sketcher cannot take: found by sketching one at a time, and rejected alone.
    keep: list[int] = []
    for i, text in enumerate(texts):
        alone = guarded("dedup", wheres[i], partial(sketcher.sketch_normalized, [text]))
        if isinstance(alone, Rejected):
            rejected.append(alone)
        else:
            keep.append(i)
    return _Prepared(
        [records[i] for i in keep], rejected, sketcher.sketch_normalized([texts[i] for i in keep])
    )


def _chunks(handle: IO[bytes]) -> Iterator[list[Line]]:
    chunk: list[Line] = []
    offset = 0
    for number, line in enumerate(handle, start=1):
        if line.strip():
            chunk.append((number, offset, line))
            if len(chunk) >= BATCH:
                yield chunk
                chunk = []
        offset += len(line)
    if chunk:
        yield chunk


def _prepared(handle: IO[bytes], source: str, params: DedupParams, workers: int) -> Iterator[_Prepared]:
    """Chunks in file order; with workers > 1, parsed ahead by a bounded process pool."""
    if workers <= 1:
        for chunk in _chunks(handle):
            yield _prepare(chunk, source, params)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        ahead: deque[Future[_Prepared]] = deque()
        for chunk in _chunks(handle):
            ahead.append(pool.submit(_prepare, chunk, source, params))
            if len(ahead) >= 3 * workers:  # bounded: memory stays flat on any file size
                yield ahead.popleft().result()
        while ahead:
            yield ahead.popleft().result()


def default_workers(path: Path) -> int:
    """Two worker processes on a multi-core machine for files worth it (the parse is the cost)."""
    cores = os.cpu_count() or 1
    return min(2, cores) if path.stat().st_size > 4_000_000 else 1


def dedup_jsonl(
    path: Path,
    params: DedupParams | None = None,
    *,
    workers: int | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> DedupRun:
    """Group the duplicates of the JSONL file at `path` (streamed in batches; see module docstring).

    Lines are parsed, normalized and sketched by `workers` processes (default: `default_workers`);
    matching and grouping run in this process, in file order, so the result never depends on it.
    `on_progress` is called with the number of lines read so far after each batch.
    """
    params = params or DedupParams()
    run = DedupRun()
    ids: list[str] = []
    offsets: list[int] = []
    seen: set[str] = set()
    with path.open("rb") as handle, path.open("rb") as reread:

        def load(i: int) -> str | None:
            reread.seek(offsets[i])
            # Read and parsed once already: should it raise now, the pair is simply not confirmed.
            text = guarded(
                "dedup",
                f"{path}:{i}",
                lambda: normalize(record_body(json.loads(reread.readline()), f"{path}:{i}")),
            )
            return None if isinstance(text, Rejected) else text

        index = MemoryDedupIndex(params, loader=load)
        count = default_workers(path) if workers is None else workers
        lines = 0
        for part in _prepared(handle, str(path), params, count):
            lines += len(part.records) + len(part.rejected)
            run.rejected.extend(part.rejected)
            keep: list[int] = []
            for i, (rid, _published, _offset, number) in enumerate(part.records):
                if rid in seen:
                    where = f"{path}:{number}"
                    detail = f"[{errors.BAD_RECORD}] {where}: id {rid!r} repeats an earlier record"
                    run.rejected.append(Rejected("dedup", errors.BAD_RECORD, where, detail))
                    continue
                seen.add(rid)
                keep.append(i)
            sketch = part.sketch if len(keep) == len(part.records) else part.sketch.take(keep)
            for i in keep:  # before matching: the loader may re-read this chunk's lines
                ids.append(part.records[i][0])
                offsets.append(part.records[i][2])
            index.add_sketches(sketch, [part.records[i][1] for i in keep])
            if on_progress is not None:
                on_progress(lines)
        for i, rid in enumerate(ids):
            run.rows.append({"id": rid, "group_id": ids[index.canonical(i)], "kind": index.kind(i)})
        run.groups = len(index.groups())
    return run
