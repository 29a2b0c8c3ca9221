"""How request handlers reach the store: one read connection per worker thread, one writer at a time.

SQLite in WAL mode lets readers run beside a writer, but a Python connection must not be used by two
threads at once; so each worker thread gets its own `Store`, and writes (ingest) go through one
writer `Store` behind a lock.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from marsad.store import Store


class StorePool:
    """Per-thread read `Store`s and one locked writer over the same SQLite file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        # Opening once here applies pending migrations before any request arrives.
        self._writer = Store(path)
        self._write_lock = threading.Lock()
        self._local = threading.local()
        self._opened: list[Store] = []
        self._opened_lock = threading.Lock()

    def reader(self) -> Store:
        """This thread's read connection (opened on first use)."""
        store: Store | None = getattr(self._local, "store", None)
        if store is None:
            store = Store(self.path)
            self._local.store = store
            with self._opened_lock:
                self._opened.append(store)
        return store

    @contextmanager
    def writer(self) -> Iterator[Store]:
        """The writer store, held exclusively for the duration of the block."""
        with self._write_lock:
            yield self._writer

    def close(self) -> None:
        with self._opened_lock:
            for store in self._opened:
                store.close()
            self._opened.clear()
        with self._write_lock:
            self._writer.close()
