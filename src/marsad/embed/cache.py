"""An `Embedder` that remembers: vectors are looked up in the store by content hash before embedding."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

import numpy as np

from marsad.embed.base import Embedder, Vectors
from marsad.store import embeddings as embedding_repo


class CachedEmbedder:
    """Wraps `inner`; texts already embedded by the same model come from the store's `embeddings` table.

    Misses are embedded in one batch and written back, so a re-run or a clusterer restored from the
    store costs a lookup, not a forward pass.
    """

    def __init__(self, inner: Embedder, conn: sqlite3.Connection) -> None:
        self.inner = inner
        self.conn = conn
        self.name = inner.name
        self.dim = inner.dim
        self.hits = 0
        self.misses = 0

    def embed(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        keys = [embedding_repo.embedding_key(self.name, t) for t in texts]
        found = embedding_repo.get_vectors(self.conn, self.name, keys, self.dim)
        missing = list(dict.fromkeys(k for k in keys if k not in found))
        if missing:
            text_of = dict(zip(keys, texts, strict=True))
            fresh = self.inner.embed([text_of[k] for k in missing])
            new = list(zip(missing, fresh, strict=True))
            embedding_repo.put_vectors(self.conn, self.name, new)
            found.update(new)
        self.misses += len(missing)
        self.hits += len(keys) - len(missing)
        out: Vectors = np.stack([found[k] for k in keys]).astype(np.float32)
        return out
