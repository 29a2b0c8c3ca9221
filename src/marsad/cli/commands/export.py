"""`marsad export stories|story ID|claims ID --format csv|jsonl|parquet -o FILE`: tables for spreadsheets."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from marsad.cli.common import ConfigOption, DbOption, config_from, open_store
from marsad.errors import InputError
from marsad.monitor import export
from marsad.monitor.outlets import default_registry
from marsad.store import stories as story_repo
from marsad.store.search import StoryFilter

export_app = typer.Typer(
    help="Export a filtered story list, a story's articles, or its claims, as CSV, JSONL or Parquet."
)
FormatOption = Annotated[str, typer.Option("--format", "-f", help="csv, jsonl or parquet.")]
StoryArg = Annotated[str, typer.Argument(help="The story's id (see `marsad stories`).")]
OutOption = Annotated[
    Path, typer.Option("--output", "-o", help="File to write ('-': stdout, not for parquet).")
]


def _iso(value: str | None, name: str) -> str | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value).isoformat()
    except ValueError:
        raise typer.BadParameter(
            f"expected an ISO date such as 2026-03-20, got {value!r}", param_hint=name
        ) from None


def _write(data: bytes, out: Path, fmt: str, rows: int) -> None:
    if str(out) == "-":
        if fmt == "parquet":
            raise typer.BadParameter("parquet is binary: write it to a file", param_hint="--output")
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    out.write_bytes(data)
    typer.echo(f"{rows} row(s) written to {out} ({fmt})", err=True)


def _no_story(story_id: str) -> InputError:
    return InputError(f"no story {story_id!r} in this store; see `marsad stories`")


def _check(fmt: str) -> str:
    if fmt not in export.FORMATS:
        raise typer.BadParameter(f"use one of {', '.join(export.FORMATS)}", param_hint="--format")
    return fmt


@export_app.command("stories")
def stories_cmd(
    output: OutOption,
    fmt: FormatOption = "csv",
    since: Annotated[str | None, typer.Option(help="Stories active on or after this ISO date.")] = None,
    until: Annotated[str | None, typer.Option(help="Stories begun before this ISO date.")] = None,
    language: Annotated[str | None, typer.Option(help="Only stories with an article in it.")] = None,
    outlet: Annotated[str | None, typer.Option(help="Only stories this outlet reported.")] = None,
    entity: Annotated[
        str | None, typer.Option(help="Only stories naming this entity (any spelling).")
    ] = None,
    order: Annotated[str, typer.Option(help="recent or size.")] = "recent",
    limit: Annotated[int, typer.Option(min=1, max=export.MAX_STORIES)] = export.MAX_STORIES,
    db: DbOption = None,
    config: ConfigOption = None,
) -> None:
    """The story list, filtered as in the web UI and `GET /api/stories`: one row per story."""
    _check(fmt)
    if order not in ("recent", "size"):
        raise typer.BadParameter("use recent or size", param_hint="--order")
    flt = StoryFilter(
        since=_iso(since, "--since"),
        until=_iso(until, "--until"),
        language=language.lower() if language else None,
        outlet=outlet,
        entity=entity,
    )
    with open_store(db, config_from(config)) as store:
        rows = export.story_rows(store, default_registry(), flt, order=order, limit=limit)
    _write(export.encode(rows, export.STORY_COLUMNS, fmt), output, fmt, len(rows))


@export_app.command("story")
def story_cmd(
    story_id: StoryArg,
    output: OutOption,
    fmt: FormatOption = "csv",
    db: DbOption = None,
    config: ConfigOption = None,
) -> None:
    """A story's articles, earliest first: one row per article, with its text."""
    _check(fmt)
    with open_store(db, config_from(config)) as store:
        rows = export.article_rows(store, default_registry(), story_id)
    if rows is None:
        raise _no_story(story_id)
    _write(export.encode(rows, export.ARTICLE_COLUMNS, fmt), output, fmt, len(rows))


@export_app.command("claims")
def claims_cmd(
    story_id: StoryArg,
    output: OutOption,
    fmt: FormatOption = "csv",
    db: DbOption = None,
    config: ConfigOption = None,
) -> None:
    """A story's claims (as `marsad compare --story` finds them): one row per claim and article
    carrying it, with that article's wording, figures and speaker."""
    from marsad.compare.story import cached_story_comparison

    _check(fmt)
    with open_store(db, config_from(config)) as store:
        story = story_repo.get_story(store, story_id)
        if story is None:
            raise _no_story(story_id)
        # The story page's comparison (kept in the store): a one-article story has no claims to compare.
        comparison = cached_story_comparison(store, story_id) if story.size > 1 else None
        rows = export.claim_rows(store, default_registry(), story_id, comparison) or []
    _write(export.encode(rows, export.CLAIM_COLUMNS, fmt), output, fmt, len(rows))


def register(app: typer.Typer) -> None:
    app.add_typer(export_app, name="export")
