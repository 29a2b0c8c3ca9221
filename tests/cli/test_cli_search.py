"""`marsad search`: the store's full-text search and search by meaning, in a terminal or as JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_process import run_marsad

from marsad.store import Store
from marsad.store.search import search_text

pytestmark = pytest.mark.slow  # real commands in child processes


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("search") / "s.db"
    samples = Path(__file__).resolve().parents[2] / "samples" / "corpus" / "dumps"
    res = run_marsad("ingest", str(samples), "--db", str(db), "--lexical")
    assert res.returncode == 0, res.stderr
    return db


def test_search_text_json_is_the_store_search(sample_db: Path) -> None:
    res = run_marsad("search", "زلزال الزهرة", "--db", str(sample_db), "--json")
    assert res.returncode == 0, res.stderr
    data = json.loads(res.stdout)
    with Store(sample_db) as store:
        expected = search_text(store, "زلزال الزهرة", limit=20)
    assert data["mode"] == "text" and data["total"] == expected.total > 0
    assert [h["article_id"] for h in data["items"]] == [h.article_id for h in expected.hits]
    assert all(h["language"] == "ar" for h in data["items"])


def test_search_text_matches_arabic_behind_clitics_and_letter_variants(sample_db: Path) -> None:
    # أعلن / اعلن, and بالزلزال behind its clitics: the normalized index finds both spellings.
    plain = json.loads(run_marsad("search", "اعلن الزلزال", "--db", str(sample_db), "--json").stdout)
    hamza = json.loads(run_marsad("search", "أعلن الزلزال", "--db", str(sample_db), "--json").stdout)
    assert plain["total"] == hamza["total"] > 0


def test_search_human_output_names_each_hit_and_keeps_the_words(sample_db: Path) -> None:
    res = run_marsad("search", "taux", "--db", str(sample_db))
    assert res.returncode == 0, res.stderr
    assert "article(s) for 'taux'" in res.stdout
    assert "taux directeur de 50 points de base" in res.stdout  # never cut inside the line


def test_search_by_meaning_finds_the_event_across_languages(sample_db: Path) -> None:
    res = run_marsad("search", "earthquake in Wadi Zahra", "--meaning", "--db", str(sample_db), "--json")
    assert res.returncode == 0, res.stderr
    data = json.loads(res.stdout)
    assert data["mode"] == "meaning" and data["note"]
    top = data["items"][:3]
    assert len(top) == 3  # all about the event, in either language
    texts = [(h["title"] or "") + " " + h["excerpt"]["text"] for h in top]
    assert all("الزهرة" in t or "Wadi Zahra" in t for t in texts), texts
    assert any("زلزال" in (h["title"] or "") for h in top) and {"ar", "en"} <= {h["language"] for h in top}
