"""Readers that turn files, directories, JSONL, WARC and feeds into `RawDocument`s."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from marsad.ingest.files import content_id, read_paths
from marsad.records import RawDocument, Rejected

if TYPE_CHECKING:  # httpx is imported only when a URL is actually fetched
    from marsad.ingest.fetch import PoliteFetcher


def is_url(source: str) -> bool:
    """Whether `source` names an http(s) URL rather than a local path."""
    return source.lower().startswith(("http://", "https://"))


def open_sources(
    sources: Iterable[str],
    *,
    max_bytes: int,
    allow_private: bool = False,
    fetcher: PoliteFetcher | None = None,
    budget: float | None = None,
) -> Iterator[RawDocument | Rejected]:
    """Every document behind `sources`, in order: local paths (files, directories, JSONL, WARC)
    through `read_paths`; http(s) URLs (feeds, or single pages) and feed-list files (.opml, or a
    text file of URLs) through the polite feed reader.

    `fetcher` carries the politeness state (rate limits, robots.txt, conditional GET); without
    one, a fetcher is made for this call with `allow_private` and a `max_bytes` body cap. `budget`:
    the seconds parsing one feed may take (0: no limit; None: the default `ingest.time_budget`; the
    documents' own budget is the pipeline's).
    """
    from marsad.config import IngestConfig
    from marsad.errors import InputError
    from marsad.ingest.feeds import FeedReader, is_feed_list, read_feed_list
    from marsad.ingest.fetch import PoliteFetcher
    from marsad.ingest.policy import FetchPolicy

    own: PoliteFetcher | None = None
    reader: FeedReader | None = None

    def feed_reader() -> FeedReader:
        nonlocal own, reader
        if reader is None:
            active = fetcher
            if active is None:
                active = own = PoliteFetcher(FetchPolicy(allow_private=allow_private, max_bytes=max_bytes))
            reader = FeedReader(active, budget=IngestConfig().time_budget if budget is None else budget)
        return reader

    try:
        for source in sources:
            if is_url(source):
                yield from feed_reader().read(source)
            elif is_feed_list(Path(source)):
                try:
                    urls = read_feed_list(Path(source))
                except InputError as exc:
                    yield Rejected(stage="ingest", code=exc.code, record_id=source, detail=str(exc))
                    continue
                for url in urls:
                    yield from feed_reader().read(url)
            else:
                yield from read_paths([source], max_bytes=max_bytes)
    finally:
        if own is not None:
            own.close()


__all__ = ["content_id", "is_url", "open_sources", "read_paths"]
