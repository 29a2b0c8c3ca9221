"""Ray in local mode (started on this machine, no cluster): the same answer as the single process."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from scale_corpus import Corpus

from marsad.config import load_config
from marsad.scale import BatchOptions, LocalExecutor, RayExecutor, run_batch
from marsad.scale.results import duplicate_groups, story_assignments

pytest.importorskip("ray", reason="Ray is the optional extra: pip install 'marsad[ray]'")

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def ray_executor() -> Iterator[RayExecutor]:
    executor = RayExecutor(workers=2)
    try:
        yield executor
    finally:
        executor.close()


def test_ray_batch_matches_single_process(ray_executor: RayExecutor, corpus: Corpus, tmp_path: Path) -> None:
    options = BatchOptions(partitions=4, clusterer="lexical")
    config = load_config()
    single = run_batch(
        corpus.inputs, tmp_path / "single", config=config, options=options, executor=LocalExecutor(1)
    )
    on_ray = run_batch(corpus.inputs, tmp_path / "ray", config=config, options=options, executor=ray_executor)
    assert on_ray["executor"] == {"name": "ray", "workers": 2}
    assert story_assignments(tmp_path / "ray") == story_assignments(tmp_path / "single")
    assert duplicate_groups(tmp_path / "ray") == duplicate_groups(tmp_path / "single")
    assert on_ray["counts"] == single["counts"]
    assert on_ray["counts"]["stories"]["boundary_links"] == 1


def test_ray_retries_the_task_of_a_killed_worker(ray_executor: RayExecutor, tmp_path: Path) -> None:
    flag = str(tmp_path / "died")
    done: list[int] = []

    def die_once(item: tuple[str, int]) -> dict[str, Any]:
        # Defined here so that Ray ships it by value (the test module is not importable by workers).
        flag, n = item
        if n == 1 and not Path(flag).exists():
            Path(flag).write_text("died")
            os._exit(9)
        return {"n": n}

    results = ray_executor.run(die_once, [(flag, n) for n in range(3)], lambda i, s: done.append(s["n"]))
    assert Path(flag).exists()
    assert [r["n"] for r in results] == [0, 1, 2]
    assert sorted(done) == [0, 1, 2]


def test_ray_duplicate_groups_match_marsad_dedup(
    ray_executor: RayExecutor, seeds_dir: Path, shared_data: Path, tmp_path: Path
) -> None:
    """Parity on Ray: the roundup case and copies of real articles give `marsad dedup`'s groups."""
    from parity_inputs import write_real_copies, write_roundup_case
    from test_scale_parity import dedup_groups

    from marsad.scale.results import load_output

    inputs = [write_roundup_case(seeds_dir, tmp_path / "five.jsonl")]
    inputs.append(write_real_copies(shared_data, tmp_path / "real.jsonl"))
    for path in inputs:
        out = tmp_path / f"ray-{path.stem}"
        options = BatchOptions(partitions=4, clusterer="lexical")
        run_batch([str(path)], out, config=load_config(), options=options, executor=ray_executor)
        rows = load_output(out, "duplicates").to_pylist()
        record_of = {r["id"]: r["record_id"] for r in rows}
        got = {r["record_id"]: (record_of[r["canonical"]], r["kind"]) for r in rows if r["size"] > 1}
        assert got == dedup_groups(path)


def test_ray_entities_and_quotes_match_single_process(
    ray_executor: RayExecutor, events_input: Path, tmp_path: Path
) -> None:
    """The map's entity and quote stages on Ray: the single process's mentions and quotes (which
    test_scale_entities.py checks against ingest)."""
    from test_scale_entities import batch_run

    from marsad.scale.results import document_mentions, document_quotes

    single = batch_run(tmp_path / "single", [events_input])
    on_ray = batch_run(tmp_path / "ray", [events_input], ray_executor)
    assert document_mentions(tmp_path / "ray") == document_mentions(tmp_path / "single")
    assert document_quotes(tmp_path / "ray") == document_quotes(tmp_path / "single")
    assert on_ray["counts"] == single["counts"]
    assert single["counts"]["mentions"] > 300  # type: ignore[index,operator]
