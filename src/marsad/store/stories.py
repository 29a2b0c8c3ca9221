"""Stories and their members in the store."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from marsad.store.db import Store, utcnow

# SET clause widening a row's first/last_published to take in one time (bind `span_params(time)`).
WIDEN_SPAN = (
    "first_published = CASE WHEN ? IS NOT NULL AND (first_published IS NULL OR ? < first_published)"
    "   THEN ? ELSE first_published END,"
    " last_published = CASE WHEN ? IS NOT NULL AND (last_published IS NULL OR ? > last_published)"
    "   THEN ? ELSE last_published END"
)


def span_params(published: str | None) -> tuple[str | None, ...]:
    """The parameters of `WIDEN_SPAN` for one ISO time (None widens nothing)."""
    return (published,) * 6


@dataclass(slots=True, frozen=True)
class StorySummary:
    """A story as listed: its size, sources, languages and time span."""

    id: str
    title: str | None
    size: int
    outlets: tuple[str, ...]
    languages: tuple[str, ...]
    first_published: str | None
    last_published: str | None
    article_ids: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "size": self.size,
            "outlets": list(self.outlets),
            "languages": list(self.languages),
            "first_published": self.first_published,
            "last_published": self.last_published,
            "articles": list(self.article_ids),
        }


def assign(
    conn: sqlite3.Connection,
    article_id: str,
    story_id: str,
    *,
    score: float | None,
    title: str | None,
    published: datetime | None,
) -> None:
    """Put `article_id` into `story_id`, creating the story if it is new."""
    now = utcnow()
    pub = published.isoformat() if published else None
    conn.execute(
        "INSERT INTO stories (id, title, first_published, last_published, size, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, 0, ?, ?) ON CONFLICT (id) DO NOTHING",
        (story_id, title, pub, pub, now, now),
    )
    seq = conn.execute("SELECT coalesce(max(seq), 0) + 1 FROM story_members").fetchone()[0]
    conn.execute(
        "INSERT INTO story_members (article_id, story_id, score, seq) VALUES (?, ?, ?, ?)",
        (article_id, story_id, score, seq),
    )
    conn.execute(
        f"UPDATE stories SET size = size + 1, updated_at = ?, title = coalesce(title, ?), {WIDEN_SPAN}"
        " WHERE id = ?",
        (now, title, *span_params(pub), story_id),
    )


def story_of(store: Store, article_id: str) -> str | None:
    row = store.conn.execute(
        "SELECT story_id FROM story_members WHERE article_id = ?", (article_id,)
    ).fetchone()
    return str(row[0]) if row else None


def _summary(store: Store, row: sqlite3.Row) -> StorySummary:
    members = store.conn.execute(
        "SELECT a.id, a.outlet, a.language, a.title"
        " FROM story_members m JOIN articles a ON a.id = m.article_id"
        " WHERE m.story_id = ? ORDER BY coalesce(a.published, ''), m.seq",
        (row["id"],),
    ).fetchall()
    outlets = tuple(dict.fromkeys(m["outlet"] for m in members if m["outlet"]))
    languages = tuple(dict.fromkeys(m["language"] for m in members if m["language"]))
    title = row["title"] or next((m["title"] for m in members if m["title"]), None)
    return StorySummary(
        id=row["id"],
        title=title,
        size=len(members),
        outlets=outlets,
        languages=languages,
        first_published=row["first_published"],
        last_published=row["last_published"],
        article_ids=tuple(m["id"] for m in members),
    )


def list_stories(store: Store, *, limit: int = 100, offset: int = 0) -> list[StorySummary]:
    """Stories, biggest and newest first."""
    rows = store.conn.execute(
        "SELECT * FROM stories WHERE size > 0"
        " ORDER BY size DESC, coalesce(last_published, updated_at) DESC, id"
        " LIMIT ? OFFSET ?",
        (limit, offset),
    ).fetchall()
    return [_summary(store, r) for r in rows]


def get_story(store: Store, story_id: str) -> StorySummary | None:
    row = store.conn.execute("SELECT * FROM stories WHERE id = ?", (story_id,)).fetchone()
    return _summary(store, row) if row else None


def updated_times(store: Store, story_ids: Sequence[str]) -> dict[str, str]:
    """When an article last joined each of `story_ids` (ISO 8601, UTC): what "changed since your
    last visit" means on the story list."""
    out: dict[str, str] = {}
    for story_id in story_ids:
        row = store.conn.execute("SELECT updated_at FROM stories WHERE id = ?", (story_id,)).fetchone()
        if row is not None:
            out[story_id] = str(row["updated_at"])
    return out


