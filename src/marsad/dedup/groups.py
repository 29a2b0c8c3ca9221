"""Duplicate groups: kinds, the decision from candidates, and an in-memory group book.

A group keeps every member. Its canonical member is the earliest: smallest publication time,
then first arrival (a document without a date sorts after every dated one). A member's `kind` is
the strongest link it has to another member: exact > near > contained; a document alone in its
group is "unique".

Exact and near links merge the groups of both ends (a copy of two copies joins them), but only
when the documents linked are related among themselves (Jaccard or containment of at least
`DedupParams.merge_floor` between them, or already one group). Containment adds at most one more
group per document: the best verified containment whose group is not already linked, under the
same condition. So a short wire copy that arrived first still joins the family of the longer
versions that contain it, but a roundup made of two different wire briefs does not make the two
briefs one group.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

EXACT, NEAR, CONTAINED, UNIQUE = "exact", "near", "contained", "unique"
KINDS = (EXACT, NEAR, CONTAINED, UNIQUE)
RANK = {UNIQUE: 0, CONTAINED: 1, NEAR: 2, EXACT: 3}
# Sorts after every ISO 8601 date: undated documents are never canonical over dated ones.
UNDATED = "~"


@dataclass(slots=True, frozen=True)
class Link:
    """One verified relation from a new document to an earlier one."""

    other: int
    kind: str
    score: float


@dataclass(slots=True)
class Candidates:
    """What the index found for one new document, already verified against the thresholds."""

    exact: int | None = None
    near: list[tuple[int, float]] = field(default_factory=list)
    contained: list[tuple[int, float]] = field(default_factory=list)


Related = Callable[[int, int], bool]


def strong_links(found: Candidates, related: Related) -> list[Link]:
    """Exact and near matches, strongest first, each related to one already kept.

    The first (strongest) match is always kept. A further match is kept only when `related` says
    its document is a copy of, or the same group as, one kept before: a roundup made of two
    different articles is near both (Jaccard about 0.5 each), and must not make them one group.
    """
    candidates: list[Link] = []
    if found.exact is not None:
        candidates.append(Link(found.exact, EXACT, 1.0))
    candidates.extend(
        Link(o, NEAR, s) for o, s in sorted(found.near, key=lambda x: (-x[1], x[0])) if o != found.exact
    )
    kept: list[Link] = []
    for link in candidates:
        if not kept or any(related(link.other, k.other) for k in kept):
            kept.append(link)
    return kept


def decide(strong: list[Link], contained: list[tuple[int, float]]) -> list[Link]:
    """The links to record: the kept strong links plus the best verified containment.

    `contained` must only hold containments into groups the strong links do not reach and
    related to them (the index filters them, since it knows the groups); ties go to the earlier
    document.
    """
    links = list(strong)
    if contained:
        other, score = max(contained, key=lambda x: (x[1], -x[0]))
        links.append(Link(other, CONTAINED, score))
    return links


class GroupBook:
    """Union-find over document numbers with the canonical member and each member's kind."""

    def __init__(self) -> None:
        self._parent: list[int] = []
        self._size: list[int] = []
        self._canonical: list[int] = []
        self._order: list[tuple[str, int]] = []
        self._rank: list[int] = []

    def __len__(self) -> int:
        return len(self._parent)

    def add(self, published: str | None) -> int:
        """A new singleton group; returns the document number."""
        i = len(self._parent)
        self._parent.append(i)
        self._size.append(1)
        self._canonical.append(i)
        self._order.append((published or UNDATED, i))
        self._rank.append(0)
        return i

    def root(self, i: int) -> int:
        parent = self._parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def link(self, new: int, link: Link) -> None:
        """Record `link` from document `new`: merge the two groups and raise both kinds."""
        rank = RANK[link.kind]
        self._rank[new] = max(self._rank[new], rank)
        self._rank[link.other] = max(self._rank[link.other], rank)
        a, b = self.root(new), self.root(link.other)
        if a == b:
            return
        if self._size[a] < self._size[b]:
            a, b = b, a
        self._parent[b] = a
        self._size[a] += self._size[b]
        ca, cb = self._canonical[a], self._canonical[b]
        self._canonical[a] = ca if self._order[ca] <= self._order[cb] else cb

    def canonical(self, i: int) -> int:
        """The earliest member of document `i`'s group."""
        return self._canonical[self.root(i)]

    def kind(self, i: int) -> str:
        return KINDS[3 - self._rank[i]] if self._rank[i] else UNIQUE

    def size(self, i: int) -> int:
        return self._size[self.root(i)]

    def groups(self) -> dict[int, list[int]]:
        """canonical -> members (arrival order), for groups of two or more."""
        out: dict[int, list[int]] = {}
        for i in range(len(self._parent)):
            if self._size[self.root(i)] > 1:
                out.setdefault(self.canonical(i), []).append(i)
        return out
