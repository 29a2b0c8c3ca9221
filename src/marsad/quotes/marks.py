"""Quoted spans in every quote style: “…” ”…” «…» "…" „…“ and the Arabic-specific pairs.

Arabic news often types the same curly mark on both sides (” داعش ”) or mixes straight and curly
marks, so the double-quote family (“ ” " „ ‟ ＂) is treated as one toggling mark; guillemets
(« » and the reversed » «) pair by direction; ﴾ ﴿ (and ﴿ ﴾) pair too. A span never crosses a
paragraph (a blank line or a newline).
"""

from __future__ import annotations

from dataclasses import dataclass

_TOGGLE = frozenset('"“”„‟＂')
_GUILLEMETS = {"«": "»", "﴾": "﴿", "﴿": "﴾", "‹": "›"}
MAX_QUOTE_CHARS = 3000


@dataclass(slots=True, frozen=True)
class QuotedSpan:
    """Text between quote marks: `start`/`end` index the inner text (marks excluded)."""

    start: int
    end: int
    open_mark: str


def find_quoted_spans(text: str) -> list[QuotedSpan]:
    """Every quoted span of `text`, in order; unclosed marks are ignored."""
    spans: list[QuotedSpan] = []
    open_at: int | None = None
    open_mark = ""
    close_mark = ""
    for i, ch in enumerate(text):
        if ch == "\n":
            open_at = None
            continue
        if open_at is None:
            if ch in _TOGGLE:
                open_at, open_mark, close_mark = i, ch, ""
            elif ch in _GUILLEMETS:
                open_at, open_mark, close_mark = i, ch, _GUILLEMETS[ch]
            elif ch == "»" and "«" in text[i + 1 : i + MAX_QUOTE_CHARS] and _reversed_pair(text, i):
                open_at, open_mark, close_mark = i, ch, "«"
            continue
        closes = ch == close_mark if close_mark else ch in _TOGGLE
        if closes:
            if i - open_at - 1 > 0 and i - open_at <= MAX_QUOTE_CHARS:
                spans.append(QuotedSpan(start=open_at + 1, end=i, open_mark=open_mark))
            open_at = None
    return [s for s in (_trim(text, s) for s in spans) if s.end > s.start]


def _reversed_pair(text: str, i: int) -> bool:
    """»…« (right-to-left typed guillemets) when the next « comes before any other »."""
    nxt_close = text.find("«", i + 1)
    nxt_open = text.find("»", i + 1)
    return nxt_close != -1 and (nxt_open == -1 or nxt_close < nxt_open)


def _trim(text: str, span: QuotedSpan) -> QuotedSpan:
    start, end = span.start, span.end
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return QuotedSpan(start=start, end=end, open_mark=span.open_mark)
