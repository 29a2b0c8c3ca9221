"""Rejected records: what a stage could not take, kept with its stage, code and reason."""

from __future__ import annotations

import sqlite3

from marsad.records import Rejected
from marsad.store.db import Store, utcnow


def put_rejected(conn: sqlite3.Connection, rejected: Rejected) -> None:
    """Record `rejected`; the same (stage, code, record) seen again on a re-run is kept once."""
    conn.execute(
        "INSERT INTO rejected (stage, code, record_id, detail, created_at) VALUES (?, ?, ?, ?, ?)"
        " ON CONFLICT (stage, code, record_id) DO UPDATE SET detail = excluded.detail",
        (rejected.stage, rejected.code, rejected.record_id, rejected.detail, utcnow()),
    )


def list_rejected(store: Store) -> list[Rejected]:
    return [
        Rejected(stage=r["stage"], code=r["code"], record_id=r["record_id"], detail=r["detail"])
        for r in store.conn.execute("SELECT stage, code, record_id, detail FROM rejected ORDER BY id")
    ]
