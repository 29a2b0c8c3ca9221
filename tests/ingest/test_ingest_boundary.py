"""The stage boundary: any exception from one document becomes a stored Rejected, the batch goes on."""

from __future__ import annotations

import gzip
import json
import os
import sqlite3
import time
from pathlib import Path

import pytest

from marsad import boundary, errors
from marsad.cluster.lexical import LexicalClusterer
from marsad.ingest.files import read_paths
from marsad.pipeline import REJECT_BATCH, ingest
from marsad.records import Article, RawDocument, Rejected
from marsad.store import Store
from marsad.store import rejects as reject_repo

BODY = "The council met on Monday and agreed a new budget for the city's schools and its hospitals."


def _line(n: int, **extra: object) -> str:
    return json.dumps({"id": f"r{n}", "title": f"Story {n}", "text": f"{BODY} Item {n}.", **extra})


def _codes(items: list[RawDocument | Rejected]) -> list[tuple[str, str]]:
    return [(r.code, Path(r.record_id).name) for r in items if isinstance(r, Rejected)]


def test_guarded_maps_exceptions_to_codes() -> None:
    def boom() -> None:
        raise KeyError("x")

    bug = boundary.guarded("extract", "doc1", boom)
    assert isinstance(bug, Rejected) and bug.code == errors.UNEXPECTED
    assert (
        "KeyError" in bug.detail and "test_ingest_boundary.py" in bug.detail and bug.detail.startswith("doc1")
    )

    def bad() -> None:
        raise errors.InputError("doc2: no text", code=errors.NO_ARTICLE)

    assert boundary.guarded("extract", "doc2", bad) == Rejected("extract", "E107", "doc2", "doc2: no text")
    assert boundary.guarded("extract", "doc3", lambda: 7) == 7


def test_time_budget_interrupts_pure_python_and_regex() -> None:
    import re

    def spin() -> None:
        while True:
            pass

    started = time.monotonic()
    over = boundary.guarded("extract", "slow", spin, budget=0.3)
    assert isinstance(over, Rejected) and over.code == errors.OVER_BUDGET
    # A catastrophically backtracking pattern is interrupted too (re checks for signals).
    again = boundary.guarded("extract", "re", lambda: re.match(r"(a+)+$", "a" * 40 + "b"), budget=0.3)
    assert isinstance(again, Rejected) and again.code == errors.OVER_BUDGET
    # 0.6 s of CPU: a few seconds of wall clock on a loaded machine (the budget is CPU time)
    assert time.monotonic() - started < 15
    # The alarm is off afterwards.
    time.sleep(0.4)


def test_read_paths_reports_what_it_skips_and_reads_the_rest(tmp_path: Path) -> None:
    root = tmp_path / "in"
    (root / ".git").mkdir(parents=True)
    (root / ".hidden.txt").write_text("secret")
    (root / "dangling.txt").symlink_to(tmp_path / "missing")
    (root / "blank.jsonl").write_text("  \n\n \n")
    lines = [
        _line(1).encode(),
        b"[" * 100_000,
        _line(2, text="x\ud800y " + BODY).encode(),  # json.dumps escapes the lone surrogate: \\ud800
        b'{"id": 3, "n": ' + b"9" * 5000 + b"}",
        b'{"id": 4, "text": "\xed\xa0\x80"}',  # a surrogate encoded raw: not UTF-8
    ]
    (root / "mixed.jsonl").write_bytes(b"\n".join(lines) + b"\n")
    items = list(read_paths([root]))
    docs = [i for i in items if isinstance(i, RawDocument)]
    assert sorted(_codes(items)) == sorted(
        [
            ("E112", ".git"),
            ("E112", ".hidden.txt"),
            ("E101", "blank.jsonl"),
            ("E106", "dangling.txt"),
            ("E104", "mixed.jsonl:2"),
            ("E104", "mixed.jsonl:4"),  # 5,000-digit integer
            ("E104", "mixed.jsonl:5"),  # not UTF-8
        ]
    )
    assert [d.fields["id"] for d in docs] == ["r1", "r2"]
    assert docs[1].fields["text"].startswith("x\ufffdy")  # the escaped lone surrogate, repaired


