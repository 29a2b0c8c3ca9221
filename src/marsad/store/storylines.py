"""Storylines in the store: the events (stories) of one developing story, over days.

A story is linked to its storyline once, when it is born (`link` on its first article), and keeps it:
storyline ids are stable. Each later article of the story only widens the storyline's time span.
"""

from __future__ import annotations

import sqlite3
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from marsad.store.db import Store, utcnow
from marsad.store.stories import WIDEN_SPAN, span_params


@dataclass(slots=True, frozen=True)
class StorylineEvent:
    """One story of a storyline, as its timeline shows it."""

    id: str
    title: str | None
    size: int
    first_published: str | None
    last_published: str | None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True, frozen=True)
class StorylineSummary:
    """A storyline: its stories in time order (the timeline), its article count and time span."""

    id: str
    title: str | None
    first_published: str | None
    last_published: str | None
    stories: tuple[StorylineEvent, ...]

    @property
    def size(self) -> int:
        """Articles over all its stories."""
        return sum(s.size for s in self.stories)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "size": self.size,
            "first_published": self.first_published,
            "last_published": self.last_published,
            "stories": [s.to_json() for s in self.stories],
        }


def link(
    conn: sqlite3.Connection,
    story_id: str,
    storyline_id: str,
    *,
    title: str | None,
    published: datetime | None,
) -> None:
    """Put `story_id` into `storyline_id` unless it already has a storyline (a story keeps the one it
    got at birth), creating the storyline if it is new, and widen the storyline's time span."""
    now = utcnow()
    pub = published.isoformat() if published else None
    conn.execute(
        "INSERT INTO storylines (id, title, first_published, last_published, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
        (storyline_id, title, pub, pub, now, now),
    )
    conn.execute(
        "INSERT INTO story_storylines (story_id, storyline_id) VALUES (?, ?)"
        " ON CONFLICT (story_id) DO NOTHING",
        (story_id, storyline_id),
    )
    conn.execute(
        f"UPDATE storylines SET updated_at = ?, title = coalesce(title, ?), {WIDEN_SPAN}"
        " WHERE id = (SELECT storyline_id FROM story_storylines WHERE story_id = ?)",
        (now, title, *span_params(pub), story_id),
    )


def storyline_of(store: Store, story_id: str) -> str | None:
    row = store.conn.execute(
        "SELECT storyline_id FROM story_storylines WHERE story_id = ?", (story_id,)
    ).fetchone()
    return str(row[0]) if row else None


def _summary(store: Store, row: sqlite3.Row) -> StorylineSummary:
    stories = store.conn.execute(
        "SELECT s.id, s.title, s.size, s.first_published, s.last_published"
        " FROM story_storylines l JOIN stories s ON s.id = l.story_id"
        " WHERE l.storyline_id = ? AND s.size > 0 ORDER BY coalesce(s.first_published, s.created_at), s.id",
        (row["id"],),
    ).fetchall()
    return StorylineSummary(
        id=row["id"],
        title=row["title"],
        first_published=row["first_published"],
        last_published=row["last_published"],
        stories=tuple(
            StorylineEvent(s["id"], s["title"], s["size"], s["first_published"], s["last_published"])
            for s in stories
        ),
    )


def list_storylines(
    store: Store, *, limit: int = 100, offset: int = 0, min_stories: int = 1
) -> list[StorylineSummary]:
    """Storylines of at least `min_stories` stories, those of most stories first, then the newest."""
    rows = store.conn.execute(
        "SELECT l.*, count(*) AS n FROM storylines l JOIN story_storylines m ON m.storyline_id = l.id"
        " JOIN stories s ON s.id = m.story_id AND s.size > 0"
        " GROUP BY l.id HAVING count(*) >= ?"
        " ORDER BY n DESC, coalesce(l.last_published, l.updated_at) DESC, l.id LIMIT ? OFFSET ?",
        (min_stories, limit, offset),
    ).fetchall()
    return [_summary(store, r) for r in rows]


def get_storyline(store: Store, storyline_id: str) -> StorylineSummary | None:
    row = store.conn.execute("SELECT * FROM storylines WHERE id = ?", (storyline_id,)).fetchone()
    return _summary(store, row) if row else None
