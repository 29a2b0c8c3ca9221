"""Live updates as server-sent events: every article stored, and every story it creates, in arrival order.

The store's arrival numbers (`story_members.seq`) are the event ids, so a client that reconnects with
`Last-Event-ID` (browsers do it by themselves) gets exactly what it missed. The stream is read by
polling the store (any process may be ingesting: `marsad watch`, `marsad ingest`, the API), a few
times a second, from a thread so the event loop never waits on SQLite.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any

from marsad.store import Store

MAX_BATCH = 200


@dataclass(slots=True, frozen=True)
class ArrivalEvent:
    """One stored article (event "article"), or the story it created (event "story")."""

    seq: int
    kind: str
    data: dict[str, Any]

    def encode(self) -> bytes:
        """The event in the text/event-stream wire format."""
        payload = json.dumps(self.data, ensure_ascii=False)
        return f"id: {self.seq}\nevent: {self.kind}\ndata: {payload}\n\n".encode()


def last_seq(store: Store) -> int:
    return int(store.conn.execute("SELECT coalesce(max(seq), 0) FROM story_members").fetchone()[0])


def arrivals_after(store: Store, seq: int, *, limit: int = MAX_BATCH) -> list[ArrivalEvent]:
    """Events for the articles stored after arrival number `seq`, oldest first: for each, a "story"
    event first when it founded its story, then an "article" event."""
    try:
        rows = store.conn.execute(
            "SELECT m.seq, m.story_id, a.id, a.title, a.outlet, a.language, a.published, s.size,"
            " s.title AS st,"
            " (SELECT min(seq) FROM story_members f WHERE f.story_id = m.story_id) AS first_seq"
            " FROM story_members m JOIN articles a ON a.id = m.article_id JOIN stories s ON s.id = m.story_id"
            " WHERE m.seq > ? ORDER BY m.seq LIMIT ?",
            (seq, limit),
        ).fetchall()
    except sqlite3.OperationalError:  # the store is busy being migrated or written: try again later
        return []
    events: list[ArrivalEvent] = []
    for r in rows:
        article = {
            "article_id": r["id"],
            "story_id": r["story_id"],
            "title": r["title"],
            "outlet": r["outlet"],
            "language": r["language"],
            "published": r["published"],
            "story_size": r["size"],
            "new_story": r["first_seq"] == r["seq"],
        }
        if article["new_story"]:
            story = {"story_id": r["story_id"], "title": r["st"] or r["title"], "first_article": r["id"]}
            events.append(ArrivalEvent(r["seq"], "story", story))
        events.append(ArrivalEvent(r["seq"], "article", article))
    return events
