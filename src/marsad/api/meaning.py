"""Search by meaning: rank a bounded candidate set of articles by embedding similarity to the query.

Candidates come from full-text search on any query term plus the newest articles
(`marsad.store.search.candidates`), so a query in one language still reaches articles in another.
Article vectors are computed on the fly from title and lead and kept in a bounded in-process cache.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable

import numpy as np

from marsad.embed.base import Embedder, Vectors
from marsad.store import Store
from marsad.store.search import ArticleFilter, SearchHit, candidates, hits_for

LEAD_CHARS = 600


def _lead(title: str | None, body: str) -> str:
    return f"{title or ''}\n{body}"[:LEAD_CHARS]


class MeaningSearcher:
    """Ranks up to `max_candidates` articles per query by cosine similarity of sentence embeddings."""

    def __init__(
        self, embedder_factory: Callable[[], Embedder], *, max_candidates: int, cache_size: int = 20_000
    ) -> None:
        self._factory = embedder_factory
        self._embedder: Embedder | None = None
        self.max_candidates = max_candidates
        self.cache_size = cache_size
        self._vectors: OrderedDict[str, Vectors] = OrderedDict()
        # The model is single-threaded on purpose (see marsad.embed); one query embeds at a time.
        self._lock = threading.Lock()

    def _model(self) -> Embedder:
        if self._embedder is None:
            self._embedder = self._factory()
        return self._embedder

    def _article_vectors(self, store: Store, ids: list[str], model: Embedder) -> dict[str, Vectors]:
        have = {i: self._vectors[i] for i in ids if i in self._vectors}
        missing = [i for i in ids if i not in have]
        if missing:
            marks = ",".join("?" * len(missing))
            rows = store.conn.execute(
                f"SELECT id, title, body FROM articles WHERE id IN ({marks})", missing
            ).fetchall()
            texts = {r["id"]: _lead(r["title"], r["body"]) for r in rows}
            order = [i for i in missing if i in texts]
            if order:
                vectors = model.embed([texts[i] for i in order])
                for i, vec in zip(order, vectors, strict=True):
                    have[i] = vec
                    self._vectors[i] = vec
        for i in have:
            if i in self._vectors:
                self._vectors.move_to_end(i)
        while len(self._vectors) > self.cache_size:
            self._vectors.popitem(last=False)
        return have

    def search(
        self, store: Store, query: str, *, flt: ArticleFilter | None = None, limit: int = 20, offset: int = 0
    ) -> tuple[int, list[SearchHit]]:
        """(number of candidates ranked, one page of hits) for `query`, most similar first."""
        ids = candidates(store, query, flt=flt, limit=self.max_candidates)
        if not ids:
            return 0, []
        with self._lock:
            model = self._model()
            query_vec = model.embed([query])[0]
            vectors = self._article_vectors(store, ids, model)
        ranked = sorted(
            ((i, float(np.dot(vectors[i], query_vec))) for i in ids if i in vectors),
            key=lambda pair: (-pair[1], pair[0]),
        )
        return len(ranked), hits_for(store, ranked[offset : offset + limit], query)
