"""The online same-event clusterer: embeddings, several signals, a learned join decision.

For each arriving document: embed its views, fetch the `candidates` nearest live stories in the
time window from the centroid index, score the document against each candidate's recent members
with the learned pair model (P(same event) from embedding, lexical, number, name, entity, language and
outlet signals), aggregate per story as the mean of its members' mean and their minimum (`linkage`:
(mean + min) / 2 beat the mean in grouped 2-fold CV over three arrival orders, +0.015 Arabic pairwise
F1 in every order, MMDS flat; the mean beat (max + mean) / 2, max and top-2), and join the best story
when that reaches the calibrated threshold; otherwise start a new story whose id derives from the
document's id.

Storylines (a second level: the events of one developing story, over days): a new story joins the
storyline of the candidate story whose best member reaches the storyline head's threshold (a looser
view: embedding cosines and shared entities, within the same time window); otherwise it starts its
own storyline. A story keeps the storyline it got at birth, so storyline ids are stable.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import numpy as np
import numpy.typing as npt

from marsad.cluster.base import Assignment, ClusterDoc, ClustererState, story_id_for, storyline_id_for
from marsad.cluster.evidence import numbers_conflict
from marsad.cluster.features import (
    FEATURE_NAMES,
    DocSignals,
    MemberStack,
    concat_stacks,
    doc_signals,
    stack_features,
    stack_members,
    storyline_inputs,
    wire_copy,
)
from marsad.cluster.index import UNDATED, StoryIndex
from marsad.cluster.model import ClusterModel, load_model
from marsad.cluster.slots import actors_conflict
from marsad.embed.base import Embedder
from marsad.embed.views import DocVectors, ViewConfig, embed_documents

# Retiring old stories only pays on long streams; below this many live stories, keep them all, so
# a small corpus ingested out of date order still finds its old stories.
_RETIRE_MIN_LIVE = 20_000
_CHUNK_MAX = FEATURE_NAMES.index("chunk_max")
_COPY_CHUNK_COS = 0.9  # a copy shares at least one near-identical chunk


LINKAGES = ("maxmean", "max", "mean", "top2", "min", "meanmin")
_controller: Any = None


def _one_blas_thread() -> AbstractContextManager[Any]:
    """BLAS limited to one thread: the clusterer's products are small, and on a busy 2-core machine
    OpenBLAS's thread hand-offs cost more than they save (3x on a 3,000-row scan)."""
    global _controller
    if _controller is None:
        try:
            from threadpoolctl import ThreadpoolController  # type: ignore[import-untyped]

            _controller = ThreadpoolController()
        except ImportError:
            _controller = False
    if _controller is False:
        return nullcontext()
    limited: AbstractContextManager[Any] = _controller.limit(limits=1, user_api="blas")
    return limited


def _linkage(
    kind: str, probs: npt.NDArray[np.float64], starts: npt.NDArray[np.int64], sizes: npt.NDArray[np.int64]
) -> npt.NDArray[np.float64]:
    """Per-story score from the member probabilities laid out story after story."""
    best: npt.NDArray[np.float64] = np.maximum.reduceat(probs, starts)
    if kind == "max":
        return best
    mean: npt.NDArray[np.float64] = np.add.reduceat(probs, starts) / sizes
    if kind == "mean":
        return mean
    if kind in ("min", "meanmin"):
        low: npt.NDArray[np.float64] = np.minimum.reduceat(probs, starts)
        return low if kind == "min" else (np.add.reduceat(probs, starts) / sizes + low) / 2.0
    if kind == "top2":
        second = np.array(
            [np.sort(probs[a : a + n])[-2] if n > 1 else probs[a] for a, n in zip(starts, sizes, strict=True)]
        )
        top2: npt.NDArray[np.float64] = (best + second) / 2.0
        return top2
    out: npt.NDArray[np.float64] = (best + mean) / 2.0
    return out