def unnamed_sources(store: Store, story_id: str) -> int:
    """How many of the story's articles name no outlet."""
    return int(
        store.conn.execute(
            "SELECT count(*) FROM story_members m JOIN articles a ON a.id = m.article_id"
            " WHERE m.story_id = ? AND (a.outlet IS NULL OR a.outlet = '')",
            (story_id,),
        ).fetchone()[0]
    )


@dataclass(slots=True, frozen=True)
class StoryMember:
    """One article of a story as the story page lists it, with what its timeline needs."""

    id: str
    title: str | None
    outlet: str | None
    language: str | None
    published: str | None
    url: str | None
    agencies: tuple[str, ...]
    source: str | None
    fetched_at: str | None
    ingested_at: str | None


def members(store: Store, story_id: str) -> list[StoryMember]:
    """The story's articles by stated publication time, else fetch time, else ingest time (then the
    order they joined)."""
    rows = store.conn.execute(
        "SELECT a.id, a.title, a.outlet, a.language, a.published, a.url, a.agencies_json,"
        " d.source, d.fetched_at, d.ingested_at, m.seq"
        " FROM story_members m JOIN articles a ON a.id = m.article_id"
        " LEFT JOIN documents d ON d.id = a.id"
        " WHERE m.story_id = ? ORDER BY coalesce(a.published, d.fetched_at, d.ingested_at), m.seq",
        (story_id,),
    ).fetchall()
    return [
        StoryMember(
            r["id"],
            r["title"],
            r["outlet"],
            r["language"],
            r["published"],
            r["url"],
            tuple(json.loads(r["agencies_json"])),
            r["source"],
            r["fetched_at"],
            r["ingested_at"],
        )
        for r in rows
    ]


def counter(store: Store, name: str) -> int:
    """The value of the ingest counter `name` (migration 0014; 0: none)."""
    row = store.conn.execute("SELECT value FROM ingest_counters WHERE name = ?", (name,)).fetchone()
    return int(row[0]) if row is not None else 0


def set_counter(store: Store, name: str, value: int) -> None:
    with store.transaction() as conn:
        conn.execute("INSERT OR REPLACE INTO ingest_counters (name, value) VALUES (?, ?)", (name, value))


def stories_joined_after(store: Store, seq: int) -> set[str]:
    """The stories an article joined (or began) after arrival `seq` (by the story_members_seq index)."""
    # (not DISTINCT: SQLite would then scan the story_id index rather than search by arrival number)
    rows = store.conn.execute("SELECT story_id FROM story_members WHERE seq > ?", (seq,))
    return {row[0] for row in rows}


# What the story clusterer reads of each stored article (marsad.pipeline.stored_cluster_doc): its text,
# the entity keys and lead entity keys it saw at assignment, its story and the story's storyline.
CLUSTER_DOC_COLUMNS = (
    "m.story_id, m.seq, a.id, a.body, a.title, a.language, a.published, a.outlet, e.keys, e.lead_keys,"
    " l.storyline_id FROM story_members m JOIN articles a ON a.id = m.article_id"
    " LEFT JOIN cluster_entities e ON e.article_id = a.id"
    " LEFT JOIN story_storylines l ON l.story_id = m.story_id"
)


def assigned_after(store: Store, seq: int) -> sqlite3.Cursor:
    """`CLUSTER_DOC_COLUMNS` of every assignment after arrival `seq`, in arrival order."""
    return store.conn.execute(f"SELECT {CLUSTER_DOC_COLUMNS} WHERE m.seq > ? ORDER BY m.seq", (seq,))


def assigned_articles(store: Store, article_ids: Sequence[str]) -> list[sqlite3.Row]:
    """`CLUSTER_DOC_COLUMNS` of the assignments of `article_ids` (by primary key), in no given order."""
    out: list[sqlite3.Row] = []
    for lo in range(0, len(article_ids), 500):
        part = list(article_ids[lo : lo + 500])
        marks = ",".join("?" * len(part))
        out.extend(store.conn.execute(f"SELECT {CLUSTER_DOC_COLUMNS} WHERE a.id IN ({marks})", part))
    return out


def existed_at(store: Store, story_id: str, seq: int) -> bool:
    """Whether `story_id` had a member stored by arrival `seq` (by the story_members_story index)."""
    row = store.conn.execute(
        "SELECT 1 FROM story_members WHERE story_id = ? AND seq <= ? LIMIT 1", (story_id, seq)
    ).fetchone()
    return row is not None
