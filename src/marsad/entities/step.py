"""The ingest step that stores an article's entity mentions and quotes (a `marsad.pipeline.ArticleStep`)."""

from __future__ import annotations

import sqlite3

from marsad.entities import analysed_part, extract_entities
from marsad.entities.records import KnownPerson
from marsad.quotes import extract_quotes
from marsad.records import Article
from marsad.text.arabic import fold_letters


class EntityQuoteStep:
    """Finds the mentions and quotes of each ingested article and stores them in its transaction.

    Persons already named in the store (with a title or as a speaker) are cross-document evidence:
    "لافروف" alone in a new article is recognised because another article said "سيرغي لافروف".
    """

    name = "entities"

    def __call__(self, conn: sqlite3.Connection, article: Article) -> None:
        from marsad.store.entities import put_analysis

        article = analysed_part(article)
        known = _known(conn, fold_letters(f"{article.title or ''}\n{article.body}"))
        mentions = extract_entities(article, known)
        quotes = extract_quotes(article, mentions)
        put_analysis(conn, article.id, mentions, quotes)


def _known(conn: sqlite3.Connection, folded: str, limit: int = 5000) -> list[KnownPerson]:
    rows = conn.execute(
        "SELECT text, max(role) AS role FROM mentions WHERE kind = 'person'"
        " AND rule IN ('title', 'speech', 'crf') GROUP BY text ORDER BY count(*) DESC LIMIT ?",
        (limit,),
    ).fetchall()
    out = []
    for text, role in rows:
        last = fold_letters(str(text)).split()[-1:]
        if last and last[0] in folded:
            out.append(KnownPerson(name=str(text), role=role))
    return out
