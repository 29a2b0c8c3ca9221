"""Story-wide claims: every statement once, with the outlets that carry it, add it, omit it or disagree.

Each article is a list of units (its sentences; a quote counts through the sentences that carry
it). Every pair of articles has a score matrix of its units (`marsad.compare.comparison`) and
the links its alignment found (one-to-one, mutual best, splits). Claims are grown from those
links, strongest first, across all the articles at once (many-to-many): two groups of units merge
when their average cross-article score stays at or over `claim_link`, so one weak link cannot
chain two statements of a topic together; a merge that gives one article a second unit in the
claim (one outlet saying in two sentences what another says in one) must clear `split_link`, a
higher bar: a lead that reports the toll and a quote on collapsed buildings are two facts even
when a third outlet's sentence states both. A unit left alone joins its best partner's claim when
it scores at least `attach_threshold` with it (a paraphrase that lost the one-to-one matching to
a closer wording), under the same average-link guard. Last, a lone sentence that goes on with an
earlier sentence's speech ("وأضاف أن ...", "he added") joins that sentence's claim when its best
partner in the other articles is there (`join_threshold`): the second half of a split, too short
to score high on its own. A body line repeating the headline joins its lead's claim. Then claims
become many-to-many: a sentence already in a claim with other outlets also carries each other claim
its article lacks when it scores on average at least `also_link` with that claim's sentences (one
outlet's "polls closed at 7 pm with a turnout of 38%" is both facts another outlet gives apart).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass, field
from typing import Any

from marsad.compare.numbers import Figure, conflict
from marsad.compare.scoring import Matrix
from marsad.compare.units import same_fact
from marsad.entities.aliases import same_person, skeleton

# At most this many units of one article in one claim: one outlet may say in two or three
# sentences what another says in one; more is a topic, not a claim.
MAX_UNITS_PER_DOC = 3
# A split's halves lie this close in their article (a quote between them at most).
NEIGHBOUR_SPAN = 2

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
    it carries a direct quote, with `speaker` the speaker most outlets name; `speaker_inferred`:
    the documents that credit the quote from an earlier sentence ("he added") rather than name
    its speaker beside it.
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
    speaker_inferred: set[str] = field(default_factory=set)

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


def _can_merge(
    a: list[Unit],
    b: list[Unit],
    scores: Mapping[tuple[int, int], Matrix],
    link: float,
    split_link: float,
    unit_link: float = 0.0,
) -> bool:
    """Whether groups `a` and `b` may be one claim: their average cross-article score clears `link`
    (`split_link` when an article gets a second unit), and every unit's average with the other
    group's units of other articles clears `unit_link` (two claims bridged by one outlet's sentence
    stating both stay two: that sentence carries both, see `_also_carried`)."""
    per_doc: dict[int, int] = {}
    for d, _ in (*a, *b):
        per_doc[d] = per_doc.get(d, 0) + 1
    if max(per_doc.values()) > MAX_UNITS_PER_DOC:
        return False
    cross = [_pair_score(scores, x, y) for x in a for y in b if x[0] != y[0]]
    if not cross:
        return False  # two groups of one article only: never a claim across outlets
    split = bool({d for d, _ in a} & {d for d, _ in b})
    if sum(cross) / len(cross) < (max(link, split_link) if split else link):
        return False
    for x, other in [*((x, b) for x in a), *((y, a) for y in b)]:
        mine = [_pair_score(scores, x, y) for y in other if y[0] != x[0]]
        if mine and sum(mine) / len(mine) < unit_link:
            return False
    return True


def group_units(
    sizes: Sequence[int],
    scores: Mapping[tuple[int, int], Matrix],
    edges: Sequence[Edge],
    claim_link: float,
    attach_threshold: float,
    split_link: float = 0.0,
    join_threshold: float = 1.0,
    continuations: Set[Unit] = frozenset(),
    also_link: float = 1.0,
    headlines: Mapping[Unit, Unit] | None = None,
    unit_link: float = 0.0,
) -> list[list[Unit]]:
    """The units of every article grouped into claims (see the module docstring); with `also_link`
    under 1, a unit may also be in other claims (`_also_carried`). `headlines` maps a unit that
    repeats its article's headline ("رابط الخبر: <headline>") to its article's lead: left alone, it
    joins the lead's claim.

    `sizes[i]` is the number of units of article i; `scores[(i, j)]` (i < j) their score matrix.
    Each group is sorted by (article, unit); groups come in no particular order.
    """
    units = [(d, k) for d, n in enumerate(sizes) for k in range(n)]
    headlines = headlines or {}
    links = (claim_link, split_link, unit_link)
    groups = _Groups(units)
    for e in sorted(edges, key=lambda e: -e.score):
        ru, rv = groups.find(e.u), groups.find(e.v)
        if ru != rv and _can_merge(groups.members[ru], groups.members[rv], scores, *links):
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
        if ru != rv and _can_merge(groups.members[ru], groups.members[rv], scores, *links):
            groups.union(ru, rv)
    _join_neighbours(continuations, units, groups, scores, join_threshold)
    for u, lead in headlines.items():  # a body line repeating the headline says what the lead says
        if len(groups.members[groups.find(u)]) == 1 and groups.find(lead) != groups.find(u):
            groups.union(groups.find(lead), u)
    found = [sorted(m) for m in groups.members.values()]
    return _also_carried(found, scores, also_link, attach_threshold) if also_link < 1.0 else found


def _also_carried(
    groups: list[list[Unit]], scores: Mapping[tuple[int, int], Matrix], link: float, lone_link: float
) -> list[list[Unit]]:
    """Many-to-many: a sentence stating two claims ("drew 0-0 with Nice; Evolo missed a penalty and
    left injured") is in the claim of one; it also carries every claim of other outlets that it
    matches on average at `link` or more with each member of another article, when its own article
    has no sentence there yet (one added unit per article and claim, the best)."""
    out = [list(g) for g in groups]
    for gi, g in enumerate(out):
        docs = {d for d, _ in g}
        # A claim of one outlet takes a sentence another outlet already uses in a claim as a lone
        # sentence joins its best partner (`attach_threshold`): a single pair is weaker evidence.
        need = link if len(docs) >= 2 else max(link, lone_link)
        best: dict[int, tuple[float, Unit]] = {}
        for oi, other in enumerate(groups):
            if oi == gi or len({d for d, _ in other}) < 2:
                continue  # only sentences already in a claim with other outlets: never a lone one
            for u in other:
                if u[0] in docs:
                    continue
                mean = sum(_pair_score(scores, u, v) for v in groups[gi]) / len(groups[gi])
                if mean >= need and mean > best.get(u[0], (0.0, u))[0]:
                    best[u[0]] = (mean, u)
        g.extend(u for _s, u in best.values())
        g.sort()
    return out


def _join_neighbours(
    continuations: Set[Unit],
    units: Sequence[Unit],
    groups: _Groups,
    scores: Mapping[tuple[int, int], Matrix],
    threshold: float,
) -> None:
    """Split sentences joined: a unit still alone that goes on with the speech of an earlier
    sentence (`continuations`: "وأضاف أن ...", "he added") joins the claim of its best partner in
    the other articles when that claim holds one of its article's units at most `NEIGHBOUR_SPAN`
    sentences before it and the partner scores at least `threshold`. One outlet says in two close
    sentences what another says in one; the second half, read alone, is too short to score high,
    but its best match being the claim its speaker was just quoted in is evidence a topic match is
    not."""
    for u in sorted(continuations):
        if u not in groups.parent or len(groups.members[groups.find(u)]) > 1:
            continue
        others = [(_pair_score(scores, u, v), v) for v in units if v[0] != u[0]]
        best = max(others, default=None)
        if best is None or best[0] < threshold:
            continue
        root = groups.find(best[1])
        members = groups.members[root]
        own = [k for d, k in members if d == u[0]]
        if any(0 < u[1] - k <= NEIGHBOUR_SPAN for k in own) and len(own) < MAX_UNITS_PER_DOC:
            groups.union(root, u)


def disagreements(claims: Sequence[Claim]) -> list[Disagreement]:
    """Claims whose outlets give different figures for one fact (one disagreement per fact: the
    toll and the hour of a quake are two), or put the quote in another mouth."""
    out: list[Disagreement] = []
    for c in claims:
        for fact in _disputed_facts(c):
            by_value: dict[str, list[str]] = {}
            for d, f in fact:
                by_value.setdefault(str(f), []).append(d)
            out.append(
                Disagreement(
                    c.id, "number", tuple(Version(tuple(ds), c.texts[ds[0]], v) for v, ds in by_value.items())
                )
            )
        # Only persons named beside the quote: a quote credited to an institution or a role may be
        # the same voice, and one credited from an earlier sentence may be misread.
        keyed = [
            d
            for d in c.outlets
            if c.speaker_keys.get(d, "").startswith("per:") and d not in c.speaker_inferred
        ]
        if _different_people(c, keyed):
            out.append(Disagreement(c.id, "speaker", _speaker_versions(c, keyed)))
    return out


def _disputed_facts(c: Claim) -> list[list[tuple[str, Figure]]]:
    """The figures of `c` on which two outlets conflict, grouped by fact: each group holds the
    conflicting figures and those of other outlets that give one of its values for the same unit,
    one figure per outlet, in document order."""
    docs = c.outlets
    parent: dict[tuple[str, Figure], tuple[str, Figure]] = {}

    def find(x: tuple[str, Figure]) -> tuple[str, Figure]:
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    for i, a in enumerate(docs):
        for b in docs[i + 1 :]:
            for x, y in conflict(c.numbers.get(a, []), c.numbers.get(b, [])):
                parent[find((b, y))] = find((a, x))
    groups: dict[tuple[str, Figure], list[tuple[str, Figure]]] = {}
    for node in list(parent):
        groups.setdefault(find(node), []).append(node)
    out = []
    for members in groups.values():
        held = {d for d, _ in members}
        for d in docs:  # outlets agreeing with one of the versions
            if d in held:
                continue
            same = [
                f for f in c.numbers.get(d, []) for _, g in members if f == g and same_fact(f.unit, g.unit)
            ]
            if same:
                members.append((d, same[0]))
                held.add(d)
        first: dict[str, Figure] = {}
        for d, f in members:
            first.setdefault(d, f)
        out.append([(d, first[d]) for d in docs if d in first])
    return out


def _different_people(c: Claim, docs: Sequence[str]) -> bool:
    names = {c.speaker_keys[d]: c.speakers.get(d, "") for d in docs}
    if len(names) < 2:
        return False
    return any(not may_be_same_person(x, y) for x, y in itertools.combinations(names.values(), 2))


def may_be_same_person(a: str, b: str) -> bool:
    """Two speaker names that may be one person, in any script: `same_person`, or the words of the
    shorter all in the longer (Rami / رامي الخطيب: one outlet gave the first name only), or the same
    surname and another word in common (a title before the name: العقيد رامي الخطيب / Colonel Rami
    al-Khatib)."""
    if " ".join(a.split()) == " ".join(b.split()) or same_person(a, b):
        return True
    wa, wb = ([k for w in _name_words(n) if len(k := skeleton(w)) >= 2] for n in (a, b))
    if not wa or not wb:
        return False
    short, long = sorted((wa, wb), key=len)
    return set(short) <= set(long) or (wa[-1] == wb[-1] and len(set(wa) & set(wb)) >= 2)


_ABD = re.compile(r"(?<![^\s-])(عبد|abd(?:[eu]l)?)\s+(?:(ال|al|el)\s+)?(?=\S)", re.IGNORECASE)


def _name_words(name: str) -> list[str]:
    """The words of a person's name, an ʿAbd- compound kept as one word as its Latin spelling writes
    it (عبد الله / Abdallah, عبد العزيز / Abd al-Aziz / Abdulaziz: one skeleton each)."""
    return _ABD.sub(lambda m: m.group(1) + (m.group(2) or ""), name.replace("-", " ")).split()


def _speaker_versions(c: Claim, docs: Sequence[str]) -> tuple[Version, ...]:
    """One version per person: names that may be one person's (`may_be_same_person`) go together,
    shown by the longest."""
    groups: list[list[str]] = []
    for d in docs:
        name = c.speakers.get(d, "")
        home = next((g for g in groups if may_be_same_person(c.speakers.get(g[0], ""), name)), None)
        if home is None:
            groups.append([d])
        else:
            home.append(d)
    out = []
    for g in groups:
        shown = max(g, key=lambda d: len(c.speakers.get(d, "")))
        out.append(Version(tuple(g), c.texts[shown], c.speakers.get(shown, "")))
    return tuple(out)


def adds_and_omits(
    claims: Sequence[Claim], doc_ids: Sequence[str], unsure: Set[str] = frozenset()
) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """What each document adds (claims only it carries, but those in `unsure`: close to what
    another outlet says) and omits (claims more than half of the other documents carry but it
    does not)."""
    adds: dict[str, list[str]] = {d: [] for d in doc_ids}
    omits: dict[str, list[str]] = {d: [] for d in doc_ids}
    for c in claims:
        outlets = set(c.outlets)
        if len(outlets) == 1:
            if c.id not in unsure:
                adds[c.outlets[0]].append(c.id)
            continue
        for d in doc_ids:
            if d not in outlets and len(outlets) * 2 > len(doc_ids) - 1:
                omits[d].append(c.id)
    return adds, omits


_AR_GOES_ON = re.compile(r"^[وف]?(\S+)\s+(\S+)")
_LATIN_GOES_ON = re.compile(
    r"^(?:(?:he|she|they)\s+(?:also\s+)?(?:added|said|noted|stressed|explained)"
    r"|(?:il|elle)s?\s+a(?:\s+(?:également|aussi))?\s+(?:ajouté|précisé|indiqué|souligné|affirmé|expliqué))\b",
    re.IGNORECASE,
)


def goes_on_speaking(sentence: str) -> bool:
    """Whether `sentence` reports more of an earlier sentence's speaker without naming them: a speech
    verb followed at once by its complement ("وأضاف أن ...", "وقال إن ...", "He added that",
    "Il a ajouté que")."""
    from marsad.quotes.lexicon import COMPLEMENTISERS, VERBS, fold

    text = sentence.strip()
    if _LATIN_GOES_ON.match(text):
        return True
    m = _AR_GOES_ON.match(fold(text))
    return m is not None and m.group(1) in VERBS and m.group(2) in COMPLEMENTISERS
