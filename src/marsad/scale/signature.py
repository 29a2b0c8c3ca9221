"""The per-document dedup keys of the map step: exact hash, MinHash signature, LSH band keys.

A thin adapter over `marsad.dedup.sketch.Sketcher`, so the batch job and the store-backed dedup
sketch documents the same way, with the same `DedupParams`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from marsad.dedup.params import DedupParams
from marsad.dedup.sketch import Sketcher

U64 = npt.NDArray[np.uint64]
U32 = npt.NDArray[np.uint32]


@dataclass(slots=True, frozen=True)
class DocKeys:
    """Keys of a batch: `exact[i]`, `signatures[i, :]`, `bands[i, :]`, `shingles[i]` and the sampled
    shingles `samples[sample_offsets[i]:sample_offsets[i + 1]]` belong to document i."""

    exact: U64
    signatures: U32
    bands: U64
    shingles: npt.NDArray[np.int64]
    samples: U64
    sample_offsets: npt.NDArray[np.int64]


def document_keys(bodies: Sequence[str], params: DedupParams) -> DocKeys:
    """Exact hash (64 bits of the normalized-body hash), signature, band keys, shingle count and
    sampled shingles of every body."""
    if not bodies:
        return DocKeys(
            exact=np.zeros(0, dtype=np.uint64),
            signatures=np.zeros((0, params.num_perm), dtype=np.uint32),
            bands=np.zeros((0, params.bands), dtype=np.uint64),
            shingles=np.zeros(0, dtype=np.int64),
            samples=np.zeros(0, dtype=np.uint64),
            sample_offsets=np.zeros(1, dtype=np.int64),
        )
    sketch = Sketcher(params).sketch(bodies)
    exact = np.array([int(h[:16], 16) for h in sketch.hashes], dtype=np.uint64)
    return DocKeys(
        exact=exact,
        signatures=sketch.signatures,
        bands=sketch.bands,
        shingles=np.asarray(sketch.shingles, dtype=np.int64),
        samples=sketch.samples,
        sample_offsets=sketch.sample_offsets,
    )
