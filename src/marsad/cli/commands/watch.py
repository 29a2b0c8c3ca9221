"""`marsad watch FEEDS --every 10m`: poll feeds and ingest what is new, round after round."""

from __future__ import annotations

import re
import time
from dataclasses import replace
from typing import Annotated

import typer

from marsad.cli.common import ConfigOption, DbOption, config_from, err, open_store, report_rejections
from marsad.errors import InputError
from marsad.ingest import open_sources
from marsad.ingest.fetch import PoliteFetcher
from marsad.pipeline import (
    default_clusterer,
    default_steps,
    ingest,
    last_seq,
    refresh_changed_comparisons,
    restore_clusterer,
)
from marsad.records import Rejected
from marsad.store.fetch_state import StoreFetchStates
from marsad.store.lock import WriterLock

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$", re.IGNORECASE)
_UNIT = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_every(value: str) -> float:
    """Seconds in "90", "30s", "10m", "1h", "1d". Raises InputError for anything else."""
    m = _DURATION.match(value)
    if not m or float(m.group(1)) <= 0:
        raise InputError(f"--every {value!r}: expected a positive duration such as 30s, 10m or 1h")
    return float(m.group(1)) * _UNIT[m.group(2).lower()]


def watch_cmd(
    feeds: Annotated[
        list[str], typer.Argument(help="Feed URLs or feed-list files (.opml, or one URL a line).")
    ],
    every: Annotated[str, typer.Option("--every", help="Time between polls: 30s, 10m, 1h.")] = "10m",
    max_rounds: Annotated[int | None, typer.Option("--max-rounds", help="Stop after N polls.")] = None,
    allow_private: Annotated[
        bool, typer.Option("--allow-private", help="Fetch from private and loopback addresses too.")
    ] = False,
    db: DbOption = None,
    config: ConfigOption = None,
) -> None:
    """Keep polling FEEDS and ingesting new articles (conditional GET; pages fetched once).

    When it stops (after --max-rounds, or on Ctrl-C) it exits 1 if any input was rejected in any
    round, naming each.
    """
    interval = parse_every(every)
    cfg = config_from(config)
    store = open_store(db, cfg)
    clusterer = default_clusterer(store.conn, cfg)
    seen_seq = 0
    lock = WriterLock(
        store.path, wait=cfg.store.lock_wait, on_wait=lambda m: err.print(f"[yellow]{m}[/yellow]")
    )
    steps = default_steps(cfg)
    policy = replace(cfg.fetch, allow_private=allow_private or cfg.fetch.allow_private)
    rounds = 0
    rejected: list[Rejected] = []
    try:
        with PoliteFetcher(policy, StoreFetchStates(store)) as fetcher:
            while max_rounds is None or rounds < max_rounds:
                started = time.monotonic()
                rounds += 1
                items = open_sources(feeds, max_bytes=cfg.ingest.max_bytes, fetcher=fetcher)
                # The lock is held for one round at a time, so a `marsad ingest` can run between
                # rounds; each round first catches up with what others stored meanwhile.
                with lock:
                    seen_seq = restore_clusterer(store, clusterer, after_seq=seen_seq)
                    report = ingest(store, items, clusterer, steps=steps, budget=cfg.ingest.time_budget)
                    seen_seq = last_seq(store)
                    refresh_changed_comparisons(
                        store,
                        report,
                        max_articles=cfg.ingest.compare_max_articles,
                        budget=cfg.ingest.compare_budget,
                    )
                rejected.extend(report.rejected)
                err.print(
                    f"round {rounds}: {report.added} added, {report.skipped} already stored, "
                    f"{len(report.rejected)} rejected, {report.new_stories} new stories",
                    markup=False,
                )
                report_rejections(report.rejected)
                if max_rounds is not None and rounds >= max_rounds:
                    break
                time.sleep(max(0.0, interval - (time.monotonic() - started)))
    except KeyboardInterrupt:
        err.print(f"stopped after {rounds} round(s)")
    finally:
        store.close()
    if rejected:
        err.print(f"stopped after {rounds} round(s); summary of this run:")
        report_rejections(rejected)
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("watch")(watch_cmd)
