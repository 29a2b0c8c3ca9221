"""`marsad cluster` and `marsad similarity`: JSONL in, JSONL out, per the DESIGN.md contracts."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from marsad.cli.common import (
    OutAlias,
    OutputOption,
    count_lines,
    err,
    output_path,
    report_rejections,
    stderr_progress,
    write_jsonl,
)
from marsad.cluster.batch import cluster_records, score_records
from marsad.cluster.online import ClustererSettings

InFile = Annotated[
    Path, typer.Argument(help="Input JSONL, one record per line.", exists=True, dir_okay=False)
]


def cluster_cmd(
    infile: InFile,
    output: OutputOption = None,
    window_days: Annotated[int, typer.Option(help="Documents further apart never share a story.", min=0)] = 7,
    workers: Annotated[int, typer.Option(help="Embedding processes (1 thread each).", min=1)] = 2,
    out: OutAlias = None,
) -> None:
    """Assign every record {"id", "text"|"html", ...} to a story and its storyline, online in publication
    order."""
    target = output_path(output, out)
    with stderr_progress() as progress:
        task = progress.add_task("cluster", total=count_lines(infile))
        run = cluster_records(
            infile,
            settings=ClustererSettings(window_days=window_days),
            workers=workers,
            on_progress=lambda done: progress.update(task, completed=done),
        )
    write_jsonl(
        target,
        [
            {"id": doc_id, "story_id": story, "storyline_id": run.storylines[story]}
            for doc_id, story in run.assignments
        ],
    )
    err.print(
        f"{len(run.assignments)} documents, {run.new_stories} stories, {len(run.rejected)} bad records",
        markup=False,
    )
    if report_rejections(run.rejected):
        raise typer.Exit(1)


def similarity_cmd(
    infile: InFile,
    output: OutputOption = None,
    fast: Annotated[
        bool, typer.Option("--fast", help="USE signals only: ~10x faster, less accurate (no e5).")
    ] = False,
    out: OutAlias = None,
) -> None:
    """Score every pair {"id", "text1", "text2"} in [0, 1]: higher = more likely the same story."""
    target = output_path(output, out)
    with stderr_progress() as progress:
        task = progress.add_task("similarity", total=count_lines(infile))
        run = score_records(infile, fast=fast, on_progress=lambda done: progress.update(task, completed=done))
    write_jsonl(target, [{"id": pid, "score": score} for pid, score in run.scores])
    if report_rejections(run.rejected):
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("cluster")(cluster_cmd)
    app.command("similarity")(similarity_cmd)
