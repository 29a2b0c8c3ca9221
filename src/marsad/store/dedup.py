"""Dedup fingerprints, band buckets, sampled shingles and duplicate groups in the store."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from marsad.store.db import Store, utcnow

U32 = npt.NDArray[np.uint32]
U64 = npt.NDArray[np.uint64]
_RANK = {"unique": 0, "contained": 1, "near": 2, "exact": 3}


@dataclass(slots=True, frozen=True)
class StoredDoc:
    """A fingerprint as the store keeps it."""

    article_id: str
    seq: int
    shingles: int
    samples: int
    signature: U32
    published: str | None


@dataclass(slots=True, frozen=True)
class GroupMember:
    article_id: str
    kind: str
    matched_id: str | None
    score: float | None
    outlet: str | None
    title: str | None
    published: str | None


@dataclass(slots=True, frozen=True)
class DuplicateGroup:
    """A duplicate group with every member, canonical first."""

    id: str
    canonical_id: str
    members: tuple[GroupMember, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "canonical": self.canonical_id,
            "size": len(self.members),
            "members": [
                {
                    "id": m.article_id,
                    "kind": m.kind,
                    "matched": m.matched_id,
                    "score": m.score,
                    "outlet": m.outlet,
                    "title": m.title,
                    "published": m.published,
                }
                for m in self.members
            ],
        }


def _signed(values: U64) -> list[int]:
    return [int(v) for v in values.view(np.int64)]


def has_doc(conn: sqlite3.Connection, article_id: str) -> bool:
    return conn.execute("SELECT 1 FROM dedup_docs WHERE article_id = ?", (article_id,)).fetchone() is not None


def put_doc(
    conn: sqlite3.Connection,
    article_id: str,
    *,
    params: str,
    body_hash: str,
    shingles: int,
    signature: U32,
    bands: U64,
    samples: U64,
    published: str | None,
    limit: int,
) -> int:
    """Store one fingerprint with its band keys and sampled shingles; returns its arrival number.

    A band bucket or sampled shingle that already lists `limit` documents takes no more (see
    `DedupParams.max_posting`).
    """
    seq = int(conn.execute("SELECT coalesce(max(seq), 0) + 1 FROM dedup_docs").fetchone()[0])
    conn.execute(
        "INSERT INTO dedup_docs (article_id, seq, params, body_hash, shingles, samples, signature, published)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            article_id,
            seq,
            params,
            body_hash,
            shingles,
            len(samples),
            signature.astype("<u4").tobytes(),
            published,
        ),
    )
    if shingles:
        conn.executemany(
            "INSERT OR IGNORE INTO dedup_bands (key, article_id) VALUES (?, ?)",
            [(k, article_id) for k in _signed(bands)],
        )
        conn.executemany(
            "INSERT OR IGNORE INTO dedup_samples (hash, article_id) VALUES (?, ?)",
            [(h, article_id) for h in _signed(samples)],
        )
    return seq


def _doc(row: sqlite3.Row) -> StoredDoc:
    return StoredDoc(
        article_id=row["article_id"],
        seq=row["seq"],
        shingles=row["shingles"],
        samples=row["samples"],
        signature=np.frombuffer(row["signature"], dtype="<u4").astype(np.uint32),
        published=row["published"],
    )


def get_doc(conn: sqlite3.Connection, article_id: str) -> StoredDoc | None:
    row = conn.execute("SELECT * FROM dedup_docs WHERE article_id = ?", (article_id,)).fetchone()
    return _doc(row) if row else None


def first_with_hash(conn: sqlite3.Connection, body_hash: str, params: str) -> tuple[int, str] | None:
    """(seq, article id) of the first document with this normalized-body hash."""
    row = conn.execute(
        "SELECT seq, article_id FROM dedup_docs WHERE body_hash = ? AND params = ? AND shingles > 0"
        " ORDER BY seq LIMIT 1",
        (body_hash, params),
    ).fetchone()
    return (int(row[0]), str(row[1])) if row else None


def band_candidates(conn: sqlite3.Connection, keys: U64, params: str) -> list[StoredDoc]:
    """Documents sharing at least one band bucket with `keys`."""
    signed = _signed(keys)
    marks = ",".join("?" * len(signed))
    rows = conn.execute(
        f"SELECT d.* FROM dedup_docs d WHERE d.params = ? AND d.article_id IN"
        f" (SELECT DISTINCT article_id FROM dedup_bands WHERE key IN ({marks}))",
        (params, *signed),
    ).fetchall()
    return [_doc(r) for r in rows]


def shared_samples(conn: sqlite3.Connection, samples: U64, params: str) -> list[tuple[StoredDoc, int]]:
    """Documents sharing sampled shingles with `samples`, with the count shared."""
    if not len(samples):
        return []
    signed = _signed(samples)
    marks = ",".join("?" * len(signed))
    rows = conn.execute(
        f"SELECT d.*, s.shared FROM (SELECT article_id, count(*) AS shared FROM dedup_samples"
        f" WHERE hash IN ({marks}) GROUP BY article_id) s JOIN dedup_docs d ON d.article_id = s.article_id"
        f" WHERE d.params = ?",
        (*signed, params),
    ).fetchall()
    return [(_doc(r), int(r["shared"])) for r in rows]


def article_body(conn: sqlite3.Connection, article_id: str) -> str | None:
    row = conn.execute("SELECT body FROM articles WHERE id = ?", (article_id,)).fetchone()
    return str(row[0]) if row else None


def new_group(conn: sqlite3.Connection, article_id: str) -> str:
    """A singleton group for `article_id`; returns the group id."""
    group_id = "g" + article_id[:16]
    now = utcnow()
    conn.execute(
        "INSERT INTO dedup_groups (id, canonical_id, size, created_at, updated_at) VALUES (?, ?, 1, ?, ?)"
        " ON CONFLICT (id) DO UPDATE SET canonical_id = excluded.canonical_id, size = 1",
        (group_id, article_id, now, now),
    )
    conn.execute(
        "INSERT INTO dedup_members (article_id, group_id, kind) VALUES (?, ?, 'unique')",
        (article_id, group_id),
    )
    return group_id


def group_of(conn: sqlite3.Connection, article_id: str) -> str | None:
    row = conn.execute("SELECT group_id FROM dedup_members WHERE article_id = ?", (article_id,)).fetchone()
    return str(row[0]) if row else None


def canonical_of(conn: sqlite3.Connection, article_id: str) -> str | None:
    """The canonical member of `article_id`'s group (None when it is in none)."""
    row = conn.execute(
        "SELECT g.canonical_id FROM dedup_members m JOIN dedup_groups g ON g.id = m.group_id"
        " WHERE m.article_id = ?",
        (article_id,),
    ).fetchone()
    return str(row[0]) if row else None


