"""Polling feeds on their own schedules, so that one unreachable feed never stops the others.

Fetching runs in worker threads, one at a time per origin (scheme, host, port): the polite fetcher
keeps its spacing and robots.txt within one origin while an origin that times out holds up only its
own feeds. Storing
runs on the calling thread (the store has one writer): each feed's new documents go through the
same ingest pipeline as `marsad ingest`, and how its poll went (items added, the error that stopped
it) is recorded in its `FeedBook`: the store's `feeds` table, or memory for feeds named on the
command line.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Protocol
from urllib.parse import urlsplit

from marsad import errors
from marsad.cluster.base import StoryClusterer
from marsad.errors import MarsadError
from marsad.ingest import is_url, open_sources
from marsad.ingest.fetch import PoliteFetcher
from marsad.ingest.policy import FetchPolicy
from marsad.monitor.log import EventLog
from marsad.pipeline import (
    ArticleStep,
    IngestReport,
    ingest,
    last_seq,
    refresh_changed_comparisons,
    restore_clusterer,
)
from marsad.records import RawDocument, Rejected
from marsad.store import Store
from marsad.store import articles as article_repo
from marsad.store import feeds as feed_repo
from marsad.store.feeds import PollOutcome
from marsad.store.fetch_state import FetchState, StoreFetchStates
from marsad.store.lock import WriterLock

Item = RawDocument | Rejected


@dataclass(slots=True, frozen=True)
class DueFeed:
    """A feed whose poll is due; `key` is stable across polls."""

    key: str
    source: str
    name: str | None

    @property
    def label(self) -> str:
        return self.name or self.source


class FeedBook(Protocol):
    """Which feeds are due and where the outcome of each poll goes."""

    def due(self, now: datetime) -> list[DueFeed]: ...

    def next_due(self) -> datetime | None: ...

    def record(self, feed: DueFeed, outcome: PollOutcome) -> None: ...


class StoreFeedBook:
    """The feeds of the store's `feeds` table (`marsad feeds add`), each on its own schedule."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def due(self, now: datetime) -> list[DueFeed]:
        return [DueFeed(str(f.id), f.url, f.name) for f in feed_repo.due_feeds(self.store, now)]

    def next_due(self) -> datetime | None:
        return feed_repo.next_due(self.store)

    def record(self, feed: DueFeed, outcome: PollOutcome) -> None:
        stored = feed_repo.get_feed(self.store, int(feed.key))
        if stored is not None:  # removed while it was being polled: nothing to record
            feed_repo.record_poll(self.store, stored, outcome)


@dataclass(slots=True)
class MemoryFeedBook:
    """Feeds named on the command line, all polled every `every_seconds`; nothing is stored."""

    sources: list[str]
    every_seconds: float
    _next: dict[str, datetime] = field(default_factory=dict)

    def __post_init__(self) -> None:
        start = datetime.now(UTC)
        self._next = {s: start for s in self.sources}

    def due(self, now: datetime) -> list[DueFeed]:
        return [DueFeed(s, s, None) for s, at in self._next.items() if at <= now]

    def next_due(self) -> datetime | None:
        return min(self._next.values(), default=None)

    def record(self, feed: DueFeed, outcome: PollOutcome) -> None:
        self._next[feed.key] = outcome.at + timedelta(seconds=self.every_seconds)


class LockedFetchStates:
    """The store's fetch states shared by the worker threads through one connection and a lock."""

    def __init__(self, store: Store) -> None:
        self._states = StoreFetchStates(store)
        self._lock = threading.Lock()

    def get(self, url: str) -> FetchState | None:
        with self._lock:
            return self._states.get(url)

    def put(self, state: FetchState) -> None:
        with self._lock:
            self._states.put(state)


@dataclass(slots=True, frozen=True)
class _Fetched:
    feed: DueFeed
    items: list[Item]
    at: datetime
    not_modified: bool = False
    error: str | None = None
    error_code: str | None = None


@dataclass(slots=True)
class _Round:
    """Feeds dispatched together, summed up in one log line once all of them are recorded."""

    number: int
    waiting: int
    report: IngestReport = field(default_factory=IngestReport)


def _origin(source: str) -> str:
    """Where a feed is served from (scheme, host and port; "" for local files): one worker at a
    time per origin, which is also what robots.txt applies to."""
    if not is_url(source):
        return ""
    parts = urlsplit(source)
    return f"{parts.scheme.lower()}://{(parts.netloc or '').lower()}"


