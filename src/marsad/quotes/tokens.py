"""Folded tokens of an Arabic text with their offsets, sentence bounds and speech words.

Shared by quote detection (`marsad.quotes.arabic`) and speaker ranking (`marsad.quotes.speakers`):
a token is a run of letters or digits of the folded text (`lexicon.fold`, same offsets as the
original), and the characters inside quote spans are known so that attribution reads only the
reporter's words.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from functools import lru_cache

from marsad.quotes.lexicon import PARTICIPLES, TATWEEL, VERBS, WORD, fold
from marsad.quotes.marks import QuotedSpan

_BOUNDARY = frozenset(".!?\n")


def bare(word: str) -> str:
    """A folded word without the conjunction و/ف (وقال -> قال), when what stays is a known word."""
    return word[1:] if word[:1] in "وف" and len(word) > 3 else word


@lru_cache(maxsize=65536)
def speech_kind(norm: str) -> str | None:
    """'verb', 'participle' or None for a folded token."""
    for w in (norm, bare(norm)):
        if w in PARTICIPLES:
            return "participle"
        if w in VERBS:
            return "verb"
    return None


@lru_cache(maxsize=4096)
def feminine(norm: str) -> bool | None:
    """The gender a speech word gives its subject: True for قالت / تقول / مضيفة, False for the
    masculine forms, None when the word does not say (قوله, بالقول) or is not a speech word."""
    w = bare(norm)
    if w in VERBS:
        if w.endswith("ت") and w[:-1] in VERBS:
            return True
        if w.startswith("ت") and "ي" + w[1:] in VERBS:
            return True
        return None if w.endswith(("وا", "ا")) else False
    if w in PARTICIPLES:
        if w.endswith("ه") and w[:-1] + "ا" in PARTICIPLES:
            return True
        if w.endswith("ا") and len(w) > 3:
            return False
    return None


class TokenizedText:
    """Folded tokens of one text with offsets, and which characters lie inside quote spans."""

    def __init__(self, text: str, spans: Sequence[QuotedSpan]) -> None:
        self.text = text
        folded = fold(text)
        self.norms: list[str] = []
        self.starts: list[int] = []
        self.ends: list[int] = []
        for m in WORD.finditer(folded):
            self.norms.append(m.group(0).replace(TATWEEL, ""))
            self.starts.append(m.start())
            self.ends.append(m.end())
        self.spans = sorted((s.start, s.end) for s in spans)
        self._span_starts = [s for s, _ in self.spans]
        # Cumulative coverage: position p is inside a span when some span starting at or before p
        # ends after it; the running maximum of the ends answers that in one bisect.
        self._reach: list[int] = []
        reach = -1
        for _, e in self.spans:
            reach = max(reach, e)
            self._reach.append(reach)
        self._inside_token = [self.inside(s) for s in self.starts]

    def inside(self, pos: int) -> bool:
        k = bisect.bisect_right(self._span_starts, pos) - 1
        return k >= 0 and pos < self._reach[k]

    def token_inside(self, k: int) -> bool:
        return self._inside_token[k]

    def first_token(self, pos: int) -> int:
        return bisect.bisect_left(self.starts, pos)

    def sentence_start(self, pos: int) -> int:
        """Start of the sentence holding `pos`; boundaries inside quotes do not count, except a
        quote ending with a full stop (… بأكملها.” وأضاف)."""
        text = self.text
        i = pos - 1
        while i > 0:
            ch = text[i]
            if ch == "\n":
                return i + 1
            if (
                ch in _BOUNDARY
                and (i + 1 >= len(text) or text[i + 1] in " \n\u00a0\"”»«“'")
                and not self.inside(i)
            ) and (ch != "." or not text[i - 1 : i].isdigit()):
                return i + 1
            i -= 1
        return 0

    def sentence_end(self, pos: int) -> int:
        text = self.text
        for i in range(pos, min(len(text), pos + 600)):
            ch = text[i]
            if ch == "\n" or (ch in _BOUNDARY and not self.inside(i)):
                return i
        return min(len(text), pos + 600)

    def outside(self, lo: int, hi: int) -> list[int]:
        """Indices of the tokens in [lo, hi) that are not inside a quote span."""
        a, b = self.first_token(lo), self.first_token(hi)
        return [k for k in range(a, b) if self.ends[k] <= hi and not self._inside_token[k]]
