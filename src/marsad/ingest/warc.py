"""WARC / WARC.gz crawls: response records streamed one at a time (see issue: HTML, WARC, feeds)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from marsad import errors
from marsad.records import RawDocument, Rejected


def read_warc(path: Path, *, max_bytes: int) -> Iterator[RawDocument | Rejected]:
    """Placeholder until the WARC reader lands: the file is rejected with a clear reason."""
    yield Rejected(
        stage="ingest",
        code=errors.UNREADABLE,
        record_id=str(path),
        detail=f"{path}: WARC input is not supported yet",
    )
