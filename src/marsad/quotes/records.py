"""The record of the quotes stage."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(slots=True, frozen=True)
class Quote:
    """A direct quote with its speech verb and speaker.

    `start`/`end` index the quoted text inside the article's `field`; a quote split around its
    attribution ("“…,” he said, “…”") is one `Quote` whose `text` joins the parts and whose span
    runs from the first part to the last. `speaker` is the display name of the speaker entity
    (or the attribution's noun phrase when no entity was found), `speaker_key` the entity key.
    `continuation` is True when the speaker was credited from an earlier sentence ("وأضاف",
    "he added", "a-t-il ajouté").
    """

    text: str
    start: int
    end: int
    speaker: str | None
    speaker_key: str | None
    verb: str | None
    continuation: bool = False
    field: str = "body"

    def to_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "speaker": self.speaker,
            "speaker_key": self.speaker_key,
            "verb": self.verb,
            "continuation": self.continuation,
            "field": self.field,
        }
