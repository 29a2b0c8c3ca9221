"""The embedded SQLite store: every stage persists here; api, web and cli read from it."""

from marsad.store.db import Store

__all__ = ["Store"]
