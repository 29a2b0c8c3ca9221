"""Readers that turn files, directories, JSONL, WARC and feeds into `RawDocument`s."""

from collections.abc import Iterable, Iterator

from marsad.ingest.files import content_id, read_paths
from marsad.records import RawDocument, Rejected


def open_sources(sources: Iterable[str], *, max_bytes: int) -> Iterator[RawDocument | Rejected]:
    """Every document behind `sources`: local paths (files, directories, JSONL, WARC) in order."""
    yield from read_paths(sources, max_bytes=max_bytes)


__all__ = ["content_id", "open_sources", "read_paths"]
