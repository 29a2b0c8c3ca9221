"""Finding things in the store: full-text search (FTS5 over normalized text) and filtered story lists.

Every query here is parameterized. User text reaches FTS5 only through `fts_query`, which keeps
word characters of the normalized query and wraps each term in double quotes, so FTS5 operators
(`OR`, `NEAR`, `*`, `-`, `^`, column filters) typed by a user are searched as words, never obeyed.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from marsad.store.db import Store
from marsad.text.arabic import normalize
from marsad.text.tokens import STOPWORDS

MAX_TERMS = 12
MAX_EXCERPT_WORDS = 40

# Arabic clitics glued to the front of a word: a search for الرقة should find والرقة and بالرقة.
_ARABIC_PREFIXES = ("", "و", "ف", "ب", "ل", "ك", "ال", "وال", "بال", "فال", "كال", "لل", "ولل")
_ARTICLE_PREFIXES = ("وال", "بال", "فال", "كال", "لل", "ال")
_WORD = re.compile(r"[^\W_]+")
_ARABIC_LETTER = re.compile(r"[\u0600-\u06ff]")


def query_terms(query: str, *, max_terms: int = MAX_TERMS) -> list[str]:
    """The normalized words of `query` worth searching, as FTS5 sees them: no function words (or, في,
    le ...), no single characters, no duplicates, at most `max_terms`."""
    words = _WORD.findall(normalize(query))
    kept = [w for w in words if len(w) > 1 and w not in STOPWORDS]
    return list(dict.fromkeys(kept))[:max_terms]


def _quoted(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _arabic_stem(term: str) -> str:
    """`term` without a leading article and its clitics (وال بال فال كال لل ال) when 3+ letters remain."""
    for prefix in _ARTICLE_PREFIXES:
        if term.startswith(prefix) and len(term) - len(prefix) >= 3:
            return term[len(prefix) :]
    return term


def _alternatives(term: str) -> list[str]:
    """`term` and its clitic-prefixed Arabic forms; a Latin term stands for itself (plus prefix match)."""
    if not _ARABIC_LETTER.search(term):
        return [term]
    stem = _arabic_stem(term)
    # A definite query word (الرقة) matches definite forms only: bare فرقة is another word.
    prefixes = (*_ARTICLE_PREFIXES, "ولل") if stem != term else _ARABIC_PREFIXES
    return list(dict.fromkeys([term] + [p + stem for p in prefixes]))


def fts_query(query: str, *, max_terms: int = MAX_TERMS, require_all: bool = True) -> str | None:
    """A safe FTS5 MATCH expression for `query`: every term required (or any, with `require_all`
    False), each as a quoted string.

    Terms of three or more characters also match as prefixes; Arabic terms also match behind the
    common clitics (و ف ب ل ك ال). None when the query has no word characters at all.
    """
    groups = []
    for term in query_terms(query, max_terms=max_terms):
        forms = [_quoted(f) + ("*" if len(f) >= 3 else "") for f in _alternatives(term)]
        groups.append(forms[0] if len(forms) == 1 else "(" + " OR ".join(forms) + ")")
    return (" AND " if require_all else " OR ").join(groups) if groups else None


@dataclass(slots=True, frozen=True)
class ArticleFilter:
    """Optional restrictions shared by story lists and search; all values are matched exactly."""

    since: str | None = None  # ISO date or datetime, inclusive
    until: str | None = None  # ISO date or datetime, exclusive
    language: str | None = None
    outlet: str | None = None


@dataclass(slots=True, frozen=True)
class Excerpt:
    """A piece of an article's original text around the search terms; `marks[i]` says part i matched."""

    parts: tuple[str, ...]
    marks: tuple[bool, ...]

    def to_json(self) -> dict[str, Any]:
        return {"text": "".join(self.parts), "parts": [{"text": p, "match": m} for p, m in self]}

    def __iter__(self) -> Iterator[tuple[str, bool]]:
        return iter(zip(self.parts, self.marks, strict=True))


@dataclass(slots=True, frozen=True)
class SearchHit:
    """One article found by a search, with the story it belongs to."""

    article_id: str
    title: str | None
    outlet: str | None
    language: str | None
    published: str | None
    story_id: str | None
    score: float
    excerpt: Excerpt

    def to_json(self) -> dict[str, Any]:
        return {
            "article_id": self.article_id,
            "title": self.title,
            "outlet": self.outlet,
            "language": self.language,
            "published": self.published,
            "story_id": self.story_id,
            "score": round(self.score, 4),
            "excerpt": self.excerpt.to_json(),
        }


