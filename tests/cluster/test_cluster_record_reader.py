"""`marsad cluster` reads a record as `marsad ingest` does (one record reader, one record -> body rule)
and, in the same arrival order, finds the same stories."""

from __future__ import annotations

import json
from pathlib import Path

from marsad.cluster.batch import _extracted, cluster_records, validate_record
from marsad.config import load_config
from marsad.extract import extract
from marsad.ingest import open_sources
from marsad.ingest.files import record_document
from marsad.pipeline import default_clusterer, ingest
from marsad.store import Store

N_DOCS = 40


def _records(shared_data: Path) -> list[dict[str, str]]:
    rows = [json.loads(line) for line in (shared_data / "saudinewsnet-events-dev" / "dev.jsonl").open()]
    rows = sorted(rows[:N_DOCS], key=lambda r: (r["date_extracted"], r["id"]))
    return [
        {"id": r["id"], "title": r["title"], "text": r["text"], "published": r["date_extracted"]}
        for r in rows
    ]


def test_cluster_reads_a_record_as_ingest_does() -> None:
    text = "وقال المتحدث إن الاجتماع سيعقد غدا في الرياض لبحث خطة المياه الجديدة.\n\nإعلان\n\n(واس)"
    html = (
        "<html><body><article><h1>خطة المياه</h1><p>أقرت الحكومة خطة جديدة للمياه في المحافظات الجنوبية"
        " يوم الأحد بعد اجتماع طويل للوزراء.</p></article></body></html>"
    )
    for record in ({"id": "t", "text": text}, {"id": "both", "text": text, "html": html}):
        seen = _extracted(validate_record("in.jsonl:1", record))
        article = extract(record_document(record, "in.jsonl:1"))
        assert seen.id == record["id"]
        assert (seen.text, seen.title, seen.language) == (article.body, article.title, article.language)
    # a record with both fields is read by its page, as ingest reads it
    assert "خطة جديدة" in _extracted(validate_record("x:1", {"id": "b", "text": text, "html": html})).text


def test_cluster_and_ingest_find_the_same_stories(shared_data: Path, tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in _records(shared_data)), encoding="utf-8"
    )
    run = cluster_records(path, workers=1)
    assert not run.rejected
    by_cluster: dict[str, set[str]] = {}
    for doc_id, story in run.assignments:
        by_cluster.setdefault(story, set()).add(doc_id)
    with Store(tmp_path / "marsad.db") as store:
        report = ingest(
            store,
            open_sources([str(path)], max_bytes=20_000_000),
            default_clusterer(store.conn, load_config()),
        )
        assert report.added == N_DOCS
        rows = store.conn.execute(
            "SELECT a.external_id, m.story_id FROM story_members m JOIN articles a ON a.id = m.article_id"
        ).fetchall()
    by_ingest: dict[str, set[str]] = {}
    for record_id, story in rows:
        by_ingest.setdefault(story, set()).add(record_id)
    assert sorted(map(sorted, by_cluster.values())) == sorted(map(sorted, by_ingest.values()))
    assert len(by_cluster) < N_DOCS  # the sample holds stories of several articles