def record_link(conn: sqlite3.Connection, new_id: str, other_id: str, kind: str, score: float) -> None:
    """Link `new_id` to `other_id`: raise both members' kinds and merge their groups."""
    for aid in (new_id, other_id):
        row = conn.execute("SELECT kind FROM dedup_members WHERE article_id = ?", (aid,)).fetchone()
        if row is not None and _RANK[kind] > _RANK[row[0]]:
            conn.execute("UPDATE dedup_members SET kind = ? WHERE article_id = ?", (kind, aid))
    conn.execute(
        "UPDATE dedup_members SET matched_id = ?, score = ? WHERE article_id = ? AND matched_id IS NULL",
        (other_id, score, new_id),
    )
    a, b = group_of(conn, new_id), group_of(conn, other_id)
    if a is None or b is None or a == b:
        return
    size = dict(conn.execute("SELECT id, size FROM dedup_groups WHERE id IN (?, ?)", (a, b)).fetchall())
    keep, drop = (a, b) if size.get(a, 0) >= size.get(b, 0) else (b, a)
    conn.execute("UPDATE dedup_members SET group_id = ? WHERE group_id = ?", (keep, drop))
    conn.execute("DELETE FROM dedup_groups WHERE id = ?", (drop,))
    canonical = conn.execute(
        "SELECT m.article_id FROM dedup_members m JOIN dedup_docs d ON d.article_id = m.article_id"
        " WHERE m.group_id = ? ORDER BY coalesce(d.published, '~'), d.seq LIMIT 1",
        (keep,),
    ).fetchone()[0]
    conn.execute(
        "UPDATE dedup_groups SET size = (SELECT count(*) FROM dedup_members WHERE group_id = ?),"
        " canonical_id = ?, updated_at = ? WHERE id = ?",
        (keep, canonical, utcnow(), keep),
    )


def _members(store: Store, group_id: str, canonical_id: str) -> tuple[GroupMember, ...]:
    rows = store.conn.execute(
        "SELECT m.article_id, m.kind, m.matched_id, m.score, a.outlet, a.title, d.published"
        " FROM dedup_members m JOIN dedup_docs d ON d.article_id = m.article_id"
        " LEFT JOIN articles a ON a.id = m.article_id"
        " WHERE m.group_id = ? ORDER BY m.article_id != ?, coalesce(d.published, '~'), d.seq",
        (group_id, canonical_id),
    ).fetchall()
    return tuple(
        GroupMember(
            r["article_id"], r["kind"], r["matched_id"], r["score"], r["outlet"], r["title"], r["published"]
        )
        for r in rows
    )


def list_groups(store: Store, *, limit: int = 100, offset: int = 0) -> list[DuplicateGroup]:
    """Groups of two or more members, biggest and newest first."""
    rows = store.conn.execute(
        "SELECT id, canonical_id FROM dedup_groups WHERE size > 1 ORDER BY size DESC, updated_at DESC, id"
        " LIMIT ? OFFSET ?",
        (limit, offset),
    ).fetchall()
    return [
        DuplicateGroup(r["id"], r["canonical_id"], _members(store, r["id"], r["canonical_id"])) for r in rows
    ]


def group_for_article(store: Store, article_id: str) -> DuplicateGroup | None:
    """The duplicate group of `article_id` (None when it is not in the dedup tables)."""
    row = store.conn.execute(
        "SELECT g.id, g.canonical_id FROM dedup_members m JOIN dedup_groups g ON g.id = m.group_id"
        " WHERE m.article_id = ?",
        (article_id,),
    ).fetchone()
    return (
        DuplicateGroup(row["id"], row["canonical_id"], _members(store, row["id"], row["canonical_id"]))
        if row
        else None
    )
