"""The in-memory incremental dedup index: add batches, each document checked against all before it.

Nothing is rebuilt when documents arrive: signatures go into a growing array, band keys and
sampled shingles into append-only postings (`marsad.dedup.postings`), groups into a `GroupBook`.
A batch is matched against the index and against its own earlier members in one vectorized
query, then decided document by document in arrival order. `StoreDedupIndex`
(`marsad.dedup.stored`) is the same logic over the SQLite store for ingest.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from marsad.dedup.decision import decide_links, signatures_related
from marsad.dedup.groups import UNIQUE, Candidates, GroupBook, Link
from marsad.dedup.minhash import implied_containment
from marsad.dedup.params import DedupParams
from marsad.dedup.postings import Postings
from marsad.dedup.sketch import SketchBatch, Sketcher, containment
from marsad.text.arabic import normalize

U64 = npt.NDArray[np.uint64]
I64 = npt.NDArray[np.int64]
TextLoader = Callable[[int], str | None]


@dataclass(slots=True, frozen=True)
class DedupResult:
    """How document `index` (arrival number) joined: its first link, or unique."""

    index: int
    kind: str
    matched: int | None
    score: float


class MemoryDedupIndex:
    """Incremental exact, near-duplicate and containment detection over documents held in memory.

    `loader(i)` returns the normalized text of document `i` when it can (the CLI re-reads the
    input line); containment is then verified on exact shingle sets, otherwise on the estimate.
    """

    def __init__(self, params: DedupParams | None = None, *, loader: TextLoader | None = None) -> None:
        self.params = params or DedupParams()
        self.sketcher = Sketcher(self.params)
        self.book = GroupBook()
        self._loader = loader
        self._sigs = np.zeros((1024, self.params.num_perm), dtype=np.uint32)
        self._samples_n = np.zeros(1024, dtype=np.int64)
        self._shingles_n = np.zeros(1024, dtype=np.int64)
        self._exact: dict[str, int] = {}
        self._bands = Postings()
        self._samples = Postings()
        self._shingle_cache: OrderedDict[int, U64] = OrderedDict()
        self._batch_texts: dict[int, str] = {}

    def __len__(self) -> int:
        return len(self.book)

    def add(self, bodies: Sequence[str], published: Sequence[str | None] | None = None) -> list[DedupResult]:
        """Normalize, sketch and add `bodies` (arrival order); returns one result per body."""
        return self.add_normalized([normalize(b) for b in bodies], published)

    def add_normalized(
        self, texts: Sequence[str], published: Sequence[str | None] | None = None
    ) -> list[DedupResult]:
        """Add already normalized texts."""
        start = len(self.book)
        self._batch_texts = {start + i: t for i, t in enumerate(texts)}
        try:
            return self.add_sketches(self.sketcher.sketch_normalized(texts), published)
        finally:
            self._batch_texts = {}

    def add_sketches(
        self, batch: SketchBatch, published: Sequence[str | None] | None = None
    ) -> list[DedupResult]:
        """Add a sketched batch: match, decide, index. Returns one result per document."""
        m = len(batch)
        dates = list(published) if published is not None else [None] * m
        ids = np.array([self.book.add(d) for d in dates], dtype=np.int64)
        self._grow(int(ids[-1]) + 1 if m else 0)
        self._sigs[ids] = batch.signatures
        self._samples_n[ids] = batch.sample_counts
        self._shingles_n[ids] = batch.shingles
        indexed = batch.shingles > 0
        near, implied = self._band_pairs(batch, ids, indexed)
        contained = self._contained_pairs(batch, ids, indexed)
        for doc, pairs in implied.items():
            contained.setdefault(doc, []).extend(pairs)
        results = []
        for j in range(m):
            doc = int(ids[j])
            links: list[Link] = []
            if indexed[j]:
                first = self._exact.setdefault(batch.hashes[j], doc)
                found = Candidates(
                    exact=first if first != doc else None,
                    near=near.get(doc, []),
                    contained=contained.get(doc, []),
                )
                links = decide_links(doc, found, self, self.params.containment_threshold)
            for link in links:
                self.book.link(doc, link)
            first_link: Link | None = links[0] if links else None
            results.append(
                DedupResult(
                    index=doc,
                    kind=first_link.kind if first_link else UNIQUE,
                    matched=first_link.other if first_link else None,
                    score=first_link.score if first_link else 0.0,
                )
            )
        return results

    # The GroupView the decision reads (marsad.dedup.decision).
    def same_group(self, a: int, b: int) -> bool:
        return self.book.root(a) == self.book.root(b)

    def related(self, a: int, b: int) -> bool:
        """Estimated Jaccard or implied containment between documents a and b >= merge_floor."""
        return signatures_related(
            self._sigs[a],
            self._sigs[b],
            int(self._shingles_n[a]),
            int(self._shingles_n[b]),
            self.params.merge_floor,
        )

    def verify(self, doc: int, other: int, estimate: float) -> float:
        """Exact containment between the two shingle sets (the estimate when a text is unavailable)."""
        a, b = self._shingles(doc), self._shingles(other)
        if a is None or b is None:
            return estimate
        small, large = (a, b) if len(a) <= len(b) else (b, a)
        return containment(small, large)

    def _grow(self, n: int) -> None:
        if n <= len(self._sigs):
            return
        size = max(n, 2 * len(self._sigs))
        sigs = np.zeros((size, self.params.num_perm), dtype=np.uint32)
        sigs[: len(self._sigs)] = self._sigs
        samples = np.zeros(size, dtype=np.int64)
        samples[: len(self._samples_n)] = self._samples_n
        shingles = np.zeros(size, dtype=np.int64)
        shingles[: len(self._shingles_n)] = self._shingles_n
        self._sigs, self._samples_n, self._shingles_n = sigs, samples, shingles

    def _band_pairs(
        self, batch: SketchBatch, ids: I64, indexed: npt.NDArray[np.bool_]
    ) -> tuple[dict[int, list[tuple[int, float]]], dict[int, list[tuple[int, float]]]]:
        """Band collisions: near duplicates, and pairs whose Jaccard and sizes imply containment."""
        b = self.params.bands
        keys = batch.bands[indexed].ravel()
        owners = np.repeat(ids[indexed], b)
        q, other = self._bands.match_and_add(keys, owners, limit=self.params.max_posting)
        new = owners[q]
        keep = other < new
        pair = np.unique((new[keep] << 32) | other[keep])
        new, other = pair >> 32, pair & 0xFFFFFFFF
        if not len(pair):
            return {}, {}
        equal = np.count_nonzero(self._sigs[new] == self._sigs[other], axis=1)
        score = equal / self.params.num_perm
        hit = score >= self.params.near_threshold
        near: dict[int, list[tuple[int, float]]] = {}
        for a, o, s in zip(new[hit].tolist(), other[hit].tolist(), score[hit].tolist(), strict=True):
            near.setdefault(a, []).append((o, s))
        implied = implied_containment(score, self._shingles_n[new], self._shingles_n[other])
        maybe = ~hit & (implied >= self.params.containment_estimate)
        contained: dict[int, list[tuple[int, float]]] = {}
        for a, o, c in zip(new[maybe].tolist(), other[maybe].tolist(), implied[maybe].tolist(), strict=True):
            contained.setdefault(a, []).append((o, c))
        return near, contained

    def _contained_pairs(
        self, batch: SketchBatch, ids: I64, indexed: npt.NDArray[np.bool_]
    ) -> dict[int, list[tuple[int, float]]]:
        p = self.params
        counts = batch.sample_counts * indexed
        owners = np.repeat(ids, counts)
        keys = batch.samples[np.repeat(indexed, batch.sample_counts)]
        q, other = self._samples.match_and_add(keys, owners, limit=p.max_posting)
        new = owners[q]
        keep = other < new
        pair, shared = np.unique((new[keep] << 32) | other[keep], return_counts=True)
        if not len(pair):
            return {}
        new, other = pair >> 32, pair & 0xFFFFFFFF
        n_new, n_other = self._samples_n[new], self._samples_n[other]
        in_other = np.where(n_new >= p.min_samples, shared / np.maximum(n_new, 1), 0.0)
        in_new = np.where(n_other >= p.min_samples, shared / np.maximum(n_other, 1), 0.0)
        best = np.maximum(in_other, in_new)
        hit = best >= p.containment_estimate
        out: dict[int, list[tuple[int, float]]] = {}
        for a, o, s in zip(new[hit].tolist(), other[hit].tolist(), best[hit].tolist(), strict=True):
            out.setdefault(a, []).append((o, s))
        return out

    def _shingles(self, doc: int) -> U64 | None:
        cached = self._shingle_cache.get(doc)
        if cached is not None:
            self._shingle_cache.move_to_end(doc)
            return cached
        text = self._batch_texts.get(doc)
        if text is None and self._loader is not None:
            text = self._loader(doc)
        if text is None:
            return None
        shingles = self.sketcher.shingle_set(text)
        self._shingle_cache[doc] = shingles
        if len(self._shingle_cache) > 2048:
            self._shingle_cache.popitem(last=False)
        return shingles

    def canonical(self, i: int) -> int:
        """The earliest member of document `i`'s group (itself when unique)."""
        return self.book.canonical(i)

    def kind(self, i: int) -> str:
        """exact | near | contained (strongest link within its group) or unique."""
        return self.book.kind(i)

    def groups(self) -> dict[int, list[int]]:
        """canonical -> members, for every group of two or more documents."""
        return self.book.groups()
