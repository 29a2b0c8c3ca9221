"""A store ingested in two runs (a clean stop, or the writer killed with -9 mid-run, then resumed) holds
the stories, storylines, duplicate groups and comparisons one uninterrupted run stores, with 1 and 2
workers, whether the restarted writer replays the store or starts from a clusterer snapshot."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from test_ingest_workers import _records

from marsad.store import Store

# What must not depend on where the ingest was stopped. Story members in arrival order (their seq
# numbers are not compared: a transaction a kill interrupted may have used one).
TABLES = {
    "stories": "SELECT story_id, article_id FROM story_members ORDER BY seq",
    "storylines": "SELECT story_id, storyline_id FROM story_storylines ORDER BY story_id",
    "groups": "SELECT m.group_id, m.article_id, m.kind, g.canonical_id FROM dedup_members m"
    " JOIN dedup_groups g ON g.id = m.group_id ORDER BY m.article_id",
    "comparisons": "SELECT story_id, fingerprint, json FROM story_comparisons ORDER BY story_id",
    "cluster_entities": "SELECT * FROM cluster_entities ORDER BY article_id",
}
SHARED = Path(__file__).resolve().parents[2].parent / "shared"
N = 40  # articles of events dev, in file order
FIRST = 18  # of which the first run gets these (or is killed after this many are stored)

# `marsad ingest` with clusterer snapshots due every few documents (not every 200), so a restart
# starts from a snapshot and replays only what was stored after it.
SNAPPY = (
    "import sys, marsad.cluster.snapshot as s, marsad.pipeline as p\n"
    "s.SNAPSHOT_AFTER = s.SNAPSHOT_EVERY = p.SNAPSHOT_CHECK = 4\n"
    "s.SAVE_SHARE = 1e9\n"
    "from marsad.cli.main import app\n"
    "sys.argv[0] = 'marsad'\n"
    "app()\n"
)


def _write(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    return path


def _marsad(db: Path, source: Path, workers: int, *, snapshots: bool) -> subprocess.Popen[bytes]:
    head = ["-c", SNAPPY] if snapshots else ["-m", "marsad"]
    args = ["ingest", str(source), "--db", str(db), "--workers", str(workers), "--json"]
    return subprocess.Popen([sys.executable, *head, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _finish(proc: subprocess.Popen[bytes]) -> dict[str, Any]:
    out, err = proc.communicate(timeout=900)
    assert proc.returncode in (0, 1), err.decode()[-3000:]
    summary: dict[str, Any] = json.loads(out)
    assert summary["failed_unexpectedly"] == 0, err.decode()[-3000:]
    return summary


def _dump(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    with Store(db) as store:
        conn: sqlite3.Connection = store.conn
        dump = {name: [tuple(row) for row in conn.execute(sql)] for name, sql in TABLES.items()}
    # A comparison names each article's input file: the first run read another file than the second.
    dump["comparisons"] = [(sid, fp, _sourceless(text)) for sid, fp, text in dump["comparisons"]]
    return dump


def _sourceless(comparison: str) -> dict[str, Any]:
    value: dict[str, Any] = json.loads(comparison)
    for doc in value["documents"]:
        assert doc.pop("source").rsplit(":", 1)[0].endswith((".jsonl", ".jsonl:"))
    return value


def _forget_snapshots(db: Path) -> None:
    with Store(db) as store, store.transaction() as conn:
        conn.execute("DELETE FROM cluster_snapshot_parts")
        conn.execute("DELETE FROM cluster_snapshots")


def _stored(db: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.2) as conn:
            return int(conn.execute("SELECT count(*) FROM story_members").fetchone()[0])
    except sqlite3.Error:  # not created yet, or the writer holds it for a moment
        return 0


@pytest.fixture(scope="module")
def events(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Any]:
    """The input, its first `FIRST` records, and the store of one uninterrupted run over it."""
    tmp = tmp_path_factory.mktemp("restart")
    records = _records(SHARED / "data", N)
    whole = _write(tmp / "all.jsonl", records)
    prefix = _write(tmp / "first.jsonl", records[:FIRST])
    _finish(_marsad(tmp / "once.db", whole, 1, snapshots=False))
    once = _dump(tmp / "once.db")
    # The input is what the test needs: stories of several articles, storylines joining stories,
    # a duplicate group, comparisons.
    assert len({s for s, _ in once["stories"]}) < N
    assert len({line for _, line in once["storylines"]}) < len(once["storylines"])
    assert once["comparisons"] and once["groups"]
    return whole, prefix, once


def _equal(got: dict[str, Any], once: dict[str, Any]) -> None:
    for name in TABLES:
        assert got[name] == once[name], name


@pytest.mark.slow
@pytest.mark.parametrize("snapshots", [False, True], ids=["replay", "snapshot"])
@pytest.mark.parametrize("workers", [1, 2])
def test_stopped_and_resumed_ingest_stores_what_one_run_stores(
    events: tuple[Path, Path, Any], tmp_path: Path, workers: int, snapshots: bool
) -> None:
    whole, prefix, once = events
    db = tmp_path / "two.db"
    first = _finish(_marsad(db, prefix, workers, snapshots=snapshots))
    assert first["added"] == FIRST
    if snapshots:
        with Store(db) as store:
            assert store.conn.execute("SELECT count(*) FROM cluster_snapshots").fetchone()[0] == 1
    else:
        _forget_snapshots(db)  # the run saved one (the store had none): the restart replays
    second = _finish(_marsad(db, whole, workers, snapshots=snapshots))
    assert second["already_stored"] == FIRST
    _equal(_dump(db), once)


@pytest.mark.slow
@pytest.mark.parametrize("workers", [1, 2])
def test_ingest_killed_mid_run_and_resumed_stores_what_one_run_stores(
    events: tuple[Path, Path, Any], tmp_path: Path, workers: int
) -> None:
    whole, _, once = events
    db = tmp_path / "killed.db"
    proc = _marsad(db, whole, workers, snapshots=True)
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline and proc.poll() is None and _stored(db) < FIRST:
        time.sleep(0.05)
    assert proc.poll() is None, "ingest finished before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    stored = _stored(db)
    assert FIRST <= stored < N
    resumed = _finish(_marsad(db, whole, workers, snapshots=True))
    assert resumed["already_stored"] == stored
    _equal(_dump(db), once)


def signal_dump(clusterer: Any) -> dict[str, list[list[Any]]]:
    """What the clusterer holds of each member of each live story (its signals, vectors by digest),
    as JSON values; members a snapshot left unread are read first."""
    import hashlib

    if hasattr(clusterer, "warm_up"):
        clusterer.warm_up()
    stories = clusterer._stories
    if hasattr(clusterer, "_load"):
        clusterer._load(list(stories.values()))
    out: dict[str, list[list[Any]]] = {}
    for sid, story in stories.items():
        rows = out[sid] = []
        for m in story.members:
            ev, v = m.evidence, m.vectors
            digest = hashlib.sha256(v.head.tobytes() + v.body.tobytes() + v.chunks.tobytes()).hexdigest()
            sets = (
                m.entities,
                ev.entities,
                ev.numbers,
                ev.number_forms,
                m.tokens,
                m.numbers,
                m.names,
                m.shingles,
                m.slots.title,
                m.slots.counterparty,
                m.slots.vocabulary,
            )
            rows.append([m.id, ev.day, m.language, m.outlet, str(m.published), digest])
            rows[-1].extend(sorted(x) for x in sets)
    value: dict[str, list[list[Any]]] = json.loads(json.dumps(out))
    return value


# A writer restarted in a process of its own (the tagger's state in the process that ingested is not
# a restart's), printing `signal_dump` of its clusterer and whether it started from a snapshot.
RESTARTED = """
import json, sys
sys.path.insert(0, sys.argv[2])
from test_ingest_restart import signal_dump
from marsad.cluster.snapshot import load_snapshot
from marsad.config import load_config
from marsad.pipeline import default_clusterer, restore_clusterer
from marsad.store import Store
with Store(sys.argv[1]) as store:
    cfg = load_config(None)
    clusterer = default_clusterer(store.conn, cfg)
    restore_clusterer(store, clusterer)
    snapshot = load_snapshot(store, default_clusterer(store.conn, cfg)) is not None
    print(json.dumps({"snapshot": snapshot, "signals": signal_dump(clusterer)}))
