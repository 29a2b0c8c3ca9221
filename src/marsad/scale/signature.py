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
    """Keys of a batch: `exact[i]`, `signatures[i, :]` and `bands[i, :]` belong to document i."""

    exact: U64
    signatures: U32
    bands: U64


def document_keys(bodies: Sequence[str], params: DedupParams) -> DocKeys:
    """Exact hash (64 bits of the normalized-body hash), signature and band keys of every body."""
    if not bodies:
        return DocKeys(
            exact=np.zeros(0, dtype=np.uint64),
            signatures=np.zeros((0, params.num_perm), dtype=np.uint32),
            bands=np.zeros((0, params.bands), dtype=np.uint64),
        )
    sketch = Sketcher(params).sketch(bodies)
    exact = np.array([int(h[:16], 16) for h in sketch.hashes], dtype=np.uint64)
    return DocKeys(exact=exact, signatures=sketch.signatures, bands=sketch.bands)
