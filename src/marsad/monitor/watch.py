"""`marsad watch`: the feeds named on the command line, or else the store's feeds, polled until stopped."""

from __future__ import annotations

import signal
import threading
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
from marsad.pipeline import default_clusterer, default_steps, restore_clusterer
from marsad.store import Store
from marsad.store import feeds as feed_repo


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
) -> int:
    """Poll `sources` every `every` seconds (or, with no sources, the store's feeds on their own
    schedules) and ingest what is new, until interrupted or `max_rounds` rounds are done.

    Returns the number of rounds. Closes `store`. Raises InputError when there is nothing to watch.
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
        clusterer = default_clusterer(store.conn, config)
        restore_clusterer(store, clusterer)
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
        return rounds
    finally:
        store.close()
