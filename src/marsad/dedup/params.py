"""Dedup parameters, their documented defaults, and the Jaccard thresholds they imply.

Defaults (measured by `bench/dedup.py` on edited copies of real Arabic articles):

- 5-word shingles of the normalized body (`marsad.text.arabic.normalize`); the title is left out, so
  a retitled copy is still an exact duplicate of its body.
- 128 MinHash slots, 126 of them cut into 42 LSH bands of 3 rows. Two documents of Jaccard J
  share a bucket with probability 1 - (1 - J**3)**42: 0.996 at J = 0.5, 0.9999 at J = 0.6,
  0.29 at J = 0.2 and 0.04 at J = 0.1 (candidates are then verified, so low-J collisions cost time,
  not precision); the S-curve's midpoint, (1/42)**(1/3) = 0.29, is `lsh_threshold`. 32 bands of
  4 rows (midpoint 0.42, 0.87 at J = 0.5) missed edited copies near J = 0.55 in the bench.
- A candidate is a near duplicate when its estimated Jaccard (share of equal slots) is at least
  `near_threshold` = 0.5. Distinct articles on one topic measure below 0.1.
- Containment candidates come two ways: (1) 1 shingle in `sample_rate` = 4 (chosen by hash, so the
  same shingles in every document) goes into an inverted index, and a document whose sampled
  shingles are at least `containment_estimate` = 0.7 found in another is a candidate; it needs
  `min_samples` = 3 sampled shingles (about 15 words; 1 in 8 missed a 67-word copy in the bench);
  (2) a band collision below the near threshold whose Jaccard and sizes imply a containment of 0.7
  or more. Candidates are verified on
  the exact shingle sets: contained when at least `containment_threshold` = 0.8 of the smaller
  document's shingles are in the larger.
- A band bucket or sampled shingle keeps its first `max_posting` = 100 documents and takes no
  more (in memory and in the store). Copies find the early members of their group, and
  boilerplate shared by every document costs bounded time and memory.
- A document linked to two groups merges them only if the two documents it matched are related:
  estimated Jaccard or implied containment between them of at least `merge_floor` = 0.25 (edited
  copies of one article measure 0.5 and more; two different articles under 0.05).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass

from marsad.errors import ConfigError

# Bumped whenever hashing or sketching changes, so old stored signatures are never compared.
ALGORITHM = 1


@dataclass(slots=True, frozen=True)
class DedupParams:
    """How documents are sketched and when two are duplicates (see the module docstring)."""

    shingle_size: int = 5
    num_perm: int = 128
    bands: int = 42
    rows: int = 3
    near_threshold: float = 0.5
    containment_threshold: float = 0.8
    containment_estimate: float = 0.7
    merge_floor: float = 0.25
    sample_rate: int = 4
    min_samples: int = 3
    max_posting: int = 100
    seed: int = 1

    def __post_init__(self) -> None:
        if self.bands * self.rows > self.num_perm:
            raise ConfigError(
                f"dedup: bands*rows = {self.bands}*{self.rows} exceeds num_perm = {self.num_perm};"
                " lower bands or rows, or raise num_perm"
            )
        for name in ("near_threshold", "containment_threshold", "containment_estimate", "merge_floor"):
            value = getattr(self, name)
            if not 0.0 < value <= 1.0:
                raise ConfigError(f"dedup.{name} must be in (0, 1], got {value}")
        if self.sample_rate < 1 or self.sample_rate & (self.sample_rate - 1):
            raise ConfigError(f"dedup.sample_rate must be a power of two >= 1, got {self.sample_rate}")
        if self.min_samples < 1 or self.max_posting < 2:
            raise ConfigError("dedup.min_samples must be >= 1 and dedup.max_posting >= 2")

    @property
    def lsh_threshold(self) -> float:
        """(1/bands)**(1/rows): the Jaccard at which the band collision curve is steepest."""
        return float((1.0 / self.bands) ** (1.0 / self.rows))

    def candidate_probability(self, jaccard: float) -> float:
        """Probability that two documents of this Jaccard collide in at least one band."""
        return float(1.0 - (1.0 - jaccard**self.rows) ** self.bands)

    def fingerprint(self) -> str:
        """Hash of the settings that shape a signature; signatures of different fingerprints never mix."""
        keys = ("shingle_size", "num_perm", "bands", "rows", "sample_rate", "seed")
        shape: dict[str, object] = {k: v for k, v in asdict(self).items() if k in keys}
        shape["algorithm"] = ALGORITHM
        return hashlib.sha256(json.dumps(shape, sort_keys=True).encode()).hexdigest()[:12]
