"""Raw documents, articles and their comments in the store."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from marsad.records import Article, Comment, RawDocument
from marsad.store.db import Store, utcnow
from marsad.text.arabic import normalize

# Characters of an article's normalized title and body that full-text search indexes (and the
# `norm_text` column keeps). Real news bodies run to about 55,000 characters; the cap bounds the FTS
# row of a 300,000-character "article" (the extraction cap, `MAX_ARTICLE_CHARS`): words past it are
# not found by `marsad search`. Cut at a word boundary so that no half word is indexed.
MAX_INDEXED_CHARS = 100_000


def indexed_text(title: str | None, body: str) -> str:
    """What full-text search indexes of an article: its normalized title and body, up to
    `MAX_INDEXED_CHARS` characters, cut at a word boundary."""
    norm = normalize(f"{title or ''}\n{body}")
    if len(norm) <= MAX_INDEXED_CHARS:
        return norm
    cut = norm[: MAX_INDEXED_CHARS + 1]
    space = cut.rfind(" ")
    return cut[:space] if space > MAX_INDEXED_CHARS // 2 else cut[:MAX_INDEXED_CHARS]


def has_document(store: Store, doc_id: str) -> bool:
    return store.conn.execute("SELECT 1 FROM documents WHERE id = ?", (doc_id,)).fetchone() is not None


def put_document(conn: sqlite3.Connection, raw: RawDocument) -> bool:
    """Insert `raw` unless its content hash is already stored. True when it was new."""
    cur = conn.execute(
        "INSERT OR IGNORE INTO documents (id, source, hint, url, outlet, fetched_at, content, fields_json,"
        " ingested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            raw.id,
            raw.source,
            raw.hint,
            raw.url,
            raw.outlet,
            raw.fetched_at.isoformat() if raw.fetched_at else None,
            raw.content,
            json.dumps(raw.fields, ensure_ascii=False) if raw.fields else None,
            utcnow(),
        ),
    )
    return cur.rowcount == 1


def put_cluster_entities(
    conn: sqlite3.Connection, article_id: str, keys: frozenset[str], lead: frozenset[str] | None = None
) -> None:
    """Record the entity keys the story clusterer saw for `article_id`, and those of its title and lead
    (`lead`; None: not known), replayed at restart."""
    conn.execute(
        "INSERT OR REPLACE INTO cluster_entities (article_id, keys, lead_keys) VALUES (?, ?, ?)",
        (
            article_id,
            json.dumps(sorted(keys), ensure_ascii=False),
            json.dumps(sorted(lead), ensure_ascii=False) if lead is not None else None,
        ),
    )


def put_article(conn: sqlite3.Connection, article: Article, *, external_id: str | None = None) -> None:
    """Insert or replace `article`, its comments and its full-text index row."""
    norm = indexed_text(article.title, article.body)
    conn.execute(
        "INSERT OR REPLACE INTO articles (id, url, outlet, title, body, paragraphs_json, published, language,"
        " agencies_json, comments_stated, boilerplate_json, norm_text, external_id, extracted_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            article.id,
            article.url,
            article.outlet,
            article.title,
            article.body,
            json.dumps(list(article.paragraphs), ensure_ascii=False),
            article.published.isoformat() if article.published else None,
            article.language,
            json.dumps(list(article.agencies), ensure_ascii=False),
            article.comments_stated,
            json.dumps(list(article.boilerplate), ensure_ascii=False),
            norm,
            external_id,
            utcnow(),
        ),
    )
    conn.execute("DELETE FROM comments WHERE article_id = ?", (article.id,))
    conn.executemany(
        "INSERT INTO comments (article_id, idx, parent, author, text) VALUES (?, ?, ?, ?, ?)",
        [(article.id, c.index, c.parent, c.author, c.text) for c in article.comments],
    )
    conn.execute("DELETE FROM articles_fts WHERE article_id = ?", (article.id,))
    conn.execute("INSERT INTO articles_fts (article_id, norm_text) VALUES (?, ?)", (article.id, norm))


def _row_to_article(store: Store, row: sqlite3.Row) -> Article:
    comments = tuple(
        Comment(index=c["idx"], parent=c["parent"], text=c["text"], author=c["author"])
        for c in store.conn.execute(
            "SELECT idx, parent, author, text FROM comments WHERE article_id = ? ORDER BY idx", (row["id"],)
        )
    )
    source = store.conn.execute("SELECT source FROM documents WHERE id = ?", (row["id"],)).fetchone()
    return Article(
        id=row["id"],
        url=row["url"],
        outlet=row["outlet"],
        title=row["title"],
        body=row["body"],
        paragraphs=tuple(json.loads(row["paragraphs_json"])),
        published=datetime.fromisoformat(row["published"]) if row["published"] else None,
        language=row["language"],
        agencies=tuple(json.loads(row["agencies_json"])),
        comments=comments,
        comments_stated=row["comments_stated"],
        boilerplate=tuple(json.loads(row["boilerplate_json"])),
        source=source["source"] if source else None,
    )


def get_article(store: Store, article_id: str) -> Article | None:
    """The article with this id (or with this unique id prefix, as the CLI shows short ids)."""
    row = store.conn.execute("SELECT * FROM articles WHERE id = ?", (article_id,)).fetchone()
    if row is None and len(article_id) >= 6:
        rows = store.conn.execute(
            "SELECT * FROM articles WHERE id LIKE ? ESCAPE '\\' LIMIT 2",
            (article_id.replace("%", "\\%").replace("_", "\\_") + "%",),
        ).fetchall()
        row = rows[0] if len(rows) == 1 else None
    return _row_to_article(store, row) if row else None


def get_raw(store: Store, article_id: str) -> bytes | None:
    row = store.conn.execute("SELECT content FROM documents WHERE id = ?", (article_id,)).fetchone()
    return bytes(row["content"]) if row else None


def iter_articles(store: Store, *, order_by_published: bool = True) -> list[Article]:
    order = "coalesce(published, extracted_at), id" if order_by_published else "rowid"
    return [_row_to_article(store, r) for r in store.conn.execute(f"SELECT * FROM articles ORDER BY {order}")]


@dataclass(slots=True, frozen=True)
class ArticleText:
    """What an article is searched by: its title and body, with its row number in the store."""

    rowid: int
    id: str
    title: str | None
    body: str


_MAX_PARAMS = 400  # ids per IN (...) lookup: SQLite's parameter limit is 999 on old builds


def newest_rowid(store: Store) -> int:
    """The row number of the last article stored (0 on an empty store); it only grows."""
    return int(store.conn.execute("SELECT coalesce(max(rowid), 0) FROM articles").fetchone()[0])


def texts_after(store: Store, after: int, upto: int, *, limit: int) -> list[ArticleText]:
    """Up to `limit` articles with `after` < rowid <= `upto`, in rowid order."""
    rows = store.conn.execute(
        "SELECT rowid, id, title, body FROM articles WHERE rowid > ? AND rowid <= ? ORDER BY rowid LIMIT ?",
        (after, upto, limit),
    ).fetchall()
    return [ArticleText(int(r["rowid"]), r["id"], r["title"], r["body"]) for r in rows]


def texts_of(store: Store, article_ids: Sequence[str]) -> list[ArticleText]:
    """The stored articles among `article_ids` (unknown ids are absent), in no particular order."""
    out: list[ArticleText] = []
    unique = list(dict.fromkeys(article_ids))
    for start in range(0, len(unique), _MAX_PARAMS):
        part = unique[start : start + _MAX_PARAMS]
        rows = store.conn.execute(
            f"SELECT rowid, id, title, body FROM articles WHERE id IN ({','.join('?' * len(part))})", part
        ).fetchall()
        out.extend(ArticleText(int(r["rowid"]), r["id"], r["title"], r["body"]) for r in rows)
    return out


def locations(store: Store, article_ids: Sequence[str]) -> dict[str, tuple[str | None, str | None]]:
    """(url, source) of each stored article among `article_ids`: where it was found."""
    out: dict[str, tuple[str | None, str | None]] = {}
    unique = list(dict.fromkeys(article_ids))
    for start in range(0, len(unique), _MAX_PARAMS):
        part = unique[start : start + _MAX_PARAMS]
        rows = store.conn.execute(
            "SELECT a.id, a.url, d.source FROM articles a LEFT JOIN documents d ON d.id = a.id"
            f" WHERE a.id IN ({','.join('?' * len(part))})",
            part,
        )
        out.update((r["id"], (r["url"], r["source"])) for r in rows)
    return out


def counts(store: Store) -> dict[str, Any]:
    """How many documents, articles, comments, stories and rejects the store holds."""
    one = store.conn.execute
    return {
        "documents": one("SELECT count(*) FROM documents").fetchone()[0],
        "articles": one("SELECT count(*) FROM articles").fetchone()[0],
        "comments": one("SELECT count(*) FROM comments").fetchone()[0],
        "stories": one("SELECT count(*) FROM stories").fetchone()[0],
        "rejected": one("SELECT count(*) FROM rejected").fetchone()[0],
    }
