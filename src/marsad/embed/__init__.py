"""Multilingual sentence embeddings behind one Protocol, cached in the store by content hash."""

from marsad.embed.base import Embedder, UsemEmbedder
from marsad.embed.cache import CachedEmbedder
from marsad.embed.views import DocVectors, ViewConfig, embed_documents, view_texts

__all__ = [
    "CachedEmbedder",
    "DocVectors",
    "Embedder",
    "UsemEmbedder",
    "ViewConfig",
    "embed_documents",
    "view_texts",
]
