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
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from marsad import errors
from marsad.dedup.index import MemoryDedupIndex
from marsad.dedup.params import DedupParams
from marsad.dedup.sketch import BATCH
from marsad.extract.dump import parse_dump
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
    try:
        item = json.loads(line)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise errors.InputError(f"{where}: not valid JSON: {exc}", code=errors.BAD_JSON) from exc
    if not isinstance(item, dict):
        raise errors.InputError(
            f"{where}: expected a JSON object, got {type(item).__name__}", code=errors.BAD_RECORD
        )
    rid = item.get("id")
    if isinstance(rid, bool) or not isinstance(rid, str | int) or str(rid) == "":
        raise errors.InputError(f"{where}: record needs an 'id' (string or integer)", code=errors.BAD_RECORD)
    return _Record(str(rid), record_body(item, where), published_key(item.get("published"), where), offset)


def _lines(handle: IO[bytes]) -> Iterator[tuple[int, int, bytes]]:
    offset = 0
    for number, line in enumerate(handle, start=1):
        yield number, offset, line
        offset += len(line)


def dedup_jsonl(path: Path, params: DedupParams | None = None) -> DedupRun:
    """Group the duplicates of the JSONL file at `path` (streamed in batches; see module docstring)."""
    run = DedupRun()
    ids: list[str] = []
    offsets: list[int] = []
    seen: set[str] = set()
    with path.open("rb") as handle, path.open("rb") as reread:

        def load(i: int) -> str | None:
            reread.seek(offsets[i])
            try:
                item = json.loads(reread.readline())
                return normalize(record_body(item, f"{path}:{i}"))
            except (errors.InputError, ValueError):
                return None

        index = MemoryDedupIndex(params, loader=load)
        pending: list[_Record] = []

        def flush() -> None:
            index.add_normalized([normalize(r.body) for r in pending], [r.published for r in pending])
            for r in pending:
                ids.append(r.id)
                offsets.append(r.offset)
            pending.clear()

        for number, offset, line in _lines(handle):
            if not line.strip():
                continue
            where = f"{path}:{number}"
            try:
                record = _parse_line(line, where, offset)
                if record.id in seen:
                    raise errors.InputError(
                        f"{where}: id {record.id!r} repeats an earlier record", code=errors.BAD_RECORD
                    )
            except errors.InputError as exc:
                run.rejected.append(Rejected("dedup", exc.code, where, str(exc)))
                continue
            seen.add(record.id)
            pending.append(record)
            if len(pending) >= BATCH:
                flush()
        if pending:
            flush()
        for i, rid in enumerate(ids):
            run.rows.append({"id": rid, "group_id": ids[index.canonical(i)], "kind": index.kind(i)})
        run.groups = len(index.groups())
    return run
