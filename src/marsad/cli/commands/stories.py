"""`marsad stories`: the story list, biggest and newest first."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import typer
from rich.table import Table

from marsad.cli.common import (
    ConfigOption,
    DbOption,
    JsonOption,
    config_from,
    open_existing_store,
    print_json,
    print_table,
)
from marsad.store import Store
from marsad.store import stories as story_repo
from marsad.store import storylines as storyline_repo


def _utc(iso: str) -> datetime:
    moment = datetime.fromisoformat(iso)
    return moment.astimezone(UTC) if moment.tzinfo else moment


def time_span(first: str | None, last: str | None) -> str:
    """'2026-03-20 16:40 → 03-22 10:15 (1d 18h)' from two ISO datetimes; '' when undated."""
    if not first:
        return ""
    start, end = _utc(first), _utc(last or first)
    head = start.strftime("%Y-%m-%d %H:%M")
    if end <= start:
        return head
    hours = int((end - start).total_seconds() // 3600)
    days, hours = divmod(hours, 24)
    took = f"{days}d {hours}h" if days else f"{hours}h"
    tail = end.strftime("%H:%M" if end.date() == start.date() else "%m-%d %H:%M")
    return f"{head} → {tail} ({took})"


def stories_cmd(
    db: DbOption = None,
    config: ConfigOption = None,
    as_json: JsonOption = False,
    limit: Annotated[int, typer.Option(help="Show at most this many stories.", min=1)] = 50,
    storylines: Annotated[
        bool, typer.Option("--storylines", help="List storylines (stories linked over days) instead.")
    ] = False,
) -> None:
    """List stories with their size, sources, languages and time span."""
    store = open_existing_store(db, config_from(config))
    if storylines:
        _print_storylines(store, limit, as_json)
        return
    stories = story_repo.list_stories(store, limit=limit)
    store.close()
    if as_json:
        print_json([s.to_json() for s in stories])
        return
    table = Table(title=f"{len(stories)} stories")
    for col in ("story", "articles", "languages", "outlets", "time span (UTC)", "title"):
        table.add_column(col, overflow="fold", no_wrap=col in ("story", "articles"))
    for s in stories:
        table.add_row(
            s.id,
            str(s.size),
            ",".join(s.languages),
            ", ".join(s.outlets),
            time_span(s.first_published, s.last_published),
            s.title or "",
        )
    print_table(table)


def _print_storylines(store: Store, limit: int, as_json: bool) -> None:
    """Storylines of several stories first, each with its stories in time order."""
    lines = storyline_repo.list_storylines(store, limit=limit)
    store.close()
    if as_json:
        print_json([line.to_json() for line in lines])
        return
    table = Table(title=f"{len(lines)} storylines")
    for col in ("storyline", "stories", "articles", "time span (UTC)", "timeline"):
        table.add_column(col, overflow="fold")
    for line in lines:
        timeline = "\n".join(
            f"{(s.first_published or '')[:10]} {s.id} ({s.size}) {s.title or ''}" for s in line.stories
        )
        table.add_row(
            line.id,
            str(len(line.stories)),
            str(line.size),
            time_span(line.first_published, line.last_published),
            timeline,
        )
    print_table(table)


def register(app: typer.Typer) -> None:
    app.command("stories")(stories_cmd)
