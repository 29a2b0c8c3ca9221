"""Watchlists, the alerts they raise and the log of webhook deliveries (migration 0011)."""

from __future__ import annotations

import json
import secrets
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from marsad.errors import InputError
from marsad.store.db import Store, utcnow
from marsad.store.feeds import delete_by_id, iso, row_by_ref


@dataclass(slots=True, frozen=True)
class Watchlist:
    """What to watch for (every criterion given must match) and where its alerts go."""

    id: int
    name: str
    entity: str | None
    query: str | None
    outlet: str | None
    webhook_url: str | None
    secret: str | None
    jsonl_path: str | None
    created_at: str

    def to_json(self, *, reveal: bool = False) -> dict[str, Any]:
        """The watchlist; the webhook URL cut to its origin (it may carry a token) unless `reveal`,
        and the secret never."""
        webhook = self.webhook_url
        if webhook and not reveal:
            parts = urlsplit(webhook)
            webhook = f"{parts.scheme}://{parts.hostname}{f':{parts.port}' if parts.port else ''}/…"
        return {
            "id": self.id,
            "name": self.name,
            "entity": self.entity,
            "query": self.query,
            "outlet": self.outlet,
            "webhook": webhook,
            "jsonl_path": self.jsonl_path,
            "created_at": self.created_at,
        }


@dataclass(slots=True, frozen=True)
class Alert:
    """One article that matched one watchlist, and how its webhook delivery stands."""

    id: int
    watchlist_id: int
    watchlist: str
    article_id: str
    matched: dict[str, Any]
    created_at: str
    webhook: str
    attempts: int
    next_attempt: str | None
    title: str | None
    outlet: str | None
    url: str | None
    story_id: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "watchlist_id": self.watchlist_id,
            "watchlist": self.watchlist,
            "article_id": self.article_id,
            "story_id": self.story_id,
            "title": self.title,
            "outlet": self.outlet,
            "url": self.url,
            "matched": self.matched,
            "created_at": self.created_at,
            "webhook": self.webhook,
            "attempts": self.attempts,
            "next_attempt": self.next_attempt,
        }


@dataclass(slots=True, frozen=True)
class Delivery:
    """One attempt at delivering an alert to its webhook."""

    alert_id: int
    attempt: int
    at: str
    status: int | None
    error: str | None
    duration_ms: int

    def to_json(self) -> dict[str, Any]:
        return {
            "attempt": self.attempt,
            "at": self.at,
            "status": self.status,
            "error": self.error,
            "duration_ms": self.duration_ms,
        }


_WATCHLIST = "id, name, entity, query, outlet, webhook_url, secret, jsonl_path, created_at"


def _watchlist(row: sqlite3.Row) -> Watchlist:
    return Watchlist(**{k: row[k] for k in row.keys()})  # noqa: SIM118 (sqlite3.Row has no iterator of keys)


def _clean(value: str | None) -> str | None:
    value = " ".join(value.split()) if value else None
    return value or None


