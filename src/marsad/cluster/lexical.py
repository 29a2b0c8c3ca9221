"""A lexical online clusterer: TF-IDF cosine between an article and each live story's centroid.

It needs no model, so it is the fallback when embeddings are unavailable and the baseline the
learned clusterer is measured against. IDF comes from the documents seen so far (online).
"""

from __future__ import annotations

import math
from collections import Counter, OrderedDict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from marsad.cluster.base import Assignment, ClusterDoc, ClustererState, story_id_for
from marsad.text.tokens import content_words

_PREFIXES = ("وال", "بال", "فال", "كال", "لل", "ال")


def light_stem(token: str) -> str:
    """Strip the Arabic article and its clitics (و ب ف ك ل + ال) from long enough tokens."""
    for prefix in _PREFIXES:
        if token.startswith(prefix) and len(token) - len(prefix) >= 3:
            return token[len(prefix) :]
    if token[:1] == "و" and len(token) >= 5:
        return token[1:]
    return token


@dataclass(slots=True)
class _Story:
    id: str
    centroid: Counter[str] = field(default_factory=Counter)
    # The centroid's normalized TF-IDF, computed when the story last changed (IDF of that moment),
    # so scoring a document never recomputes every live story.
    vector: dict[str, float] = field(default_factory=dict)
    last_seen: datetime | None = None


@dataclass(slots=True)
class LexicalClusterer:
    """Joins a story when cosine(doc, story centroid) >= `threshold` within `window`.

    Candidates come from an inverted index over the live stories' terms (only stories sharing one of
    the document's `probe_terms` heaviest terms are scored); the `max_live` most recently updated
    stories are live, older ones go dormant and leave the index.
    """

    threshold: float = 0.30
    window: timedelta = timedelta(days=7)
    max_live: int = 5000
    probe_terms: int = 40
    _df: Counter[str] = field(default_factory=Counter)
    _n_docs: int = 0
    _stories: dict[str, _Story] = field(default_factory=dict)
    _live: OrderedDict[str, None] = field(default_factory=OrderedDict)
    _postings: dict[str, set[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not 0.0 < self.threshold < 1.0:
            raise ValueError(f"threshold must be in (0, 1), got {self.threshold}")
        if self.max_live < 1 or self.probe_terms < 1:
            raise ValueError("max_live and probe_terms must be >= 1")

    def export_state(self) -> ClustererState:
        """What `import_state` needs to continue where this clusterer stands."""
        return ClustererState(
            self._n_docs,
            {"df": self._df, "stories": self._stories, "live": self._live, "postings": self._postings},
        )

    def import_state(self, state: ClustererState) -> None:
        """Replace this clusterer's stories with `state` (from `export_state` of the same code)."""
        self._n_docs = state.arrivals
        self._df = state.data["df"]
        self._stories = state.data["stories"]
        self._live = state.data["live"]
        self._postings = state.data["postings"]

    def _terms(self, doc: ClusterDoc) -> Counter[str]:
        # The title counts twice: it names the event.
        words = content_words(f"{doc.title or ''} {doc.title or ''} {doc.text}")
        return Counter(light_stem(w) for w in words)

    def _vector(self, terms: Counter[str]) -> dict[str, float]:
        n = self._n_docs + 1
        # Smoothed IDF (+1) so that terms shared by every document seen so far still count.
        vec = {
            t: (1 + math.log(c)) * (1 + math.log((n + 1) / (self._df.get(t, 0) + 1)))
            for t, c in terms.items()
        }
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        return {t: v / norm for t, v in vec.items()}

    def _candidates(self, vec: dict[str, float], published: datetime | None) -> list[_Story]:
        probes = sorted(vec, key=vec.__getitem__, reverse=True)[: self.probe_terms]
        ids = set().union(*(self._postings.get(t, ()) for t in probes)) if probes else set()
        stories = [self._stories[i] for i in sorted(ids)]
        if published is None:
            return stories
        return [s for s in stories if s.last_seen is None or abs(published - s.last_seen) <= self.window]

    def _unindex(self, story: _Story) -> None:
        for term in story.vector:
            bucket = self._postings.get(term)
            if bucket is not None:
                bucket.discard(story.id)
                if not bucket:
                    del self._postings[term]

    def _remember(self, doc: ClusterDoc, terms: Counter[str], story: _Story) -> None:
        self._df.update(terms.keys())
        self._n_docs += 1
        self._unindex(story)
        story.centroid.update(terms)
        story.vector = self._vector(story.centroid)
        for term in story.vector:
            self._postings.setdefault(term, set()).add(story.id)
        if doc.published is not None and (story.last_seen is None or doc.published > story.last_seen):
            story.last_seen = doc.published
        self._live[story.id] = None
        self._live.move_to_end(story.id)
        while len(self._live) > self.max_live:
            dormant, _ = self._live.popitem(last=False)
            self._unindex(self._stories[dormant])

    def assign(self, doc: ClusterDoc) -> Assignment:
        terms = self._terms(doc)
        vec = self._vector(terms)
        best, best_score = None, 0.0
        for story in self._candidates(vec, doc.published):
            score = sum(w * story.vector.get(t, 0.0) for t, w in vec.items())
            if score > best_score:
                best, best_score = story, score
        new = best is None or best_score < self.threshold
        if new or best is None:
            best = self._stories.setdefault(story_id_for(doc.id), _Story(id=story_id_for(doc.id)))
        self._remember(doc, terms, best)
        return Assignment(doc_id=doc.id, story_id=best.id, score=round(best_score, 4), new_story=new)

    def restore(self, doc: ClusterDoc, story_id: str, storyline_id: str | None = None) -> None:
        story = self._stories.setdefault(story_id, _Story(id=story_id))
        self._remember(doc, self._terms(doc), story)
