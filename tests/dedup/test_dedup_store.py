"""Dedup in the store: the ingest step, persisted signatures, incremental runs, `marsad duplicates`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from marsad.cluster.lexical import LexicalClusterer
from marsad.dedup import DedupParams, DedupStep, StoreDedupIndex
from marsad.ingest.files import read_paths
from marsad.pipeline import ingest
from marsad.store import Store
from marsad.store import dedup as repo


def _ingest(store: Store, paths: list[Path]) -> None:
    report = ingest(store, read_paths(paths), LexicalClusterer(), steps=[DedupStep()])
    assert not report.rejected


def test_dedup_step_groups_the_sample_corpus(store: Store, samples_dir: Path) -> None:
    _ingest(store, [samples_dir])
    groups = repo.list_groups(store)
    kinds = sorted(sorted(m.kind for m in g.members) for g in groups)
    # The corpus README: one exact duplicate, one syndicated copy, one near duplicate; nothing else
    # (two earthquakes on the same topic stay apart).
    assert kinds == [["exact", "exact"], ["near", "near"], ["near", "near"]]
    for g in groups:
        assert g.members[0].article_id == g.canonical_id
    docs = store.conn.execute("SELECT count(*) FROM dedup_docs").fetchone()[0]
    articles = store.conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    assert docs == articles == 36
    assert store.integrity_ok()


def test_dedup_step_is_incremental_across_runs(tmp_path: Path, seeds_dir: Path) -> None:
    seed = seeds_dir / "000_f462c494be0ac3b8.txt"
    other = seeds_dir / "003_78029ccb64208adf.txt"
    db = tmp_path / "m.db"
    with Store(db) as store:
        _ingest(store, [seed, other])
        assert repo.list_groups(store) == []
        bands_before = store.conn.execute("SELECT count(*) FROM dedup_bands").fetchone()[0]
    # A later run, a new process' worth of state: a trimmed copy of the seed joins its group.
    lines = seed.read_text("utf-8").splitlines()
    copy = tmp_path / "copy.txt"
    copy.write_text("عنوان آخر للخبر نفسه\n\n" + "\n".join(lines[2:14]), "utf-8")
    with Store(db) as store:
        _ingest(store, [copy, seed])  # the seed again: already stored, skipped
        (group,) = repo.list_groups(store)
        assert len(group.members) == 2
        assert {m.kind for m in group.members} == {"near"}
        bands_after = store.conn.execute("SELECT count(*) FROM dedup_bands").fetchone()[0]
        assert bands_after == bands_before + DedupParams().bands  # only the new article was indexed
        found = repo.group_for_article(store, group.members[1].article_id)
        assert found is not None and found.id == group.id


def test_store_index_contained_copy_and_repeated_add(store: Store, seeds_dir: Path) -> None:
    text = (seeds_dir / "000_f462c494be0ac3b8.txt").read_text("utf-8")
    paras = [p for p in text.split("\n") if p.strip()][:12]
    index = StoreDedupIndex()
    with store.transaction() as conn:
        for i, body in enumerate(["\n".join(paras[2:5]), "\n".join(paras)]):
            conn.execute(
                "INSERT INTO documents (id, source, hint, content, ingested_at)"
                " VALUES (?, 's', 'text', x'00', 't')",
                (f"a{i}",),
            )
            conn.execute(
                "INSERT INTO articles (id, body, paragraphs_json, agencies_json, boilerplate_json, norm_text,"
                " extracted_at) VALUES (?, ?, '[]', '[]', '[]', '', 't')",
                (f"a{i}", body),
            )
        first = index.add(conn, "a0", "\n".join(paras[2:5]), "2016-05-24T10:00:00+00:00")
        second = index.add(conn, "a1", "\n".join(paras), "2016-05-24T09:00:00+00:00")
        again = index.add(conn, "a1", "\n".join(paras))
    assert first.kind == "unique"
    assert second.kind == "contained" and second.matched == "a0" and second.score >= 0.8
    assert again.group_id == second.group_id
    (group,) = repo.list_groups(store)
    assert group.canonical_id == "a1"  # published earlier, though it arrived second


def test_cli_duplicates_lists_groups(tmp_path: Path, samples_dir: Path) -> None:
    db = tmp_path / "m.db"
    with Store(db) as store:
        _ingest(store, [samples_dir])
    res = subprocess.run(
        [sys.executable, "-m", "marsad", "duplicates", "--db", str(db), "--json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert res.returncode == 0, res.stderr
    groups = json.loads(res.stdout)
    assert len(groups) == 3
    assert all(g["members"][0]["id"] == g["canonical"] for g in groups)
    assert "\\u06" not in res.stdout
    table = subprocess.run(
        [sys.executable, "-m", "marsad", "duplicates", "--db", str(db)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert table.returncode == 0 and "3 duplicate groups" in table.stdout
