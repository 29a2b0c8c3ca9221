"""One writer per store: an exclusive lock beside the SQLite file, held by whoever ingests.

SQLite serialises single transactions, but ingest keeps state between them: the story clusterer
holds, in memory, every story it has seen. Two processes ingesting into one store at once would each
assign stories without seeing the other's (splitting stories and storing the same document twice),
so `marsad ingest`, `marsad watch` and the API's ingest take this lock first, and only then bring
their clusterer up to date with the store (`marsad.pipeline.restore_clusterer`).

The lock is `flock` on `<store>.writer.lock`: the kernel releases it when the process dies (kill -9
included), so a crash never leaves a stale lock. The file holds the holder's pid, command and start
time, only to say who holds it in the waiting message.
"""

from __future__ import annotations

import fcntl
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from marsad import errors
from marsad.errors import StoreError

POLL_SECONDS = 0.2


def lock_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".writer.lock")


class WriterLock:
    """The writer lock of the store at `db_path` (a context manager).

    `wait`: seconds to wait for another writer to finish (None: for ever, 0: not at all); past it,
    StoreError E302 names the holder. `on_wait` is told once, with a message, when the lock is busy.
    """

    def __init__(
        self, db_path: Path, *, wait: float | None = None, on_wait: Callable[[str], None] | None = None
    ) -> None:
        self.db = db_path
        self.path = lock_path(db_path)
        self.wait = wait
        self.on_wait = on_wait
        self._fd: int | None = None

    def holder(self) -> str:
        """Who holds the lock, as written by the holder ('unknown' if unreadable)."""
        try:
            return self.path.read_text("utf-8").strip() or "unknown"
        except OSError:
            return "unknown"

    def acquire(self) -> None:
        if self._fd is not None or str(self.db) == ":memory:":
            return  # an in-memory store has one connection, hence one writer
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        started = time.monotonic()
        told = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                waited = time.monotonic() - started
                if self.wait is not None and waited >= self.wait:
                    os.close(fd)
                    raise StoreError(
                        f"{self.db}: another process is writing to this"
                        f" store ({self.holder()}); waited {waited:.0f} s. Let it finish, or raise"
                        " store.lock_wait in your config to wait longer",
                        code=errors.STORE_LOCKED,
                    ) from None
                if not told and self.on_wait is not None:
                    limit = "until it finishes" if self.wait is None else f"up to {self.wait:g} s"
                    self.on_wait(f"waiting for the store's writer lock, held by {self.holder()} ({limit})")
                    told = True
                time.sleep(POLL_SECONDS)
        os.ftruncate(fd, 0)
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S")
        os.write(fd, f"pid {os.getpid()}: {' '.join(sys.argv)[:200]} since {stamp}\n".encode())
        self._fd = fd

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        try:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)

    def __enter__(self) -> WriterLock:
        self.acquire()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.release()
