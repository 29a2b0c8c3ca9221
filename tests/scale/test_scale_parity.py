"""Parity: `marsad dedup`, `marsad ingest` (the store) and `marsad batch` give the same duplicate groups.

Groups are compared as every document's (canonical member, kind): by input record id between
`marsad dedup` and the batch, by content id between the store and the batch. The story half of the
parity (`marsad cluster` vs the batch within one window) is in test_scale_story_parity.py.
"""

from __future__ import annotations

import json
from pathlib import Path

from parity_inputs import write_real_copies, write_roundup_case

from marsad.cluster.lexical import LexicalClusterer
from marsad.config import load_config
from marsad.dedup import DedupParams, DedupStep, MemoryDedupIndex
from marsad.dedup.jsonl import dedup_jsonl
from marsad.ingest.files import read_paths
from marsad.pipeline import ingest
from marsad.scale import BatchOptions, LocalExecutor, run_batch
from marsad.scale.results import load_output
from marsad.store import Store

Groups = dict[str, tuple[str, str]]  # document -> (canonical, kind), documents in groups of 2+


def dedup_groups(path: Path, params: DedupParams | None = None) -> Groups:
    run = dedup_jsonl(path, params, workers=1)
    assert not run.rejected
    return {r["id"]: (r["group_id"], r["kind"]) for r in run.rows if r["kind"] != "unique"}


def store_groups(db: Path, inputs: list[Path], params: DedupParams | None = None) -> Groups:
    with Store(db) as store:
        report = ingest(store, read_paths(inputs), LexicalClusterer(), steps=[DedupStep(params)])
        assert not report.rejected
        rows = store.conn.execute(
            "SELECT m.article_id, g.canonical_id, m.kind FROM dedup_members m"
            " JOIN dedup_groups g ON g.id = m.group_id WHERE g.size > 1"
        ).fetchall()
    return {r[0][:16]: (r[1][:16], r[2]) for r in rows}


def batch_groups(out: Path, inputs: list[Path], **options: object) -> tuple[Groups, Groups]:
    """(by record id, by content id) of a batch run (lexical stories: only the groups are compared)."""
    opts = BatchOptions(partitions=4, clusterer="lexical", **options)  # type: ignore[arg-type]
    run_batch([str(p) for p in inputs], out, config=load_config(), options=opts, executor=LocalExecutor(1))
    rows = load_output(out, "duplicates").to_pylist()
    record_of = {r["id"]: r["record_id"] for r in rows}
    grouped = [r for r in rows if r["size"] > 1]
    by_record = {r["record_id"]: (record_of[r["canonical"]], r["kind"]) for r in grouped}
    by_content = {r["id"]: (r["canonical"], r["kind"]) for r in grouped}
    return by_record, by_content


def test_parity_roundup_case_one_answer_and_briefs_apart(seeds_dir: Path, tmp_path: Path) -> None:
    path = write_roundup_case(seeds_dir, tmp_path / "five.jsonl")
    expected = dedup_groups(path)
    assert {m: c for m, (c, _) in expected.items()} == {
        "brief-a": "brief-a",
        "long-a": "brief-a",
        "wire-a": "brief-a",
        "brief-b": "brief-b",
        "roundup": "brief-b",
    }
    by_record, by_content = batch_groups(tmp_path / "batch", [path])
    assert by_record == expected
    assert by_content == store_groups(tmp_path / "m.db", [path])


def test_parity_real_articles_and_their_copies(shared_data: Path, tmp_path: Path) -> None:
    path = write_real_copies(shared_data, tmp_path / "real.jsonl")
    expected = dedup_groups(path)
    kinds = {k for _, k in expected.values()}
    assert {"exact", "near", "contained"} <= kinds, kinds  # the input exercises every kind
    by_record, by_content = batch_groups(tmp_path / "batch", [path])
    assert by_record == expected
    assert by_content == store_groups(tmp_path / "m.db", [path])
    # No roundup joins the two articles it is made of (unless they are copies on their own: MMDS
    # carries one agency story in two outlets).
    texts = {r["id"]: r["text"] for r in map(json.loads, path.read_text("utf-8").splitlines())}
    for n in range(3, 80, 5):
        a, b = expected.get(f"base-{n}"), expected.get(f"base-{n + 1}")
        if a is not None and b is not None and a[0] == b[0]:
            alone = MemoryDedupIndex()
            alone.add([texts[f"base-{n}"], texts[f"base-{n + 1}"]])
            assert alone.canonical(1) == 0, n


def test_parity_sample_corpus_store_and_batch(samples_dir: Path, tmp_path: Path) -> None:
    """Every input kind (dumps, HTML pages, a feed export): the store and the batch agree."""
    _, by_content = batch_groups(tmp_path / "batch", [samples_dir])
    assert by_content == store_groups(tmp_path / "m.db", [samples_dir])
    assert len(set(c for c, _ in by_content.values())) == 3


def test_parity_config_thresholds_reach_the_batch(seeds_dir: Path, tmp_path: Path) -> None:
    """A stricter near threshold changes dedup, store and batch the same way."""
    path = write_roundup_case(seeds_dir, tmp_path / "five.jsonl")
    params = DedupParams(near_threshold=0.95, containment_threshold=0.95)
    expected = dedup_groups(path, params)
    assert expected != dedup_groups(path)
    by_record, by_content = batch_groups(tmp_path / "batch", [path], dedup=params)
    assert by_record == expected
    assert by_content == store_groups(tmp_path / "m.db", [path], params)


def test_parity_arrival_order_spans_files(shared_data: Path, tmp_path: Path) -> None:
    """The input cut into three files (three shards, mapped apart) gives the groups of the whole."""
    path = write_real_copies(shared_data, tmp_path / "real.jsonl")
    lines = path.read_text("utf-8").splitlines(keepends=True)
    parts = []
    for i, cut in enumerate((lines[:50], lines[50:90], lines[90:])):
        parts.append(tmp_path / "in" / f"part-{i}.jsonl")
        parts[-1].parent.mkdir(exist_ok=True)
        parts[-1].write_text("".join(cut), "utf-8")
    by_record, _ = batch_groups(tmp_path / "batch", [tmp_path / "in"])
    assert by_record == dedup_groups(path)
