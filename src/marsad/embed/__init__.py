"""Multilingual sentence embeddings behind one Protocol, cached in the store by content hash."""

from marsad.embed.base import Embedder, UsemEmbedder, shared_embedder
from marsad.embed.cache import CachedEmbedder
from marsad.embed.e5 import E5_CHARS, E5Embedder, e5_available
from marsad.embed.views import DocVectors, ViewConfig, embed_documents, view_texts

__all__ = [
    "E5_CHARS",
    "CachedEmbedder",
    "DocVectors",
    "E5Embedder",
    "Embedder",
    "UsemEmbedder",
    "ViewConfig",
    "e5_available",
    "embed_documents",
    "shared_embedder",
    "view_texts",
]
