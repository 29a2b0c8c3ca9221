"""Compare the articles of a stored story, with the result cached in the store."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict

from marsad.compare.comparison import CompareConfig, compare_articles, default_embedder
from marsad.compare.records import Comparison
from marsad.embed.base import Embedder, Vectors
from marsad.embed.cache import CachedEmbedder
from marsad.errors import InputError
from marsad.store import Store
from marsad.store import articles as article_repo
from marsad.store import stories as story_repo


def comparison_fingerprint(article_ids: list[str], config: CompareConfig) -> str:
    """What a cached comparison depends on: the member ids and every compare setting."""
    blob = json.dumps({"ids": sorted(article_ids), "config": asdict(config), "v": 7}, sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()[:16]


def compare_story(
    store: Store, story_id: str, *, embedder: Embedder | None = None, config: CompareConfig | None = None
) -> Comparison:
    """The comparison of every article of `story_id`. Without `embedder`, the sentences are embedded
    through the store's embedding cache (`sentence_embedder`; nothing is written).

    Raises InputError when the story does not exist or has fewer than two articles.
    """
    summary = story_repo.get_story(store, story_id)
    if summary is None:
        raise InputError(f"{story_id}: no story with this id in {store.path}")
    articles = [a for aid in summary.article_ids if (a := article_repo.get_article(store, aid)) is not None]
    if len(articles) < 2:
        raise InputError(f"{story_id}: story has {len(articles)} article(s); comparing needs at least two")
    from marsad.store.entities import fetched_times, get_mentions, get_quotes

    fetched = fetched_times(store, [a.id for a in articles])
    # The entities and quotes found once at ingest; an article stored without any is analysed afresh.
    stored = [(a, get_mentions(store, a.id), get_quotes(store, a.id)) for a in articles]
    analysed = stored if all(ms for _, ms, _ in stored) else None
    if embedder is None and (config is None or config.use_embeddings):
        embedder = sentence_embedder(store)
    comparison = compare_articles(
        articles, embedder=embedder, config=config, fetched=fetched, analysed=analysed
    )
    comparison.story_id = story_id
    return comparison


# The comparisons' vectors are kept apart from the clusterer's (the same text embedded in another
# batch differs in the last bits of float32): a key of the embeddings table is made of this name.
SENTENCES = "sentences"


def sentence_embedder(store: Store) -> CachedEmbedder:
    """The comparisons' embedder: the shared USE model behind the store's embedding cache, keyed by
    the hash of each sentence (or quote, clause, merged run) text. Re-comparing a story after a new
    article embeds only the texts not seen before, mostly the new article's sentences; a text said
    twice in one story is embedded once. The vectors it makes are kept for the caller to store
    (`take_pending`), with the comparison, in the writer's transaction."""
    return CachedEmbedder(default_embedder(), store.conn, defer_writes=True, namespace=SENTENCES)


def compare_story_cached(
    store: Store, story_id: str, config: CompareConfig | None = None
) -> tuple[dict[str, object], list[tuple[str, Vectors]]]:
    """`compare_story(...).to_json()` with `sentence_embedder`, and the sentence vectors it embedded
    that the store does not hold yet (for `put_comparison_and_vectors`)."""
    cfg = config or CompareConfig()
    embedder = sentence_embedder(store) if cfg.use_embeddings else None
    value = compare_story(store, story_id, embedder=embedder, config=cfg).to_json()
    return value, (embedder.take_pending() if embedder is not None else [])


def put_comparison_and_vectors(
    store: Store,
    story_id: str,
    fingerprint: str,
    value: dict[str, object],
    vectors: list[tuple[str, Vectors]],
) -> None:
    """Store a story's comparison and the sentence vectors `sentence_embedder` made for it (its
    `take_pending`), in one transaction."""
    from marsad.store import entities as entity_repo
    from marsad.store.embeddings import put_vectors

    with store.transaction() as conn:
        if vectors:
            put_vectors(conn, sentence_embedder(store).name, vectors)
        entity_repo.put_comparison(conn, story_id, fingerprint, value)


def cached_story_comparison(
    store: Store, story_id: str, *, embedder: Embedder | None = None, config: CompareConfig | None = None
) -> dict[str, object]:
    """`compare_story(...).to_json()`, read from the store when members and settings are unchanged.
    Without `embedder`, through `sentence_embedder`, whose new vectors are stored with the result."""
    from marsad.store import entities as entity_repo

    cfg = config or CompareConfig()
    summary = story_repo.get_story(store, story_id)
    if summary is None:
        raise InputError(f"{story_id}: no story with this id in {store.path}")
    fp = comparison_fingerprint(list(summary.article_ids), cfg)
    cached = entity_repo.get_comparison(store, story_id, fp)
    if cached is not None:
        return cached
    if embedder is None:
        value, vectors = compare_story_cached(store, story_id, cfg)
    else:
        value, vectors = compare_story(store, story_id, embedder=embedder, config=cfg).to_json(), []
    put_comparison_and_vectors(store, story_id, fp, value, vectors)
    return value
