"""Story comparisons are computed when an ingest changes a story, so the story page's first visit
reads them from the store instead of computing them."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from marsad.api.settings import ApiSettings
from marsad.app import create_app
from marsad.compare import story as compare_story_module
from marsad.config import load_config
from marsad.ingest import open_sources
from marsad.pipeline import default_clusterer, ingest, refresh_changed_comparisons, restore_clusterer
from marsad.store import Store
from marsad.store import stories as story_repo


def _ingest(
    store: Store, paths: list[Path], *, budget: float = 600.0, lexical: bool = True
) -> tuple[set[str], int]:
    clusterer = default_clusterer(store.conn, load_config(), lexical=lexical)
    restore_clusterer(store, clusterer)
    report = ingest(store, open_sources([str(p) for p in paths], max_bytes=20_000_000), clusterer)
    refreshed = refresh_changed_comparisons(store, report, max_articles=12, budget=budget)
    assert refreshed is not None
    return report.changed_stories, refreshed.compared


def _no_compute(*args: object, **kwargs: object) -> object:
    raise AssertionError("comparison computed on a reader's visit")


def _comparable(store: Store) -> list[str]:
    return [s.id for s in story_repo.list_stories(store, limit=1000) if 2 <= s.size <= 12]


def test_ingest_stores_the_comparison_of_every_changed_story(
    samples_dir: Path, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    dumps = sorted((samples_dir / "dumps").glob("*.txt"))
    changed, compared = _ingest(store, dumps)
    comparable = _comparable(store)
    assert comparable and set(comparable) <= changed and compared == len(comparable)

    # The page's first visit must not compute: computing now fails the test.
    monkeypatch.setattr(compare_story_module, "compare_story", _no_compute)
    client = TestClient(create_app(ApiSettings(db_path=store.path)))
    for story_id in comparable:
        body = client.get(f"/api/stories/{story_id}").json()
        assert body["comparison_status"] == "ok", body.get("comparison_note")


def test_a_story_an_article_joins_is_compared_again(
    samples_dir: Path, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    dumps = samples_dir / "dumps"
    first = [dumps / "008_ramlan_rate_hike.txt", dumps / "009_ramlan_rate_hike_reuters_en.txt"]
    _ingest(store, first, lexical=False)
    changed, compared = _ingest(store, [dumps / "010_banque_ramlan_taux_fr.txt"], lexical=False)
    (story_id,) = changed
    story = story_repo.get_story(store, story_id)
    assert story is not None and story.size == 3 and compared == 1
    monkeypatch.setattr(compare_story_module, "compare_story", _no_compute)
    # Stored for the three members (the fingerprint of the new member list).
    value = compare_story_module.cached_story_comparison(store, story_id)
    assert len(value["documents"]) == 3  # type: ignore[arg-type]


def test_refresh_stops_at_its_budget(samples_dir: Path, store: Store) -> None:
    from marsad.compare.precompute import refresh_comparisons

    _ingest(store, sorted((samples_dir / "dumps").glob("*.txt")), budget=1e-9)
    report = refresh_comparisons(store, _comparable(store), max_articles=12, budget=1e-9)
    assert report.compared + report.left == len(_comparable(store)) and report.left >= 1


class _Counting:
    """The shared USE model, counting the texts it is asked to embed."""

    def __init__(self) -> None:
        from marsad.embed import shared_embedder

        self.inner = shared_embedder()
        self.name, self.dim = self.inner.name, self.inner.dim
        self.texts: list[str] = []

    def embed(self, texts: list[str]) -> object:
        self.texts.extend(texts)
        return self.inner.embed(texts)


def test_a_story_compared_again_embeds_only_its_new_article(
    samples_dir: Path, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from marsad.store import articles as article_repo

    counting = _Counting()
    monkeypatch.setattr(compare_story_module, "default_embedder", lambda: counting)
    dumps = samples_dir / "dumps"
    _ingest(
        store,
        [dumps / "008_ramlan_rate_hike.txt", dumps / "009_ramlan_rate_hike_reuters_en.txt"],
        lexical=False,
    )
    first = list(counting.texts)
    assert first
    counting.texts.clear()
    (story_id,), compared = _ingest(store, [dumps / "010_banque_ramlan_taux_fr.txt"], lexical=False)
    assert compared == 1
    story = story_repo.get_story(store, story_id)
    assert story is not None and story.size == 3
    new = article_repo.get_article(store, story.article_ids[-1])
    assert new is not None and counting.texts
    # Only texts of the new (French) article, and runs of sentences merged anew, are embedded again:
    # none of the first comparison's texts that the new article does not say.
    repeated = set(counting.texts) & set(first)
    assert all(t in new.body for t in repeated)
    assert sum(len(t) for t in counting.texts) < sum(len(t) for t in first)

    # Compared again from the cached vectors alone: the same comparison, no text embedded.
    value = compare_story_module.cached_story_comparison(store, story_id)
    with store.transaction() as conn:
        conn.execute("DELETE FROM story_comparisons")
    counting.texts.clear()
    again = compare_story_module.cached_story_comparison(store, story_id)
    assert again == value and counting.texts == []
