"""`ingest(..., workers=N)`: documents prepared in worker processes, stored by the one writer in input
order, give the store one worker gives: same stories, duplicate groups, rejections, entities, quotes."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from marsad import errors
from marsad.config import load_config
from marsad.ingest.files import read_paths
from marsad.pipeline import (
    default_clusterer,
    default_steps,
    ingest,
    refresh_changed_comparisons,
    restore_clusterer,
    worker_pool,
)
from marsad.store import Store

# Sorted whole-table dumps that must not depend on the number of workers.
TABLES = {
    "stories": "SELECT m.story_id, m.article_id, m.seq FROM story_members m ORDER BY m.seq",
    "storylines": "SELECT story_id, storyline_id FROM story_storylines ORDER BY story_id",
    "groups": "SELECT m.group_id, m.article_id, m.kind, g.canonical_id FROM dedup_members m"
    " JOIN dedup_groups g ON g.id = m.group_id ORDER BY m.article_id",
    "rejected": "SELECT stage, code, record_id FROM rejected ORDER BY record_id, stage, code",
    "articles": "SELECT id, external_id, title, language, published, outlet FROM articles ORDER BY id",
    "mentions": "SELECT article_id, idx, field, start_pos, end_pos, kind, key, name, rule, role FROM mentions"
    " ORDER BY article_id, idx",
    "quotes": "SELECT article_id, idx, start_pos, end_pos, speaker, speaker_key FROM quotes"
    " ORDER BY article_id, idx",
    "cluster_entities": "SELECT article_id, keys FROM cluster_entities ORDER BY article_id",
    "embeddings": "SELECT key, model, vector FROM embeddings ORDER BY key",
    "comparisons": "SELECT story_id, fingerprint, json FROM story_comparisons ORDER BY story_id",
}


def _records(shared_data: Path, n: int) -> list[dict[str, Any]]:
    path = shared_data / "saudinewsnet-events-dev" / "dev.jsonl"
    if not path.exists():
        pytest.skip(f"{path} not found (the SaudiNewsNet events dev set lives in ../shared/data)")
    out = []
    for line in path.read_text("utf-8").splitlines()[:n]:
        r = json.loads(line)
        out.append(
            {
                "id": r["id"],
                "title": r["title"],
                "text": r["text"],
                "outlet": r["source"],
                "published": r["date_extracted"].replace(" ", "T") + "+03:00",
            }
        )
    return out


def _input(tmp_path: Path, shared_data: Path, n: int = 36) -> Path:
    records = _records(shared_data, n)
    # A near copy of an earlier article (its last sentence cut): a duplicate group; the same record
    # twice in one input (stored once, then skipped); a record the reader rejects (no text) and one
    # extraction rejects (no article: a date line), both stored rejections.
    near = dict(records[3], id="near-copy", text=records[3]["text"].rsplit(".", 2)[0] + ".")
    records[10:10] = [
        near,
        dict(records[5]),
        {"id": "empty", "title": "عنوان", "text": "  "},
        {"id": "dateline", "text": "٢٠١٥/٠٨/٠١ - ١٢:٠٠"},
    ]
    path = tmp_path / "in.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    return path


def _run(
    db: Path, source: Path, workers: int, budget: float | None = None, *, shared: bool = True
) -> tuple[Any, dict[str, Any]]:
    """Ingest `source` into `db` and compare the changed stories as `marsad ingest` does: one pool of
    `workers` processes for both (`shared`), or each call with its own."""
    cfg = load_config(None)
    with Store(db) as store, worker_pool(workers if shared else 1) as pool:
        clusterer = default_clusterer(store.conn, cfg)
        restore_clusterer(store, clusterer)
        items = read_paths([source], max_bytes=cfg.ingest.max_bytes)
        steps = default_steps(cfg)
        report = ingest(store, items, clusterer, steps=steps, budget=budget, workers=workers, pool=pool)
        compared = refresh_changed_comparisons(
            store, report, max_articles=12, budget=600, workers=workers, pool=pool
        )
        assert compared is None or (compared.failed, compared.left) == (0, 0)
        conn: sqlite3.Connection = store.conn
        dump = {name: [tuple(row) for row in conn.execute(sql)] for name, sql in TABLES.items()}
    return report, dump


@pytest.mark.slow
def test_ingest_workers_store_what_one_worker_stores(tmp_path: Path, shared_data: Path) -> None:
    source = _input(tmp_path, shared_data)
    one_report, one = _run(tmp_path / "one.db", source, workers=1, budget=10.0)
    two_report, two = _run(tmp_path / "two.db", source, workers=2, budget=10.0)
    # The input is what the test says it is: a duplicate group, a skipped repeat, a rejection.
    assert one_report.added == 37 and one_report.skipped == 1
    assert sorted(r.code for r in one_report.rejected) == [errors.BAD_RECORD, errors.TOO_SHORT]
    assert len({g for g, *_ in one["groups"]}) < len(one["groups"])
    assert len({s for s, *_ in one["stories"]}) < len(one["stories"])
    assert one["mentions"] and one["quotes"] and one["embeddings"] and one["comparisons"]
    for name in TABLES:
        assert two[name] == one[name], name
    assert (two_report.added, two_report.skipped, two_report.new_stories) == (
        one_report.added,
        one_report.skipped,
        one_report.new_stories,
    )
    assert two_report.changed_stories == one_report.changed_stories


@pytest.mark.slow
def test_ingest_workers_resume_after_a_partial_run(tmp_path: Path, shared_data: Path) -> None:
    """A second run over the same input adds nothing, whatever the number of workers (kill -9 safety:
    each document is stored whole in one transaction, and documents already stored are skipped)."""
    source = _input(tmp_path, shared_data, n=12)
    first, before = _run(tmp_path / "s.db", source, workers=2, shared=False)
    again, after = _run(tmp_path / "s.db", source, workers=2, shared=False)
    assert first.added == 13 and again.added == 0 and again.skipped == 14
    assert after["stories"] == before["stories"] and after["groups"] == before["groups"]


@pytest.mark.slow
def test_ingest_workers_apply_the_time_budget(tmp_path: Path, shared_data: Path) -> None:
    """The per-document CPU budget holds inside the workers: under a budget no extraction fits in,
    every document becomes a stored E-over-budget rejection, nothing is half-stored."""
    source = _input(tmp_path, shared_data, n=8)
    report, dump = _run(tmp_path / "b.db", source, workers=2, budget=1e-6)
    assert report.added == 0
    assert report.over_budget == 11
    assert {code for _, code, _ in dump["rejected"]} >= {errors.OVER_BUDGET}
    assert not dump["articles"] and not dump["stories"]
