"""The batch job end to end on a small Arabic corpus: outputs, equality across workers, resume."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from scale_corpus import Corpus
from typer.testing import CliRunner

from marsad.cli.main import app
from marsad.cluster.base import story_id_for
from marsad.config import load_config
from marsad.scale import BatchOptions, LocalExecutor, TaskFailedError, run_batch
from marsad.scale.executor import OnDone, Task
from marsad.scale.results import duplicate_groups, load_output, story_assignments


def _run(corpus: Corpus, out: Path, **kwargs: Any) -> dict[str, Any]:
    executor = kwargs.pop("executor", None)
    kwargs.setdefault("clusterer", "lexical")  # fast; the learned clusterer has its own tests
    options = BatchOptions(partitions=4, **kwargs)
    return run_batch(corpus.inputs, out, config=load_config(), options=options, executor=executor)


def test_batch_writes_articles_duplicates_stories_and_rejects(corpus: Corpus, tmp_path: Path) -> None:
    manifest = _run(corpus, tmp_path / "out")
    ids = corpus.ids
    counts = manifest["counts"]
    assert counts["read"] == 10 and counts["articles"] == 8 and counts["rejected"] == 2
    assert counts["rejected_by_code"] == {"extract:E105": 1, "ingest:E104": 1}
    articles = load_output(tmp_path / "out", "articles")
    assert sorted(articles["record_id"].to_pylist()) == sorted(ids)
    assert "إضراب" in articles.to_pylist()[0]["body"] or "إضراب" in " ".join(articles["body"].to_pylist())
    rejects = load_output(tmp_path / "out", "rejects").to_pylist()
    assert any("a.jsonl@" in r["record_id"] and r["code"] == "E104" for r in rejects)

    groups = duplicate_groups(tmp_path / "out")
    assert groups[ids["strike-a-copy"]] == (ids["strike-a"], "exact")
    assert groups[ids["strike-b-edit"]] == (ids["strike-b"], "near")
    assert groups[ids["undated"]] == (ids["flood"], "near")  # the dated copy is canonical
    assert groups[ids["election-a"]] == (ids["election-a"], "unique")

    stories = story_assignments(tmp_path / "out")
    assert set(stories) == set(ids.values())
    strike = story_id_for(ids["strike-a"])
    # The strike crosses the window boundary of 2026-03-12: one story, named after its first article.
    assert {stories[ids[n]] for n in ("strike-a", "strike-a-copy", "strike-b", "strike-b-edit")} == {strike}
    assert stories[ids["election-a"]] == stories[ids["election-b"]] != strike
    assert stories[ids["undated"]] == stories[ids["flood"]] == story_id_for(ids["flood"])
    assert manifest["counts"]["stories"]["boundary_links"] == 1
    assert manifest["counts"]["stories"]["stories"] == 3


def test_batch_same_answer_with_one_and_two_workers(corpus: Corpus, tmp_path: Path) -> None:
    one = _run(corpus, tmp_path / "one", workers=1)
    two = _run(corpus, tmp_path / "two", workers=2)
    assert story_assignments(tmp_path / "one") == story_assignments(tmp_path / "two")
    assert duplicate_groups(tmp_path / "one") == duplicate_groups(tmp_path / "two")
    assert one["counts"] == two["counts"]
    assert one["fingerprint"] == two["fingerprint"]


def test_batch_jsonl_format_matches_parquet(corpus: Corpus, tmp_path: Path) -> None:
    _run(corpus, tmp_path / "pq")
    manifest = _run(corpus, tmp_path / "js", fmt="jsonl")
    assert all(name.endswith(".jsonl") for name in manifest["outputs"])
    assert story_assignments(tmp_path / "pq") == story_assignments(tmp_path / "js")
    line = next((tmp_path / "js" / "articles").glob("*.jsonl")).read_text("utf-8").splitlines()[0]
    assert "\\u06" not in line and json.loads(line)["id"]


@dataclass
class CrashOnce:
    """An executor that fails one chosen task the first time it runs (a worker crash mid-run)."""

    target: str
    inner: LocalExecutor = field(default_factory=LocalExecutor)
    name: str = "local"
    workers: int = 1
    calls: dict[str, int] = field(default_factory=dict)

    def run(self, task: Task, items: Sequence[Any], on_done: OnDone | None = None) -> list[dict[str, Any]]:
        def flaky(item: Any) -> dict[str, Any]:
            key = str(getattr(item, "key", ""))
            self.calls[key] = self.calls.get(key, 0) + 1
            if key == self.target and self.calls[key] == 1:
                raise RuntimeError("worker killed")
            return task(item)

        return self.inner.run(flaky, items, on_done)

    def close(self) -> None:
        self.inner.close()


def test_batch_resume_redoes_only_the_crashed_shard(corpus: Corpus, tmp_path: Path) -> None:
    clean = _run(corpus, tmp_path / "clean")
    from marsad.scale.shards import list_shards

    shards = list_shards(corpus.inputs)
    assert len(shards) == 2
    crashing = CrashOnce(target=shards[0].key)
    with pytest.raises(TaskFailedError, match="1 of 2 tasks failed"):
        _run(corpus, tmp_path / "out", executor=crashing)
    assert crashing.calls == {shards[0].key: 1, shards[1].key: 1}

    counting = CrashOnce(target="none")
    resumed = _run(corpus, tmp_path / "out", executor=counting)
    map_calls = {k: n for k, n in counting.calls.items() if k in {s.key for s in shards}}
    assert map_calls == {shards[0].key: 1}  # the finished shard was skipped
    assert resumed["resumed_tasks"]["map"] == 1
    assert resumed["counts"] == clean["counts"]  # nothing counted twice
    assert story_assignments(tmp_path / "out") == story_assignments(tmp_path / "clean")
    assert duplicate_groups(tmp_path / "out") == duplicate_groups(tmp_path / "clean")

    again = _run(corpus, tmp_path / "out", executor=(idle := CrashOnce(target="none")))
    assert idle.calls == {} and again["counts"] == clean["counts"]


def test_batch_new_settings_redo_and_drop_stale_outputs(corpus: Corpus, tmp_path: Path) -> None:
    first = _run(corpus, tmp_path / "out")
    second = run_batch(
        corpus.inputs,
        tmp_path / "out",
        config=load_config(),
        options=BatchOptions(partitions=2, clusterer="lexical"),
    )
    assert first["fingerprint"] != second["fingerprint"]
    assert not second["resumed_tasks"]
    parts = sorted(p.name for p in (tmp_path / "out" / "duplicates").iterdir())
    assert parts == [
        "part-g00000.parquet",
        "part-g00001.parquet",
        "part-u00000.parquet",
        "part-u00001.parquet",
    ]
    assert [p.name for p in (tmp_path / "out" / "_work").iterdir()] == [second["fingerprint"]]


def test_batch_rejects_window_shorter_than_cluster_window(corpus: Corpus, tmp_path: Path) -> None:
    from marsad.errors import ConfigError

    with pytest.raises(ConfigError, match="window-days"):
        _run(corpus, tmp_path / "out", window_days=2.0)


def test_batch_cli_prints_summary_and_manifest(corpus: Corpus, tmp_path: Path) -> None:
    out = tmp_path / "cli"
    result = CliRunner().invoke(
        app,
        ["batch", *corpus.inputs, "--out", str(out), "--partitions", "2", "--clusterer", "lexical", "--json"],
    )
    # The corpus holds one broken line and one record without text: all else is written, then exit 1.
    assert result.exit_code == 1, result.output
    assert "2 record(s) rejected: extract:E105 x1, ingest:E104 x1" in result.stderr
    manifest = json.loads(result.stdout)
    assert manifest["counts"]["articles"] == 8
    assert json.loads((out / "manifest.json").read_text("utf-8"))["fingerprint"] == manifest["fingerprint"]
    assert set(manifest["timings"]) >= {"map", "buckets", "windows", "finalize", "total"}
    text = CliRunner().invoke(
        app, ["batch", *corpus.inputs, "--out", str(out), "--partitions", "2", "--clusterer", "lexical"]
    )
    assert text.exit_code == 1 and "resumed" in text.stdout and "duplicate groups" in text.stdout


def test_batch_cli_missing_input_is_exit_1(tmp_path: Path) -> None:
    import sys

    from marsad.cli.main import main

    argv = sys.argv
    sys.argv = ["marsad", "batch", str(tmp_path / "nope"), "--out", str(tmp_path / "o")]
    try:
        with pytest.raises(SystemExit) as exc:
            main()
    finally:
        sys.argv = argv
    assert exc.value.code == 1


def test_batch_same_bytes_twice_is_one_document(corpus: Corpus, tmp_path: Path) -> None:
    root = Path(corpus.inputs[0])
    first_line = (root / "a.jsonl").read_text("utf-8").splitlines()[0]
    (root / "c.jsonl").write_text(first_line + "\n", encoding="utf-8")
    manifest = _run(corpus, tmp_path / "out")
    assert manifest["counts"]["read"] == 11 and manifest["counts"]["repeated_ids"] == 1
    assert manifest["counts"]["documents"] == 8
    stories = load_output(tmp_path / "out", "stories")["id"].to_pylist()
    assert len(stories) == len(set(stories)) == 8
    assert len(load_output(tmp_path / "out", "duplicates")) == 8


@pytest.mark.slow
def test_batch_embedding_clusterer_same_answer_with_two_workers(corpus: Corpus, tmp_path: Path) -> None:
    one = _run(corpus, tmp_path / "one", clusterer="embedding")
    two = _run(corpus, tmp_path / "two", clusterer="embedding", workers=2)
    stories = story_assignments(tmp_path / "one")
    assert stories == story_assignments(tmp_path / "two")
    assert one["counts"] == two["counts"]
    ids = corpus.ids
    # Exact and near copies take their canonical's story whatever the clusterer decides.
    assert stories[ids["strike-a-copy"]] == stories[ids["strike-a"]]
    assert stories[ids["undated"]] == stories[ids["flood"]]
    assert stories[ids["flood"]] != stories[ids["election-a"]]


def test_batch_output_inside_input_is_not_read_back(corpus: Corpus, tmp_path: Path) -> None:
    out = Path(corpus.inputs[0]) / "run"
    first = _run(corpus, out)
    second = _run(corpus, out, fmt="jsonl")  # a new run: the first run's files are not inputs
    assert first["shards"] == second["shards"] == 2
    assert second["counts"]["read"] == 10


def test_batch_all_rejected_still_writes_a_manifest(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x"}\n[1, 2]\n', encoding="utf-8")
    manifest = run_batch(
        [str(bad)],
        tmp_path / "out",
        config=load_config(),
        options=BatchOptions(partitions=2, clusterer="lexical"),
    )
    assert manifest["counts"]["articles"] == 0 and manifest["counts"]["rejected"] == 2
    assert story_assignments(tmp_path / "out") == {} and duplicate_groups(tmp_path / "out") == {}
    rejects = load_output(tmp_path / "out", "rejects").to_pylist()
    assert sorted((r["stage"], r["code"]) for r in rejects) == [("extract", "E105"), ("ingest", "E105")]


def test_batch_cli_honours_the_config_dedup_section(corpus: Corpus, tmp_path: Path) -> None:
    """Issue 16: `--config` with [dedup] near_threshold = 0.95 reaches the run (it was left at 0.5)."""
    cfg = tmp_path / "marsad.toml"
    cfg.write_text("[dedup]\nnear_threshold = 0.95\n", encoding="utf-8")
    out = tmp_path / "cli"
    args = ["batch", *corpus.inputs, "--out", str(out), "--partitions", "2", "--clusterer", "lexical"]
    result = CliRunner().invoke(app, [*args, "--config", str(cfg), "--json"])
    assert result.exit_code == 1, result.output  # the corpus holds two bad records on purpose
    manifest = json.loads(result.stdout)
    assert manifest["settings"]["dedup"]["near_threshold"] == 0.95
    groups = duplicate_groups(out)
    ids = corpus.ids
    # The light edit (Jaccard about 0.8) is no longer a near copy at 0.95; the exact copy still is.
    assert groups[ids["strike-b-edit"]][1] != "near"
    assert groups[ids["strike-a-copy"]] == (ids["strike-a"], "exact")
    default = json.loads(CliRunner().invoke(app, [*args, "--json"]).stdout)
    assert default["settings"]["dedup"]["near_threshold"] == 0.5
    assert default["fingerprint"] != manifest["fingerprint"]
