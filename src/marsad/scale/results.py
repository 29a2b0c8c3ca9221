"""Reading a finished batch run back: one table per output area, whatever the file format."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from marsad.entities.records import Mention
from marsad.errors import InputError
from marsad.quotes.records import Quote

AREAS = ("articles", "entities", "quotes", "rejects", "duplicates", "stories")


def load_output(out: Path, area: str) -> pa.Table:
    """Every row of `area` ("articles", "entities", "quotes", "rejects", "duplicates", "stories") of
    the run in `out`,
    from the files its manifest lists. Raises InputError when `out` holds no finished run."""
    if area not in AREAS:
        raise InputError(f"unknown output {area!r}; one of {', '.join(AREAS)}")
    try:
        manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(f"{out}: no finished batch run here (manifest.json: {exc})") from exc
    tables = []
    for name in manifest["outputs"]:
        if not name.startswith(f"{area}/"):
            continue
        path = out / name
        if path.suffix == ".jsonl":
            rows = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line]
            if rows:
                tables.append(pa.Table.from_pylist(rows))
        else:
            table = pq.read_table(path)
            if table.num_rows:
                tables.append(table)
    if not tables:
        return pa.table({})
    return pa.concat_tables(tables, promote_options="default")


def story_assignments(out: Path) -> dict[str, str]:
    """Document id -> story id of the run in `out`."""
    table = load_output(out, "stories")
    if table.num_rows == 0:
        return {}
    return dict(zip(table["id"].to_pylist(), table["story_id"].to_pylist(), strict=True))


def duplicate_groups(out: Path) -> dict[str, tuple[str, str]]:
    """Document id -> (group id, kind) of the run in `out`."""
    table = load_output(out, "duplicates")
    if table.num_rows == 0:
        return {}
    rows = zip(table["id"].to_pylist(), table["group_id"].to_pylist(), table["kind"].to_pylist(), strict=True)
    return {doc: (group, kind) for doc, group, kind in rows}


def document_mentions(out: Path) -> dict[str, list[Mention]]:
    """Document id -> its entity mentions in stored order (`idx`), as `marsad ingest` stores them
    without the persons known from other documents; a document without any is absent."""
    found: dict[str, list[tuple[int, Mention]]] = {}
    for row in _first_copies(load_output(out, "entities")):
        fields = {k: row[k] for k in ("text", "start", "end", "kind", "key", "name", "rule", "field", "role")}
        found.setdefault(row["id"], []).append((row["idx"], Mention(**fields)))
    return {doc: [m for _, m in sorted(rows, key=lambda r: r[0])] for doc, rows in found.items()}


def document_quotes(out: Path) -> dict[str, list[Quote]]:
    """Document id -> its quotes in stored order (`idx`); a document without any is absent."""
    found: dict[str, list[tuple[int, Quote]]] = {}
    for row in _first_copies(load_output(out, "quotes")):
        keys = ("text", "start", "end", "speaker", "speaker_key", "verb", "continuation", "field")
        found.setdefault(row["id"], []).append((row["idx"], Quote(**{k: row[k] for k in keys})))
    return {doc: [q for _, q in sorted(rows, key=lambda r: r[0])] for doc, rows in found.items()}


def _first_copies(table: pa.Table) -> list[dict[str, Any]]:
    """The rows of `table`, one per (document, idx): the same bytes read twice are one document,
    analysed wherever they were read, always with the same result."""
    seen: set[tuple[str, int]] = set()
    out = []
    for row in table.to_pylist() if table.num_rows else []:
        if (row["id"], row["idx"]) not in seen:
            seen.add((row["id"], row["idx"]))
            out.append(row)
    return out
