"""Multilingual sentence embeddings behind one Protocol."""

from marsad.embed.base import Embedder, UsemEmbedder

__all__ = ["Embedder", "UsemEmbedder"]
