"""Who reported a story first, on what basis, and that basis in words.

One rule decides, `marsad.compare.first`: stated publication times first, else the only source
crediting a wire agency the others do not cite, else fetch times of feed documents. The comparison
applies it when it ran (its answer is read back, typed, from its JSON); without a comparison (a story
too big to compare) the rule reads the story's timeline, which carries no agency credits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from marsad.api.schemas import ComparisonOut, FirstReportedBasis, TimelineEntry
from marsad.compare import first as rule

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
class FirstReported:
    """`marsad.compare.first.FirstReport` with its basis in words, as the story page shows it."""

    article_id: str | None
    basis: FirstReportedBasis | None
    note: str


def basis_code(raw: str | None) -> FirstReportedBasis | None:
    """The basis named by the comparison ("published", "published (undated ...)", "agency",
    "agency credit", "fetched"), as one code; None for "unknown" or anything else."""
    return rule.basis_of(raw)


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


def _time(at: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(at) if at else None
    except ValueError:  # not a time this store writes: the entry states none
        return None


def from_timeline(timeline: Sequence[TimelineEntry]) -> rule.FirstReport:
    """The rule of `marsad.compare.first` over the story's timeline: stated publication times, else
    (all fetched from feeds) fetch times; the timeline carries no agency credits, and arrival order
    alone says nothing about who reported first."""
    return rule.first_report(
        [
            rule.Source(
                t.article_id,
                _time(t.at) if t.basis == "published" else None,
                fetched=_time(t.at) if t.basis == "fetched" else None,
            )
            for t in timeline
        ]
    )


def first_report(timeline: Sequence[TimelineEntry], comparison: ComparisonOut | None) -> FirstReported:
    """Who reported first: the comparison's answer when there is one, else the timeline's."""
    if comparison is None:
        found = from_timeline(timeline)
    else:
        found = rule.FirstReport.from_label(
            _doc_of(comparison.first_reported), comparison.first_reported_basis
        )
    return FirstReported(found.article_id, found.basis, basis_words(found.basis, partial=found.partial))
