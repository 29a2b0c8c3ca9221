"""The seam every story clusterer plugs into."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol, runtime_checkable


@dataclass(slots=True, frozen=True)
class ClusterDoc:
    """What a clusterer sees of an article."""

    id: str
    text: str
    title: str | None = None
    language: str | None = None
    published: datetime | None = None
    outlet: str | None = None
    # Person/place/organisation keys (marsad.entities.entity_keys); None: the clusterer finds them.
    entities: frozenset[str] | None = None
    # The keys of those named in the title and lead (`marsad.cluster.evidence.LEAD_CHARS`); None: found
    # with `entities` in the same recognizer pass, or from the lead alone when `entities` is given.
    lead_entities: frozenset[str] | None = None


@dataclass(slots=True, frozen=True)
class Assignment:
    """The decision for one document: its story, the best score seen, and whether the story is new."""

    doc_id: str
    story_id: str
    score: float
    new_story: bool
    # The developing story the story belongs to (None: the clusterer does not link storylines).
    storyline_id: str | None = None


def story_id_for(first_doc_id: str) -> str:
    """Story ids derive from the story's first article, so a replay in the same order is stable."""
    return f"s{first_doc_id[:15]}"


def storyline_id_for(first_story_id: str) -> str:
    """A storyline's id derives from its first story's id (unique, so the storyline's is too)."""
    return f"l{first_story_id[1:]}" if first_story_id.startswith("s") else f"l{first_story_id}"


class StoryClusterer(Protocol):
    """Online clusterer: documents arrive in publication order, each is assigned at once."""

    def assign(self, doc: ClusterDoc) -> Assignment:
        """Assign `doc` to an existing story or a new one, and remember it."""
        ...

    def restore(self, doc: ClusterDoc, story_id: str, storyline_id: str | None = None) -> None:
        """Re-add a document already assigned (from the store) without deciding again; `storyline_id`
        is its story's stored storyline (None: the story's own)."""
        ...


@dataclass(slots=True, frozen=True)
class ClustererState:
    """A clusterer's learned state at one point of the stream (see `marsad.cluster.snapshot`)."""

    arrivals: int  # documents the state holds (assigned or restored)
    data: dict[str, Any]


@runtime_checkable
class SnapshotClusterer(StoryClusterer, Protocol):
    """A clusterer whose state can be saved and loaded, so a writer need not replay the whole store."""

    def export_state(self) -> ClustererState:
        """The state to save; the clusterer keeps using it (do not mutate)."""
        ...

    def import_state(self, state: ClustererState) -> None:
        """Continue from `state` (exported by the same code with the same settings)."""
        ...
