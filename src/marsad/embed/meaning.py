"""Search by meaning: rank articles by the similarity of their stored embeddings to the query.

Ingest (`marsad.pipeline.default_clusterer`) embeds every article's views (head = title + lead,
and up to three body chunks, see `marsad.embed.views`) and caches each vector in the store's
`embeddings` table under `embedding_key(model, view text)`. `CachedVectorIndex` reads those
vectors back, so a search embeds only the query:

- an article is scored by the mean of the query's cosine with its head vector and with its body
  vector (the normalized mean of its chunks): the head carries the event, the body the details;
- every article with cached vectors is ranked, whatever language it is in;
- articles without cached vectors (ingested with the lexical clusterer, or by another model) are
  reached as before: up to `max_candidates` of them from full-text search on any query word and
  the newest articles, embedded now and remembered in a bounded in-process LRU.

The index is built on first use and grows by article rowid on later searches, so articles ingested
while the server runs are found without a restart.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from marsad.embed.base import Embedder, Vectors
from marsad.embed.views import ViewConfig, embed_documents, view_texts
from marsad.store import Store
from marsad.store import articles as article_repo
from marsad.store.embeddings import embedding_key, get_vectors
from marsad.store.search import ArticleFilter, SearchHit, candidates, filtered_ids, hits_for

INDEX_BATCH = 500  # articles read per step while the index grows
CANDIDATE_POOL = 4  # full-text candidates read per article-without-vectors wanted
# The clusterer's views (`EmbeddingClusterer.views` defaults to these): the cache keys must match.
INGEST_VIEWS = ViewConfig()
QUERY_CACHE = 256  # query vectors remembered (a repeated query or the next page costs no model run)
# Articles scoring under this are not results. Calibrated by bench/search_cut.py on the SaudiNewsNet
# events dev split (each title as a query against every other article): the score that 2% of the
# articles of other storylines still reach on the tune half (unseen half: 1.6%, same-event recall
# 0.90). A 0.5% rule (0.32) dropped readers' short questions about an article in its own language.
MEANING_CUT = 0.23


def _unit(v: Vectors) -> Vectors:
    norm = float(np.linalg.norm(v))
    out: Vectors = (v / norm if norm > 0 else v).astype(np.float32)
    return out


def article_vector(head: Vectors, body: Vectors) -> Vectors:
    """The one vector an article is searched by: the mean of its head and body vectors (not
    renormalized, so its dot product with a unit query is the mean of the two cosines)."""
    out: Vectors = ((head + body) / 2).astype(np.float32)
    return out


@dataclass(slots=True, frozen=True)
class IndexSnapshot:
    """Article ids and their search vectors (row i is ids[i]); replaced whole, never mutated."""

    ids: tuple[str, ...]
    matrix: Vectors  # (n, dim)
    last_rowid: int
    uncached: frozenset[str]  # articles seen whose views are not all in the embedding cache


class CachedVectorIndex:
    """Search vectors of every article whose views the ingest embedded with `model`, read from the
    store's embedding cache (never embedded here)."""

    def __init__(self, model: str, dim: int, views: ViewConfig = INGEST_VIEWS) -> None:
        self.model = model
        self.dim = dim
        self.views = views
        self._snapshot = self._empty()
        self._lock = threading.Lock()

    def _empty(self) -> IndexSnapshot:
        return IndexSnapshot((), np.zeros((0, self.dim), dtype=np.float32), 0, frozenset())

    @property
    def snapshot(self) -> IndexSnapshot:
        return self._snapshot

    def vectors_of(self, store: Store, docs: Sequence[tuple[str | None, str]]) -> list[Vectors | None]:
        """The search vector of each (title, body) from the cache; None where a view is not cached."""
        keyed = [
            [embedding_key(self.model, t) for t in view_texts(title, body, self.views)]
            for title, body in docs
        ]
        found = get_vectors(store.conn, self.model, [k for keys in keyed for k in keys], self.dim)
        out: list[Vectors | None] = []
        for keys in keyed:
            if not all(k in found for k in keys):
                out.append(None)
                continue
            body_vec = _unit(np.stack([found[k] for k in keys[1:]]).mean(axis=0))
            out.append(article_vector(found[keys[0]], body_vec))
        return out

    def refresh(self, store: Store) -> IndexSnapshot:
        """The index with every article stored since the last refresh added. One reader at a time
        grows it; meanwhile the others search the previous snapshot (or wait for the first one)."""
        newest = article_repo.newest_rowid(store)
        current = self._snapshot
        if newest == current.last_rowid:
            return current
        if not self._lock.acquire(blocking=current.last_rowid == 0):
            return current
        try:
            current = self._snapshot
            if newest < current.last_rowid:  # the store was rebuilt under us: start over
                current = self._empty()
            ids: list[str] = []
            rows: list[Vectors] = []
            uncached: list[str] = []
            last = current.last_rowid
            while last < newest:
                batch = article_repo.texts_after(store, last, newest, limit=INDEX_BATCH)
                if not batch:
                    break
                vectors = self.vectors_of(store, [(t.title, t.body) for t in batch])
                for text, vec in zip(batch, vectors, strict=True):
                    if vec is None:
                        uncached.append(text.id)
                    else:
                        ids.append(text.id)
                        rows.append(vec)
                last = batch[-1].rowid
            last = max(last, newest)  # rows deleted since leave gaps; every rowid up to newest is seen
            matrix = np.vstack([current.matrix, *rows]) if rows else current.matrix
            self._snapshot = IndexSnapshot(
                current.ids + tuple(ids), matrix, last, current.uncached.union(uncached)
            )
            return self._snapshot
        finally:
            self._lock.release()


