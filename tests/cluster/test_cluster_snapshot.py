"""Clusterer snapshots: a writer restarted from the store's snapshot (fresh, stale, damaged or foreign)
assigns the same stories as one continuous run."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from marsad.cluster import snapshot
from marsad.cluster.base import StoryClusterer
from marsad.config import load_config
from marsad.ingest import open_sources
from marsad.pipeline import default_clusterer, ingest, last_seq, restore_clusterer
from marsad.store import Store

N_DOCS = 60


@pytest.fixture
def records(shared_data: Path, tmp_path: Path) -> tuple[Path, Path]:
    """Two JSONL halves of the first SaudiNewsNet events dev records in publication order."""
    rows = [json.loads(line) for line in (shared_data / "saudinewsnet-events-dev" / "dev.jsonl").open()]
    rows = sorted(rows[:N_DOCS], key=lambda r: (r.get("date_extracted") or "", r["id"]))
    halves = []
    for name, part in (("a", rows[: N_DOCS // 2]), ("b", rows[N_DOCS // 2 :])):
        path = tmp_path / f"{name}.jsonl"
        path.write_text(
            "".join(
                json.dumps(
                    {"id": r["id"], "title": r["title"], "text": r["text"], "date": r.get("date_extracted")},
                    ensure_ascii=False,
                )
                + "\n"
                for r in part
            ),
            encoding="utf-8",
        )
        halves.append(path)
    return halves[0], halves[1]


def _run(store: Store, path: Path, clusterer: StoryClusterer) -> None:
    report = ingest(store, open_sources([str(path)], max_bytes=20_000_000), clusterer)
    assert report.added > 0 and not report.rejected


def _stories(store: Store) -> dict[str, str]:
    rows = store.conn.execute("SELECT article_id, story_id FROM story_members").fetchall()
    return {str(a): str(s) for a, s in rows}


def _continuous(tmp_path: Path, records: tuple[Path, Path], lexical: bool) -> dict[str, str]:
    """The stories of both halves ingested by one writer that never stops."""
    with Store(tmp_path / "continuous.db") as one:
        clusterer = default_clusterer(one.conn, load_config(), lexical=lexical)
        for path in records:
            _run(one, path, clusterer)
        return _stories(one)


def _damage(store: Store) -> None:
    store.conn.execute("UPDATE cluster_snapshot_parts SET data = substr(data, 1, 40) || x'00ff'")


def _foreign_key(store: Store) -> None:
    # the store file alone moved to another machine (or user): another key signs there
    os.environ["MARSAD_SNAPSHOT_KEY"] = str(Path(store.path).with_name("other.key"))


@pytest.mark.parametrize(
    ("lexical", "spoil", "from_snapshot"),
    [
        pytest.param(True, None, True, id="fresh-lexical"),
        pytest.param(True, _damage, False, id="damaged-lexical"),
        pytest.param(True, _foreign_key, False, id="foreign-lexical"),
        pytest.param(False, None, True, id="fresh-embedding"),
        pytest.param(False, _damage, False, id="damaged-embedding", marks=pytest.mark.slow),
        pytest.param(False, _foreign_key, False, id="foreign-embedding", marks=pytest.mark.slow),
    ],
)
def test_snapshot_restart_gives_the_stories_of_a_continuous_run(
    tmp_path: Path,
    records: tuple[Path, Path],
    monkeypatch: pytest.MonkeyPatch,
    lexical: bool,
    spoil: Callable[[Store], None] | None,
    from_snapshot: bool,
) -> None:
    monkeypatch.setattr(snapshot, "SNAPSHOT_AFTER", 1)
    cfg = load_config()
    first, second = records
    continuous = _continuous(tmp_path, records, lexical)
    with Store(tmp_path / "restarted.db") as two:
        _run(two, first, default_clusterer(two.conn, cfg, lexical=lexical))
        assert two.conn.execute("SELECT seq FROM cluster_snapshots").fetchone()[0] == last_seq(two)
        if spoil is not None:
            spoil(two)
        restarted = default_clusterer(two.conn, cfg, lexical=lexical)
        loaded = snapshot.load_snapshot(two, restarted)
        assert (loaded is not None) == from_snapshot
        fresh = default_clusterer(two.conn, cfg, lexical=lexical)
        assert restore_clusterer(two, fresh) == last_seq(two)
        _run(two, second, fresh)
        assert _stories(two) == continuous


def test_stale_snapshot_is_caught_up_by_replay(tmp_path: Path, records: tuple[Path, Path]) -> None:
    cfg = load_config()
    first, second = records
    continuous = _continuous(tmp_path, records, True)
    with Store(tmp_path / "stale.db") as two:
        clusterer = default_clusterer(two.conn, cfg, lexical=True)
        _run(two, first, clusterer)
        assert snapshot.save_snapshot(two, clusterer)
        early = last_seq(two)
        _run(two, second, clusterer)  # under SNAPSHOT_AFTER arrivals: the snapshot is left behind
        assert two.conn.execute("SELECT seq FROM cluster_snapshots").fetchone()[0] == early < last_seq(two)
        restarted = default_clusterer(two.conn, cfg, lexical=True)
        assert restore_clusterer(two, restarted) == last_seq(two)
        assert restarted.export_state().arrivals == len(continuous)
        # the restarted clusterer decides a third batch as the continuous one does
        assert (
            restarted.export_state().data["stories"].keys() == clusterer.export_state().data["stories"].keys()
        )


def test_snapshot_refused_when_the_clusterer_holds_an_unstored_document(
    store: Store, records: tuple[Path, Path]
) -> None:
    from marsad.cluster.base import ClusterDoc

    clusterer = default_clusterer(store.conn, load_config(), lexical=True)
    _run(store, records[0], clusterer)
    clusterer.assign(ClusterDoc("phantom", "a document the store refused after its assignment"))
    assert not snapshot.save_snapshot(store, clusterer)


def test_snapshot_made_with_other_settings_is_not_loaded(store: Store, records: tuple[Path, Path]) -> None:
    from marsad.cluster.lexical import LexicalClusterer

    clusterer = LexicalClusterer(threshold=0.3)
    _run(store, records[0], clusterer)
    assert snapshot.save_snapshot(store, clusterer)
    assert snapshot.load_snapshot(store, LexicalClusterer(threshold=0.3)) == last_seq(store)
    assert snapshot.load_snapshot(store, LexicalClusterer(threshold=0.4)) is None


def test_snapshot_saving_takes_a_bounded_share_of_the_writer_time(
    store: Store, records: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from marsad.cluster.lexical import LexicalClusterer

    clusterer = LexicalClusterer()
    _run(store, records[0], clusterer)  # the store's first snapshot is saved whatever its size
    first = last_seq(store)
    _run(store, records[1], clusterer)  # 30 more arrivals: under SNAPSHOT_AFTER, not saved
    assert store.conn.execute("SELECT seq FROM cluster_snapshots").fetchone()[0] == first < last_seq(store)
    monkeypatch.setattr(snapshot, "SAVE_SHARE", 1e-9)  # the last save's cost forbids another for ages
    assert not snapshot.save_snapshot_if_due(store, clusterer, every=0)
    monkeypatch.setattr(snapshot, "SAVE_SHARE", 1e9)
    assert snapshot.save_snapshot_if_due(store, clusterer, every=0)
    assert snapshot.load_snapshot(store, LexicalClusterer()) == last_seq(store)


def test_snapshot_in_many_parts_reads_back_and_a_missing_part_means_replay(
    store: Store, records: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from marsad.cluster.lexical import LexicalClusterer
    from marsad.store import snapshots as snapshot_repo

    monkeypatch.setattr(snapshot_repo, "PART_BYTES", 4096)
    clusterer = LexicalClusterer()
    _run(store, records[0], clusterer)
    assert store.conn.execute("SELECT count(*) FROM cluster_snapshot_parts").fetchone()[0] > 3
    restored = LexicalClusterer()
    assert snapshot.load_snapshot(store, restored) == last_seq(store)
    assert restored.export_state().data["stories"].keys() == clusterer.export_state().data["stories"].keys()
    store.conn.execute("DELETE FROM cluster_snapshot_parts WHERE part = 1")
    assert snapshot.load_snapshot(store, LexicalClusterer()) is None


def test_embedding_snapshot_keeps_members_by_article_id_and_reads_only_the_stories_met(
    tmp_path: Path, records: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The embedding clusterer's snapshot holds its live stories' members as article ids (their
    vectors stay in the store's embedding cache), and a restarted writer reads the members of the
    stories the next documents meet, not of every live story."""
    import pickle

    from marsad.cluster.online import EmbeddingClusterer

    monkeypatch.setattr(snapshot, "SNAPSHOT_AFTER", 1)
    cfg = load_config()
    first, second = records
    with Store(tmp_path / "s.db") as store:
        _run(store, first, default_clusterer(store.conn, cfg))
        parts = store.conn.execute("SELECT data FROM cluster_snapshot_parts ORDER BY part").fetchall()
        state = pickle.loads(b"".join(bytes(p[0]) for p in parts))
        stories = state.data["stories"]
        assert sum(len(s.member_ids) for s in stories) == last_seq(store)
        assert all(isinstance(i, str) for s in stories for i in s.member_ids)
        restarted = default_clusterer(store.conn, cfg)
        assert isinstance(restarted, EmbeddingClusterer)
        restore_clusterer(store, restarted)
        live = list(restarted._stories.values())
        assert all(s.unread and not s.members for s in live)
        read: list[int] = []
        loader = restarted.loader
        assert loader is not None
        restarted.loader = lambda ids: read.append(len(ids)) or loader(ids)  # type: ignore[func-returns-value]
        _run(store, second, restarted)
        assert sum(read) > 0  # the stories the second half met were read
        assert any(s.unread for s in live)  # stories no new document met stay unread


