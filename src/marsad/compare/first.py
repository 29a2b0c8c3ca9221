"""Who reported a story first, and on what basis: the one rule the comparison, the story page and the
API share (without a comparison, the page applies it to the story's timeline).

1. "published": the earliest stated publication time (sources stating none are not compared: the
   answer is then `partial`);
2. "agency": without stated times, the only source crediting a named wire agency the others do not
   cite (the wire copy is the earlier report);
3. "fetched": else, when every source has a fetch time (feed documents), the earliest fetched, if
   strictly earlier than the next: when marsad saw it, not when it was written, so only a fallback.
Ties on time go to the smaller article id, so the answer does not depend on the order of the sources.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

FirstBasis = Literal["published", "agency", "fetched"]
GENERIC_CREDIT = "Agencies"  # "agencies" credited without a name says nothing about who was first

# The words the comparison's JSON gives each basis (`first_reported_basis`, a stable contract).
_LABELS: dict[FirstBasis, str] = {"published": "published", "agency": "agency credit", "fetched": "fetched"}
_PARTIAL_LABEL = "published (undated documents not compared)"
UNKNOWN_LABEL = "unknown"


@dataclass(slots=True, frozen=True)
class Source:
    """What the rule reads of one source of a story."""

    article_id: str
    published: datetime | None
    agencies: tuple[str, ...] = ()
    fetched: datetime | None = None


@dataclass(slots=True, frozen=True)
class FirstReport:
    """The source that reported first (None: it cannot be told), the basis, and whether some sources
    stated no time (only for the "published" basis)."""

    article_id: str | None
    basis: FirstBasis | None
    partial: bool = False

    @property
    def label(self) -> str:
        """The basis as the comparison's JSON words it."""
        if self.basis is None:
            return UNKNOWN_LABEL
        return _PARTIAL_LABEL if self.partial and self.basis == "published" else _LABELS[self.basis]

    @classmethod
    def from_label(cls, article_id: str | None, label: str | None) -> FirstReport:
        """The report a stored comparison states as (`first_reported`, `first_reported_basis`); a
        comparison naming a source without a basis predates the field and went by publication time."""
        if article_id is None:
            return cls(None, None)
        return cls(article_id, basis_of(label) or "published", partial="undated" in (label or ""))


def basis_of(label: str | None) -> FirstBasis | None:
    """The basis a label names ("published", "published (undated ...)", "agency", "agency credit",
    "fetched"); None for "unknown" or anything else."""
    text = (label or "").strip().lower()
    if text.startswith("published"):
        return "published"
    if text.startswith("agency"):
        return "agency"
    if text.startswith("fetched"):
        return "fetched"
    return None


def _aware(when: datetime) -> datetime:
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def first_report(sources: Sequence[Source]) -> FirstReport:
    """Who of `sources` reported first (see the module docstring)."""
    dated = [(_aware(s.published), s.article_id) for s in sources if s.published is not None]
    if dated:
        return FirstReport(min(dated)[1], "published", partial=len(dated) < len(sources))
    wires = []
    for s in sources:
        own = {a for a in s.agencies if a != GENERIC_CREDIT}
        others = {a for o in sources if o is not s for a in o.agencies}
        if own and not own <= others:
            wires.append(s.article_id)
    if len(wires) == 1:
        return FirstReport(wires[0], "agency")
    seen = sorted((_aware(s.fetched), s.article_id) for s in sources if s.fetched is not None)
    if len(seen) == len(sources) and len(seen) >= 2 and seen[0][0] < seen[1][0]:
        return FirstReport(seen[0][1], "fetched")
    return FirstReport(None, None)
