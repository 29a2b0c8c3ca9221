"""Which units (sentences or quotes) of two documents say the same thing: one-to-one and split pairs.

A one-to-one matching misses what one outlet says in one sentence and the other in two (often not
adjacent: the second half comes a paragraph later). The alignment is built in three passes over
the score matrix of every unit of `a` with every unit of `b`:

1. a max-weight one-to-one matching of the pairs scoring at least `threshold`;
2. left-over units that are each other's best partner anywhere and score at least `second`
   (mutual best: a weaker score is trusted when nothing else competes for either unit);
3. splits: a left-over unit `u` whose best partner `v` is already paired with `w` joins that pair
   when `u` and `v` score at least `second`, nearly as well as `w` and `v` do (within
   `SPLIT_GAP`), and `w` and `u` read together match `v` about as well as `w` alone does (within
   `MERGE_SLACK`: the added sentence carries part of `v`; it does not dilute it). `v` gets at
   most one added partner.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from marsad.compare.scoring import Matrix, one_to_one

# merged(side, units, other): the score of units `units` of `side` ("a" or "b") read together
# against unit `other` of the other side.
MergedScore = Callable[[str, Sequence[int], int], float]

# The second half of a split scores close to the first: a sentence that merely shares the topic
# (another show delayed too, a later reaction) scores well under the sentence it would join.
SPLIT_GAP = 0.12
# Reading the two halves together costs a little cosine (a longer text) even for a true split.
MERGE_SLACK = 0.05


@dataclass(slots=True, frozen=True)
class Link:
    """Unit `a` of the first document pairs with unit `b` of the second; `group` numbers the
    alignment unit (the two links of a split share it); `score` is the pair's mixed score."""

    a: int
    b: int
    score: float
    group: int


def align(score: Matrix, threshold: float, second: float, merged: MergedScore | None) -> list[Link]:
    """The links between rows (units of `a`) and columns (units of `b`) of `score`, sorted by row.

    `merged` scores a split (see the module docstring); without it no splits are made.
    """
    if score.size == 0:
        return []
    links = [Link(r, c, s, k) for k, (r, c, s) in enumerate(one_to_one(score, threshold))]
    row_used = {x.a for x in links}
    col_used = {x.b for x in links}
    best_col = score.argmax(axis=1)
    best_row = score.argmax(axis=0)
    for r in range(score.shape[0]):
        c = int(best_col[r])
        if r in row_used or c in col_used or int(best_row[c]) != r or score[r, c] < second:
            continue
        links.append(Link(r, c, float(score[r, c]), len(links)))
        row_used.add(r)
        col_used.add(c)
    if merged is not None:
        links.extend(_splits(score, second, merged, links, row_used, col_used))
    return sorted(links, key=lambda x: (x.a, x.b))


def _splits(
    score: Matrix,
    second: float,
    merged: MergedScore,
    links: list[Link],
    row_used: set[int],
    col_used: set[int],
) -> list[Link]:
    by_row = {x.a: x for x in links}
    by_col = {x.b: x for x in links}
    candidates: list[tuple[float, str, int, Link]] = []
    for r in range(score.shape[0]):
        c = int(score[r].argmax())
        if r not in row_used and c in by_col and score[r, c] >= second:
            candidates.append((float(score[r, c]), "a", r, by_col[c]))
    for c in range(score.shape[1]):
        r = int(score[:, c].argmax())
        if c not in col_used and r in by_row and score[r, c] >= second:
            candidates.append((float(score[r, c]), "b", c, by_row[r]))
    out: list[Link] = []
    grown: set[int] = set()
    for s, side, unit, link in sorted(candidates, key=lambda t: -t[0]):
        if link.group in grown or (unit in row_used if side == "a" else unit in col_used):
            continue
        if s < link.score - SPLIT_GAP:
            continue
        own, other = (link.a, link.b) if side == "a" else (link.b, link.a)
        if merged(side, sorted((own, unit)), other) < link.score - MERGE_SLACK:
            continue
        grown.add(link.group)
        if side == "a":
            out.append(Link(unit, link.b, s, link.group))
            row_used.add(unit)
        else:
            out.append(Link(link.a, unit, s, link.group))
            col_used.add(unit)
    return out