class FeedPoller:
    """Polls the feeds of `book` whenever they are due and ingests what is new into `store`."""

    def __init__(
        self,
        store: Store,
        book: FeedBook,
        clusterer: StoryClusterer,
        *,
        policy: FetchPolicy,
        max_bytes: int,
        steps: Iterable[ArticleStep] = (),
        log: EventLog | None = None,
        workers: int = 4,
        after_ingest: Callable[[], None] | None = None,
        lock: WriterLock | None = None,
        budget: float | None = None,
        compare_max_articles: int = 12,
        compare_budget: float = 0.0,
    ) -> None:
        self.store = store
        self.book = book
        self.clusterer = clusterer
        self.policy = policy
        self.max_bytes = max_bytes
        self.steps = list(steps)
        self.log = log or EventLog()
        self.workers = max(1, workers)
        self.after_ingest = after_ingest
        # One writer per store: each feed's documents go in under the store's writer lock, after the
        # clusterer has caught up with what other processes stored meanwhile.
        self.lock = lock
        self.budget = budget
        self.compare_max_articles = compare_max_articles
        self.compare_budget = compare_budget
        # The clusterer comes unrestored: it catches up with the store (from arrival 0) under the
        # lock, before the first documents go in, so it never misses what another writer stored.
        self.seen_seq = 0
        # Every input rejected while watching (a feed that failed, a bad item): named at the end and
        # turned into exit 1 by the command.
        self.rejected: list[Rejected] = []
        # The workers' fetch states go through a connection of their own: the main connection is
        # the ingest writer's.
        self._states_store = Store(store.path)
        self._states = LockedFetchStates(self._states_store)
        self._fetchers: dict[str, PoliteFetcher] = {}
        self._results: queue.Queue[_Fetched | str] = queue.Queue()
        self.rounds = 0

    def close(self) -> None:
        for fetcher in self._fetchers.values():
            fetcher.close()
        self._states_store.close()

    # -- fetching (worker threads) -------------------------------------------------------------

    def _fetch_host(self, host: str, feeds: list[DueFeed]) -> None:
        fetcher = self._fetchers[host]
        try:
            for feed in feeds:
                self._results.put(self._fetch_one(fetcher, feed))
        finally:
            self._results.put(host)

    def _fetch_one(self, fetcher: PoliteFetcher, feed: DueFeed) -> _Fetched:
        at = datetime.now(UTC)
        try:
            items = list(
                open_sources([feed.source], max_bytes=self.max_bytes, fetcher=fetcher, budget=self.budget)
            )
        except Exception as exc:  # one feed's failure, whatever it is, is that feed's error only
            code = exc.code if isinstance(exc, MarsadError) else errors.FETCH_FAILED
            reason = f"{type(exc).__name__}: {exc}"
            return _Fetched(feed, [], at, error=reason, error_code=code)
        for item in items:
            if isinstance(item, Rejected) and item.record_id == feed.source:
                others = [i for i in items if i is not item]
                return _Fetched(feed, others, at, error=item.detail, error_code=item.code)
        state = self._states.get(feed.source) if is_url(feed.source) else None
        not_modified = state is not None and state.status == 304 and not items
        return _Fetched(feed, items, at, not_modified=not_modified)

    # -- storing (calling thread) --------------------------------------------------------------

    def _store(self, fetched: _Fetched, report: IngestReport) -> None:
        feed = fetched.feed
        docs = [i for i in fetched.items if isinstance(i, RawDocument)]
        new_ids = [d.id for d in docs if not article_repo.has_document(self.store, d.id)]
        added = 0
        error, code = fetched.error, fetched.error_code
        try:
            with self.lock if self.lock is not None else nullcontext():
                self.seen_seq = restore_clusterer(self.store, self.clusterer, after_seq=self.seen_seq)
                done = ingest(self.store, fetched.items, self.clusterer, steps=self.steps, budget=self.budget)
                self.seen_seq = last_seq(self.store)
                # The changed stories' comparisons are stored before the lock goes, so a reader's
                # first visit is served from the store.
                refresh_changed_comparisons(
                    self.store, done, max_articles=self.compare_max_articles, budget=self.compare_budget
                )
        except Exception as exc:  # the store refused this feed's documents; the next feed may still go in
            error = f"storing failed: {type(exc).__name__}: {exc}"
            code = exc.code if isinstance(exc, MarsadError) else errors.BAD_RECORD
        else:
            added = done.added
            report.seen += done.seen
            report.added += done.added
            report.skipped += done.skipped
            report.rejected.extend(done.rejected)
            self.rejected.extend(r for r in done.rejected if r.record_id != feed.source)
            report.new_stories += done.new_stories
            for rej in done.rejected:
                if rej.record_id != feed.source:
                    self.log.event("reject", f"{feed.label}: [{rej.code}] {rej.detail}", feed=feed.source)
        outcome = PollOutcome(
            at=fetched.at, added=added, not_modified=fetched.not_modified, error=error, error_code=code
        )
        self.book.record(feed, outcome)
        if error is not None:
            self.rejected.append(
                Rejected(stage="fetch", code=code or errors.FETCH_FAILED, record_id=feed.source, detail=error)
            )
            message = f"{feed.label}: [{code}] {error}"
            self.log.event("error", message, feed=feed.source, code=code, error=error)
            return
        titles = _titles(self.store, new_ids)
        shown = " | ".join(f"«{t}»" for t in titles[:10]) + (" …" if len(titles) > 10 else "")
        status = "not modified" if fetched.not_modified else f"{added} added"
        self.log.event(
            "feed",
            f"{feed.label}: {status}" + (f": {shown}" if titles else ""),
            feed=feed.source,
            added=added,
            titles=titles,
        )
        if added and self.after_ingest is not None:
            self.after_ingest()

    # -- the loop ------------------------------------------------------------------------------

    def run(self, *, max_rounds: int | None = None, stop: threading.Event | None = None) -> int:
        """Poll until `stop` is set or `max_rounds` rounds (feeds dispatched together) are done.
        Returns the number of rounds dispatched."""
        stop = stop or threading.Event()
        busy: set[str] = set()
        flying: dict[str, _Round] = {}  # feed key -> its round
        with ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="marsad-feed") as pool:
            while not stop.is_set():
                if max_rounds is None or self.rounds < max_rounds:
                    self._dispatch(pool, busy, flying)
                elif not flying:
                    break
                wait = self._wait_seconds()
                try:
                    message = self._results.get(timeout=wait)
                except queue.Empty:
                    continue
                # One feed stored, then due feeds dispatched again: a backlog of new articles to
                # store does not hold up the fetching of feeds that come due meanwhile.
                self._receive(message, busy, flying)
            # Stopping: let the workers finish their current feeds (each bounded by the fetch
            # timeouts) and record them, so no poll is left half-known.
            while flying or busy:
                self._receive(self._results.get(), busy, flying)
        return self.rounds

    def _dispatch(self, pool: ThreadPoolExecutor, busy: set[str], flying: dict[str, _Round]) -> None:
        due = [f for f in self.book.due(datetime.now(UTC)) if f.key not in flying]
        groups: dict[str, list[DueFeed]] = {}
        for feed in due:
            host = _origin(feed.source)
            if host not in busy:
                groups.setdefault(host, []).append(feed)
        if not groups:
            return
        self.rounds += 1
        batch = _Round(self.rounds, sum(len(g) for g in groups.values()))
        for host, feeds in groups.items():
            if host not in self._fetchers:
                self._fetchers[host] = PoliteFetcher(self.policy, self._states)
            busy.add(host)
            for feed in feeds:
                flying[feed.key] = batch
            pool.submit(self._fetch_host, host, feeds)

    def _wait_seconds(self) -> float:
        following = self.book.next_due()
        if following is None:
            return 1.0
        seconds = (following - datetime.now(UTC)).total_seconds()
        # Feeds in flight report as soon as they finish; otherwise wait until the next one is due,
        # at most a second, so that feeds added or resumed meanwhile and a stop request are seen.
        return min(max(seconds, 0.05), 1.0)

    def _receive(self, message: _Fetched | str, busy: set[str], flying: dict[str, _Round]) -> None:
        if isinstance(message, str):
            busy.discard(message)
            return
        batch = flying.pop(message.feed.key)
        self._store(message, batch.report)
        batch.waiting -= 1
        if batch.waiting == 0:
            r = batch.report
            self.log.event(
                "round",
                f"round {batch.number}: {r.added} added, {r.skipped} already stored,"
                f" {len(r.rejected)} rejected, {r.new_stories} new stories",
                round=batch.number,
                added=r.added,
                skipped=r.skipped,
                rejected=len(r.rejected),
                new_stories=r.new_stories,
            )


def _titles(store: Store, article_ids: list[str]) -> list[str]:
    if not article_ids:
        return []
    marks = ",".join("?" * len(article_ids))
    rows = store.conn.execute(f"SELECT id, title FROM articles WHERE id IN ({marks})", article_ids).fetchall()
    by_id = {r["id"]: r["title"] or r["id"][:12] for r in rows}
    return [by_id[i] for i in article_ids if i in by_id]
