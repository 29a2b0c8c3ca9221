"""Shared fixtures: where the seeds and dev data are, and a fresh store file per test."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from marsad.store import Store

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SAMPLES = ROOT / "samples" / "corpus"


@pytest.fixture
def seeds_dir() -> Path:
    """../shared/seeds, or skip: the seeds are the user's documents and never live in the repo."""
    path = SHARED / "seeds"
    if not (path / "000_f462c494be0ac3b8.txt").exists():
        pytest.skip(f"seed documents not found at {path} (they live in ../shared/seeds)")
    return path


@pytest.fixture
def shared_data() -> Path:
    """../shared/data, or skip with the reason."""
    path = SHARED / "data"
    if not path.is_dir():
        pytest.skip(f"evaluation data not found at {path} (it lives in ../shared/data)")
    return path


@pytest.fixture
def samples_dir() -> Path:
    return SAMPLES


@pytest.fixture(autouse=True)
def _snapshot_key(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Clusterer snapshots are signed with a key of this test session, never the user's own."""
    key = tmp_path_factory.getbasetemp() / "snapshot.key"
    monkeypatch.setenv("MARSAD_SNAPSHOT_KEY", str(key))


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """A real SQLite store file in a temporary directory."""
    with Store(tmp_path / "marsad.db") as s:
        yield s


def _story_with(db: Path, title_fragment: str) -> str:
    with Store(db) as s:
        row = s.conn.execute(
            "SELECT m.story_id FROM articles a JOIN story_members m ON m.article_id = a.id"
            " WHERE a.title LIKE ?",
            (f"%{title_fragment}%",),
        ).fetchone()
    assert row is not None, title_fragment
    return str(row[0])


@pytest.fixture
def story_with() -> Callable[[Path, str], str]:
    """The story id of the article in store `db` whose title contains a fragment."""
    return _story_with
