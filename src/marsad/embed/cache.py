"""An `Embedder` that remembers: vectors are looked up in the store by content hash before embedding."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

import numpy as np

from marsad.embed.base import Embedder, Vectors
from marsad.store import embeddings as embedding_repo

ALONE = "alone"


class CachedEmbedder:
    """Wraps `inner`; texts already embedded by the same model come from the store's `embeddings` table.

    Misses are embedded in one batch (each distinct text once) and written back, so a re-run or a
    clusterer restored from the store costs a lookup, not a forward pass. With `defer_writes`, the
    misses are embedded as given (`_embed_in_place`) and the vectors made are kept in `pending`
    (and looked up there first) instead of being written: the caller stores them with its own
    result (`take_pending`), in its transaction or in another process (an ingest worker hands
    them to the writer).
    """

    def __init__(
        self, inner: Embedder, conn: sqlite3.Connection, *, defer_writes: bool = False, namespace: str = ""
    ) -> None:
        self.inner = inner
        self.conn = conn
        # The cache's model name: the inner model's, with `namespace` to keep some uses apart.
        self.name = f"{inner.name}/{namespace}" if namespace else inner.name
        self.dim = inner.dim
        self.defer_writes = defer_writes
        self.pending: dict[str, Vectors] = {}
        self.hits = 0
        self.misses = 0

    def embed(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        # Deferred, a text embedded alone has keys apart from texts embedded with others (`ALONE`):
        # alone, its vector is the same whatever the call. (Both are stored as the model `name`.)
        name = f"{self.name}/{ALONE}" if self.defer_writes and len(texts) == 1 else self.name
        keys = [embedding_repo.embedding_key(name, t) for t in texts]
        found = self._found(keys)
        if self.defer_writes:
            return self._embed_in_place(texts, keys, found)
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

    def embed_scoped(self, texts: Sequence[str], scopes: Sequence[str]) -> Vectors:
        """`embed`, each text cached under its scope (an article id): a text's vector depends in the
        last bits on the texts embedded with it, so it is reused only where it was made (an article
        compared again in its grown story), never for the same text of another article."""
        if not self.defer_writes:
            raise ValueError("embed_scoped needs defer_writes (its misses are embedded in place)")
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        keys = [
            embedding_repo.embedding_key(self.name, f"{scope}\0{t}")
            for t, scope in zip(texts, scopes, strict=True)
        ]
        return self._embed_in_place(texts, keys, self._found(keys))

    def _found(self, keys: list[str]) -> dict[str, Vectors]:
        found = {k: v for k in keys if (v := self.pending.get(k)) is not None}
        asked = [k for k in keys if k not in found]
        if asked:
            found.update(embedding_repo.get_vectors(self.conn, self.name, asked, self.dim))
        return found

    def _embed_in_place(self, texts: Sequence[str], keys: list[str], found: dict[str, Vectors]) -> Vectors:
        """The misses embedded as they come, repeats and order kept, each keeping its own vector: the
        model batches texts together and its float32 sums differ in the last bit with the batch, so
        with nothing cached the result is bit for bit the inner embedder's over the same call."""
        at = [i for i, k in enumerate(keys) if k not in found]
        out: Vectors = np.empty((len(keys), self.dim), dtype=np.float32)
        if at:
            fresh = self.inner.embed([texts[i] for i in at])
            for i, vec in zip(at, fresh, strict=True):
                out[i] = vec
                self.pending.setdefault(keys[i], vec)
        missed = set(at)
        for i, k in enumerate(keys):
            if i not in missed:
                out[i] = found[k]
        self.misses += len(at)
        self.hits += len(keys) - len(at)
        return out

    def take_pending(self) -> list[tuple[str, Vectors]]:
        """The (key, vector) pairs made and not written (`defer_writes`), handed over once."""
        out = list(self.pending.items())
        self.pending.clear()
        return out
