"""Saved story-clusterer states (migration 0012), read and written by `marsad.cluster.snapshot`."""

from __future__ import annotations

from dataclasses import dataclass

from marsad.store.db import Store, utcnow

PART_BYTES = 64 * 1024 * 1024  # bytes of state per row (SQLite refuses values over 1 GB)


@dataclass(slots=True, frozen=True)
class StoredSnapshot:
    kind: str
    fingerprint: str
    seq: int  # story_members.seq of the last arrival the state holds
    arrivals: int  # story assignments the state holds
    signature: bytes
    state: bytes


def get_snapshot(store: Store, kind: str) -> StoredSnapshot | None:
    """The snapshot of `kind`, its state joined from its parts; None when there is none or a part is
    missing."""
    row = store.conn.execute(
        "SELECT kind, fingerprint, seq, arrivals, signature, parts FROM cluster_snapshots WHERE kind = ?",
        (kind,),
    ).fetchone()
    if row is None:
        return None
    parts = store.conn.execute(
        "SELECT data FROM cluster_snapshot_parts WHERE kind = ? ORDER BY part", (kind,)
    ).fetchall()
    if len(parts) != int(row[5]):
        return None
    state = b"".join(bytes(p[0]) for p in parts)
    return StoredSnapshot(row[0], row[1], int(row[2]), int(row[3]), bytes(row[4]), state)


def get_snapshot_seq(store: Store, kind: str) -> int | None:
    """The arrival number of the stored snapshot of `kind` (None: none stored), without reading it."""
    row = store.conn.execute("SELECT seq FROM cluster_snapshots WHERE kind = ?", (kind,)).fetchone()
    return int(row[0]) if row is not None else None


def put_snapshot(store: Store, snapshot: StoredSnapshot) -> None:
    """Replace the snapshot of `snapshot.kind`, in one transaction (a kill leaves the old one whole)."""
    view = memoryview(snapshot.state)
    starts = range(0, max(len(view), 1), PART_BYTES)
    with store.transaction() as conn:
        conn.execute("DELETE FROM cluster_snapshot_parts WHERE kind = ?", (snapshot.kind,))
        conn.execute(
            "INSERT OR REPLACE INTO cluster_snapshots"
            " (kind, fingerprint, seq, arrivals, signature, parts, written_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                snapshot.kind,
                snapshot.fingerprint,
                snapshot.seq,
                snapshot.arrivals,
                snapshot.signature,
                len(starts),
                utcnow(),
            ),
        )
        for part, start in enumerate(starts):
            conn.execute(
                "INSERT INTO cluster_snapshot_parts (kind, part, data) VALUES (?, ?, ?)",
                (snapshot.kind, part, view[start : start + PART_BYTES]),
            )


def arrivals_upto(store: Store, seq: int | None = None) -> tuple[int, int]:
    """(last arrival number, how many assignments are stored) up to `seq` (None: all of them)."""
    if seq is None:
        row = store.conn.execute("SELECT coalesce(max(seq), 0), count(*) FROM story_members").fetchone()
    else:
        row = store.conn.execute(
            "SELECT coalesce(max(seq), 0), count(*) FROM story_members WHERE seq <= ?", (seq,)
        ).fetchone()
    return int(row[0]), int(row[1])