@dataclass(slots=True)
class _LiveStory:
    id: str
    members: deque[DocSignals]
    centroid_sum: npt.NDArray[np.float32]
    size: int = 0
    day: int = UNDATED
    storyline: str = ""
    stack: MemberStack | None = None  # members stacked for scoring; rebuilt after a join
    # Ids of the oldest members, not read yet (a story restored from a snapshot): they come before
    # `members`, and are read from the store when the story is first needed (`EmbeddingClusterer._load`).
    unread: tuple[str, ...] = ()

    def stacked(self) -> MemberStack:
        if self.stack is None:
            self.stack = stack_members(list(self.members))
        return self.stack


@dataclass(slots=True, frozen=True)
class _StoredStory:
    """A live story as a snapshot keeps it: its members by article id (their signals are made again
    from the store's articles and embedding cache), not their vectors."""

    id: str
    member_ids: tuple[str, ...]
    centroid_sum: npt.NDArray[np.float32]
    size: int
    day: int
    storyline: str


# Reads the signals of stored articles by id (in that order, leaving out any not stored): see
# `marsad.pipeline.stored_signals`.
SignalLoader = Callable[[Sequence[str]], list[DocSignals]]


@dataclass(slots=True, frozen=True)
class ColdPart:
    """The reference a snapshot's warm part keeps to its cold part (`EmbeddingClusterer.export_split`):
    the stored part's id and signature, its days and its number of stories."""

    id: str
    signature: bytes
    days: frozenset[int]
    stories: int

    @property
    def last_day(self) -> int:
        return max(self.days, default=UNDATED)


# A snapshot's warm part holds the stories of this many time windows before the newest day.
_WARM_WINDOWS = 2