def test_corrupt_gzip_jsonl_keeps_what_was_readable(tmp_path: Path) -> None:
    data = gzip.compress("".join(_line(n) + "\n" for n in range(3000)).encode())
    (tmp_path / "cut.jsonl.gz").write_bytes(data[: len(data) * 2 // 3])
    (tmp_path / "page.html.gz").write_bytes(
        gzip.compress(b"<html><body><p>" + os.urandom(4000).hex().encode())[:2000]
    )
    items = list(read_paths([tmp_path]))
    docs = [i for i in items if isinstance(i, RawDocument)]
    rejects = [i for i in items if isinstance(i, Rejected)]
    assert len(docs) > 1000
    assert [(r.code, Path(r.record_id).name) for r in rejects] == [
        ("E111", "cut.jsonl.gz"),
        ("E111", "page.html.gz"),
    ]
    assert "byte" in rejects[0].detail and "records before it were read" in rejects[0].detail


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a chmod-000 directory anyway")
def test_unreadable_subdirectory_is_reported(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "a.txt").write_text(BODY)
    locked.chmod(0)
    try:
        assert ("E106", "locked") in _codes(list(read_paths([tmp_path])))
    finally:
        locked.chmod(0o755)


def test_ingest_goes_on_after_a_step_raises_and_counts_the_bug(store: Store, tmp_path: Path) -> None:
    tmp_path = tmp_path / "in"
    tmp_path.mkdir()
    (tmp_path / "a.jsonl").write_text("\n".join(_line(n) for n in range(5)) + "\n")

    class FlakyStep:
        name = "flaky"

        def __call__(self, conn: sqlite3.Connection, article: Article) -> None:
            if "Item 2." in article.body:
                raise ZeroDivisionError("division by zero")

    report = ingest(store, read_paths([tmp_path]), LexicalClusterer(), steps=[FlakyStep()])
    assert report.added == 4 and report.unexpected == 1
    (bug,) = reject_repo.list_rejected(store)
    assert bug.code == errors.UNEXPECTED and "ZeroDivisionError" in bug.detail
    # Nothing of the failed document was half-written.
    assert store.conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 4
    assert store.conn.execute("SELECT sum(size) FROM stories").fetchone()[0] == 4


def test_ingest_rejects_a_document_over_budget_and_goes_on(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import marsad.pipeline as pipeline

    real = pipeline.extract

    def slow_extract(raw: RawDocument) -> Article:
        if b"Item 1." in raw.content:
            while True:
                pass
        return real(raw)

    monkeypatch.setattr(pipeline, "extract", slow_extract)
    tmp_path = tmp_path / "in"
    tmp_path.mkdir()
    (tmp_path / "a.jsonl").write_text("\n".join(_line(n) for n in range(3)) + "\n")
    report = ingest(store, read_paths([tmp_path]), LexicalClusterer(), budget=0.5)
    assert report.added == 2 and report.over_budget == 1


def test_ingest_reader_exception_is_one_reject_not_a_crash(store: Store) -> None:
    def items() -> object:
        yield Rejected("ingest", "E101", "f1", "f1: empty")
        raise RuntimeError("reader bug")

    report = ingest(store, items(), LexicalClusterer())  # type: ignore[arg-type]
    assert [r.code for r in report.rejected] == ["E101", errors.UNEXPECTED]


def test_rejects_are_written_in_batches(store: Store, tmp_path: Path) -> None:
    tmp_path = tmp_path / "in"
    tmp_path.mkdir()
    (tmp_path / "random.jsonl").write_bytes(b"\n".join(os.urandom(60) for _ in range(3000)))
    commits: list[str] = []
    store.conn.set_trace_callback(lambda sql: commits.append(sql) if sql == "COMMIT" else None)
    report = ingest(store, read_paths([tmp_path]), LexicalClusterer())
    store.conn.set_trace_callback(None)
    assert len(report.rejected) > 2000
    assert len(commits) <= len(report.rejected) // REJECT_BATCH + 1
    assert len(reject_repo.list_rejected(store)) == len(report.rejected)


def test_time_budget_counts_cpu_not_waiting() -> None:
    """The budget is the document's own CPU time: waiting (a loaded machine, a sleep) does not use it."""

    def wait_then_work() -> str:
        time.sleep(0.6)
        return "done"

    assert boundary.guarded("extract", "waits", wait_then_work, budget=0.3) == "done"


def test_time_budget_checked_in_worker_threads_by_cpu_time() -> None:
    import threading

    results: list[object] = []

    def spin_with_checks() -> None:
        while True:
            boundary.check_budget()

    worker = threading.Thread(
        target=lambda: results.append(boundary.guarded("extract", "t", spin_with_checks, budget=0.2))
    )
    worker.start()
    worker.join(30)
    assert len(results) == 1 and isinstance(results[0], Rejected) and results[0].code == errors.OVER_BUDGET
