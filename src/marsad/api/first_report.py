"""Who reported a story first, on what basis, and that basis in words.

The comparison (`marsad.compare`) decides when it ran: stated publication times first, else the only
source crediting a wire agency the others do not cite, else fetch times of feed documents. Without
a comparison (a story too big to compare, or no compare module), the story's timeline decides the
same way minus the agency rule.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from marsad.api.schemas import ComparisonOut, FirstReportedBasis, TimelineEntry

_PARTIAL = "sources that state no time were not compared"
_WORDS: dict[FirstReportedBasis, str] = {
    "published": "by stated publication time",
    "agency": (
        "by agency credit: it is the only source crediting a wire agency the others do not cite,"
        " and the wire report comes first"
    ),
    "fetched": (
        "by fetch time: no source states when it was published, so this is when marsad fetched each"
        " one from its feed, not when it was written"
    ),
}
UNKNOWN_WORDS = (
    "Who reported first cannot be told: no source states its publication time, credits a wire the"
    " others lack, or was fetched from a feed at a known time."
)


@dataclass(slots=True, frozen=True)
class FirstReport:
    article_id: str | None
    basis: FirstReportedBasis | None
    note: str


def basis_code(raw: str | None) -> FirstReportedBasis | None:
    """The basis named by the comparison ("published", "published (undated ...)", "agency",
    "agency credit", "fetched"), as one code; None for "unknown" or anything else."""
    text = (raw or "").strip().lower()
    for code in ("published", "agency", "fetched"):
        if text.startswith(code):
            return code
    return None


def basis_words(basis: FirstReportedBasis | None, *, partial: bool = False) -> str:
    """The basis in words, for the story page and the API's `first_reported_note`."""
    if basis is None:
        return UNKNOWN_WORDS
    words = _WORDS[basis]
    return f"{words} ({_PARTIAL})" if partial and basis == "published" else words


def _doc_of(value: object) -> str | None:
    if isinstance(value, str) and value:
        return value
    if isinstance(value, dict):
        doc = value.get("doc") or value.get("id")
        if isinstance(doc, str) and doc:
            return doc
    return None


def from_timeline(timeline: Sequence[TimelineEntry]) -> FirstReport:
    """The earliest stated publication time, else (all fetched from feeds) the earliest fetch time;
    arrival order alone says nothing about who reported first."""
    published = [t for t in timeline if t.basis == "published" and t.at]
    if published:
        first = min(published, key=lambda t: t.at or "")
        return FirstReport(
            first.article_id, "published", basis_words("published", partial=len(published) < len(timeline))
        )
    fetched = sorted((t for t in timeline if t.basis == "fetched" and t.at), key=lambda t: t.at or "")
    if len(fetched) >= 2 and len(fetched) == len(timeline) and fetched[0].at != fetched[1].at:
        return FirstReport(fetched[0].article_id, "fetched", basis_words("fetched"))
    return FirstReport(None, None, UNKNOWN_WORDS)


def first_report(timeline: Sequence[TimelineEntry], comparison: ComparisonOut | None) -> FirstReport:
    """Who reported first: the comparison's answer when there is one, else the timeline's."""
    if comparison is None:
        return from_timeline(timeline)
    doc = _doc_of(comparison.first_reported)
    if doc is None:
        return FirstReport(None, None, UNKNOWN_WORDS)
    raw = comparison.first_reported_basis
    # A comparison that names a first reporter without a basis predates the basis field: it went
    # by publication time.
    basis = basis_code(raw) or "published"
    return FirstReport(doc, basis, basis_words(basis, partial="undated" in (raw or "")))
