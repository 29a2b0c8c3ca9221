"""The online same-event clusterer: embeddings, several signals, a learned join decision.

For each arriving document: embed its views, fetch the `candidates` nearest live stories in the
time window from the centroid index, score the document against each candidate's recent members
with the learned pair model (P(same event) from embedding, lexical, number, name, language and
outlet signals), aggregate per story as (max + mean) / 2, and join the best story when that reaches
the calibrated threshold; otherwise start a new story whose id derives from the document's id.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

import numpy as np
import numpy.typing as npt

from marsad.cluster.base import Assignment, ClusterDoc, story_id_for
from marsad.cluster.features import DocSignals, doc_signals, pair_features
from marsad.cluster.index import UNDATED, StoryIndex
from marsad.cluster.model import ClusterModel, load_model
from marsad.embed.base import Embedder
from marsad.embed.views import DocVectors, ViewConfig, embed_documents


@dataclass(slots=True)
class _LiveStory:
    id: str
    members: deque[DocSignals]
    centroid_sum: npt.NDArray[np.float32]
    size: int = 0
    day: int = UNDATED


@dataclass(slots=True, frozen=True)
class ClustererSettings:
    """Knobs of the online clusterer; the join threshold defaults to the calibrated one in model.json."""

    window_days: int = 7
    candidates: int = 8
    max_members: int = 12
    threshold: float | None = None

    def __post_init__(self) -> None:
        if self.window_days < 0:
            raise ValueError(f"window_days must be >= 0, got {self.window_days}")
        if self.candidates < 1 or self.max_members < 1:
            raise ValueError("candidates and max_members must be >= 1")
        if self.threshold is not None and not 0.0 < self.threshold < 1.0:
            raise ValueError(f"threshold must be in (0, 1), got {self.threshold}")


def _day(published: datetime | None) -> int | None:
    if published is None:
        return None
    if published.tzinfo is None:
        published = published.replace(tzinfo=UTC)
    return int(published.timestamp() // 86400)


@dataclass(slots=True)
class EmbeddingClusterer:
    """A `StoryClusterer` over multilingual embeddings and a learned pair model."""

    embedder: Embedder
    settings: ClustererSettings = field(default_factory=ClustererSettings)
    model: ClusterModel = field(default_factory=load_model)
    views: ViewConfig = field(default_factory=ViewConfig)
    _stories: dict[str, _LiveStory] = field(default_factory=dict)
    _index: StoryIndex | None = None

    @property
    def threshold(self) -> float:
        return self.settings.threshold if self.settings.threshold is not None else self.model.join_threshold

    def __len__(self) -> int:
        return len(self._stories)

    def embed(self, docs: Sequence[ClusterDoc]) -> list[DocVectors]:
        """Embedded views of `docs`, in one batch."""
        return embed_documents(self.embedder, [(d.title, d.text) for d in docs], self.views)

    def signals(self, docs: Sequence[ClusterDoc]) -> list[DocSignals]:
        """Per-document signals (embedding included), for `assign_signals` / `restore_signals`."""
        return [doc_signals(d, v) for d, v in zip(docs, self.embed(docs), strict=True)]

    def assign(self, doc: ClusterDoc) -> Assignment:
        return self.assign_signals(self.signals([doc])[0])

    def restore(self, doc: ClusterDoc, story_id: str) -> None:
        self.restore_signals(self.signals([doc])[0], story_id)

    def scores(self, sig: DocSignals) -> list[tuple[str, float]]:
        """(story id, join score) for the candidate stories of `sig`, best first."""
        day = _day(sig.published)
        index = self._index
        if index is None:
            return []
        query = (sig.vectors.head + sig.vectors.body).astype(np.float32)
        found = index.search(query, day, self.settings.candidates)
        if not found:
            return []
        stories = [self._stories[sid] for sid, _ in found]
        members = [m for s in stories for m in s.members]
        probs = self.model.join.predict(np.stack([pair_features(sig, m) for m in members]))
        out = []
        start = 0
        for story in stories:
            p = probs[start : start + len(story.members)]
            start += len(story.members)
            out.append((story.id, float(p.max() + p.mean()) / 2.0))
        out.sort(key=lambda item: -item[1])
        return out

    def assign_signals(self, sig: DocSignals) -> Assignment:
        """Assign an already-embedded document (see `signals`) to a story and remember it."""
        ranked = self.scores(sig)
        best_id, best = ranked[0] if ranked else (None, 0.0)
        if best_id is not None and best >= self.threshold:
            self._add(sig, best_id)
            return Assignment(doc_id=sig.id, story_id=best_id, score=round(best, 4), new_story=False)
        story_id = self._new_story_id(sig.id)
        self._add(sig, story_id)
        return Assignment(doc_id=sig.id, story_id=story_id, score=round(best, 4), new_story=True)

    def restore_signals(self, sig: DocSignals, story_id: str) -> None:
        """Re-add a document already assigned to `story_id` without deciding again."""
        self._add(sig, story_id)

    def _new_story_id(self, doc_id: str) -> str:
        base = story_id_for(doc_id)
        if base not in self._stories:
            return base
        # Two ids sharing their first 15 characters: disambiguate deterministically (same replay order).
        n = 2
        while f"{base}-{n}" in self._stories:
            n += 1
        return f"{base}-{n}"

    def _add(self, sig: DocSignals, story_id: str) -> None:
        day = _day(sig.published)
        story = self._stories.get(story_id)
        vec = (sig.vectors.head + sig.vectors.body).astype(np.float32)
        if story is None:
            story = _LiveStory(story_id, deque(maxlen=self.settings.max_members), np.zeros_like(vec))
            self._stories[story_id] = story
        story.members.append(sig)
        story.centroid_sum += vec
        story.size += 1
        if day is not None:
            story.day = max(story.day, day)
        if self._index is None:
            self._index = StoryIndex(dim=vec.shape[0], window_days=self.settings.window_days)
        norm = float(np.linalg.norm(story.centroid_sum))
        self._index.upsert(story_id, story.centroid_sum / max(norm, 1e-12), story.day)
