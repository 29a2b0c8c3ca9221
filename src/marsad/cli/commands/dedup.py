"""`marsad dedup IN.jsonl -o OUT.jsonl` and `marsad duplicates`: duplicate groups, file or store."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from marsad.cli.common import (
    ConfigOption,
    DbOption,
    JsonOption,
    config_from,
    open_store,
    print_json,
    write_jsonl,
)
from marsad.dedup.jsonl import dedup_jsonl
from marsad.errors import InputError
from marsad.store import dedup as dedup_repo

err = Console(stderr=True)


def dedup_cmd(
    source: Annotated[
        Path, typer.Argument(help="JSONL records: id and text or html, optional title, published.")
    ],
    out: Annotated[Path | None, typer.Option("-o", "--out", help="Output JSONL (default: stdout).")] = None,
    workers: Annotated[
        int | None, typer.Option(help="Processes that parse and sketch (default: 2 on large files).", min=1)
    ] = None,
) -> None:
    """Group exact, near-duplicate and contained copies: one {id, group_id, kind} per input record."""
    if not source.is_file():
        raise InputError(f"{source}: no such file; pass a JSONL file of {{id, text|html}} records")
    run = dedup_jsonl(source, workers=workers)
    write_jsonl(out, run.rows)
    for rej in run.rejected:
        typer.echo(f"bad line {rej.detail}", err=True)
    dupes = sum(1 for r in run.rows if r["kind"] != "unique")
    err.print(
        f"{len(run.rows)} records, {run.groups} duplicate groups holding {dupes} records,"
        f" {len(run.rejected)} bad lines",
        highlight=False,
    )
    if run.rejected:
        raise typer.Exit(1)


def duplicates_cmd(
    db: DbOption = None,
    config: ConfigOption = None,
    as_json: JsonOption = False,
    limit: Annotated[int, typer.Option(help="Show at most this many groups.", min=1)] = 100,
) -> None:
    """List the duplicate groups in the store: canonical article, members and how each is a copy."""
    store = open_store(db, config_from(config))
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
                m.article_id[:12],
                (m.outlet or "-")[:24],
                (m.title or "")[:60],
            )
    Console(width=160).print(table)


def register(app: typer.Typer) -> None:
    app.command("dedup")(dedup_cmd)
    app.command("duplicates")(duplicates_cmd)