@dataclass(slots=True, frozen=True)
class ClustererSettings:
    """Knobs of the online clusterer; the join threshold defaults to the calibrated one in model.json."""

    window_days: int = 7
    candidates: int = 8
    max_members: int = 12
    threshold: float | None = None
    retire_after_days: int = 30
    # story score from its members' P(same): "meanmin" = (mean + min) / 2, "maxmean", "max", "mean",
    # "top2", "min"
    linkage: str = "meanmin"
    storyline_threshold: float | None = None  # None: the calibrated one in model.json
    storylines: bool = True  # link new stories into storylines (when the model has a storyline head)

    def __post_init__(self) -> None:
        if self.window_days < 0:
            raise ValueError(f"window_days must be >= 0, got {self.window_days}")
        if self.candidates < 1 or self.max_members < 1:
            raise ValueError("candidates and max_members must be >= 1")
        if self.linkage not in LINKAGES:
            raise ValueError(f"linkage must be one of {LINKAGES}, got {self.linkage!r}")
        if self.retire_after_days < 0:
            raise ValueError(f"retire_after_days must be >= 0, got {self.retire_after_days}")
        for name, value in (("threshold", self.threshold), ("storyline_threshold", self.storyline_threshold)):
            if value is not None and not 0.0 < value < 1.0:
                raise ValueError(f"{name} must be in (0, 1), got {value}")


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
    _retired: set[str] = field(default_factory=set)  # ids of stories dropped from memory
    _newest_day: int = UNDATED
    _arrivals: int = 0  # documents added, by assignment or restore
    # Reads the members of stories restored from a snapshot; set by the writer that restores it.
    loader: SignalLoader | None = None
    # The unread cold part of a split snapshot (`export_split`) and how to read it; `cold_may_hold`
    # tells whether a story id was stored when the snapshot was made (no: the cold part cannot hold
    # it; yes: the snapshot's clusterer held it, live or retired, so a new story cannot take it; a
    # split snapshot keeps no retired ids). Without it, any story id not in memory reads the cold part.
    _cold: ColdPart | None = None
    cold_reader: Callable[[ColdPart], ClustererState] | None = None
    cold_may_hold: Callable[[str], bool] | None = None

    @property
    def threshold(self) -> float:
        return self.settings.threshold if self.settings.threshold is not None else self.model.join_threshold

    @property
    def storyline_threshold(self) -> float:
        chosen = self.settings.storyline_threshold
        return chosen if chosen is not None else self.model.storyline_threshold

    def __len__(self) -> int:
        return len(self._stories) + (self._cold.stories if self._cold is not None else 0)

    def export_state(self) -> ClustererState:
        """What `import_state` needs to continue where this clusterer stands (live stories with their
        members by article id, the centroid index, retired ids); not the members' vectors and signals,
        which the importer reads from the store when it needs them (`loader`), nor the embedder, model
        or settings, which the importer brings."""
        self.warm_up()
        return self._exported(frozenset(self._index.days()) if self._index else frozenset(), cold=None)

    def export_split(self) -> tuple[ClustererState, ClustererState | None]:
        """The state in two parts (see `marsad.cluster.snapshot`): the warm part, which a restart loads,
        holds the stories of the last `_WARM_WINDOWS` time windows before the newest day (and the
        undated ones); the cold part, read only when a document needs it, holds the older live stories.
        Neither keeps the retired story ids: the importer tells a taken id by `cold_may_hold`. The warm
        part's `data["cold"]` is the cold part's `ColdPart` reference, filled by the caller when it
        stores a new cold part (None here), or the one this clusterer was restored with when its cold
        part is still unread (then the second value is None: the stored cold part is kept as it is)."""
        days = frozenset(self._index.days()) if self._index else frozenset()
        if self._cold is not None:
            warm = self._exported(days, cold=self._cold)
            warm.data["retired"] = set()
            return warm, None
        boundary = self._newest_day - _WARM_WINDOWS * max(self.settings.window_days, 1)
        old = frozenset(d for d in days if UNDATED < d < boundary)
        if self._newest_day == UNDATED or not old:
            whole = self._exported(days, cold=None)
            whole.data["retired"] = set()
            return whole, None
        warm = self._exported(days - old, cold=None)
        cold = self._exported(old, cold=None)
        # No retired ids (they grow with the store): a restored clusterer asks `cold_may_hold`.
        warm.data["retired"] = cold.data["retired"] = set()
        return warm, cold

    def _exported(self, days: frozenset[int], cold: ColdPart | None) -> ClustererState:
        stories = [
            _StoredStory(
                s.id, (*s.unread, *(m.id for m in s.members)), s.centroid_sum, s.size, s.day, s.storyline
            )
            for s in self._stories.values()
            if s.day in days
        ]
        return ClustererState(
            self._arrivals,
            {
                "stories": stories,
                "index": self._index.restricted(days) if self._index is not None else None,
                "retired": self._retired,
                "newest_day": self._newest_day,
                "cold": cold,
            },
        )

    def import_state(self, state: ClustererState) -> None:
        """Replace this clusterer's stories with `state` (from `export_state` of the same code, or the
        warm part of `export_split`: its cold part is read through `cold_reader` when a document needs
        it, or at `warm_up`); members are read through `loader` when each story is first needed."""
        self._stories = {}
        self._add_stored(state.data["stories"])
        self._index = state.data["index"]
        self._retired = state.data["retired"]
        self._newest_day = state.data["newest_day"]
        self._arrivals = state.arrivals
        self._cold = state.data.get("cold")

    def _add_stored(self, stories: Sequence[_StoredStory]) -> None:
        for s in stories:
            members: deque[DocSignals] = deque(maxlen=self.settings.max_members)
            self._stories[s.id] = _LiveStory(
                s.id, members, s.centroid_sum, s.size, s.day, s.storyline, unread=s.member_ids
            )

    def warm_up(self) -> None:
        """Read the cold part of the state this clusterer was restored with, if not read yet."""
        cold = self._cold
        if cold is None:
            return
        if self.cold_reader is None:
            raise RuntimeError("a clusterer restored from a split snapshot needs a reader for its cold part")
        state = self.cold_reader(cold)
        self._add_stored(state.data["stories"])
        part = state.data["index"]
        if part is not None:
            if self._index is None:
                self._index = part
            else:
                self._index.absorb(part)
        self._retired |= state.data["retired"]
        self._cold = None

    def _cold_meets(self, day: int | None) -> bool:
        """Whether a search around `day` (None: undated, every day) reaches a day of the unread cold part."""
        cold = self._cold
        if cold is None:
            return False
        if day is None:
            return True
        w = self.settings.window_days
        return day - w <= cold.last_day and any(day - w <= d <= day + w for d in cold.days)

    def _load(self, stories: Sequence[_LiveStory]) -> None:
        """Read the unread members of `stories` (one loader call for all), oldest first."""
        todo = [s for s in stories if s.unread]
        if not todo:
            return
        if self.loader is None:
            raise RuntimeError("a clusterer restored from a snapshot needs a loader for its stories' members")
        read = {sig.id: sig for sig in self.loader([i for s in todo for i in s.unread])}
        for story in todo:
            newer = list(story.members)
            story.members.clear()
            story.members.extend(read[i] for i in story.unread if i in read)
            story.members.extend(newer)
            story.unread = ()
            story.stack = None

    def storyline_of(self, story_id: str) -> str | None:
        """The storyline of a live story (None: unknown or retired)."""
        if story_id not in self._stories:
            self.warm_up()
        story = self._stories.get(story_id)
        return story.storyline if story is not None else None

    def embed(self, docs: Sequence[ClusterDoc]) -> list[DocVectors]:
        """Embedded views of `docs`, in one batch."""
        return embed_documents(self.embedder, [(d.title, d.text) for d in docs], self.views)

    def signals(self, docs: Sequence[ClusterDoc]) -> list[DocSignals]:
        """Per-document signals (embedding included), for `assign_signals` / `restore_signals`."""
        return [doc_signals(d, v) for d, v in zip(docs, self.embed(docs), strict=True)]

    def assign(self, doc: ClusterDoc) -> Assignment:
        return self.assign_signals(self.signals([doc])[0])

    def restore(self, doc: ClusterDoc, story_id: str, storyline_id: str | None = None) -> None:
        self.restore_signals(self.signals([doc])[0], story_id, storyline_id)

    def scores(self, sig: DocSignals) -> list[tuple[str, float]]:
        """(story id, join score) for the candidate stories of `sig`, best first."""
        with _one_blas_thread():
            return [(sid, join) for sid, join, _ in self._scores(sig)]

    def _scores(self, sig: DocSignals) -> list[tuple[str, float, float]]:
        """(story id, join score, storyline link score) per candidate story, best join first."""
        day = _day(sig.published)
        if self._cold_meets(day):
            self.warm_up()
        index = self._index
        if index is None:
            return []
        query = (sig.vectors.head + sig.vectors.body).astype(np.float32)
        found = index.search(query, day, self.settings.candidates)
        if not found:
            return []
        stories = [self._stories[sid] for sid, _ in found]
        self._load(stories)
        stacks = [story.stacked() for story in stories]
        members = concat_stacks(stacks)
        features = stack_features(sig, members)
        probs = self.model.join.predict(features)
        # Two leads stating numbers of which the other gives none report two happenings; so do two
        # titles whose actors each go unnamed in the other text (two parties' statements on one attack).
        for row, member in enumerate(members.members):
            if numbers_conflict(sig.evidence, member.evidence) or (
                sig.language is not None
                and sig.language == member.language
                and actors_conflict(sig.slots, member.slots)
            ):
                probs[row] = 0.0
        sizes = np.array([len(st) for st in stacks])
        starts = np.r_[0, np.cumsum(sizes)[:-1]]
        joined = _linkage(self.settings.linkage, probs, starts, sizes)
        # Wire copies stay together: a story holding a copy of the document (as dedup groups them,
        # with nothing up front telling two happenings apart) scores 1. Only near-identical chunks
        # are checked, so the shingle sets are compared a few times per document at most.
        close = np.flatnonzero(features[:, _CHUNK_MAX] >= _COPY_CHUNK_COS)
        story_of_row = np.repeat(np.arange(len(stories)), sizes)
        for row in close.tolist():
            if joined[story_of_row[row]] < 1.0 and wire_copy(sig, members.members[row]):
                joined[story_of_row[row]] = 1.0
        link = np.zeros(len(stories))
        if self.model.storyline is not None and self.settings.storylines:
            link = np.maximum.reduceat(self.model.storyline.predict(storyline_inputs(features)), starts)
        out = [
            (story.id, float(v), float(w))
            for story, v, w in zip(stories, joined.tolist(), link.tolist(), strict=True)
        ]
        out.sort(key=lambda item: -item[1])
        return out

    def assign_signals(self, sig: DocSignals) -> Assignment:
        """Assign an already-embedded document (see `signals`) to a story and remember it."""
        with _one_blas_thread():
            return self._assign(sig)

    def _assign(self, sig: DocSignals) -> Assignment:
        ranked = self._scores(sig)
        best_id, best, _ = ranked[0] if ranked else (None, 0.0, 0.0)
        if best_id is not None and best >= self.threshold:
            storyline = self._add(sig, best_id)
            return Assignment(sig.id, best_id, round(best, 4), new_story=False, storyline_id=storyline)
        story_id = self._new_story_id(sig.id)
        # A new story continues the storyline of the earlier story it links to best, if any does.
        linked = max(ranked, key=lambda item: item[2], default=None)
        parent = None
        if linked is not None and linked[2] >= self.storyline_threshold:
            parent = self._stories[linked[0]].storyline
        storyline = self._add(sig, story_id, parent)
        return Assignment(sig.id, story_id, round(best, 4), new_story=True, storyline_id=storyline)

    def restore_signals(self, sig: DocSignals, story_id: str, storyline_id: str | None = None) -> None:
        """Re-add a document already assigned to `story_id` (a new story: in `storyline_id`, None for
        its own) without deciding again."""
        with _one_blas_thread():
            self._add(sig, story_id, storyline_id)

    def _new_story_id(self, doc_id: str) -> str:
        base = story_id_for(doc_id)
        if not self._taken(base):
            return base
        # Two ids sharing their first 15 characters: disambiguate deterministically (same replay order).
        n = 2
        while self._taken(f"{base}-{n}"):
            n += 1
        return f"{base}-{n}"

    def _taken(self, story_id: str) -> bool:
        if story_id in self._stories or story_id in self._retired:
            return True
        if self.cold_may_hold is not None:
            # Every story stored by the snapshot's arrival was held by the clusterer that made it,
            # live or retired: taken, whether in the cold part or retired before the snapshot.
            return self.cold_may_hold(story_id)
        if self._cold is None:
            return False
        self.warm_up()
        return story_id in self._stories or story_id in self._retired

    def _maybe_cold(self, story_id: str) -> bool:
        """Whether the unread cold part may hold (or have retired) `story_id`."""
        return self._cold is not None and (self.cold_may_hold is None or self.cold_may_hold(story_id))

    def _add(self, sig: DocSignals, story_id: str, storyline: str | None = None) -> str:
        """Add `sig` to `story_id` (created in `storyline`, or its own, when new); its storyline."""
        day = _day(sig.published)
        cold = self._cold
        # a story of the cold part, or a new one on one of its days
        if (
            cold is not None
            and story_id not in self._stories
            and ((day is not None and day in cold.days) or self._maybe_cold(story_id))
        ):
            self.warm_up()
        story = self._stories.get(story_id)
        vec = (sig.vectors.head + sig.vectors.body).astype(np.float32)
        if story is None:
            story = _LiveStory(story_id, deque(maxlen=self.settings.max_members), np.zeros_like(vec))
            story.storyline = storyline or storyline_id_for(story_id)
            self._stories[story_id] = story
        elif story.unread:
            self._load([story])
        story.members.append(sig)
        self._arrivals += 1
        story.stack = None
        story.centroid_sum += vec
        story.size += 1
        if day is not None:
            story.day = max(story.day, day)
        if self._index is None:
            self._index = StoryIndex(dim=vec.shape[0], window_days=self.settings.window_days)
        norm = float(np.linalg.norm(story.centroid_sum))
        self._index.upsert(story_id, story.centroid_sum / max(norm, 1e-12), story.day)
        if day is not None and day > self._newest_day:
            self._newest_day = day
            if len(self) > _RETIRE_MIN_LIVE:
                self.warm_up()
                self._retire(day - self.settings.window_days - self.settings.retire_after_days)
        return story.storyline

    def _retire(self, before_day: int) -> None:
        # Stories last seen long before the stream's newest day can no longer be candidates for
        # documents arriving in order: drop their members so memory follows the window, not the pool.
        assert self._index is not None
        for story_id in self._index.retire_before(before_day):
            del self._stories[story_id]
            self._retired.add(story_id)
