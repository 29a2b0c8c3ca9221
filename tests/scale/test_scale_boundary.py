"""Batch map tasks at the stage boundary: hostile files and a failing extraction become rejects, the
shard goes on; listing inputs survives dangling links and reports hidden files."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from marsad import errors
from marsad.dedup.params import DedupParams
from marsad.records import Article, RawDocument
from marsad.scale import analysis, mapper
from marsad.scale.context import RunContext
from marsad.scale.shards import list_shards, read_shard

BODY = "The council met on Monday and agreed a new budget for the city's schools and its hospitals."


def _ctx(tmp_path: Path) -> RunContext:
    return RunContext(
        out=tmp_path / "out",
        fingerprint="test",
        inputs_digest="x",
        partitions=2,
        dedup=DedupParams(),
        window_seconds=7 * 86400,
        cluster_window_seconds=7 * 86400,
        join_threshold=0.3,
        clusterer="lexical",
        max_bytes=1 << 20,
        fmt="jsonl",
        time_budget=2.0,
    )


def test_listing_and_reading_hostile_inputs_never_raises(tmp_path: Path) -> None:
    root = tmp_path / "in"
    root.mkdir()
    (root / "dangling.txt").symlink_to(tmp_path / "missing")
    (root / ".hidden").write_text("x")
    (root / "cut.jsonl.gz").write_bytes(gzip.compress(b'{"id": 1, "text": "a"}\n' * 500)[:60])
    lines = [json.dumps({"id": n, "text": f"{BODY} {n}"}) for n in range(3)] + ["[" * 100_000]
    (root / "a.jsonl").write_text("\n".join(lines) + "\n")
    items = [i for shard in list_shards([str(root)]) for i in read_shard(shard, max_bytes=1 << 20)]
    codes = sorted((i.code, Path(i.record_id).name) for i in items if not isinstance(i, RawDocument))
    assert codes == [
        ("E104", "a.jsonl@345"),
        ("E106", "dangling.txt"),
        ("E111", "cut.jsonl.gz"),
        ("E112", ".hidden"),
    ]
    assert sum(isinstance(i, RawDocument) and "a.jsonl" in i.source for i in items) == 3


def test_map_task_rejects_what_extraction_raises_and_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = analysis.extract  # the map reads each article through marsad.scale.analysis

    def flaky(raw: RawDocument) -> Article:
        if b"BOOM" in raw.content:
            raise RecursionError("maximum recursion depth exceeded")
        if b"SLOW" in raw.content:
            while True:
                pass
        return real(raw)

    monkeypatch.setattr(analysis, "extract", flaky)
    texts = [BODY, f"BOOM {BODY}", f"SLOW {BODY}", f"{BODY} again"]
    path = tmp_path / "a.jsonl"
    path.write_text("".join(json.dumps({"id": n, "text": t}) + "\n" for n, t in enumerate(texts)))
    (shard,) = list_shards([str(path)])
    kept, rejected, read, _ = mapper._extracted(mapper.MapTask(shard, _ctx(tmp_path)))
    assert read == 4 and len(kept) == 2, [(r.code, r.detail[-120:]) for r in rejected]
    assert sorted(r.code for r in rejected) == [errors.OVER_BUDGET, errors.UNEXPECTED]
