"""Reading a finished batch run back: one table per output area, whatever the file format."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from marsad.errors import InputError

AREAS = ("articles", "rejects", "duplicates", "stories")


def load_output(out: Path, area: str) -> pa.Table:
    """Every row of `area` ("articles", "rejects", "duplicates", "stories") of the run in `out`,
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
