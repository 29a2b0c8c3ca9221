"""Pair similarity with the clustering signals: how likely two texts report the same story."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from marsad.cluster.base import ClusterDoc
from marsad.cluster.features import DocSignals, doc_signals, pair_features
from marsad.cluster.model import ClusterModel, LinearModel, load_model
from marsad.embed.base import Embedder
from marsad.embed.views import ViewConfig, embed_documents

# The similarity head predicts -Overall on the SemEval scale (-4 = different .. -1 = same story).
_LOW, _HIGH = -4.0, -1.0


def to_unit(raw: float) -> float:
    """Map a similarity-head output to [0, 1], 1 = same story."""
    return float(min(1.0, max(0.0, (raw - _LOW) / (_HIGH - _LOW))))


@dataclass(slots=True)
class PairScorer:
    """Scores text pairs in [0, 1] with the similarity head of the shipped model."""

    embedder: Embedder
    model: ClusterModel = field(default_factory=load_model)
    views: ViewConfig = field(default_factory=ViewConfig)

    def signals(self, texts: Sequence[str], ids: Sequence[str] | None = None) -> list[DocSignals]:
        vectors = embed_documents(self.embedder, [(None, t) for t in texts], self.views)
        names = ids if ids is not None else [str(i) for i in range(len(texts))]
        return [
            doc_signals(ClusterDoc(id=n, text=t), v) for n, t, v in zip(names, texts, vectors, strict=True)
        ]

    def score_pairs(self, pairs: Sequence[tuple[str, str]]) -> list[float]:
        """One score per (text1, text2) pair, in [0, 1]."""
        if not pairs:
            return []
        sigs = self.signals([t for pair in pairs for t in pair])
        feats = np.stack([pair_features(sigs[2 * i], sigs[2 * i + 1]) for i in range(len(pairs))])
        return [to_unit(float(v)) for v in self.model.similarity.predict(feats)]


def similarity_raw(head: LinearModel, a: DocSignals, b: DocSignals) -> float:
    """The head's raw output for one pair (the SemEval -Overall scale)."""
    return float(head.predict(pair_features(a, b)[None, :])[0])
