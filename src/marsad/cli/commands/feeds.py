"""`marsad feeds add|list|pause|resume|remove`: the feeds `marsad watch` polls, kept in the store."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from marsad.cli.commands.watch import parse_every
from marsad.cli.common import ConfigOption, DbOption, JsonOption, config_from, open_store, print_json
from marsad.errors import InputError
from marsad.store import feeds as feed_repo
from marsad.store.feeds import StoredFeed

feeds_app = typer.Typer(help="Feeds polled by `marsad watch`: add, list, pause, resume, remove.")
FeedRef = Annotated[str, typer.Argument(help="The feed's id (see `marsad feeds list`) or its URL.")]


def _every_text(seconds: float) -> str:
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size and seconds % size == 0:
            return f"{int(seconds // size)}{unit}"
    return f"{seconds:g}s"


@feeds_app.command("add")
def add_cmd(
    url: Annotated[str, typer.Argument(help="The feed's http(s) URL (RSS, Atom, or a page).")],
    name: Annotated[str | None, typer.Option("--name", help="What to call it in lists and logs.")] = None,
    every: Annotated[str, typer.Option("--every", help="Time between polls: 30s, 10m, 1h.")] = "10m",
    db: DbOption = None,
    config: ConfigOption = None,
    as_json: JsonOption = False,
) -> None:
    """Add a feed (due at once); adding it again changes its name and schedule."""
    with open_store(db, config_from(config)) as store:
        feed = feed_repo.add_feed(store, url, every_seconds=parse_every(every), name=name)
    if as_json:
        print_json(feed.to_json())
    else:
        typer.echo(f"feed {feed.id}: {feed.url} every {_every_text(feed.every_seconds)}")


@feeds_app.command("list")
def list_cmd(db: DbOption = None, config: ConfigOption = None, as_json: JsonOption = False) -> None:
    """The feeds with their status, last fetch, last error, items stored and next poll."""
    with open_store(db, config_from(config)) as store:
        feeds = feed_repo.list_feeds(store)
    if as_json:
        print_json([f.to_json() for f in feeds])
        return
    table = Table(title=f"{len(feeds)} feeds")
    for col in ("id", "feed", "every", "status", "last fetch", "items", "next poll", "last error"):
        table.add_column(col, overflow="fold")
    for f in feeds:
        table.add_row(
            str(f.id),
            f"{f.name}\n{f.url}" if f.name else f.url,
            _every_text(f.every_seconds),
            f.status,
            f.last_fetch or "never",
            f"{f.items} (+{f.last_added})" if f.last_fetch else str(f.items),
            "" if f.paused else f.next_poll,
            f"[{f.last_error_code}] {f.last_error}" if f.last_error else "",
        )
    Console(width=180).print(table)


def _change(ref: str, db: DbOption, config: ConfigOption, *, paused: bool) -> StoredFeed:
    with open_store(db, config_from(config)) as store:
        feed = feed_repo.set_paused(store, ref, paused)
    if feed is None:
        raise InputError(f"no feed {ref!r} in this store; see `marsad feeds list`")
    return feed


@feeds_app.command("pause")
def pause_cmd(ref: FeedRef, db: DbOption = None, config: ConfigOption = None) -> None:
    """Stop polling a feed (it stays listed)."""
    feed = _change(ref, db, config, paused=True)
    typer.echo(f"feed {feed.id} paused: {feed.url}")


@feeds_app.command("resume")
def resume_cmd(ref: FeedRef, db: DbOption = None, config: ConfigOption = None) -> None:
    """Poll a paused feed again, at once."""
    feed = _change(ref, db, config, paused=False)
    typer.echo(f"feed {feed.id} resumed: {feed.url}")


@feeds_app.command("remove")
def remove_cmd(ref: FeedRef, db: DbOption = None, config: ConfigOption = None) -> None:
    """Forget a feed; the articles stored from it stay."""
    with open_store(db, config_from(config)) as store:
        removed = feed_repo.remove_feed(store, ref)
    if not removed:
        raise InputError(f"no feed {ref!r} in this store; see `marsad feeds list`")
    typer.echo(f"feed {ref} removed")


def register(app: typer.Typer) -> None:
    app.add_typer(feeds_app, name="feeds")
