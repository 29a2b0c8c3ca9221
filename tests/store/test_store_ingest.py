"""Ingest into a real store file: idempotence, rejects kept with reasons, resume after kill -9."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from marsad.cluster.lexical import LexicalClusterer
from marsad.ingest import open_sources
from marsad.pipeline import ingest
from marsad.store import Store
from marsad.store import articles as article_repo
from marsad.store import rejects as reject_repo
from marsad.store import stories as story_repo
from marsad.store.check import check_store


def _ingest(store: Store, *paths: Path) -> tuple[int, int, int]:
    report = ingest(store, open_sources([str(p) for p in paths], max_bytes=20_000_000), LexicalClusterer())
    return report.added, report.skipped, len(report.rejected)


def test_ingest_seeds_one_story_two_articles_and_idempotent(store: Store, seeds_dir: Path) -> None:
    assert _ingest(store, seeds_dir) == (2, 0, 0)
    stories = story_repo.list_stories(store)
    assert len(stories) == 1 and stories[0].size == 2
    before = article_repo.counts(store)
    assert _ingest(store, seeds_dir) == (0, 2, 0)
    assert article_repo.counts(store) == before


def test_ingest_bad_inputs_rejected_with_reasons_rest_ingested(
    store: Store, tmp_path: Path, seeds_dir: Path
) -> None:
    batch = tmp_path / "batch"
    batch.mkdir()
    (batch / "a_random.bin").write_bytes(os.urandom(4096))
    (batch / "b_empty.txt").write_bytes(b"")
    with open(batch / "c_huge.txt", "wb") as fh:  # 50 MB, over the 20 MB default limit
        fh.write(("خبر " * 1000 + "\n").encode() * 10_500)
    good = {"id": "r1", "title": "عنوان", "text": "فقرة أولى من الخبر عن الرقة.\n\nفقرة ثانية."}
    lines = [json.dumps(good, ensure_ascii=False), '{"id": "r2", "text": "broken', json.dumps({"id": "r3"})]
    (batch / "d_records.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (batch / "e_seed.txt").write_bytes((seeds_dir / "000_f462c494be0ac3b8.txt").read_bytes())

    added, skipped, rejected = _ingest(store, batch)
    assert (added, skipped, rejected) == (2, 0, 5)
    stored = {
        (r.stage, r.code, Path(r.record_id.split(":")[0]).name) for r in reject_repo.list_rejected(store)
    }
    assert stored == {
        ("extract", "E102", "a_random.bin"),
        ("ingest", "E101", "b_empty.txt"),
        ("ingest", "E103", "c_huge.txt"),
        ("ingest", "E104", "d_records.jsonl"),
        ("extract", "E105", "d_records.jsonl"),
    }
    details = {r.code: r.detail for r in reject_repo.list_rejected(store)}
    assert "d_records.jsonl:2" in details["E104"] and "invalid JSON" in details["E104"]
    assert "d_records.jsonl:3" in details["E105"] or "r3" in details["E105"]
    assert "c_huge.txt" in details["E103"] and "byte limit" in details["E103"]
    # A re-run stores the rejects once, not twice.
    _ingest(store, batch)
    assert len(reject_repo.list_rejected(store)) == 5


def _marsad(*args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "marsad", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )


def test_ingest_resumes_after_kill_9(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    n = 400
    for i in range(n):
        (corpus / f"{i:04d}.txt").write_text(
            f"عنوان الخبر رقم {i}\n\nهذه فقرة من الخبر رقم {i} عن حدث في مدينة {i % 7} يوم {i % 28 + 1}."
            f"\n\nفقرة ثانية تذكر الرقم {i * 13} والوكالة. (أ ف ب)\n",
            encoding="utf-8",
        )
    db = tmp_path / "k.db"
    proc = _marsad("ingest", str(corpus), "--db", str(db))
    deadline = time.monotonic() + 120
    stored = 0
    while time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
        if db.exists():
            try:
                with Store(db) as s:
                    stored = article_repo.counts(s)["articles"]
            except Exception:  # the writer may hold the lock for a moment
                continue
            if stored >= 40:
                break
    assert proc.poll() is None, "ingest finished before it could be killed; make the corpus bigger"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    with Store(db) as s:
        partial = article_repo.counts(s)["articles"]
    assert 0 < partial < n

    rerun = _marsad("ingest", str(corpus), "--db", str(db), "--json")
    out, err = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, err.decode()
    summary = json.loads(out)
    assert summary["added"] == n - partial and summary["already_stored"] == partial
    with Store(db) as s:
        c = article_repo.counts(s)
        assert c["documents"] == n and c["articles"] == n
        members = s.conn.execute("SELECT count(*), count(DISTINCT article_id) FROM story_members").fetchone()
        assert tuple(members) == (n, n)
        assert s.integrity_ok()
        report = check_store(s)
        assert report.ok, report.failed()


def test_ingest_records_the_clusters_entity_keys_and_restore_replays_them(
    store: Store, seeds_dir: Path
) -> None:
    from marsad.cluster.base import ClusterDoc
    from marsad.pipeline import restore_clusterer

    _ingest(store, seeds_dir)
    rows = store.conn.execute("SELECT article_id, keys FROM cluster_entities").fetchall()
    assert len(rows) == 2
    for _, keys in rows:
        # both seeds name Lavrov (one Arabic key across their spellings), Raqqa and ISIS
        assert {"per:LFRF", "org:ISIS"} <= set(json.loads(keys))

    seen: list[ClusterDoc] = []

    class Spy:
        def restore(self, doc: ClusterDoc, story_id: str, storyline_id: str | None = None) -> None:
            seen.append(doc)

    restore_clusterer(store, Spy())  # type: ignore[arg-type]
    assert len(seen) == 2
    assert all(d.entities is not None and "per:LFRF" in d.entities for d in seen)
