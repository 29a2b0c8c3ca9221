"""Quoted spans in every quote style: “…” ”…” «…» "…" „…“ »…« and mixed pairs such as «…”.

Arabic news types the same curly mark on both sides (” داعش ”), mixes straight, curly and angle
marks (« … ”), and reverses guillemets (قائلة:»نتابع …»). So a mark's glyph is only a hint: each
mark is read as opening or closing from the characters around it (a space or a colon before and a
letter after opens; a letter before and a space or punctuation after closes), and marks pair by
nesting within one paragraph. A span never crosses a line break.

With `recover=True`, a mark left without its pair still gives a quote, as the annotation of real
news does: an opener never closed runs to the end of its sentence (or of its paragraph when the next
paragraph reopens the quote, the multi-paragraph convention); a closer never opened starts after the
nearest complementiser (إن / أن / وأنه) or colon of its sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_MARKS = frozenset('"“”„‟＂«»')
_OPENING_GLYPHS = frozenset("«„")
_CLOSING_GLYPHS = frozenset("»")
_OPEN_BEFORE = frozenset(" \t([{:،,؛;-–—/\u200f\u200e")
_CLOSE_AFTER = frozenset(" \t.,،:؛;!?؟)]}…-–—/\u200f\u200e")
MAX_QUOTE_CHARS = 3000
_SENTENCE_END = re.compile(r"[.!?؟](?=\s|$)|\.\.")
_OPENER_CUE = re.compile(r"(?:^|[\s:])(?:[وف]?(?:إن|أن|ان|بأن|بان)(?:ه|ها)?|:)\s*$")


@dataclass(slots=True, frozen=True)
class QuotedSpan:
    """Text between quote marks: `start`/`end` index the inner text (marks excluded). `missing` is
    "" for a closed pair, "close" or "open" for a span recovered from a mark without its pair."""

    start: int
    end: int
    open_mark: str
    missing: str = ""


def _side(text: str, i: int) -> str:
    """'O' (opens), 'C' (closes) or 'A' (either) for the mark at `i`, from its neighbours."""
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    ch = text[i]
    if ch in "«»" and not before.isalnum() and not after.isalnum() and (before.isspace() or after.isspace()):
        return "O" if ch == "«" else "C"  # French spacing: « nous sommes là »
    # لـ«, بـ«, و«: a one-letter clitic glued to the mark opens it.
    clitic = before in "ـ" or (
        before in "وبلفك" and (i < 2 or not text[i - 2].isalnum() or text[i - 2] == "ـ")
    )
    opens = (before in _OPEN_BEFORE or before == "\n" or clitic or before in _MARKS) and not after.isspace()
    closes = (after in _CLOSE_AFTER or after == "\n" or after in _MARKS) and not before.isspace()
    if before.isspace() and after in ".،,:؛;!?؟":
        opens, closes = False, True  # " نحن هنا ". : spaced straight marks
    if before == ":":
        opens, closes = True, False
    if before.isalnum() and not clitic:
        opens = False
    if after.isalnum():
        closes = False
    if opens and not closes:
        return "O"
    if closes and not opens:
        return "C"
    return "O" if ch in _OPENING_GLYPHS else "C" if ch in _CLOSING_GLYPHS else "A"


def find_quoted_spans(text: str, *, recover: bool = False) -> list[QuotedSpan]:
    """Every quoted span of `text`, in order (nested spans included); unpaired marks are ignored
    unless `recover` is set (see the module docstring)."""
    spans: list[QuotedSpan] = []
    pos = 0
    for line in text.split("\n"):
        spans.extend(_line_spans(text, pos, pos + len(line), recover))
        pos += len(line) + 1
    spans = [s for s in (_trim(text, s) for s in spans) if s.end > s.start]
    spans.sort(key=lambda s: (s.start, -s.end))
    return spans


def _line_spans(text: str, lo: int, hi: int, recover: bool) -> list[QuotedSpan]:
    out: list[QuotedSpan] = []
    stack: list[int] = []
    orphans: list[int] = []
    for i in range(lo, hi):
        if text[i] not in _MARKS:
            continue
        side = _side(text, i)
        if side == "O" or (side == "A" and not stack):
            stack.append(i)
            continue
        if not stack:
            orphans.append(i)
            continue
        j = stack.pop()
        if i - j <= MAX_QUOTE_CHARS:
            out.append(QuotedSpan(j + 1, i, text[j]))
    if recover:
        for j in stack:
            out.append(QuotedSpan(j + 1, _open_end(text, j + 1, hi), text[j], "close"))
        for i in orphans:
            start = _closer_start(text, lo, i, out)
            if start is not None:
                out.append(QuotedSpan(start, i, "", "open"))
    return out


def _open_end(text: str, start: int, hi: int) -> int:
    """Where a quote opened at `start` and never closed ends: its sentence, or its paragraph when
    the next paragraph reopens a quote."""
    nxt = text[hi + 1 : hi + 3].lstrip()
    if nxt[:1] in _MARKS:
        return hi
    m = _SENTENCE_END.search(text, start, hi)
    return m.end() if m else hi


def _closer_start(text: str, lo: int, i: int, spans: list[QuotedSpan]) -> int | None:
    """Where a quote closed at `i` but never opened starts: after the last complementiser or colon
    of its sentence that is not inside another span."""
    floor = max([lo] + [s.end + 1 for s in spans if s.end <= i])
    sent = floor
    for m in _SENTENCE_END.finditer(text, floor, i):
        sent = m.end()
    best = None
    for m in re.finditer(r"(?:إن|أن|ان|بأن|وأنه|وانه|أنه|انه|:)(?=\s)", text[sent:i]):
        before = text[sent + m.start() - 1] if sent + m.start() > 0 else " "
        if before.isalnum() and m.group(0) != ":":
            continue
        best = sent + m.end()
    if best is None or len(text[best:i].split()) < 3:
        return None
    return best


def _trim(text: str, span: QuotedSpan) -> QuotedSpan:
    start, end = span.start, span.end
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return QuotedSpan(start, end, span.open_mark, span.missing)