def _dated(path: Path, rows: list[dict[str, str]], day: str) -> Path:
    path.write_text(
        "".join(
            json.dumps(
                {"id": r["id"], "title": r["title"], "text": r["text"], "published": day}, ensure_ascii=False
            )
            + "\n"
            for r in rows
        ),
        encoding="utf-8",
    )
    return path


@pytest.mark.slow
def test_lazy_restart_reads_the_cold_part_for_an_old_document_and_a_damaged_one_stops_the_run(
    tmp_path: Path, shared_data: Path
) -> None:
    """Stories two months older than the newest are the snapshot's cold part: a lazy restart (as
    `marsad ingest` does) does not read it until a document dated among them comes, then assigns it
    as a continuous run does; a cold part damaged meanwhile stops the run (StoreError), removes the
    snapshot, and the next start replays the store."""
    from marsad.cluster.online import EmbeddingClusterer
    from marsad.errors import StoreError

    rows = [json.loads(line) for line in (shared_data / "saudinewsnet-events-dev" / "dev.jsonl").open()][:14]
    june = _dated(tmp_path / "june.jsonl", rows[:6], "2015-06-01T10:00:00+03:00")
    august = _dated(tmp_path / "august.jsonl", rows[6:12], "2015-08-01T10:00:00+03:00")
    late = _dated(tmp_path / "late.jsonl", rows[12:] + rows[:1], "2015-06-02T10:00:00+03:00")
    cfg = load_config()
    with Store(tmp_path / "one.db") as one:
        clusterer = default_clusterer(one.conn, cfg)
        for path in (june, august, late):
            _run(one, path, clusterer)
        continuous = _stories(one)
    for damaged in (False, True):
        with Store(tmp_path / f"two-{damaged}.db") as two:
            first = default_clusterer(two.conn, cfg)
            _run(two, june, first)
            _run(two, august, first)
            assert snapshot.save_snapshot(two, first)
            assert two.conn.execute("SELECT count(*) FROM cluster_snapshot_cold").fetchone()[0] > 0
            restarted = default_clusterer(two.conn, cfg)
            restore_clusterer(two, restarted, lazy=True)
            assert isinstance(restarted, EmbeddingClusterer) and restarted._cold is not None
            assert len(restarted) == len(first) and len(restarted._stories) < len(first._stories)
            if not damaged:
                _run(two, late, restarted)
                assert restarted._cold is None
                assert _stories(two) == continuous
                continue
            two.conn.execute("UPDATE cluster_snapshot_cold SET data = x'00ff'")
            with pytest.raises(StoreError):
                ingest(two, open_sources([str(late)], max_bytes=20_000_000), restarted)
            assert two.conn.execute("SELECT count(*) FROM cluster_snapshots").fetchone()[0] == 0
            again = default_clusterer(two.conn, cfg)
            restore_clusterer(two, again, lazy=True)
            _run(two, late, again)
            assert _stories(two) == continuous
