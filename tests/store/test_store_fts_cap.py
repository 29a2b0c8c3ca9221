"""Full-text search indexes a bounded prefix of each article (`MAX_INDEXED_CHARS`)."""

from __future__ import annotations

from pathlib import Path

from marsad.records import Article, RawDocument
from marsad.store import Store
from marsad.store.articles import MAX_INDEXED_CHARS, indexed_text, put_article, put_document
from marsad.store.search import search_text

FILLER = "the council met to discuss the budget of the schools and the hospitals of the region "


def _article(body: str) -> Article:
    return Article(
        id="long",
        url=None,
        outlet=None,
        title="Budget",
        body=body,
        paragraphs=(body,),
        published=None,
        language="en",
    )


def test_indexed_text_is_capped_at_a_word_boundary() -> None:
    body = "beginningword " + FILLER * 3000 + " endingword"
    text = indexed_text("Budget", body)
    assert len(text) <= MAX_INDEXED_CHARS
    assert text.split()[-1] in FILLER.split()
    short = indexed_text("Budget", "a short body")
    assert short.endswith("short body")


def test_store_search_finds_words_within_the_cap_only(tmp_path: Path) -> None:
    body = "beginningword " + FILLER * 3000 + " endingword"
    with Store(tmp_path / "s.db") as store:
        with store.transaction() as conn:
            put_document(conn, RawDocument(id="long", source="long.txt", content=body.encode(), hint="text"))
            put_article(conn, _article(body))
        row = store.conn.execute("SELECT length(norm_text) FROM articles_fts").fetchone()
        assert row[0] <= MAX_INDEXED_CHARS
        assert search_text(store, "beginningword").total == 1
        assert search_text(store, "endingword").total == 0
        assert store.conn.execute("SELECT length(body) FROM articles").fetchone()[0] == len(body)
