"""`marsad compare A B` / `marsad compare --story ID`: what reports share, add, and who said what."""

from __future__ import annotations

import shutil
import sys
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from marsad.cli.common import (
    ConfigOption,
    DbOption,
    JsonOption,
    config_from,
    open_existing_store,
    print_json,
    rejection_reason,
)
from marsad.errors import InputError
from marsad.extract import extract
from marsad.ingest.files import read_paths
from marsad.records import Article, Rejected

err = Console(stderr=True)


def _articles(paths: list[Path], max_bytes: int) -> tuple[list[Article], dict[str, datetime]]:
    articles: list[Article] = []
    fetched: dict[str, datetime] = {}
    for item in read_paths([str(p) for p in paths], max_bytes=max_bytes):
        if isinstance(item, Rejected):
            raise InputError(rejection_reason(item), code=item.code)
        articles.append(extract(item))
        if item.fetched_at is not None:
            fetched[item.id] = item.fetched_at
    return articles, fetched


def compare_cmd(
    files: Annotated[
        list[Path] | None, typer.Argument(help="Two (or more) article files: text dumps, HTML, JSON/JSONL.")
    ] = None,
    story: Annotated[
        str | None, typer.Option("--story", help="Compare the articles of a stored story.")
    ] = None,
    db: DbOption = None,
    config: ConfigOption = None,
    as_json: JsonOption = False,
    lexical: Annotated[
        bool, typer.Option("--lexical", help="Lexical evidence only (no embedding model; faster, weaker).")
    ] = False,
    width: Annotated[
        int | None,
        typer.Option(help="Width of the claims matrix (default: the terminal's, 160 into a file).", min=60),
    ] = None,
) -> None:
    """Compare reports of one event: shared quotes and facts, what each adds, who said what, who was first."""
    from marsad.compare import CompareConfig, compare_articles, compare_story

    cfg = config_from(config)
    settings = CompareConfig(use_embeddings=not lexical)
    if story is not None:
        if files:
            raise typer.BadParameter("give either files or --story, not both")
        store = open_existing_store(db, cfg)
        try:
            comparison = compare_story(store, story, config=settings)
        finally:
            store.close()
    else:
        if not files or len(files) < 1:
            raise typer.BadParameter("give two article files (or --story ID)")
        articles, fetched = _articles(files, cfg.ingest.max_bytes)
        if len(articles) < 2:
            raise InputError(
                f"{', '.join(map(str, files))}: found {len(articles)} article(s); compare needs two"
            )
        comparison = compare_articles(articles, config=settings, fetched=fetched)
    if as_json:
        print_json(comparison.to_json())
        return
    from marsad.compare.view import render

    # Into a file or a pipe, lines are not broken: a quote copied from the output is the quote.
    to_terminal = sys.stdout.isatty()
    if width is None:
        width = max(60, shutil.get_terminal_size((160, 24)).columns) if to_terminal else 160
    Console(width=width, highlight=False, soft_wrap=not to_terminal).print(render(comparison, width=width))


def register(app: typer.Typer) -> None:
    app.command("compare")(compare_cmd)
