"""What of a document gets embedded: its head (title + lead) and a few body chunks.

USE cost grows with tokens, and a news body's first paragraphs carry the event; so a document is
embedded as its head plus at most `max_chunks` sentence-aligned chunks of about `chunk_chars`
characters. The body vector is the normalized mean of the chunk vectors.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from marsad.embed.base import Embedder, Vectors
from marsad.text.sentences import split_sentences


@dataclass(slots=True, frozen=True)
class ViewConfig:
    """How a document is cut into texts to embed."""

    head_chars: int = 400
    lead_sentences: int = 2
    chunk_chars: int = 350
    max_chunks: int = 3

    def __post_init__(self) -> None:
        if self.head_chars < 20 or self.chunk_chars < 20:
            raise ValueError("head_chars and chunk_chars must be >= 20 characters")
        if self.max_chunks < 1:
            raise ValueError(f"max_chunks must be >= 1, got {self.max_chunks}")


@dataclass(slots=True, frozen=True)
class DocVectors:
    """The embedded views of one document (all rows L2-normalized)."""

    head: Vectors  # (dim,)
    body: Vectors  # (dim,) normalized mean of the chunks
    chunks: Vectors  # (k, dim), k >= 1


def view_texts(title: str | None, text: str, config: ViewConfig = ViewConfig()) -> list[str]:
    """[head, chunk1, ...]: the head is the title plus the lead; chunks follow sentence boundaries."""
    sentences = split_sentences(text[: config.chunk_chars * config.max_chunks * 2])
    lead = " ".join(sentences[: config.lead_sentences])
    head = f"{title.strip()}. {lead}" if title and title.strip() else lead
    chunks: list[str] = []
    current = ""
    for sentence in sentences:
        if current and len(current) + len(sentence) > config.chunk_chars:
            chunks.append(current)
            current = ""
            if len(chunks) >= config.max_chunks:
                break
        current = f"{current} {sentence}".strip()
    if current and len(chunks) < config.max_chunks:
        chunks.append(current)
    # A sentence splitter can return one huge "sentence": bound every piece.
    chunks = [c[: config.chunk_chars * 2] for c in chunks] or [text[: config.chunk_chars] or (title or "")]
    return [head[: config.head_chars] or chunks[0], *chunks]


def _normalized(v: Vectors) -> Vectors:
    norm = float(np.linalg.norm(v))
    out: Vectors = (v / norm if norm > 0 else v).astype(np.float32)
    return out


def embed_documents(
    embedder: Embedder,
    docs: Sequence[tuple[str | None, str]],
    config: ViewConfig = ViewConfig(),
) -> list[DocVectors]:
    """Embed (title, text) documents in one batch of all their views."""
    texts: list[str] = []
    spans: list[tuple[int, int]] = []
    for title, text in docs:
        views = view_texts(title, text, config)
        spans.append((len(texts), len(texts) + len(views)))
        texts.extend(views)
    matrix = embedder.embed(texts)
    out = []
    for start, end in spans:
        chunks = matrix[start + 1 : end]
        out.append(DocVectors(head=matrix[start], body=_normalized(chunks.mean(axis=0)), chunks=chunks))
    return out
