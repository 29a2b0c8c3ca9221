"""Duplicate detection: exact (normalized body hash), near (MinHash + LSH) and containment groups.

- `MemoryDedupIndex`: incremental, in memory, batch at a time (the `marsad dedup` command, benches).
- `StoreDedupIndex` / `DedupStep`: the same decisions over the SQLite store, one article per call,
  inside the ingest transaction; signatures, band buckets and groups persist there.
- `marsad.dedup.decision.decide_links`: the one decision all three (and the batch reducer,
  `marsad.scale.duplicates`) make for a new document, over a `GroupView` of their storage.
- `DedupParams`: shingle size, permutations, bands x rows and thresholds (documented there).
"""

from marsad.dedup.groups import CONTAINED, EXACT, NEAR, UNIQUE
from marsad.dedup.index import DedupResult, MemoryDedupIndex
from marsad.dedup.params import DedupParams
from marsad.dedup.stored import DedupStep, StoreDedupIndex, StoredResult

# The issue and DESIGN.md call the persistent, incremental index DedupIndex.
DedupIndex = StoreDedupIndex

__all__ = [
    "CONTAINED",
    "EXACT",
    "NEAR",
    "UNIQUE",
    "DedupIndex",
    "DedupParams",
    "DedupResult",
    "DedupStep",
    "MemoryDedupIndex",
    "StoreDedupIndex",
    "StoredResult",
]
