"""`marsad cluster` and `marsad similarity`: JSONL in, JSONL out, per the DESIGN.md contracts."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from marsad.cli.common import write_jsonl
from marsad.cluster.batch import cluster_records, score_records
from marsad.cluster.online import ClustererSettings
from marsad.records import Rejected

err = Console(stderr=True)

InFile = Annotated[
    Path, typer.Argument(help="Input JSONL, one record per line.", exists=True, dir_okay=False)
]
OutFile = Annotated[Path | None, typer.Option("-o", "--output", help="Output JSONL (default: stdout).")]


def _report(rejected: list[Rejected]) -> None:
    for rej in rejected:
        err.print(f"[red]bad record[/red] [{rej.code}] {rej.detail}", highlight=False)


def cluster_cmd(
    infile: InFile,
    output: OutFile = None,
    window_days: Annotated[int, typer.Option(help="Documents further apart never share a story.", min=0)] = 7,
    workers: Annotated[int, typer.Option(help="Embedding processes (1 thread each).", min=1)] = 2,
) -> None:
    """Assign every record {"id", "text"|"html", ...} to a story and its storyline, online in publication
    order."""
    run = cluster_records(infile, settings=ClustererSettings(window_days=window_days), workers=workers)
    write_jsonl(
        output,
        [
            {"id": doc_id, "story_id": story, "storyline_id": run.storylines[story]}
            for doc_id, story in run.assignments
        ],
    )
    _report(run.rejected)
    err.print(
        f"{len(run.assignments)} documents, {run.new_stories} stories, {len(run.rejected)} bad records",
        highlight=False,
    )
    if run.rejected:
        raise typer.Exit(1)


def similarity_cmd(
    infile: InFile,
    output: OutFile = None,
    fast: Annotated[
        bool, typer.Option("--fast", help="USE signals only: ~10x faster, less accurate (no e5).")
    ] = False,
) -> None:
    """Score every pair {"id", "text1", "text2"} in [0, 1]: higher = more likely the same story."""
    run = score_records(infile, fast=fast)
    write_jsonl(output, [{"id": pid, "score": score} for pid, score in run.scores])
    _report(run.rejected)
    if run.rejected:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("cluster")(cluster_cmd)
    app.command("similarity")(similarity_cmd)
