"""The one duplicate decision: which earlier documents a new document links to.

Every storage calls `decide_links` with what its index found for one new document (the first
document with the same body hash, band collisions at or above `near_threshold`, containment
candidates with their estimates) and a `GroupView` of its groups so far:

- `MemoryDedupIndex` (`marsad dedup`, benches): groups in a `GroupBook`, signatures in arrays;
- `StoreDedupIndex` (`marsad ingest`, the API): groups and signatures in the SQLite store;
- the batch reducer (`marsad.scale.duplicates`): one connected component of candidate links at
  a time, replayed in input order from partitioned files.

The decision (see `marsad.dedup.groups` for the group semantics):
1. exact and near matches, strongest first; a further one is kept only when it may join the
   groups already kept (`joinable`);
2. the containment candidates whose group is not already reached and that may join the first
   kept match, tried by decreasing estimate then earlier document; the first whose exact
   containment (smaller shingle set in the larger) reaches `containment_threshold` is kept.

`joinable(a, b)`: the two documents are one group already, or they are related (estimated Jaccard
or implied containment >= `merge_floor`) and so are their groups' canonical members. The second
condition is the merge guard for chains: a roundup of two briefs is related to both briefs, so a
wire copy of brief A that is also inside the roundup (already in brief B's group) would otherwise
join A's family to B's.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np
import numpy.typing as npt

from marsad.dedup.groups import Candidates, Link, decide, strong_links
from marsad.dedup.minhash import implied_containment


class GroupView(Protocol):
    """What the decision reads from a storage; documents are its arrival numbers (older = smaller)."""

    def same_group(self, a: int, b: int) -> bool:
        """Whether two stored documents are in one group now."""
        ...

    def related(self, a: int, b: int) -> bool:
        """Estimated Jaccard or implied containment between two stored documents >= merge_floor."""
        ...

    def canonical(self, a: int) -> int:
        """The canonical (earliest) member of a stored document's group."""
        ...

    def verify(self, doc: int, other: int, estimate: float) -> float:
        """Exact containment of the smaller shingle set in the larger (the estimate when a text is gone)."""
        ...


def signatures_related(
    sig_a: npt.NDArray[np.uint32], sig_b: npt.NDArray[np.uint32], size_a: int, size_b: int, floor: float
) -> bool:
    """Estimated Jaccard, or the containment it implies with the shingle counts, is at least `floor`."""
    jaccard = float(np.count_nonzero(sig_a == sig_b)) / len(sig_a)
    implied = float(implied_containment(np.array([jaccard]), np.array([size_a]), np.array([size_b]))[0])
    return max(jaccard, implied) >= floor


def joinable(view: GroupView, a: int, b: int) -> bool:
    """May a link to `a` merge `a`'s group with `b`'s (see the module docstring)."""
    if view.same_group(a, b):
        return True
    if not view.related(a, b):
        return False
    ca, cb = view.canonical(a), view.canonical(b)
    return (ca == a and cb == b) or view.related(ca, cb)


def decide_links(doc: int, found: Candidates, view: GroupView, containment_threshold: float) -> list[Link]:
    """The links document `doc` makes to earlier documents, strongest first (empty: unique)."""
    strong = strong_links(found, lambda a, b: joinable(view, a, b))
    reached = [link.other for link in strong]
    options = [
        (other, estimate)
        for other, estimate in found.contained
        if other != doc
        and not any(view.same_group(other, r) for r in reached)
        and (not reached or joinable(view, other, reached[0]))
    ]
    verified: list[tuple[int, float]] = []
    for other, estimate in sorted(options, key=lambda x: (-x[1], x[0])):
        score = view.verify(doc, other, estimate)
        if score >= containment_threshold:
            verified.append((other, score))
            break
    return decide(strong, verified)
