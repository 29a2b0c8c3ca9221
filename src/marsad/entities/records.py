"""The records of the entities stage: one `Mention` per occurrence, one `Entity` per referent."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True, frozen=True)
class Mention:
    """One occurrence of a named person, place, organisation or agency in an article.

    `start`/`end` index the article's `field` ("title" or "body") as stored. `key` is shared by
    every mention of one referent across spellings, articles and scripts ("per:LFRF",
    "geo:172955", "org:ISIS", "agency:TASS"); `name` is its display name. `rule` says what found
    it: gazetteer, title (a role or title before the name), speech (subject of a speech verb),
    alias (another spelling of a name found in the same article or story), role (a reference
    such as "الوزير الروسي" resolved to a person).
    """

    text: str
    start: int
    end: int
    kind: str
    key: str
    name: str
    rule: str
    field: str = "body"
    role: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "kind": self.kind,
            "key": self.key,
            "name": self.name,
            "rule": self.rule,
            "field": self.field,
            "role": self.role,
        }


@dataclass(slots=True)
class Entity:
    """A referent with all its mentions' spellings: what a story or an article knows about it."""

    key: str
    name: str
    kind: str
    count: int = 0
    aliases: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "name": self.name,
            "kind": self.kind,
            "count": self.count,
            "aliases": list(self.aliases),
            "roles": list(self.roles),
        }


@dataclass(slots=True, frozen=True)
class KnownPerson:
    """A person found elsewhere (another article of the story, the store): cross-document evidence."""

    name: str
    role: str | None = None
