"""One line per event with a UTC timestamp, as plain text or as JSON (`--log-json`).

Written to stderr (looked up at each write, so a test runner's capture sees it), one line at a time
under a lock: the poller's workers and the alert dispatcher log from their own threads.
"""

from __future__ import annotations

import json
import sys
import threading
from datetime import UTC, datetime
from typing import Any, TextIO


class EventLog:
    """`event("feed", "added 2", feed=..., titles=[...])` -> one line on the stream."""

    def __init__(self, *, as_json: bool = False, stream: TextIO | None = None) -> None:
        self.as_json = as_json
        self._stream = stream
        self._lock = threading.Lock()

    def event(self, kind: str, message: str, **fields: Any) -> None:
        stamp = datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
        if self.as_json:
            line = json.dumps({"ts": stamp, "event": kind, "message": message, **fields}, ensure_ascii=False)
        else:
            line = f"{stamp} {kind:<6} {message}"
        stream = self._stream or sys.stderr
        with self._lock:
            stream.write(line + "\n")
            stream.flush()
