"""One writer per store: concurrent `marsad ingest` runs wait for each other, and the store they leave
is the store one run after the other would have left (`marsad check` holds after each)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from marsad.store import Store
from marsad.store.check import check_store
from marsad.store.lock import WriterLock

N_RECORDS = 90


def _marsad(*args: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "src")}
    return subprocess.Popen(
        [sys.executable, "-m", "marsad", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env
    )


def _ingest(db: Path, *inputs: Path) -> subprocess.Popen[bytes]:
    return _marsad("ingest", *map(str, inputs), "--db", str(db), "--lexical", "--json")


def _finish(proc: subprocess.Popen[bytes]) -> tuple[dict[str, object], str]:
    out, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err.decode()
    return json.loads(out), err.decode()


def _stories(db: Path) -> set[frozenset[str]]:
    with Store(db) as s:
        report = check_store(s)
        assert report.ok, report.failed()
        rows = s.conn.execute("SELECT story_id, article_id FROM story_members").fetchall()
    groups: dict[str, set[str]] = {}
    for story, article in rows:
        groups.setdefault(story, set()).add(article)
    return {frozenset(g) for g in groups.values()}


@pytest.fixture
def halves(shared_data: Path, tmp_path: Path) -> tuple[Path, Path]:
    source = shared_data / "saudinewsnet-events-dev" / "dev.jsonl"
    if not source.exists():
        pytest.skip(f"{source} not found")
    lines = source.read_text("utf-8").splitlines()[:N_RECORDS]
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    a.write_text("\n".join(lines[0::2]) + "\n", encoding="utf-8")
    b.write_text("\n".join(lines[1::2]) + "\n", encoding="utf-8")
    return a, b


def test_second_writer_waits_then_exits_clearly(tmp_path: Path) -> None:
    db = tmp_path / "w.db"
    Store(db).close()
    with WriterLock(db):
        config = tmp_path / "c.toml"
        config.write_text("[store]\nlock_wait = 1.0\n")
        proc = _marsad(
            "ingest", str(tmp_path / "nothing"), "--db", str(db), "--config", str(config), "--lexical"
        )
        _, err = proc.communicate(timeout=120)
    text = err.decode()
    assert proc.returncode != 0
    assert "waiting for the store's writer lock" in text and "E302" in text and f"pid {os.getpid()}" in text


@pytest.mark.slow
def test_concurrent_ingests_of_the_same_input_equal_one_run(
    tmp_path: Path, halves: tuple[Path, Path]
) -> None:
    a, b = halves
    sequential = tmp_path / "seq.db"
    _finish(_ingest(sequential, a, b))
    together = tmp_path / "together.db"
    first, second = _ingest(together, a, b), _ingest(together, a, b)
    (one, _), (two, _) = _finish(first), _finish(second)
    assert sorted([one["added"], two["added"]]) == [0, N_RECORDS]
    assert _stories(together) == _stories(sequential)


@pytest.mark.slow
def test_concurrent_ingests_of_disjoint_halves_equal_a_sequential_run(
    tmp_path: Path, halves: tuple[Path, Path]
) -> None:
    a, b = halves
    ab, ba = tmp_path / "ab.db", tmp_path / "ba.db"
    _finish(_ingest(ab, a))
    _finish(_ingest(ab, b))
    _finish(_ingest(ba, b))
    _finish(_ingest(ba, a))
    together = tmp_path / "together.db"
    first = _ingest(together, a)
    time.sleep(0.5)
    second = _ingest(together, b)
    _finish(first)
    _finish(second)
    # One took the lock first and the other restored its stories before adding its own half.
    assert _stories(together) in (_stories(ab), _stories(ba))
