"""`marsad stories`: the story list, biggest and newest first."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from marsad.cli.common import ConfigOption, DbOption, JsonOption, config_from, open_store, print_json
from marsad.store import stories as story_repo


def stories_cmd(
    db: DbOption = None,
    config: ConfigOption = None,
    as_json: JsonOption = False,
    limit: Annotated[int, typer.Option(help="Show at most this many stories.", min=1)] = 50,
) -> None:
    """List stories with their size, sources, languages and time span."""
    store = open_store(db, config_from(config))
    stories = story_repo.list_stories(store, limit=limit)
    store.close()
    if as_json:
        print_json([s.to_json() for s in stories])
        return
    table = Table(title=f"{len(stories)} stories")
    for col in ("story", "articles", "languages", "outlets", "first", "title"):
        table.add_column(col, overflow="fold")
    for s in stories:
        table.add_row(
            s.id,
            str(s.size),
            ",".join(s.languages),
            ", ".join(s.outlets)[:40],
            (s.first_published or "")[:10],
            (s.title or "")[:70],
        )
    Console(width=160).print(table)


def register(app: typer.Typer) -> None:
    app.command("stories")(stories_cmd)
