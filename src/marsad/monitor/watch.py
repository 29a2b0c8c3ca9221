"""`marsad watch`: the feeds named on the command line, or else the store's feeds, polled until stopped."""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from marsad.config import Config
from marsad.errors import InputError
from marsad.ingest import is_url
from marsad.ingest.feeds import is_feed_list, read_feed_list
from marsad.ingest.policy import FetchPolicy
from marsad.monitor.alerts import AlertDispatcher
from marsad.monitor.log import EventLog
from marsad.monitor.poller import FeedBook, FeedPoller, MemoryFeedBook, StoreFeedBook
from marsad.pipeline import default_clusterer, default_steps
from marsad.records import Rejected
from marsad.store import Store
from marsad.store import feeds as feed_repo
from marsad.store.lock import WriterLock


@dataclass(slots=True, frozen=True)
class WatchResult:
    """What a watch did: its rounds, and every input rejected in them (feeds that failed included)."""

    rounds: int
    rejected: list[Rejected]


def expand_sources(sources: list[str]) -> list[str]:
    """Feed lists (.opml, or a file of URLs) replaced by their URLs; URLs and other paths kept.

    Raises InputError when a feed list cannot be read.
    """
    out: list[str] = []
    for source in sources:
        if not is_url(source) and is_feed_list(Path(source)):
            out.extend(read_feed_list(Path(source)))
        else:
            out.append(source)
    return list(dict.fromkeys(out))


def _on_sigterm(stop: threading.Event) -> Any:
    """Make SIGTERM (systemctl stop) set `stop`, so the feeds being fetched are stored before the
    process ends. Returns the previous handler (None off the main thread, where none can be set)."""
    if threading.current_thread() is not threading.main_thread():
        return None
    return signal.signal(signal.SIGTERM, lambda _signum, _frame: stop.set())


def watch(
    store: Store,
    config: Config,
    sources: list[str],
    *,
    every: float,
    policy: FetchPolicy,
    max_rounds: int | None = None,
    log_json: bool = False,
    on_wait: Callable[[str], None] | None = None,
) -> WatchResult:
    """Poll `sources` every `every` seconds (or, with no sources, the store's feeds on their own
    schedules) and ingest what is new, until interrupted or `max_rounds` rounds are done. Documents go
    in under the store's writer lock (`on_wait` is told when another writer holds it).

    Returns the rounds and every input rejected meanwhile. Closes `store`. Raises InputError when
    there is nothing to watch.
    """
    log = EventLog(as_json=log_json)
    try:
        book: FeedBook
        if sources:
            book = MemoryFeedBook(expand_sources(sources), every)
        else:
            if not any(not f.paused for f in feed_repo.list_feeds(store)):
                raise InputError(
                    "no feeds to watch: name feed URLs or feed lists, or add feeds with"
                    " `marsad feeds add URL --every 10m` (paused feeds are not polled)"
                )
            book = StoreFeedBook(store)
        clusterer = default_clusterer(store.conn, config)  # restored by the poller under the lock
        alerts = AlertDispatcher(store.path, log=log).start()
        poller = FeedPoller(
            store,
            book,
            clusterer,
            policy=policy,
            max_bytes=config.ingest.max_bytes,
            steps=default_steps(config),
            log=log,
            after_ingest=alerts.wake,
            lock=WriterLock(store.path, wait=config.store.lock_wait, on_wait=on_wait),
            budget=config.ingest.time_budget,
            compare_max_articles=config.ingest.compare_max_articles,
            compare_budget=config.ingest.compare_budget,
        )
        log.event("start", f"watching {'the stored feeds' if not sources else f'{len(sources)} source(s)'}")
        stop = threading.Event()
        previous = _on_sigterm(stop)
        try:
            rounds = poller.run(max_rounds=max_rounds, stop=stop)
        except KeyboardInterrupt:
            rounds = poller.rounds
        finally:
            if previous is not None:
                signal.signal(signal.SIGTERM, previous)
            poller.close()
            alerts.stop()
        log.event("stop", f"stopped after {rounds} round(s)", rounds=rounds)
        return WatchResult(rounds=rounds, rejected=list(poller.rejected))
    finally:
        store.close()
