"""Reading "token TAG" corpora (ANERcorp's format) and scoring tagged spans, strict and overlap.

Strict: a predicted span counts when a gold span has the same first token, last token and type.
Overlap: it counts when it shares a token and the type with a gold span (each gold span is
matched once). Micro figures are over the types asked for (persons, places, organisations).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

SENTENCE_ENDS = frozenset({".", "!", "?", "؟"})
TYPES = ("PERS", "LOC", "ORG")


def read_bio(path: Path) -> list[tuple[str, str]]:
    """(token, tag) pairs of a "token TAG" file; lines without a token are skipped and a glued line
    (". Oالإصابة O" in ANERcorp) is split back into its two pairs."""
    pairs: list[tuple[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1][:1] == "O" and len(parts[1]) > 1:
            parts = [parts[0], "O", parts[1][1:], parts[2]]
        for k in range(0, len(parts) - 1, 2):
            tok, tag = parts[k], parts[k + 1]
            if tag != "O" and not tag.startswith(("B-", "I-")):
                tag = "O"
            pairs.append((tok, tag))
    return pairs


def sentences(pairs: Sequence[tuple[str, str]], max_len: int = 120) -> list[list[tuple[str, str]]]:
    """Sentences cut after each end mark (the corpus has no other breaks), at most `max_len` tokens."""
    out: list[list[tuple[str, str]]] = []
    cur: list[tuple[str, str]] = []
    for tok, tag in pairs:
        cur.append((tok, tag))
        if tok in SENTENCE_ENDS or (len(cur) >= max_len and not tag.startswith("I-")):
            out.append(cur)
            cur = []
    if cur:
        out.append(cur)
    return out


def spans(tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """(first, last, type) of each entity in a BIO sequence (an I- after O or another type opens one)."""
    out: list[tuple[int, int, str]] = []
    start, kind = -1, ""
    for i, tag in enumerate([*tags, "O"]):
        inside = tag.startswith("I-") and tag[2:] == kind and start >= 0
        if inside:
            continue
        if start >= 0:
            out.append((start, i - 1, kind))
            start, kind = -1, ""
        if tag != "O":
            start, kind = i, tag[2:]
    return out


@dataclass(slots=True)
class Counts:
    """Matched, predicted and gold span counts for one type."""

    tp: int = 0
    pred: int = 0
    gold: int = 0

    def prf(self) -> tuple[float, float, float]:
        p = self.tp / self.pred if self.pred else 0.0
        r = self.tp / self.gold if self.gold else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)


@dataclass(slots=True)
class SpanScore:
    """Strict and overlap counts per type, over any number of sentences."""

    strict: dict[str, Counts] = field(default_factory=dict)
    overlap: dict[str, Counts] = field(default_factory=dict)

    def add(self, gold: Sequence[str], pred: Sequence[str]) -> None:
        self.add_spans(spans(gold), spans(pred))

    def add_spans(self, gold: Iterable[tuple[int, int, str]], pred: Iterable[tuple[int, int, str]]) -> None:
        gold_l, pred_l = list(gold), list(pred)
        gold_set = set(gold_l)
        used: set[tuple[int, int, str]] = set()
        for table in (self.strict, self.overlap):
            for _, _, kind in gold_l:
                table.setdefault(kind, Counts()).gold += 1
            for _, _, kind in pred_l:
                table.setdefault(kind, Counts()).pred += 1
        for p in pred_l:
            if p in gold_set:
                self.strict[p[2]].tp += 1
            match = next(
                (g for g in gold_l if g[2] == p[2] and g not in used and g[0] <= p[1] and p[0] <= g[1]), None
            )
            if match is not None:
                used.add(match)
                self.overlap[p[2]].tp += 1

    def merge(self, other: SpanScore) -> None:
        """Add `other`'s counts to these."""
        for mine, theirs in ((self.strict, other.strict), (self.overlap, other.overlap)):
            for kind, c in theirs.items():
                got = mine.setdefault(kind, Counts())
                got.tp, got.pred, got.gold = got.tp + c.tp, got.pred + c.pred, got.gold + c.gold

    def micro(self, table: dict[str, Counts], types: Sequence[str] = TYPES) -> Counts:
        total = Counts()
        for t in types:
            c = table.get(t, Counts())
            total.tp, total.pred, total.gold = total.tp + c.tp, total.pred + c.pred, total.gold + c.gold
        return total

    def report(self, types: Sequence[str] = TYPES) -> str:
        """A table: per type and micro, P/R/F1 strict and overlap."""
        lines = [f"{'type':6} {'gold':>5} {'P':>6} {'R':>6} {'F1':>6}   {'P~':>6} {'R~':>6} {'F1~':>6}"]
        for t in [*types, "micro"]:
            s = self.micro(self.strict, types) if t == "micro" else self.strict.get(t, Counts())
            o = self.micro(self.overlap, types) if t == "micro" else self.overlap.get(t, Counts())
            sp, sr, sf = s.prf()
            op, orr, of = o.prf()
            lines.append(f"{t:6} {s.gold:5d} {sp:6.3f} {sr:6.3f} {sf:6.3f}   {op:6.3f} {orr:6.3f} {of:6.3f}")
        return "\n".join(lines)

    def f1(self, kind: str = "micro") -> float:
        c = self.micro(self.strict) if kind == "micro" else self.strict.get(kind, Counts())
        return c.prf()[2]