"""


def _restarted(db: Path) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, "-c", RESTARTED, str(db), str(Path(__file__).parent)],
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    value: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return value


@pytest.mark.slow
def test_restarted_clusterer_holds_what_the_live_one_saw_and_compares_what_a_killed_run_left(
    events: tuple[Path, Path, Any], tmp_path: Path
) -> None:
    """A writer restarted (in a new process) by replay or from a snapshot holds the very signals the
    live clusterer assigned with, lead entity keys included (found again from title and lead alone
    in a new process, they differ for some of these articles); and the stories a run stopped before
    its comparisons (killed) left uncompared are compared by the next run."""
    from marsad.cluster.snapshot import save_snapshot
    from marsad.config import load_config
    from marsad.ingest.files import read_paths
    from marsad.pipeline import (
        default_clusterer,
        default_steps,
        ingest,
        refresh_changed_comparisons,
        restore_clusterer,
    )

    whole, prefix, once = events
    db = tmp_path / "s.db"
    cfg = load_config(None)
    with Store(db) as store:
        live = default_clusterer(store.conn, cfg)
        restore_clusterer(store, live)
        items = read_paths([prefix], max_bytes=cfg.ingest.max_bytes)
        assert ingest(store, items, live, steps=default_steps(cfg)).added == FIRST  # no comparisons
        seen = signal_dump(live)
        _forget_snapshots(db)  # (the run saved one: the store had none)
        replayed = _restarted(db)
        assert not replayed["snapshot"]
        assert replayed["signals"] == seen
        assert save_snapshot(store, live)
        restarted = _restarted(db)
        assert restarted["snapshot"]
        assert restarted["signals"] == seen

        again = default_clusterer(store.conn, cfg)
        restore_clusterer(store, again)
        # The prefix again adds nothing, yet the stories the first run left uncompared are compared.
        report = ingest(store, read_paths([prefix], max_bytes=cfg.ingest.max_bytes), again)
        assert report.added == 0 and not report.changed_stories
        refresh_changed_comparisons(
            store, report, max_articles=cfg.ingest.compare_max_articles, budget=cfg.ingest.compare_budget
        )
        several = "SELECT story_id FROM story_members GROUP BY story_id HAVING count(*) BETWEEN 2 AND ?"
        compared = {r[0] for r in store.conn.execute("SELECT story_id FROM story_comparisons")}
        assert compared == {r[0] for r in store.conn.execute(several, (cfg.ingest.compare_max_articles,))}
        assert compared
        report = ingest(
            store, read_paths([whole], max_bytes=cfg.ingest.max_bytes), again, steps=default_steps(cfg)
        )
        refresh_changed_comparisons(
            store, report, max_articles=cfg.ingest.compare_max_articles, budget=cfg.ingest.compare_budget
        )
    _equal(_dump(db), once)
