"""Fetch state per URL (ETag, Last-Modified, last status) for conditional GET across runs."""

from __future__ import annotations

from dataclasses import dataclass

from marsad.store.db import Store, utcnow


@dataclass(slots=True, frozen=True)
class FetchState:
    """What a URL answered the last time it was fetched."""

    url: str
    etag: str | None = None
    last_modified: str | None = None
    status: int | None = None
    fetched_at: str | None = None
    content_id: str | None = None


class StoreFetchStates:
    """`FetchStates` kept in the store's `fetch_state` table, so a later run sends the validators."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def get(self, url: str) -> FetchState | None:
        row = self.store.conn.execute(
            "SELECT url, etag, last_modified, status, fetched_at, content_id FROM fetch_state WHERE url = ?",
            (url,),
        ).fetchone()
        if row is None:
            return None
        return FetchState(
            url=row["url"],
            etag=row["etag"],
            last_modified=row["last_modified"],
            status=row["status"],
            fetched_at=row["fetched_at"],
            content_id=row["content_id"],
        )

    def put(self, state: FetchState) -> None:
        with self.store.transaction() as conn:
            conn.execute(
                "INSERT INTO fetch_state (url, etag, last_modified, status, fetched_at, content_id)"
                " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (url) DO UPDATE SET etag = excluded.etag,"
                " last_modified = excluded.last_modified, status = excluded.status,"
                " fetched_at = excluded.fetched_at, content_id = excluded.content_id",
                (
                    state.url,
                    state.etag,
                    state.last_modified,
                    state.status,
                    state.fetched_at or utcnow(),
                    state.content_id,
                ),
            )


class MemoryFetchStates:
    """`FetchStates` for one process (no store at hand)."""

    def __init__(self) -> None:
        self._states: dict[str, FetchState] = {}

    def get(self, url: str) -> FetchState | None:
        return self._states.get(url)

    def put(self, state: FetchState) -> None:
        self._states[state.url] = state
