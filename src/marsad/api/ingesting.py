"""Ingest from the API: one URL or one JSON document through the same pipeline as `marsad ingest`.

The story clusterer lives as long as the app. Before each ingest it catches up, in arrival order, with
every story assignment it has not seen (made by this app, `marsad ingest`, or another process), so an
API ingest joins the same stories the CLI would.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from urllib.parse import urlsplit

from marsad.api.problems import BAD_REQUEST, UNAVAILABLE, Problem
from marsad.api.schemas import DocumentIn, IngestedOut, IngestOut, RejectedOut
from marsad.cluster.base import StoryClusterer
from marsad.errors import STORE_LOCKED, StoreError
from marsad.ingest import open_sources
from marsad.ingest.files import record_document
from marsad.pipeline import ArticleStep, ingest, last_seq, refresh_changed_comparisons, restore_clusterer
from marsad.records import RawDocument, Rejected
from marsad.store import Store
from marsad.store import articles as article_repo
from marsad.store import stories as story_repo
from marsad.store.lock import WriterLock


def check_url(url: str) -> str:
    """`url` when it is an absolute http(s) URL with a host; raises Problem (422) otherwise."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:  # an unclosed "[" of an IPv6 host, and the like
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        raise Problem(
            422, BAD_REQUEST, f"'url' must be an absolute http:// or https:// URL, got {url[:200]!r}"
        )
    return url.strip()


class IngestService:
    """Runs the ingest pipeline for API requests; callers hold the app's writer `Store`.

    Each request also takes the store's writer lock (shared with `marsad ingest` and `marsad watch`
    in other processes) for at most `lock_wait` seconds, then answers 503; `budget` is the time in
    seconds each document's extraction may take. The stories a request changed are compared before
    the lock goes (within `compare_budget` seconds, up to `compare_max_articles` articles), so their
    pages are served from the store.
    """

    def __init__(
        self,
        clusterer_factory: Callable[[], StoryClusterer],
        *,
        steps: Sequence[ArticleStep] = (),
        max_bytes: int,
        allow_private: bool = False,
        lock_wait: float = 10.0,
        budget: float | None = 15.0,
        compare_max_articles: int = 12,
        compare_budget: float = 0.0,
    ) -> None:
        self.compare_max_articles = compare_max_articles
        self.compare_budget = compare_budget
        self.lock_wait = lock_wait
        self.budget = budget
        self._factory = clusterer_factory
        self._steps = list(steps)
        self.allow_private = allow_private
        self._clusterer: StoryClusterer | None = None
        self._seen_seq = 0
        self.max_bytes = max_bytes

    def _catch_up(self, store: Store) -> StoryClusterer:
        """The clusterer, fed every assignment stored since it last looked."""
        if self._clusterer is None:
            self._clusterer = self._factory()
        self._seen_seq = restore_clusterer(store, self._clusterer, after_seq=self._seen_seq)
        return self._clusterer

    def _run(self, store: Store, items: list[RawDocument | Rejected]) -> IngestOut:
        try:
            with WriterLock(store.path, wait=self.lock_wait):
                clusterer = self._catch_up(store)
                report = ingest(store, items, clusterer, steps=self._steps, budget=self.budget)
                # The clusterer assigned these itself: move past them without restoring them twice.
                self._seen_seq = last_seq(store)
                # Compared now, so the story page of what was just ingested is served from the store.
                refresh_changed_comparisons(
                    store, report, max_articles=self.compare_max_articles, budget=self.compare_budget
                )
        except StoreError as exc:
            if exc.code != STORE_LOCKED:
                raise
            raise Problem(
                503, UNAVAILABLE, f"{exc.args[0]}; retry later", headers={"Retry-After": "30"}
            ) from exc
        stored = [
            IngestedOut(article_id=i.id, story_id=story_repo.story_of(store, i.id))
            for i in items
            if isinstance(i, RawDocument) and article_repo.has_document(store, i.id)
        ]
        return IngestOut(
            seen=report.seen,
            added=report.added,
            already_stored=report.skipped,
            new_stories=report.new_stories,
            articles=stored,
            rejected=[
                RejectedOut(stage=r.stage, code=r.code, record_id=r.record_id, detail=r.detail)
                for r in report.rejected
            ],
        )

    def ingest_document(self, store: Store, document: DocumentIn) -> IngestOut:
        """Store one JSON document (the JSONL record fields) and assign its story."""
        fields = document.model_dump(exclude_none=True)
        source = f"api:{document.id}" if document.id else "api:document"
        raw = record_document(fields, source, datetime.now(UTC))
        if len(raw.content) > self.max_bytes:
            raise Problem(
                413,
                BAD_REQUEST,
                f"the document is {len(raw.content):,} bytes, over the {self.max_bytes:,} byte ingest limit",
            )
        return self._run(store, [raw])

    def ingest_url(self, store: Store, url: str) -> IngestOut:
        """Fetch and store what `url` serves (a page or a feed) through marsad's own readers."""
        items = list(
            open_sources([check_url(url)], max_bytes=self.max_bytes, allow_private=self.allow_private)
        )
        return self._run(store, items)
