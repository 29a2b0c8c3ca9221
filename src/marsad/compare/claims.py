"""Story-wide claims: every statement once, with the outlets that carry it, add it, omit it or disagree.

Each article is a list of units (its sentences; a quote counts through the sentences that carry
it). Every pair of articles has a score matrix of its units (`marsad.compare.comparison`) and
the links its alignment found (one-to-one, mutual best, splits). Claims are grown from those
links, strongest first, across all the articles at once (many-to-many): two groups of units merge
when their average cross-article score stays at or over `claim_link`, so one weak link cannot
chain two statements of a topic together. A unit left alone joins its best partner's claim when
it scores at least `attach_threshold` with it (a paraphrase that lost the one-to-one matching to
a closer wording), under the same average-link guard.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from marsad.compare.numbers import Figure, conflict
from marsad.compare.scoring import Matrix
from marsad.entities.aliases import same_person

# At most this many units of one article in one claim: one outlet may say in two or three
# sentences what another says in one; more is a topic, not a claim.
MAX_UNITS_PER_DOC = 3

Unit = tuple[int, int]  # (article index, sentence index)


@dataclass(slots=True, frozen=True)
class Edge:
    """A link the pairwise alignment found between unit `u` and unit `v`, with its score."""

    score: float
    u: Unit
    v: Unit


@dataclass(slots=True)
class Claim:
    """One statement as the outlets carry it.

    `outlets`: ids of the documents carrying it (in the comparison's document order);
    `first`: the one that published it earliest (None when undated); `units`: sentence indices
    per document; `texts`/`numbers`: its wording and figures per document; `kind` is "quote" when
    it carries a direct quote, with `speaker` the speaker most outlets name.
    """

    id: str
    kind: str
    units: dict[str, list[int]]
    texts: dict[str, str]
    numbers: dict[str, list[Figure]]
    languages: list[str]
    first: str | None
    speaker: str | None = None
    speakers: dict[str, str] = field(default_factory=dict)
    speaker_keys: dict[str, str] = field(default_factory=dict)

    @property
    def outlets(self) -> list[str]:
        return list(self.units)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "speaker": self.speaker,
            "outlets": self.outlets,
            "languages": list(self.languages),
            "first": self.first,
            "texts": dict(self.texts),
            "numbers": {d: [str(f) for f in v] for d, v in self.numbers.items()},
            "speakers": dict(self.speakers),
        }


@dataclass(slots=True, frozen=True)
class Version:
    """One side of a disagreement: the documents saying it, their wording, the figures or speaker."""

    docs: tuple[str, ...]
    text: str
    value: str

    def to_json(self) -> dict[str, Any]:
        return {"docs": list(self.docs), "text": self.text, "value": self.value}


@dataclass(slots=True, frozen=True)
class Disagreement:
    """Outlets carrying claim `claim` with different figures (`kind` "number") or speakers ("speaker")."""

    claim: str
    kind: str
    versions: tuple[Version, ...]

    def to_json(self) -> dict[str, Any]:
        return {"claim": self.claim, "kind": self.kind, "versions": [v.to_json() for v in self.versions]}


class _Groups:
    """Union-find over units, each group keeping its members."""

    def __init__(self, units: Sequence[Unit]) -> None:
        self.parent: dict[Unit, Unit] = {u: u for u in units}
        self.members: dict[Unit, list[Unit]] = {u: [u] for u in units}

    def find(self, u: Unit) -> Unit:
        while self.parent[u] != u:
            self.parent[u] = self.parent[self.parent[u]]
            u = self.parent[u]
        return u

    def union(self, a: Unit, b: Unit) -> None:
        ra, rb = self.find(a), self.find(b)
        if len(self.members[ra]) < len(self.members[rb]):
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.members[ra].extend(self.members.pop(rb))


def _pair_score(scores: Mapping[tuple[int, int], Matrix], x: Unit, y: Unit) -> float:
    (i, r), (j, c) = (x, y) if x[0] < y[0] else (y, x)
    return float(scores[(i, j)][r, c])


def _can_merge(a: list[Unit], b: list[Unit], scores: Mapping[tuple[int, int], Matrix], link: float) -> bool:
    per_doc: dict[int, int] = {}
    for d, _ in (*a, *b):
        per_doc[d] = per_doc.get(d, 0) + 1
    if max(per_doc.values()) > MAX_UNITS_PER_DOC:
        return False
    cross = [_pair_score(scores, x, y) for x in a for y in b if x[0] != y[0]]
    if not cross:
        return False  # two groups of one article only: never a claim across outlets
    return sum(cross) / len(cross) >= link


def group_units(
    sizes: Sequence[int],
    scores: Mapping[tuple[int, int], Matrix],
    edges: Sequence[Edge],
    claim_link: float,
    attach_threshold: float,
) -> list[list[Unit]]:
    """The units of every article grouped into claims (see the module docstring).

    `sizes[i]` is the number of units of article i; `scores[(i, j)]` (i < j) their score matrix.
    Each group is sorted by (article, unit); groups come in no particular order.
    """
    units = [(d, k) for d, n in enumerate(sizes) for k in range(n)]
    groups = _Groups(units)
    for e in sorted(edges, key=lambda e: -e.score):
        ru, rv = groups.find(e.u), groups.find(e.v)
        if ru != rv and _can_merge(groups.members[ru], groups.members[rv], scores, claim_link):
            groups.union(ru, rv)
    # Units still alone: their best partner in another article, if close enough.
    candidates: list[tuple[float, Unit, Unit]] = []
    for u in units:
        if len(groups.members[groups.find(u)]) > 1:
            continue
        best: tuple[float, Unit] | None = None
        for v in units:
            if v[0] == u[0]:
                continue
            s = _pair_score(scores, u, v)
            if s >= attach_threshold and (best is None or s > best[0]):
                best = (s, v)
        if best is not None:
            candidates.append((best[0], u, best[1]))
    for _s, u, v in sorted(candidates, key=lambda t: -t[0]):
        ru, rv = groups.find(u), groups.find(v)
        if ru != rv and _can_merge(groups.members[ru], groups.members[rv], scores, claim_link):
            groups.union(ru, rv)
    return [sorted(m) for m in groups.members.values()]


def disagreements(claims: Sequence[Claim]) -> list[Disagreement]:
    """Claims whose outlets give different figures for one fact, or put the quote in another mouth."""
    out: list[Disagreement] = []
    for c in claims:
        docs = c.outlets
        clash: set[str] = set()
        for i, a in enumerate(docs):
            for b in docs[i + 1 :]:
                if conflict(c.numbers.get(a, []), c.numbers.get(b, [])):
                    clash.update((a, b))
        if clash:
            out.append(Disagreement(c.id, "number", _versions(c, [d for d in docs if d in clash], _figs)))
        # Only persons: a quote credited to an institution or a role may be the same voice.
        keyed = [d for d in docs if c.speaker_keys.get(d, "").startswith("per:")]
        if _different_people(c, keyed):
            out.append(Disagreement(c.id, "speaker", _versions(c, keyed, lambda c, d: c.speakers.get(d, ""))))
    return out


def _different_people(c: Claim, docs: Sequence[str]) -> bool:
    names = {c.speaker_keys[d]: c.speakers.get(d, "") for d in docs}
    if len(names) < 2:
        return False
    return any(not same_person(x, y) for x, y in itertools.combinations(names.values(), 2))


def _figs(c: Claim, d: str) -> str:
    return ", ".join(str(f) for f in c.numbers.get(d, []))


def _versions(c: Claim, docs: Sequence[str], value: Any) -> tuple[Version, ...]:
    by_value: dict[str, list[str]] = {}
    for d in docs:
        by_value.setdefault(value(c, d), []).append(d)
    return tuple(Version(tuple(ds), c.texts[ds[0]], v) for v, ds in by_value.items())


def adds_and_omits(
    claims: Sequence[Claim], doc_ids: Sequence[str]
) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """What each document adds (claims only it carries) and omits (claims more than half of the
    other documents carry but it does not)."""
    adds: dict[str, list[str]] = {d: [] for d in doc_ids}
    omits: dict[str, list[str]] = {d: [] for d in doc_ids}
    for c in claims:
        outlets = set(c.outlets)
        if len(outlets) == 1:
            adds[c.outlets[0]].append(c.id)
            continue
        for d in doc_ids:
            if d not in outlets and len(outlets) * 2 > len(doc_ids) - 1:
                omits[d].append(c.id)
    return adds, omits
