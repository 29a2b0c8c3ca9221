"""MinHash signatures of shingle sets by one-permutation hashing with optimal densification.

Classic MinHash (datasketch) applies `num_perm` hash functions to every shingle: 128 products per
shingle. One-permutation hashing (Li, Owen and Zhang, 2012) hashes each shingle once, splits the
hash range into `num_perm` bins and keeps the minimum per bin, so the cost is one pass over the
shingles whatever `num_perm` is. Bins left empty by a short document are filled by optimal
densification (Shrivastava, 2017): empty bin j takes the value of the first non-empty bin on a
fixed pseudo-random probe sequence of j, the same for every document, so that
P[sig_a[j] == sig_b[j]] = Jaccard(a, b) holds for every slot, as with independent permutations.

A slot is a uint32 (the low 32 bits of the shingle hash; the bin is chosen by the high 32 bits).
The whole batch is signed at once: `np.minimum.at` keeps the minimum of every (document, bin).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from marsad.dedup.shingles import ShingleBatch, mix64

U32 = npt.NDArray[np.uint32]
EMPTY = np.uint32(0xFFFFFFFF)
_PROBES = 96


class OnePermutationHasher:
    """Signs shingle batches into `num_perm` uint32 slots per document."""

    def __init__(self, num_perm: int = 128, seed: int = 1) -> None:
        if not 16 <= num_perm <= 1024:
            raise ValueError(f"num_perm must be between 16 and 1024, got {num_perm}")
        self.num_perm = num_perm
        # A power-of-two bin count takes the top bits directly.
        self._shift = np.uint64(64 - num_perm.bit_length() + 1) if num_perm & (num_perm - 1) == 0 else None
        rng = np.random.default_rng(seed)
        # probe[t, j]: the bin that empty bin j looks at on attempt t.
        self._probe = rng.integers(0, num_perm, size=(_PROBES, num_perm), dtype=np.int64)

    def signatures(self, batch: ShingleBatch) -> U32:
        """(documents, num_perm) signatures; a document without shingles gets all slots EMPTY."""
        n = len(batch.offsets) - 1
        k = self.num_perm
        sig = np.full(n * k, EMPTY, dtype=np.uint32)
        if len(batch.hashes):
            h = batch.hashes
            if self._shift is not None:
                bins = h >> self._shift
            else:
                bins = ((h >> np.uint64(32)) * np.uint64(k)) >> np.uint64(32)
            slot = bins.view(np.int64) + np.repeat(
                np.arange(0, n * k, k, dtype=np.int64), np.diff(batch.offsets)
            )
            np.minimum.at(sig, slot, h.astype(np.uint32))
        out = sig.reshape(n, k)
        self._densify(out)
        return out

    def _densify(self, sig: U32) -> None:
        empty = sig == EMPTY
        rows = np.flatnonzero(empty.any(axis=1) & ~empty.all(axis=1))
        if not len(rows):
            return
        original = sig[rows]
        todo = empty[rows]
        filled = original.copy()
        for t in range(_PROBES):
            source = original[:, self._probe[t]]
            take = todo & (source != EMPTY)
            filled[take] = source[take]
            todo &= ~take
            if not todo.any():
                break
        if todo.any():
            # Only near-empty documents get here (a handful of shingles); the smallest value is a
            # deterministic fallback that two copies of the same text still agree on.
            smallest = original.min(axis=1)
            filled[todo] = np.broadcast_to(smallest[:, None], filled.shape)[todo]
        sig[rows] = filled


def estimate_jaccard(a: U32, b: U32) -> float:
    """Share of equal slots of two signatures: an unbiased estimate of the shingle-set Jaccard."""
    if a.shape != b.shape:
        raise ValueError(f"signatures differ in length: {a.shape} vs {b.shape}")
    if a[0] == EMPTY and bool((a == EMPTY).all()):
        return 0.0
    return float(np.count_nonzero(a == b)) / float(a.shape[-1])


def band_keys(sig: U32, bands: int, rows: int) -> npt.NDArray[np.uint64]:
    """(documents, bands) LSH bucket keys: band i hashes slots [i*rows, (i+1)*rows) with i mixed in.

    Two documents share a bucket in some band with probability 1 - (1 - J**rows)**bands.
    """
    if bands * rows > sig.shape[1]:
        raise ValueError(f"bands*rows = {bands * rows} exceeds the {sig.shape[1]} signature slots")
    n = sig.shape[0]
    cells = sig[:, : bands * rows].reshape(n, bands, rows).astype(np.uint64)
    acc = np.broadcast_to(np.arange(1, bands + 1, dtype=np.uint64), (n, bands)).copy()
    for r in range(rows):
        acc = mix64(acc * np.uint64(0x9E3779B97F4A7C15) + cells[:, :, r])
    return acc


def implied_containment(
    jaccard: npt.NDArray[np.float64], size_a: npt.NDArray[np.int64], size_b: npt.NDArray[np.int64]
) -> npt.NDArray[np.float64]:
    """Containment of the smaller set in the larger implied by their Jaccard and sizes.

    |A & B| = J (|A| + |B|) / (1 + J), divided by min(|A|, |B|). A short copy inside a long
    article has a low Jaccard but a containment near 1.
    """
    inter = jaccard * (size_a + size_b) / (1.0 + jaccard)
    return np.minimum(inter / np.maximum(np.minimum(size_a, size_b), 1), 1.0)
