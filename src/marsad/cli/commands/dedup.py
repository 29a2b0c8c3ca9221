"""`marsad dedup IN.jsonl -o OUT.jsonl` and `marsad duplicates`: duplicate groups, file or store."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from marsad.cli.common import (
    ConfigOption,
    DbOption,
    JsonOption,
    OutAlias,
    OutputOption,
    config_from,
    count_lines,
    err,
    open_existing_store,
    output_path,
    print_json,
    print_table,
    report_rejections,
    stderr_progress,
    write_jsonl,
)
from marsad.dedup.jsonl import dedup_jsonl
from marsad.errors import InputError
from marsad.store import dedup as dedup_repo


def dedup_cmd(
    source: Annotated[
        Path, typer.Argument(help="JSONL records: id and text or html, optional title, published.")
    ],
    output: OutputOption = None,
    workers: Annotated[
        int | None, typer.Option(help="Processes that parse and sketch (default: 2 on large files).", min=1)
    ] = None,
    out: OutAlias = None,
) -> None:
    """Group exact, near-duplicate and contained copies: one {id, group_id, kind} per input record."""
    target = output_path(output, out)
    if not source.is_file():
        raise InputError(f"{source}: no such file; pass a JSONL file of {{id, text|html}} records")
    with stderr_progress() as progress:
        task = progress.add_task("dedup", total=count_lines(source))
        run = dedup_jsonl(
            source, workers=workers, on_progress=lambda done: progress.update(task, completed=done)
        )
    write_jsonl(target, run.rows)
    dupes = sum(1 for r in run.rows if r["kind"] != "unique")
    err.print(
        f"{len(run.rows)} records, {run.groups} duplicate groups holding {dupes} records,"
        f" {len(run.rejected)} bad lines",
        markup=False,
    )
    if report_rejections(run.rejected):
        raise typer.Exit(1)


def duplicates_cmd(
    db: DbOption = None,
    config: ConfigOption = None,
    as_json: JsonOption = False,
    limit: Annotated[int, typer.Option(help="Show at most this many groups.", min=1)] = 100,
) -> None:
    """List the duplicate groups in the store: canonical article, members and how each is a copy."""
    store = open_existing_store(db, config_from(config))
    groups = dedup_repo.list_groups(store, limit=limit)
    store.close()
    if as_json:
        print_json([g.to_json() for g in groups])
        return
    table = Table(title=f"{len(groups)} duplicate groups")
    for col in ("group", "members", "canonical", "kind", "member", "outlet", "title"):
        table.add_column(col, overflow="fold")
    for g in groups:
        for n, m in enumerate(g.members):
            table.add_row(
                g.id if n == 0 else "",
                str(len(g.members)) if n == 0 else "",
                "*" if m.article_id == g.canonical_id else "",
                m.kind,
                m.article_id,
                m.outlet or "-",
                m.title or "",
            )
    print_table(table)


def register(app: typer.Typer) -> None:
    app.command("dedup")(dedup_cmd)
    app.command("duplicates")(duplicates_cmd)
