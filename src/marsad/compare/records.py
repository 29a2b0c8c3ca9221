"""The records of a comparison: the `marsad compare` JSON contract, with added keys."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from marsad.compare.claims import Claim, Disagreement
from marsad.entities.records import Entity


@dataclass(slots=True, frozen=True)
class Side:
    """One side of a pair: the document, the sentence or quote text, its index in that document."""

    doc: str
    text: str
    index: int
    speaker: str | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"doc": self.doc, "text": self.text, "index": self.index}
        if self.speaker is not None:
            out["speaker"] = self.speaker
        return out


@dataclass(slots=True, frozen=True)
class Pair:
    """Two units that say the same thing: `kind` is "quote" or "sentence"; `score` in [0, 1].

    `group` numbers the alignment unit: when one outlet says in one sentence what the other says
    in two, the two pairs (one per sentence of the split) share their group.
    """

    kind: str
    a: Side
    b: Side
    score: float
    cosine: float
    lexical: float
    group: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "a": self.a.to_json(),
            "b": self.b.to_json(),
            "score": round(self.score, 4),
            "cosine": round(self.cosine, 4),
            "lexical": round(self.lexical, 4),
            "group": self.group,
        }


@dataclass(slots=True, frozen=True)
class DocumentInfo:
    """What the comparison shows about each document."""

    id: str
    title: str | None
    outlet: str | None
    published: str | None
    language: str | None
    source: str | None
    sentences: int

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "outlet": self.outlet,
            "published": self.published,
            "language": self.language,
            "source": self.source,
            "sentences": self.sentences,
        }


@dataclass(slots=True, frozen=True)
class QuoteInfo:
    """A quote as listed by the comparison."""

    doc: str
    speaker: str | None
    text: str
    verb: str | None
    speaker_key: str | None
    continuation: bool

    def to_json(self) -> dict[str, Any]:
        return {
            "doc": self.doc,
            "speaker": self.speaker,
            "text": self.text,
            "verb": self.verb,
            "speaker_key": self.speaker_key,
            "continuation": self.continuation,
        }


@dataclass(slots=True)
class Comparison:
    """Two or more documents side by side (see `marsad.compare.compare_articles`)."""

    documents: list[DocumentInfo]
    pairs: list[Pair] = field(default_factory=list)
    unique: dict[str, list[str]] = field(default_factory=dict)
    quotes: list[QuoteInfo] = field(default_factory=list)
    first_reported: str | None = None
    first_reported_basis: str = "unknown"
    agencies: dict[str, list[str]] = field(default_factory=dict)
    entities: dict[str, list[Entity]] = field(default_factory=dict)
    unique_entities: dict[str, list[str]] = field(default_factory=dict)
    story_id: str | None = None
    config: dict[str, Any] = field(default_factory=dict)
    claims: list[Claim] = field(default_factory=list)
    adds: dict[str, list[str]] = field(default_factory=dict)
    omits: dict[str, list[str]] = field(default_factory=dict)
    disagreements: list[Disagreement] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The contract shape of `marsad compare --json` (plus entities, bases and settings)."""
        return {
            "documents": [d.to_json() for d in self.documents],
            "pairs": [p.to_json() for p in self.pairs],
            "unique": {k: list(v) for k, v in self.unique.items()},
            "quotes": [q.to_json() for q in self.quotes],
            "first_reported": self.first_reported,
            "first_reported_basis": self.first_reported_basis,
            "agencies": {k: list(v) for k, v in self.agencies.items()},
            "entities": {k: [e.to_json() for e in v] for k, v in self.entities.items()},
            "unique_entities": {k: list(v) for k, v in self.unique_entities.items()},
            "story_id": self.story_id,
            "config": dict(self.config),
            "claims": [c.to_json() for c in self.claims],
            "adds": {k: list(v) for k, v in self.adds.items()},
            "omits": {k: list(v) for k, v in self.omits.items()},
            "disagreements": [d.to_json() for d in self.disagreements],
        }