@dataclass(slots=True, frozen=True)
class SearchPage:
    total: int
    hits: tuple[SearchHit, ...]


def _article_conditions(flt: ArticleFilter, alias: str) -> tuple[list[str], list[Any]]:
    where: list[str] = []
    params: list[Any] = []
    if flt.since:
        where.append(f"{alias}.published >= ?")
        params.append(flt.since)
    if flt.until:
        where.append(f"{alias}.published < ?")
        params.append(flt.until)
    if flt.language:
        where.append(f"{alias}.language = ?")
        params.append(flt.language)
    if flt.outlet:
        where.append(f"{alias}.outlet = ?")
        params.append(flt.outlet)
    return where, params


def filtered_ids(store: Store, flt: ArticleFilter) -> set[str] | None:
    """The ids of the articles `flt` lets through, or None when it restricts nothing."""
    where, params = _article_conditions(flt, "a")
    if not where:
        return None
    rows = store.conn.execute("SELECT a.id FROM articles a WHERE " + " AND ".join(where), params)
    return {r[0] for r in rows}


def excerpt(text: str, terms: list[str], *, max_words: int = MAX_EXCERPT_WORDS) -> Excerpt:
    """The words of `text` around the first word matching one of `terms` (compared normalized)."""
    words = text.split()
    if not words:
        return Excerpt((), ())
    forms = {f for t in terms for f in _alternatives(t)}

    def hit(word: str) -> bool:
        return any(
            token == f or (len(f) >= 3 and token.startswith(f))
            for token in _WORD.findall(normalize(word))
            for f in forms
        )

    matched = [hit(w) for w in words[: 20 * max_words]]
    first = next((i for i, m in enumerate(matched) if m), 0)
    start = max(0, first - max_words // 4)
    end = min(len(words), start + max_words)
    parts: list[str] = []
    marks: list[bool] = []
    for i in range(start, end):
        flag = matched[i] if i < len(matched) else False
        piece = words[i] + (" " if i < end - 1 else "")
        if marks and marks[-1] == flag:
            parts[-1] += piece
        else:
            parts.append(piece)
            marks.append(flag)
    if start > 0:
        parts[0] = "… " + parts[0]
    if end < len(words):
        parts[-1] = parts[-1] + " …"
    return Excerpt(tuple(parts), tuple(marks))


def search_text(
    store: Store, query: str, *, flt: ArticleFilter | None = None, limit: int = 20, offset: int = 0
) -> SearchPage:
    """Articles whose normalized title and body contain every term of `query`, best (BM25) first."""
    match = fts_query(query)
    if match is None:
        return SearchPage(0, ())
    where, params = _article_conditions(flt or ArticleFilter(), "a")
    joined = "".join(f" AND {w}" for w in where)
    base = f" FROM articles_fts f JOIN articles a ON a.id = f.article_id WHERE articles_fts MATCH ?{joined}"
    try:
        total = store.conn.execute("SELECT count(*)" + base, (match, *params)).fetchone()[0]
        rows = store.conn.execute(
            "SELECT a.id, a.title, a.outlet, a.language, a.published, a.body, bm25(articles_fts) AS rank,"
            " (SELECT story_id FROM story_members m WHERE m.article_id = a.id) AS story_id"
            + base
            + " ORDER BY rank, a.id LIMIT ? OFFSET ?",
            (match, *params, limit, offset),
        ).fetchall()
    except sqlite3.OperationalError as exc:
        # fts_query only emits quoted terms, so this is a bug, not bad input; say which query did it.
        raise RuntimeError(f"full-text query failed for MATCH {match!r}: {exc}") from exc
    terms = query_terms(query)
    return SearchPage(int(total), tuple(_hit(r, -float(r["rank"]), terms) for r in rows))


def _hit(row: sqlite3.Row, score: float, terms: list[str]) -> SearchHit:
    return SearchHit(
        article_id=row["id"],
        title=row["title"],
        outlet=row["outlet"],
        language=row["language"],
        published=row["published"],
        story_id=row["story_id"],
        score=score,
        excerpt=excerpt(row["body"], terms),
    )


def candidates(store: Store, query: str, *, flt: ArticleFilter | None = None, limit: int = 50) -> list[str]:
    """Up to `limit` article ids worth ranking by meaning: those sharing any term with `query`
    (best BM25 first), then the newest articles to fill the set."""
    where, params = _article_conditions(flt or ArticleFilter(), "a")
    found: list[str] = []
    match = fts_query(query, require_all=False)
    if match is not None:
        joined = "".join(f" AND {w}" for w in where)
        found = [
            r[0]
            for r in store.conn.execute(
                "SELECT a.id FROM articles_fts f JOIN articles a ON a.id = f.article_id"
                f" WHERE articles_fts MATCH ?{joined} ORDER BY bm25(articles_fts), a.id LIMIT ?",
                (match, *params, limit),
            )
        ]
    if len(found) < limit:
        clause = " WHERE " + " AND ".join(where) if where else ""
        newest = store.conn.execute(
            f"SELECT a.id FROM articles a{clause} ORDER BY a.published DESC, a.rowid DESC LIMIT ?",
            (*params, limit),
        )
        found.extend(r[0] for r in newest if r[0] not in found)
    return found[:limit]


def hits_for(store: Store, scored: list[tuple[str, float]], query: str) -> list[SearchHit]:
    """Search hits for (article id, score) pairs, in the given order; unknown ids are left out."""
    terms = query_terms(query)
    hits = []
    for article_id, score in scored:
        row = store.conn.execute(
            "SELECT a.id, a.title, a.outlet, a.language, a.published, a.body,"
            " (SELECT story_id FROM story_members m WHERE m.article_id = a.id) AS story_id"
            " FROM articles a WHERE a.id = ?",
            (article_id,),
        ).fetchone()
        if row is not None:
            hits.append(_hit(row, score, terms))
    return hits


@dataclass(slots=True, frozen=True)
class StoryFilter(ArticleFilter):
    """Story list restrictions: a story matches when one of its articles does (time: by span overlap)."""

    entity: str | None = None


STORY_ORDERS = {
    # Newest day first, biggest first within a day: what a monitor wants at the top.
    "recent": "substr(coalesce(s.last_published, s.updated_at), 1, 10) DESC, s.size DESC,"
    " coalesce(s.last_published, s.updated_at) DESC, s.id",
    "size": "s.size DESC, coalesce(s.last_published, s.updated_at) DESC, s.id",
}


def has_table(store: Store, name: str) -> bool:
    row = store.conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type IN ('table', 'view') AND name = ?", (name,)
    ).fetchone()
    return row is not None


