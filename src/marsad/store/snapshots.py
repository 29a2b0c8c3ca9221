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


def _parts(data: bytes) -> list[memoryview]:
    view = memoryview(data)
    return [view[start : start + PART_BYTES] for start in range(0, max(len(view), 1), PART_BYTES)]


def get_cold_part(store: Store, kind: str, cold: str) -> bytes | None:
    """The cold part `cold` of the snapshot of `kind` (migration 0014), None when it is not stored."""
    rows = store.conn.execute(
        "SELECT data FROM cluster_snapshot_cold WHERE kind = ? AND cold = ? ORDER BY part", (kind, cold)
    ).fetchall()
    return b"".join(bytes(row[0]) for row in rows) if rows else None


def has_cold_part(store: Store, kind: str, cold: str) -> bool:
    row = store.conn.execute(
        "SELECT 1 FROM cluster_snapshot_cold WHERE kind = ? AND cold = ? LIMIT 1", (kind, cold)
    ).fetchone()
    return row is not None


def delete_snapshot(store: Store, kind: str) -> None:
    """Remove the snapshot of `kind`, its parts and its cold parts."""
    with store.transaction() as conn:
        conn.execute("DELETE FROM cluster_snapshot_cold WHERE kind = ?", (kind,))
        conn.execute("DELETE FROM cluster_snapshot_parts WHERE kind = ?", (kind,))
        conn.execute("DELETE FROM cluster_snapshots WHERE kind = ?", (kind,))


def put_snapshot(
    store: Store,
    snapshot: StoredSnapshot,
    *,
    cold: tuple[str, bytes] | None = None,
    keep_cold: str | None = None,
) -> None:
    """Replace the snapshot of `snapshot.kind`, in one transaction (a kill leaves the old one whole):
    with the new cold part `cold` (id, bytes), or keeping the stored cold part `keep_cold`, or none."""
    parts = _parts(snapshot.state)
    with store.transaction() as conn:
        conn.execute("DELETE FROM cluster_snapshot_parts WHERE kind = ?", (snapshot.kind,))
        conn.execute(
            "DELETE FROM cluster_snapshot_cold WHERE kind = ? AND cold IS NOT ?", (snapshot.kind, keep_cold)
        )
        if cold is not None:
            for part, data in enumerate(_parts(cold[1])):
                conn.execute(
                    "INSERT INTO cluster_snapshot_cold (kind, cold, part, data) VALUES (?, ?, ?, ?)",
                    (snapshot.kind, cold[0], part, data),
                )
        conn.execute(
            "INSERT OR REPLACE INTO cluster_snapshots"
            " (kind, fingerprint, seq, arrivals, signature, parts, written_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                snapshot.kind,
                snapshot.fingerprint,
                snapshot.seq,
                snapshot.arrivals,
                snapshot.signature,
                len(parts),
                utcnow(),
            ),
        )
        for part, data in enumerate(parts):
            conn.execute(
                "INSERT INTO cluster_snapshot_parts (kind, part, data) VALUES (?, ?, ?)",
                (snapshot.kind, part, data),
            )


def arrivals_upto(store: Store, seq: int | None = None) -> tuple[int, int]:
    """(last arrival number, how many assignments are stored) up to `seq` (None: all of them), in time
    that follows the arrivals after `seq`, not the store: the total is the 'story_members' counter
    its triggers keep (migration 0014), less the arrivals after `seq` (by the story_members_seq index)."""
    total = int(
        store.conn.execute("SELECT value FROM ingest_counters WHERE name = 'story_members'").fetchone()[0]
    )
    if seq is None:
        row = store.conn.execute("SELECT coalesce(max(seq), 0) FROM story_members").fetchone()
        return int(row[0]), total
    last = store.conn.execute("SELECT coalesce(max(seq), 0) FROM story_members WHERE seq <= ?", (seq,))
    after = store.conn.execute("SELECT count(*) FROM story_members WHERE seq > ?", (seq,))
    return int(last.fetchone()[0]), total - int(after.fetchone()[0])
