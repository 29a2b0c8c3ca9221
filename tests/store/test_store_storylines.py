"""Storylines in the store: stable links, timelines, the migration's backfill, ingest and restore."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from marsad.cluster.base import ClusterDoc
from marsad.cluster.lexical import LexicalClusterer
from marsad.ingest import open_sources
from marsad.pipeline import ingest, restore_clusterer
from marsad.store import Store
from marsad.store import stories as story_repo
from marsad.store import storylines as storyline_repo
from marsad.store.db import migrations

T0 = datetime(2026, 3, 14, 8, tzinfo=UTC)


def _story(store: Store, story_id: str, title: str, when: datetime, size: int = 1) -> None:
    now = when.isoformat()
    store.conn.execute(
        "INSERT INTO stories (id, title, first_published, last_published, size, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (story_id, title, now, now, size, now, now),
    )


def _fill(store: Store) -> None:
    """Two storylines: an attack (day 0) with its condemnation (day 1) and funeral (day 2); a rate rise."""
    with store.transaction() as conn:
        for sid, title, day, size in (
            ("sattack", "attack", 0, 3),
            ("scondemn", "condemnation", 1, 2),
            ("srate", "rate rise", 1, 1),
            ("sfuneral", "funeral", 2, 1),
        ):
            _story(store, sid, title, T0 + timedelta(days=day), size)
        when = {"sattack": 0, "scondemn": 1, "srate": 1, "sfuneral": 2}
        for story, line in (
            ("sattack", "lattack"),
            ("scondemn", "lattack"),
            ("srate", "lrate"),
            ("sfuneral", "lattack"),
        ):
            title = story[1:]
            storyline_repo.link(conn, story, line, title=title, published=T0 + timedelta(days=when[story]))


def test_storyline_links_are_stable_and_list_as_timelines(store: Store) -> None:
    _fill(store)
    # a story keeps the storyline it got at birth: a later article linking elsewhere only widens its span
    with store.transaction() as conn:
        storyline_repo.link(conn, "scondemn", "lrate", title="x", published=T0 + timedelta(days=5))
    assert storyline_repo.storyline_of(store, "scondemn") == "lattack"
    assert storyline_repo.storyline_of(store, "nope") is None
    lines = storyline_repo.list_storylines(store)
    assert [line.id for line in lines] == ["lattack", "lrate"]  # most stories first
    attack = lines[0]
    assert [s.id for s in attack.stories] == ["sattack", "scondemn", "sfuneral"]  # time order
    assert attack.size == 6 and attack.title == "attack"
    assert attack.first_published == T0.isoformat()
    assert attack.last_published == (T0 + timedelta(days=5)).isoformat()
    assert [line.id for line in storyline_repo.list_storylines(store, min_stories=2)] == ["lattack"]
    got = storyline_repo.get_storyline(store, "lrate")
    assert got is not None and got.to_json()["stories"][0]["id"] == "srate"
    assert storyline_repo.get_storyline(store, "lnope") is None


def test_migration_makes_each_older_story_its_own_storyline(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    version = max(v for v, name, _ in migrations() if name.endswith("storylines"))
    with Store(path) as store:
        # a store as it was before storylines: a story, no storyline tables
        _story(store, "sold", "old story", T0)
        store.conn.execute("DROP TABLE story_storylines")
        store.conn.execute("DROP TABLE storylines")
        store.conn.execute("DELETE FROM schema_migrations WHERE version = ?", (version,))
        store.conn.commit()
    with Store(path) as store:
        assert storyline_repo.storyline_of(store, "sold") == "lold"
        line = storyline_repo.get_storyline(store, "lold")
        assert line is not None and line.title == "old story" and [s.id for s in line.stories] == ["sold"]


def test_ingest_stores_storylines_and_restore_replays_them(store: Store, seeds_dir: Path) -> None:
    ingest(store, open_sources([str(seeds_dir)], max_bytes=20_000_000), LexicalClusterer())
    (story,) = story_repo.list_stories(store)
    # a clusterer without storylines: the story is its own storyline
    assert storyline_repo.storyline_of(store, story.id) == "l" + story.id[1:]
    store.conn.execute(
        "INSERT INTO storylines (id, created_at, updated_at) VALUES ('lelsewhere', 'now', 'now')"
    )
    store.conn.execute("UPDATE story_storylines SET storyline_id = 'lelsewhere'")
    seen: list[tuple[str, str, str | None]] = []

    class Spy:
        def restore(self, doc: ClusterDoc, story_id: str, storyline_id: str | None = None) -> None:
            seen.append((doc.id, story_id, storyline_id))

    restore_clusterer(store, Spy())  # type: ignore[arg-type]
    assert len(seen) == 2 and {line for _, _, line in seen} == {"lelsewhere"}


def test_cli_stories_storylines_lists_timelines(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    with Store(db) as store:
        _fill(store)
    res = subprocess.run(
        [sys.executable, "-m", "marsad", "stories", "--storylines", "--json", "--db", str(db)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert res.returncode == 0, res.stderr
    data = json.loads(res.stdout)
    assert [d["id"] for d in data] == ["lattack", "lrate"]
    assert [s["id"] for s in data[0]["stories"]] == ["sattack", "scondemn", "sfuneral"]
    table = subprocess.run(
        [sys.executable, "-m", "marsad", "stories", "--storylines", "--db", str(db)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert table.returncode == 0, table.stderr
    assert "2 storylines" in table.stdout and "scondemn" in table.stdout
