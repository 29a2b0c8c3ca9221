"""`marsad check`: verify the store's invariants (sizes, memberships, full-text rows, integrity)."""

from __future__ import annotations

import typer
from rich.console import Console

from marsad.cli.common import ConfigOption, DbOption, JsonOption, config_from, open_store, print_json
from marsad.store.check import check_store

err = Console(stderr=True)


def check_cmd(db: DbOption = None, config: ConfigOption = None, as_json: JsonOption = False) -> None:
    """Check that the store is consistent: story and duplicate-group sizes, every article in one story,
    one full-text row per article, no orphans, SQLite integrity. Exits 1 when a check fails."""
    store = open_store(db, config_from(config))
    try:
        report = check_store(store)
    finally:
        store.close()
    if as_json:
        print_json(report.to_json())
    else:
        for result in report.results:
            mark = "[green]ok[/green]  " if result.ok else f"[red]FAIL[/red] {result.problems} x"
            err.print(f"{mark} {result.name}: {result.meaning}")
            for example in result.examples:
                err.print(f"       {example}")
    if not report.ok:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("check")(check_cmd)
