"""Search: normalized Arabic full text through FTS5, operator text taken literally, search by meaning."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from marsad.store import Store
from marsad.store.search import excerpt, fts_query, search_text

HOSTILE = [
    "' OR 1=1 --",
    '" OR ""="',
    "'; DROP TABLE articles; --",
    "NEAR(لافروف الرقة)",
    "lavrov*",
    "norm_text: لافروف",
    "article_id:*",
    "a AND",
    ")(",
    "-لافروف",
    "^الرقة",
    "\x00",
    "%_%",
    "{norm_text}: x",
]


def test_fts_query_quotes_every_term() -> None:
    expr = fts_query('Lavrov" OR 1=1 -- NEAR(xy)')
    assert expr is not None
    # Every word is inside double quotes: FTS5 sees no operator from the user. Function words
    # (or) and single characters (1) are not searched at all.
    assert expr == '"lavrov"* AND "near"* AND "xy"'
    assert fts_query("!!! ---") is None
    assert fts_query("' OR 1=1 --") is None
    assert fts_query('ab"cd') == '"ab" AND "cd"'


def test_fts_query_expands_arabic_clitics() -> None:
    expr = fts_query("الرقة")
    assert expr is not None
    assert '"الرقه"*' in expr and '"والرقه"*' in expr and '"بالرقه"*' in expr
    assert '"فرقه"*' not in expr  # a definite word never matches a bare one (فرقة is another word)
    bare = fts_query("رقة")
    assert bare is not None and '"الرقه"*' in bare and '"ورقه"*' in bare


@pytest.mark.parametrize(
    "query",
    ["الرقة", "الرقه", "الرَّقَّة", "ٱلرقة", "بالرقة", "لافروف", "لافروفْ", "موسكو واشنطن", "وزير الخارجية"],
)
def test_search_finds_arabic_across_spelling_variants(seeds_client: TestClient, query: str) -> None:
    data = seeds_client.get("/api/search", params={"q": query}).json()
    assert data["total"] >= 1, query
    assert data["items"][0]["story_id"]


def test_search_excerpt_marks_the_words_found(seeds_client: TestClient) -> None:
    item = seeds_client.get("/api/search", params={"q": "لافروف"}).json()["items"][0]
    marked = [p["text"] for p in item["excerpt"]["parts"] if p["match"]]
    assert marked and all("لافروف" in m for m in marked)
    assert "".join(p["text"] for p in item["excerpt"]["parts"]) == item["excerpt"]["text"]


def test_search_all_terms_required(seeds_client: TestClient) -> None:
    both = seeds_client.get("/api/search", params={"q": "لافروف إنترفاكس"}).json()["total"]
    one = seeds_client.get("/api/search", params={"q": "لافروف"}).json()["total"]
    assert one == 2 and both == 1


def test_search_other_languages_and_filters(samples_client: TestClient) -> None:
    fr = samples_client.get("/api/search", params={"q": "séisme", "language": "fr"}).json()
    assert fr["total"] >= 1 and all(i["language"] == "fr" for i in fr["items"])
    accentless = samples_client.get("/api/search", params={"q": "SEISME"}).json()
    assert accentless["total"] == fr["total"]
    en = samples_client.get("/api/search", params={"q": "earthquake", "language": "ar"}).json()
    assert en["total"] == 0


@pytest.mark.parametrize("query", HOSTILE)
def test_search_operator_and_sql_text_is_literal(seeds_client: TestClient, query: str) -> None:
    res = seeds_client.get("/api/search", params={"q": query})
    assert res.status_code in (200, 422), res.text
    if res.status_code == 200:
        data = res.json()
        # Nothing unusual: no article matches these as words, and certainly not all of them.
        assert data["total"] <= 2
        if query.startswith(("'", '"', ")", "%", "{", "a AND")):
            assert data["total"] == 0, query


def test_search_sql_injection_leaves_store_intact(seeds_client: TestClient, seeds_db: Path) -> None:
    seeds_client.get("/api/search", params={"q": "'; DROP TABLE articles; --"})
    with Store(seeds_db) as store:
        assert store.conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 2
        assert store.integrity_ok()


def test_search_query_length_is_bounded(seeds_client: TestClient) -> None:
    res = seeds_client.get("/api/search", params={"q": "ا" * 501})
    assert res.status_code == 422 and res.json()["code"]
    assert seeds_client.get("/api/search", params={"q": ""}).status_code == 422


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(min_size=1, max_size=80))
def test_search_text_never_fails_on_any_query(store: Store, query: str) -> None:
    page = search_text(store, query)
    assert page.total == 0 and page.hits == ()


def test_excerpt_keeps_original_text_around_the_match() -> None:
    text = " ".join(f"كلمة{i}" for i in range(100)) + " وأكد لافروف أن موسكو " + "نهاية " * 50
    ex = excerpt(text, ["لافروف"], max_words=20)
    joined = "".join(ex.parts)
    assert "لافروف" in joined and joined.startswith("… ") and joined.endswith(" …")
    assert [p for p, m in ex if m] == ["لافروف "]


@pytest.mark.slow
def test_search_by_meaning_crosses_languages(seeds_db: Path, make_client: Callable[..., TestClient]) -> None:
    with make_client(seeds_db, meaning_search=True) as client:
        query = "Russia ready to coordinate with the US against ISIS"
        res = client.get("/api/search", params={"q": query, "mode": "meaning"})
        assert res.status_code == 200, res.text
        data = res.json()
        assert data["mode"] == "meaning" and data["total"] == 2
        scores = [i["score"] for i in data["items"]]
        assert scores == sorted(scores, reverse=True) and scores[0] > 0.3


def test_search_by_meaning_off_is_a_clear_503(seeds_client: TestClient) -> None:
    res = seeds_client.get("/api/search", params={"q": "Lavrov", "mode": "meaning"})
    assert res.status_code == 503 and "MARSAD_API_MEANING_SEARCH" in res.json()["detail"]