def add_watchlist(
    store: Store,
    name: str,
    *,
    entity: str | None = None,
    query: str | None = None,
    outlet: str | None = None,
    webhook_url: str | None = None,
    secret: str | None = None,
    jsonl_path: str | None = None,
) -> Watchlist:
    """Store a watchlist. A webhook without a secret gets a random one (read it from the result).

    Raises InputError when nothing is watched, the name is taken, or the webhook is not http(s).
    """
    name = _clean(name) or ""
    entity, query, outlet = _clean(entity), _clean(query), _clean(outlet)
    if not name:
        raise InputError("a watchlist needs a name")
    if not (entity or query or outlet):
        raise InputError(
            f"watchlist {name!r} watches nothing: give an entity, a query or an outlet (or several)"
        )
    if webhook_url:
        parts = urlsplit(webhook_url.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise InputError(f"a webhook must be an http:// or https:// URL, got {webhook_url[:200]!r}")
        secret = secret or secrets.token_urlsafe(32)
    try:
        with store.transaction() as conn:
            conn.execute(
                "INSERT INTO watchlists (name, entity, query, outlet, webhook_url, secret, jsonl_path,"
                " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (name, entity, query, outlet, webhook_url or None, secret, jsonl_path, utcnow()),
            )
    except sqlite3.IntegrityError:
        raise InputError(
            f"a watchlist named {name!r} exists already; remove it first or pick another name"
        ) from None
    found = get_watchlist(store, name)
    assert found is not None
    return found


def list_watchlists(store: Store | sqlite3.Connection) -> list[Watchlist]:
    conn = store.conn if isinstance(store, Store) else store
    return [_watchlist(r) for r in conn.execute(f"SELECT {_WATCHLIST} FROM watchlists ORDER BY id")]


def get_watchlist(store: Store, ref: str | int) -> Watchlist | None:
    """A watchlist by its id or its name."""
    row = row_by_ref(store, "watchlists", _WATCHLIST, ref, text_column="name")
    return _watchlist(row) if row is not None else None


def remove_watchlist(store: Store, ref: str | int) -> bool:
    """Forget a watchlist with its alerts and their delivery log. False when there was none."""
    found = get_watchlist(store, ref)
    return delete_by_id(store, "watchlists", found.id if found else None)


def put_alert(
    conn: sqlite3.Connection, watchlist: Watchlist, article_id: str, matched: dict[str, Any]
) -> bool:
    """Raise an alert for `article_id` unless this watchlist already has one for it. True when new."""
    cur = conn.execute(
        "INSERT OR IGNORE INTO alerts (watchlist_id, article_id, matched_json, created_at, webhook,"
        " next_attempt) VALUES (?, ?, ?, ?, ?, ?)",
        (
            watchlist.id,
            article_id,
            json.dumps(matched, ensure_ascii=False, sort_keys=True),
            utcnow(),
            "pending" if watchlist.webhook_url else "none",
            iso(datetime.now(UTC)) if watchlist.webhook_url else None,
        ),
    )
    return cur.rowcount == 1


_ALERT = (
    "SELECT al.id, al.watchlist_id, w.name AS watchlist, al.article_id, al.matched_json, al.created_at,"
    " al.webhook, al.attempts, al.next_attempt, a.title, a.outlet, a.url,"
    " (SELECT story_id FROM story_members m WHERE m.article_id = al.article_id) AS story_id"
    " FROM alerts al JOIN watchlists w ON w.id = al.watchlist_id JOIN articles a ON a.id = al.article_id"
)


def _alert(row: sqlite3.Row) -> Alert:
    return Alert(
        id=int(row["id"]),
        watchlist_id=int(row["watchlist_id"]),
        watchlist=row["watchlist"],
        article_id=row["article_id"],
        matched=json.loads(row["matched_json"]),
        created_at=row["created_at"],
        webhook=row["webhook"],
        attempts=int(row["attempts"]),
        next_attempt=row["next_attempt"],
        title=row["title"],
        outlet=row["outlet"],
        url=row["url"],
        story_id=row["story_id"],
    )


def alert_counts(store: Store) -> dict[int, int]:
    """How many alerts each watchlist has raised (watchlists without alerts are absent)."""
    rows = store.conn.execute("SELECT watchlist_id, count(*) FROM alerts GROUP BY watchlist_id").fetchall()
    return {int(r[0]): int(r[1]) for r in rows}


def list_alerts(
    store: Store, *, watchlist_id: int | None = None, after_id: int = 0, limit: int = 50
) -> list[Alert]:
    """Alerts, newest first (or, with `after_id`, those raised after that one, oldest first)."""
    where, params = ["al.id > ?"], [after_id]
    if watchlist_id is not None:
        where.append("al.watchlist_id = ?")
        params.append(watchlist_id)
    order = "al.id" if after_id else "al.id DESC"
    rows = store.conn.execute(
        f"{_ALERT} WHERE {' AND '.join(where)} ORDER BY {order} LIMIT ?", (*params, limit)
    ).fetchall()
    return [_alert(r) for r in rows]


def get_alert(store: Store, alert_id: int) -> Alert | None:
    row = store.conn.execute(f"{_ALERT} WHERE al.id = ?", (alert_id,)).fetchone()
    return _alert(row) if row is not None else None


def deliveries(store: Store, alert_id: int) -> list[Delivery]:
    rows = store.conn.execute(
        "SELECT alert_id, attempt, at, status, error, duration_ms FROM alert_deliveries WHERE alert_id = ?"
        " ORDER BY id",
        (alert_id,),
    )
    return [Delivery(**{k: r[k] for k in r.keys()}) for r in rows]  # noqa: SIM118


def claim_due(store: Store, now: datetime, *, lease_seconds: float, limit: int = 20) -> list[int]:
    """Alerts whose webhook delivery is due, marked as being sent until the lease ends (so a second
    dispatcher on the same store leaves them alone; a crashed one's lease runs out)."""
    until = iso(now + timedelta(seconds=lease_seconds))
    with store.transaction() as conn:
        ids = [
            int(r[0])
            for r in conn.execute(
                "SELECT id FROM alerts WHERE webhook IN ('pending', 'sending') AND next_attempt <= ?"
                " ORDER BY next_attempt, id LIMIT ?",
                (iso(now), limit),
            )
        ]
        conn.executemany(
            "UPDATE alerts SET webhook = 'sending', next_attempt = ? WHERE id = ?", [(until, i) for i in ids]
        )
    return ids


def next_attempt_due(store: Store) -> str | None:
    """When the next pending webhook delivery is due (ISO 8601 UTC), or None."""
    row = store.conn.execute("SELECT min(next_attempt) FROM alerts WHERE webhook = 'pending'").fetchone()
    return str(row[0]) if row and row[0] else None


def record_delivery(store: Store, delivery: Delivery, *, delivered: bool, retry_at: datetime | None) -> None:
    """Log one attempt and move the alert on: delivered, due again at `retry_at`, or failed."""
    state = "delivered" if delivered else ("pending" if retry_at is not None else "failed")
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO alert_deliveries (alert_id, attempt, at, status, error, duration_ms)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (
                delivery.alert_id,
                delivery.attempt,
                delivery.at,
                delivery.status,
                delivery.error,
                delivery.duration_ms,
            ),
        )
        conn.execute(
            "UPDATE alerts SET webhook = ?, attempts = ?, next_attempt = ? WHERE id = ?",
            (state, delivery.attempt, iso(retry_at) if retry_at else None, delivery.alert_id),
        )


def unwritten_jsonl(store: Store, limit: int = 200) -> list[tuple[int, str]]:
    """(alert id, file) of alerts not yet appended to their watchlist's JSONL file, oldest first."""
    rows = store.conn.execute(
        "SELECT al.id, w.jsonl_path FROM alerts al JOIN watchlists w ON w.id = al.watchlist_id"
        " WHERE al.jsonl_done = 0 AND w.jsonl_path IS NOT NULL ORDER BY al.id LIMIT ?",
        (limit,),
    )
    return [(int(r[0]), str(r[1])) for r in rows]


def mark_jsonl_written(store: Store, alert_ids: list[int]) -> None:
    with store.transaction() as conn:
        conn.executemany("UPDATE alerts SET jsonl_done = 1 WHERE id = ?", [(i,) for i in alert_ids])
