"""Options and output helpers shared by the command modules."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from marsad.config import Config, default_db_path, load_config
from marsad.store import Store

DbOption = Annotated[
    Path | None,
    typer.Option("--db", help="SQLite store file (default: $MARSAD_DB or ~/.local/share/marsad/marsad.db)."),
]
ConfigOption = Annotated[
    Path | None, typer.Option("--config", help="TOML file overriding marsad's defaults.")
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def open_store(db: Path | None, config: Config) -> Store:
    return Store(db if db is not None else default_db_path(config))


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
