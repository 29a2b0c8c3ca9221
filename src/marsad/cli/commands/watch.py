"""`marsad watch [FEEDS] --every 10m`: poll feeds (given, or stored with `marsad feeds`) and ingest
what is new."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Annotated

import typer

from marsad.cli.common import ConfigOption, DbOption, config_from, err, open_store, report_rejections
from marsad.errors import InputError

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
        list[str] | None,
        typer.Argument(help="Feed URLs or feed-list files (.opml, one URL a line); none: the stored feeds."),
    ] = None,
    every: Annotated[str, typer.Option("--every", help="Time between polls of FEEDS: 30s, 10m, 1h.")] = "10m",
    max_rounds: Annotated[int | None, typer.Option("--max-rounds", help="Stop after N polls.")] = None,
    allow_private: Annotated[
        bool, typer.Option("--allow-private", help="Fetch from private and loopback addresses too.")
    ] = False,
    log_json: Annotated[bool, typer.Option("--log-json", help="Log one JSON object a line.")] = False,
    db: DbOption = None,
    config: ConfigOption = None,
) -> None:
    """Poll feeds and ingest new articles: FEEDS, or the stored feeds each on its own schedule.

    When it stops (after --max-rounds, on Ctrl-C or SIGTERM) it exits 1 if any input was rejected in
    any round (a feed that failed included), naming each.
    """
    from marsad.monitor.watch import watch

    interval = parse_every(every)
    cfg = config_from(config)
    policy = replace(cfg.fetch, allow_private=allow_private or cfg.fetch.allow_private)
    result = watch(
        open_store(db, cfg),
        cfg,
        feeds or [],
        every=interval,
        policy=policy,
        max_rounds=max_rounds,
        log_json=log_json,
        on_wait=lambda m: err.print(m, markup=False),
    )
    if result.rejected:
        err.print(f"stopped after {result.rounds} round(s); summary of this run:", markup=False)
        if report_rejections(result.rejected):
            raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("watch")(watch_cmd)
