"""A document's dedup fingerprint: body hash, MinHash signature, LSH band keys, sampled shingles."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import xxhash

from marsad.dedup.minhash import OnePermutationHasher, band_keys
from marsad.dedup.params import DedupParams
from marsad.dedup.shingles import WordShingler
from marsad.text.arabic import normalize

U64 = npt.NDArray[np.uint64]
U32 = npt.NDArray[np.uint32]
I64 = npt.NDArray[np.int64]

# Documents per index batch (one vectorized candidate query), and per sketch call: 64 documents
# keep every temporary array small enough to be reused by the allocator and stay in cache;
# 256 at once measured twice as slow (fresh pages for each multi-megabyte temporary).
BATCH = 256
SKETCH_BATCH = 64


def body_hash(normalized: str) -> str:
    """128-bit xxh3 of the normalized body: equal for exact duplicates up to normalization."""
    return xxhash.xxh3_128_hexdigest(normalized.encode("utf-8", "surrogatepass"))


@dataclass(slots=True, frozen=True)
class SketchBatch:
    """Fingerprints of a batch; document i's samples are `samples[sample_offsets[i]:...[i + 1]]`."""

    hashes: list[str]
    words: I64
    shingles: I64
    signatures: U32
    bands: U64
    samples: U64
    sample_offsets: I64

    def __len__(self) -> int:
        return len(self.hashes)

    def samples_of(self, i: int) -> U64:
        return self.samples[self.sample_offsets[i] : self.sample_offsets[i + 1]]

    @property
    def sample_counts(self) -> I64:
        return np.diff(self.sample_offsets)

    def take(self, rows: list[int]) -> SketchBatch:
        """The fingerprints of documents `rows` only, in that order."""
        index = np.asarray(rows, dtype=np.int64)
        counts = self.sample_counts[index]
        starts = np.repeat(self.sample_offsets[:-1][index], counts)
        within = np.arange(int(counts.sum()), dtype=np.int64) - np.repeat(np.cumsum(counts) - counts, counts)
        offsets = np.zeros(len(rows) + 1, dtype=np.int64)
        np.cumsum(counts, out=offsets[1:])
        return SketchBatch(
            hashes=[self.hashes[i] for i in rows],
            words=self.words[index],
            shingles=self.shingles[index],
            signatures=self.signatures[index],
            bands=self.bands[index],
            samples=self.samples[starts + within],
            sample_offsets=offsets,
        )


class Sketcher:
    """Turns bodies into `SketchBatch`es with one set of `DedupParams`."""

    def __init__(self, params: DedupParams | None = None) -> None:
        self.params = params or DedupParams()
        self.shingler = WordShingler(self.params.shingle_size, seed=self.params.seed)
        self.hasher = OnePermutationHasher(self.params.num_perm, seed=self.params.seed)
        self._sample_mask = np.uint64(self.params.sample_rate - 1)

    def sketch(self, bodies: Sequence[str]) -> SketchBatch:
        """Normalize `bodies` and fingerprint them."""
        return self.sketch_normalized([normalize(b) for b in bodies])

    def sketch_normalized(self, texts: Sequence[str]) -> SketchBatch:
        """Fingerprint already normalized texts (in batches of `SKETCH_BATCH`)."""
        if len(texts) > SKETCH_BATCH:
            step = SKETCH_BATCH
            parts = [self.sketch_normalized(texts[i : i + step]) for i in range(0, len(texts), step)]
            return _concat(parts)
        batch = self.shingler.shingle(texts)
        sigs = self.hasher.signatures(batch)
        p = self.params
        # Sampling reads bits 29.. of the low word, apart from the bin (high word) and the slot value.
        chosen = ((batch.hashes >> np.uint64(29)) & self._sample_mask) == 0
        doc = batch.doc_index[chosen]
        picked = batch.hashes[chosen]
        # Unique per document: sort by (document, hash) and drop repeats.
        order = np.lexsort((picked, doc))
        doc, picked = doc[order], picked[order]
        keep = np.ones(len(picked), dtype=np.bool_)
        keep[1:] = (picked[1:] != picked[:-1]) | (doc[1:] != doc[:-1])
        doc, picked = doc[keep], picked[keep]
        offsets = np.zeros(len(texts) + 1, dtype=np.int64)
        np.cumsum(np.bincount(doc, minlength=len(texts)), out=offsets[1:])
        return SketchBatch(
            hashes=[body_hash(t) for t in texts],
            words=batch.words,
            shingles=np.diff(batch.offsets),
            signatures=sigs,
            bands=band_keys(sigs, p.bands, p.rows),
            samples=picked,
            sample_offsets=offsets,
        )

    def shingle_set(self, normalized: str) -> U64:
        """The distinct shingle hashes of one normalized text (for exact containment checks)."""
        return np.unique(self.shingler.shingle([normalized]).hashes)


def _concat(parts: list[SketchBatch]) -> SketchBatch:
    shift = np.cumsum([0] + [len(p.samples) for p in parts[:-1]])
    offsets = np.concatenate(
        [parts[0].sample_offsets[:1]] + [p.sample_offsets[1:] + s for p, s in zip(parts, shift, strict=True)]
    )
    return SketchBatch(
        hashes=[h for p in parts for h in p.hashes],
        words=np.concatenate([p.words for p in parts]),
        shingles=np.concatenate([p.shingles for p in parts]),
        signatures=np.concatenate([p.signatures for p in parts]),
        bands=np.concatenate([p.bands for p in parts]),
        samples=np.concatenate([p.samples for p in parts]),
        sample_offsets=offsets.astype(np.int64),
    )


def containment(small: U64, large: U64) -> float:
    """Share of the distinct shingles `small` that are also in `large` (both sorted unique)."""
    if not len(small):
        return 0.0
    return float(np.count_nonzero(np.isin(small, large, assume_unique=True))) / len(small)
