"""Matching each newly ingested article against the watchlists (a `marsad.pipeline.ArticleStep`).

The step runs inside the article's transaction, after the entity step, so the alert is stored
together with the article or not at all, and the `alerts` table's unique (watchlist, article) key
means one article never raises one watchlist's alert twice. Delivery (webhook, JSONL) happens after
the commit, by `marsad.monitor.alerts.AlertDispatcher`.

Criteria (every one a watchlist gives must match):
- entity: a name in any spelling or script, or an entity key, resolved through the entity keys the
  store knows (the same resolution as the API's entity filter), then looked up in the article's
  mentions;
- query: every word, found through the store's normalized full-text index (as `marsad search`);
- outlet: the article's outlet name, or its URL's domain (a domain matches its subdomains too), or
  the same entry of the outlet registry.
"""

from __future__ import annotations

import sqlite3
from typing import Any
from urllib.parse import urlsplit

from marsad.monitor.outlets import default_registry
from marsad.records import Article
from marsad.store import entities as entity_repo
from marsad.store import watchlists as watch_repo
from marsad.store.search import fts_query
from marsad.store.watchlists import Watchlist
from marsad.text.arabic import normalize


def _entity_match(conn: sqlite3.Connection, name: str, article_id: str) -> list[str]:
    keys = set(entity_repo.keys_named(conn, name) or [])
    if ":" in name and " " not in name:
        keys.add(name)  # a key given as such (per:FRJN), even before any article named it
    if not keys:
        return []
    marks = ",".join("?" * len(keys))
    rows = conn.execute(
        f"SELECT DISTINCT key FROM mentions WHERE article_id = ? AND key IN ({marks}) ORDER BY key",
        (article_id, *sorted(keys)),
    )
    return [str(r[0]) for r in rows]


def _query_match(conn: sqlite3.Connection, query: str, article_id: str) -> bool:
    match = fts_query(query)
    if match is None:
        return False
    # The article's index row was just inserted: it is the last one. Matching on the rowid keeps
    # the check to this one row however big the index is.
    row = conn.execute(
        "SELECT rowid FROM articles_fts"
        " WHERE rowid = (SELECT max(rowid) FROM articles_fts) AND article_id = ?",
        (article_id,),
    ).fetchone()
    if row is not None:
        found = conn.execute(
            "SELECT 1 FROM articles_fts WHERE articles_fts MATCH ? AND rowid = ?", (match, row[0])
        ).fetchone()
    else:
        found = conn.execute(
            "SELECT 1 FROM articles_fts WHERE articles_fts MATCH ? AND article_id = ?", (match, article_id)
        ).fetchone()
    return found is not None


def _host(url: str | None) -> str:
    host = (urlsplit(url).hostname or "") if url else ""
    return host.lower().removeprefix("www.")


def outlet_matches(wanted: str, outlet: str | None, url: str | None) -> bool:
    """Whether an article of `outlet` at `url` is from `wanted`: the same outlet name (compared
    normalized), a URL on the domain `wanted` or one of its subdomains, or the same entry of the
    outlet registry (so "Al Jazeera" also finds الجزيرة and aljazeera.net)."""
    if outlet and normalize(outlet) == normalize(wanted):
        return True
    registry = default_registry()
    entry = registry.by_name(wanted) or registry.by_url(f"https://{wanted.strip()}")
    if entry is not None and registry.resolve(outlet, url) == entry:
        return True
    domain = wanted.strip().lower().removeprefix("www.")
    host = _host(url)
    return "." in domain and bool(host) and (host == domain or host.endswith("." + domain))


def match(conn: sqlite3.Connection, watchlist: Watchlist, article: Article) -> dict[str, Any] | None:
    """What of `article` matched `watchlist` (every criterion given), or None."""
    matched: dict[str, Any] = {}
    if watchlist.outlet:
        if not outlet_matches(watchlist.outlet, article.outlet, article.url):
            return None
        matched["outlet"] = article.outlet or _host(article.url)
    if watchlist.query:
        if not _query_match(conn, watchlist.query, article.id):
            return None
        matched["query"] = watchlist.query
    if watchlist.entity:
        keys = _entity_match(conn, watchlist.entity, article.id)
        if not keys:
            return None
        matched["entity"] = keys
    return matched


class WatchlistStep:
    """Raises an alert for every watchlist the article matches (inside the article's transaction)."""

    name = "watchlists"

    def __call__(self, conn: sqlite3.Connection, article: Article) -> None:
        for watchlist in watch_repo.list_watchlists(conn):
            found = match(conn, watchlist, article)
            if found is not None:
                watch_repo.put_alert(conn, watchlist, article.id, found)