def find_stories(
    store: Store,
    flt: StoryFilter | None = None,
    *,
    order: str = "recent",
    limit: int = 50,
    offset: int = 0,
    entity_keys: Sequence[str] | None = None,
) -> tuple[int, list[str]]:
    """(total, story ids of this page) for stories matching `flt`, in `order` (see STORY_ORDERS).

    `entity_keys` are the keys `flt.entity` names (resolved by the caller that knows the entities
    schema): a story matches when one of its articles mentions one of them. An entity filter without
    them raises LookupError; with an empty list nothing matches.
    """
    flt = flt or StoryFilter()
    if order not in STORY_ORDERS:
        raise ValueError(f"unknown story order {order!r}; use one of {sorted(STORY_ORDERS)}")
    where = ["s.size > 0"]
    params: list[Any] = []
    if flt.since:
        where.append("coalesce(s.last_published, s.first_published) >= ?")
        params.append(flt.since)
    if flt.until:
        where.append("s.first_published < ?")
        params.append(flt.until)
    member_cond, member_params = _article_conditions(
        ArticleFilter(language=flt.language, outlet=flt.outlet), "a"
    )
    if flt.entity:
        if entity_keys is None:
            raise LookupError("this store has no entities yet, so stories cannot be filtered by entity")
        keys = list(entity_keys)
        marks = ",".join("?" * len(keys)) or "NULL"
        where.append(
            "s.id IN (SELECT m.story_id FROM mentions mm JOIN story_members m ON m.article_id = mm.article_id"
            f" WHERE mm.key IN ({marks}))"
        )
        params.extend(keys)
    for cond, value in zip(member_cond, member_params, strict=True):
        where.append(
            "EXISTS (SELECT 1 FROM story_members m JOIN articles a ON a.id = m.article_id"
            f" WHERE m.story_id = s.id AND {cond})"
        )
        params.append(value)
    clause = " WHERE " + " AND ".join(where)
    total = store.conn.execute("SELECT count(*) FROM stories s" + clause, params).fetchone()[0]
    rows = store.conn.execute(
        f"SELECT s.id FROM stories s{clause} ORDER BY {STORY_ORDERS[order]} LIMIT ? OFFSET ?",
        (*params, limit, offset),
    ).fetchall()
    return int(total), [r[0] for r in rows]