@dataclass(slots=True, frozen=True)
class MeaningResult:
    """One page of a search by meaning, and how many articles were ranked by each route."""

    total: int  # articles scoring at least `cut`
    hits: list[SearchHit]
    from_cache: int  # ranked by vectors the ingest stored
    embedded: int  # ranked by vectors computed for this search (articles the cache lacks)
    ranked: int = 0  # articles scored, above the cut or not
    cut: float = MEANING_CUT


class MeaningSearcher:
    """Ranks articles by the cosine of their stored embeddings with the query's; embeds the query
    and, for articles the cache lacks, at most `max_candidates` of them per search."""

    def __init__(
        self,
        embedder_factory: Callable[[], Embedder],
        *,
        max_candidates: int,
        views: ViewConfig = INGEST_VIEWS,
        cache_size: int = 20_000,
        min_score: float = MEANING_CUT,
    ) -> None:
        self._factory = embedder_factory
        self._embedder: Embedder | None = None
        self._index: CachedVectorIndex | None = None
        self.views = views
        self.max_candidates = max_candidates
        self.cache_size = cache_size
        self.min_score = min_score
        self._vectors: OrderedDict[str, Vectors] = OrderedDict()
        self._queries: OrderedDict[str, Vectors] = OrderedDict()
        # The model is single-threaded on purpose (see marsad.embed); one query embeds at a time.
        self._lock = threading.Lock()

    def _model(self) -> Embedder:
        if self._embedder is None:
            self._embedder = self._factory()
        return self._embedder

    def index(self) -> CachedVectorIndex:
        """The index over the cached vectors of the query model (created on first use)."""
        if self._index is None:
            model = self._model()
            self._index = CachedVectorIndex(model.name, model.dim, self.views)
        return self._index

    def _query_vector(self, query: str, model: Embedder) -> Vectors:
        vec = self._queries.get(query)
        if vec is None:
            vec = self._queries[query] = model.embed([query])[0]
            while len(self._queries) > QUERY_CACHE:
                self._queries.popitem(last=False)
        else:
            self._queries.move_to_end(query)
        return vec

    def _embedded_now(self, store: Store, ids: Sequence[str], model: Embedder) -> dict[str, Vectors]:
        """Search vectors of `ids` (articles the cache lacks), embedded now or remembered."""
        have = {i: self._vectors[i] for i in ids if i in self._vectors}
        missing = [i for i in ids if i not in have]
        if missing:
            docs = {t.id: (t.title, t.body) for t in article_repo.texts_of(store, missing)}
            order = [i for i in missing if i in docs]
            embedded = embed_documents(model, [docs[i] for i in order], self.views)
            for i, dv in zip(order, embedded, strict=True):
                have[i] = self._vectors[i] = article_vector(dv.head, dv.body)
        for i in have:
            self._vectors.move_to_end(i)
        while len(self._vectors) > self.cache_size:
            self._vectors.popitem(last=False)
        return have

    def _lacking(
        self,
        store: Store,
        query: str,
        uncached: frozenset[str],
        flt: ArticleFilter | None,
        allowed: set[str] | None,
    ) -> list[str]:
        """Up to `max_candidates` articles without cached vectors worth ranking for `query`: all of
        them when there are that few, else those among the full-text candidates."""
        if len(uncached) <= self.max_candidates:
            return sorted(i for i in uncached if allowed is None or i in allowed)
        pool = candidates(store, query, flt=flt, limit=CANDIDATE_POOL * self.max_candidates)
        return [i for i in pool if i in uncached][: self.max_candidates]

    def search(
        self, store: Store, query: str, *, flt: ArticleFilter | None = None, limit: int = 20, offset: int = 0
    ) -> MeaningResult:
        """One page of the articles scoring at least `min_score` with `query`, most similar first,
        over every article with cached vectors (and a bounded set of those without) that passes
        `flt`. A query about nothing in the store finds nothing."""
        with self._lock:
            model = self._model()
            query_vec = self._query_vector(query, model)
        snap = self.index().refresh(store)
        allowed = filtered_ids(store, flt) if flt is not None else None  # None: no restriction
        scored: list[tuple[str, float]] = []
        if snap.ids:
            sims = snap.matrix @ query_vec
            scored = [
                (i, float(s))
                for i, s in zip(snap.ids, sims.tolist(), strict=True)
                if allowed is None or i in allowed
            ]
        from_cache = len(scored)
        embedded = 0
        if snap.uncached:
            lacking = self._lacking(store, query, snap.uncached, flt, allowed)
            if lacking:
                with self._lock:
                    vectors = self._embedded_now(store, lacking, model)
                scored.extend((i, float(np.dot(v, query_vec))) for i, v in vectors.items())
                embedded = len(vectors)
        ranked = len(scored)
        scored = [pair for pair in scored if pair[1] >= self.min_score]
        scored.sort(key=lambda pair: (-pair[1], pair[0]))
        hits = hits_for(store, scored[offset : offset + limit], query)
        return MeaningResult(len(scored), hits, from_cache, embedded, ranked, self.min_score)


def meaning_note(result: MeaningResult) -> str:
    """What a search by meaning ranked, in words (shown with the results)."""
    note = (
        f"ranked {result.from_cache} articles by the embeddings stored at ingest; {result.total} score"
        f" {result.cut:.2f} or more"
    )
    if result.embedded:
        note += (
            f", and {result.embedded} articles stored without embeddings (those closest to the query's"
            " words and the newest), embedded for this search"
        )
    return note
