"""The small typed records that flow between stages.

Raw input is kept as bytes in `RawDocument` and never overwritten; every later record points back
to it by id.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(slots=True, frozen=True)
class RawDocument:
    """One document as it came in: bytes plus where they came from.

    `id` is the content hash (see `marsad.ingest.content_id`), so ingesting the same bytes twice
    yields the same id. `hint` tells the extractor what the bytes are ("text", "html", "record" for a
    JSONL/JSON record already split into fields).
    """

    id: str
    source: str
    content: bytes
    hint: str
    url: str | None = None
    outlet: str | None = None
    fetched_at: datetime | None = None
    fields: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True, frozen=True)
class Comment:
    """A reader comment: 1-based `index` in page order, `parent` the index it replies to."""

    index: int
    parent: int | None
    text: str
    author: str | None = None


@dataclass(slots=True, frozen=True)
class Article:
    """The article extracted from a `RawDocument`: the JSON contract of `marsad extract`."""

    id: str
    url: str | None
    outlet: str | None
    title: str | None
    body: str
    paragraphs: tuple[str, ...]
    published: datetime | None
    language: str | None
    agencies: tuple[str, ...] = ()
    comments: tuple[Comment, ...] = ()
    comments_stated: int | None = None
    boilerplate: tuple[str, ...] = ()
    source: str | None = None
    # What extraction did beyond the plain reading (charset overridden, mojibake repaired, text
    # recovered that the main extractor dropped), one line each.
    notes: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """The contract shape: plain JSON types, dates as ISO 8601."""
        return {
            "id": self.id,
            "url": self.url,
            "outlet": self.outlet,
            "title": self.title,
            "body": self.body,
            "paragraphs": list(self.paragraphs),
            "published": self.published.isoformat() if self.published else None,
            "language": self.language,
            "agencies": list(self.agencies),
            "comments": [
                {"index": c.index, "parent": c.parent, "text": c.text, "author": c.author}
                for c in self.comments
            ],
            "comments_stated": self.comments_stated,
            "boilerplate": list(self.boilerplate),
            "source": self.source,
            "notes": list(self.notes),
        }


@dataclass(slots=True, frozen=True)
class Rejected:
    """A record a stage could not take, kept with the reason instead of being dropped."""

    stage: str
    code: str
    record_id: str
    detail: str


@dataclass(slots=True)
class Story:
    """One real-world event: the articles that report it, in arrival order."""

    id: str
    article_ids: list[str] = field(default_factory=list)
    title: str | None = None
    first_published: datetime | None = None
    last_published: datetime | None = None
