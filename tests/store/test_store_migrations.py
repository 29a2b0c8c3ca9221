"""The store file: schema migrations, integrity and idempotent writes."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from marsad.errors import StoreError
from marsad.store import Store
from marsad.store.db import migrations


def test_store_applies_every_migration_once(tmp_path: Path) -> None:
    path = tmp_path / "m.db"
    with Store(path) as s:
        first = s.schema_version()
        assert first == max(v for v, _, _ in migrations())
    with Store(path) as s:  # reopening applies nothing new
        rows = s.conn.execute("SELECT count(*) FROM schema_migrations").fetchone()[0]
        assert s.schema_version() == first and rows == len(migrations())
        assert s.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert s.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert s.integrity_ok()


def test_store_rejects_a_file_that_is_not_sqlite(tmp_path: Path) -> None:
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match=r"bad\.db"):
        Store(bad)


def test_store_foreign_keys_enforced(store: Store) -> None:
    with pytest.raises(sqlite3.IntegrityError):
        store.conn.execute(
            "INSERT INTO comments (article_id, idx, parent, author, text) VALUES ('nope', 1, NULL, NULL, 'x')"
        )
