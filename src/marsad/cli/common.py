"""Options and output helpers shared by the command modules.

Conventions every command follows: `-o/--output` for output files (older spellings stay as hidden
aliases), flags for booleans, tables as wide as the terminal, progress on stderr only when stderr is
a terminal, and every rejected input reported once, by name, with one code and its reason.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from marsad.config import Config, default_db_path, load_config
from marsad.errors import HIDDEN, NO_STORE, StoreError
from marsad.records import Rejected
from marsad.store import Store

# soft_wrap: a message is never broken inside a URL or a path, whatever the width.
err = Console(stderr=True, highlight=False, soft_wrap=True)

DbOption = Annotated[
    Path | None,
    typer.Option("--db", help="SQLite store file (default: $MARSAD_DB or ~/.local/share/marsad/marsad.db)."),
]
ConfigOption = Annotated[
    Path | None, typer.Option("--config", help="TOML file overriding marsad's defaults.")
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
OutputOption = Annotated[Path | None, typer.Option("-o", "--output", help="Output file (default: stdout).")]
# The spelling older releases used; still accepted, no longer shown.
OutAlias = Annotated[Path | None, typer.Option("--out", hidden=True)]


def output_path(output: Path | None, alias: Path | None, *, required: bool = False) -> Path | None:
    """The output path given as -o/--output or as the hidden --out alias (not both).

    Raises typer.BadParameter (exit 2) when both are given, or neither when `required`.
    """
    if output is not None and alias is not None and output != alias:
        raise typer.BadParameter("give the output once, as -o/--output", param_hint="-o/--output")
    chosen = output if output is not None else alias
    if chosen is None and required:
        raise typer.BadParameter("an output is required", param_hint="-o/--output")
    return chosen


def store_path(db: Path | None, config: Config) -> Path:
    return db if db is not None else default_db_path(config)


def open_store(db: Path | None, config: Config) -> Store:
    """The store at `db` (or the configured default), created when it does not exist yet."""
    return Store(store_path(db, config))


def open_existing_store(db: Path | None, config: Config) -> Store:
    """The store at `db` (or the configured default) for reading; creates nothing.

    Raises StoreError (E301) naming the path and how to create a store when there is no file there.
    """
    path = store_path(db, config)
    if not path.is_file():
        raise StoreError(
            f"no store at {path}; create one with: marsad ingest FILES_OR_URLS --db {path}", code=NO_STORE
        )
    return Store(path)


def config_from(path: Path | None) -> Config:
    return load_config(path)


def print_json(value: Any) -> None:
    """UTF-8 JSON with Arabic as characters, never \\u escapes."""
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2) + "\n")


def write_jsonl(path: Path | None, rows: list[dict[str, Any]]) -> None:
    """One JSON object per line to `path` (or stdout when `path` is None or '-')."""
    text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    if path is None or str(path) == "-":
        sys.stdout.write(text)
    else:
        path.write_text(text, encoding="utf-8")


def print_table(table: Table) -> None:
    """`table` on stdout, as wide as the terminal (80 columns into a pipe, or $COLUMNS).

    Cells fold and wrap; they are never cut, so every character of every value is printed.
    """
    Console(highlight=False, soft_wrap=False).print(table)


def stderr_progress(*columns: TextColumn) -> Progress:
    """A progress display on stderr that stays silent unless stderr is a terminal."""
    return Progress(
        *(columns or (TextColumn("{task.description}"),)),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    )


def count_lines(path: Path) -> int:
    """Non-blank lines of `path` (the record count of a JSONL file), for a progress total."""
    with path.open("rb") as handle:
        return sum(1 for line in handle if line.strip())


def rejection_reason(rej: Rejected) -> str:
    """'NAME: reason' without the code, the input named, whatever form the detail has."""
    detail = rej.detail
    prefix = f"[{rej.code}] "
    while detail.startswith(prefix):
        detail = detail[len(prefix) :]
    if rej.record_id and rej.record_id not in detail:
        detail = f"{rej.record_id}: {detail}"
    return detail


def rejection_text(rej: Rejected) -> str:
    """'[E108] NAME: reason': the code once, then `rejection_reason`."""
    return f"[{rej.code}] {rejection_reason(rej)}"


def report_rejections(rejected: Iterable[Rejected], *, seen: int | None = None) -> int:
    """Print on stderr a summary naming each rejected input once; returns how many were named."""
    unique = list({(r.record_id, r.code, rejection_text(r)): r for r in rejected}.values())
    # Hidden files met while walking a directory (E112) are named, but they were not asked for: a
    # `.DS_Store` must not make every run look failed, so they do not count toward exit 1.
    hidden = [r for r in unique if r.code == HIDDEN]
    unique = [r for r in unique if r.code != HIDDEN]
    if hidden:
        err.print(
            f"{len(hidden)} hidden file(s) or folder(s) not read (name one to ingest it):", markup=False
        )
        for rej in hidden:
            err.print(f"  {rej.record_id}", markup=False)
    if not unique:
        return 0
    of = f" of {seen}" if seen is not None else ""
    err.print(f"[red]{len(unique)}{of} input(s) rejected:[/red]")
    for rej in unique:
        err.print(f"  {escape(rejection_text(rej))}")
    return len(unique)
