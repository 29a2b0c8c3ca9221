"""Feeds kept in the store (migration 0011): what `marsad watch` polls, how often, and how it went."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from marsad.errors import InputError
from marsad.store.db import Store, utcnow


@dataclass(slots=True, frozen=True)
class StoredFeed:
    """One feed and the state of its polling."""

    id: int
    url: str
    name: str | None
    every_seconds: float
    paused: bool
    added_at: str
    last_fetch: str | None
    last_ok: str | None
    last_status: str | None
    last_error: str | None
    last_error_code: str | None
    errors_in_row: int
    items: int
    last_added: int
    next_poll: str

    @property
    def status(self) -> str:
        """paused | new (never polled) | ok | error."""
        if self.paused:
            return "paused"
        if self.last_status is None:
            return "new"
        return "error" if self.last_status == "error" else "ok"

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "url": self.url,
            "name": self.name,
            "every_seconds": self.every_seconds,
            "status": self.status,
            "paused": self.paused,
            "added_at": self.added_at,
            "last_fetch": self.last_fetch,
            "last_ok": self.last_ok,
            "last_error": self.last_error,
            "last_error_code": self.last_error_code,
            "errors_in_row": self.errors_in_row,
            "items": self.items,
            "last_added": self.last_added,
            "next_poll": None if self.paused else self.next_poll,
        }


@dataclass(slots=True, frozen=True)
class PollOutcome:
    """What one poll of a feed (started `at`) did: `error` set when the feed itself could not be read."""

    at: datetime
    added: int = 0
    not_modified: bool = False
    error: str | None = None
    error_code: str | None = None


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds")


def check_feed_url(url: str) -> str:
    """`url` stripped when it is an absolute http(s) URL with a host. Raises InputError otherwise."""
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError(f"a feed must be an absolute http:// or https:// URL, got {url[:200]!r}")
    return url


_COLUMNS = (
    "id, url, name, every_seconds, paused, added_at, last_fetch, last_ok, last_status, last_error,"
    " last_error_code, errors_in_row, items, last_added, next_poll"
)


def _feed(row: sqlite3.Row) -> StoredFeed:
    return StoredFeed(
        id=int(row["id"]),
        url=row["url"],
        name=row["name"],
        every_seconds=float(row["every_seconds"]),
        paused=bool(row["paused"]),
        added_at=row["added_at"],
        last_fetch=row["last_fetch"],
        last_ok=row["last_ok"],
        last_status=row["last_status"],
        last_error=row["last_error"],
        last_error_code=row["last_error_code"],
        errors_in_row=int(row["errors_in_row"]),
        items=int(row["items"]),
        last_added=int(row["last_added"]),
        next_poll=row["next_poll"],
    )


def add_feed(store: Store, url: str, *, every_seconds: float, name: str | None = None) -> StoredFeed:
    """Store a feed, due at once. Adding a stored URL again updates its name and schedule.

    Raises InputError on a URL that is not http(s) or a non-positive interval.
    """
    url = check_feed_url(url)
    if every_seconds <= 0:
        raise InputError(f"a feed's poll interval must be positive, got {every_seconds} seconds")
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO feeds (url, name, every_seconds, added_at, next_poll) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT (url) DO UPDATE SET name = coalesce(excluded.name, feeds.name),"
            " every_seconds = excluded.every_seconds",
            (url, name, every_seconds, utcnow(), iso(datetime.now(UTC))),
        )
    found = get_feed(store, url)
    assert found is not None
    return found


def list_feeds(store: Store) -> list[StoredFeed]:
    return [_feed(r) for r in store.conn.execute(f"SELECT {_COLUMNS} FROM feeds ORDER BY id")]


def row_by_ref(
    store: Store, table: str, columns: str, ref: str | int, *, text_column: str
) -> sqlite3.Row | None:
    """The row of `table` whose id is `ref` (all digits) or whose `text_column` is `ref`."""
    text = str(ref).strip()
    column = "id" if text.isdigit() else text_column
    row: sqlite3.Row | None = store.conn.execute(
        f"SELECT {columns} FROM {table} WHERE {column} = ?", (text,)
    ).fetchone()
    return row


def delete_by_id(store: Store, table: str, row_id: int | None) -> bool:
    """Delete row `row_id` of `table`; False when `row_id` is None (nothing found to delete)."""
    if row_id is None:
        return False
    with store.transaction() as conn:
        conn.execute(f"DELETE FROM {table} WHERE id = ?", (row_id,))
    return True


def get_feed(store: Store, ref: str | int) -> StoredFeed | None:
    """A feed by its id (a number) or its URL."""
    row = row_by_ref(store, "feeds", _COLUMNS, ref, text_column="url")
    return _feed(row) if row is not None else None


def set_paused(store: Store, ref: str | int, paused: bool) -> StoredFeed | None:
    """Pause or resume a feed; a resumed feed is due at once. None when there is no such feed."""
    feed = get_feed(store, ref)
    if feed is None:
        return None
    with store.transaction() as conn:
        conn.execute(
            "UPDATE feeds SET paused = ?, next_poll = CASE WHEN ? THEN next_poll ELSE ? END WHERE id = ?",
            (int(paused), int(paused), iso(datetime.now(UTC)), feed.id),
        )
    return get_feed(store, feed.id)


def remove_feed(store: Store, ref: str | int) -> bool:
    """Forget a feed (its articles stay). False when there was no such feed."""
    feed = get_feed(store, ref)
    return delete_by_id(store, "feeds", feed.id if feed else None)


def due_feeds(store: Store, now: datetime) -> list[StoredFeed]:
    """Feeds not paused whose next poll is at or before `now`, the longest waiting first."""
    rows = store.conn.execute(
        f"SELECT {_COLUMNS} FROM feeds WHERE paused = 0 AND next_poll <= ? ORDER BY next_poll, id",
        (iso(now),),
    )
    return [_feed(r) for r in rows]


def next_due(store: Store) -> datetime | None:
    """When the next feed is due, or None when no feed is active."""
    row = store.conn.execute("SELECT min(next_poll) FROM feeds WHERE paused = 0").fetchone()
    return datetime.fromisoformat(row[0]) if row and row[0] else None


def record_poll(store: Store, feed: StoredFeed, outcome: PollOutcome) -> None:
    """Keep how a poll went and schedule the next one `every_seconds` after this one started: two
    polls of a feed are never closer than its interval, even after a poll that ran late."""
    following = outcome.at + timedelta(seconds=feed.every_seconds)
    at = iso(outcome.at)
    with store.transaction() as conn:
        if outcome.error is not None:
            conn.execute(
                "UPDATE feeds SET last_fetch = ?, last_status = 'error', last_error = ?, last_error_code = ?,"
                " errors_in_row = errors_in_row + 1, last_added = 0, next_poll = ? WHERE id = ?",
                (at, outcome.error, outcome.error_code, iso(following), feed.id),
            )
        else:
            conn.execute(
                "UPDATE feeds SET last_fetch = ?, last_ok = ?, last_status = ?, last_error = NULL,"
                " last_error_code = NULL, errors_in_row = 0, items = items + ?, last_added = ?,"
                " next_poll = ? WHERE id = ?",
                (
                    at,
                    at,
                    "not_modified" if outcome.not_modified else "ok",
                    outcome.added,
                    outcome.added,
                    iso(following),
                    feed.id,
                ),
            )
