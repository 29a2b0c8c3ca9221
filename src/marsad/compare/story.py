"""Compare the articles of a stored story, with the result cached in the store."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict

from marsad.compare.comparison import CompareConfig, compare_articles
from marsad.compare.records import Comparison
from marsad.embed.base import Embedder
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
    """The comparison of every article of `story_id`.

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
    comparison = compare_articles(
        articles, embedder=embedder, config=config, fetched=fetched, analysed=analysed
    )
    comparison.story_id = story_id
    return comparison


def cached_story_comparison(
    store: Store, story_id: str, *, embedder: Embedder | None = None, config: CompareConfig | None = None
) -> dict[str, object]:
    """`compare_story(...).to_json()`, read from the store when members and settings are unchanged."""
    from marsad.store import entities as entity_repo

    cfg = config or CompareConfig()
    summary = story_repo.get_story(store, story_id)
    if summary is None:
        raise InputError(f"{story_id}: no story with this id in {store.path}")
    fp = comparison_fingerprint(list(summary.article_ids), cfg)
    cached = entity_repo.get_comparison(store, story_id, fp)
    if cached is not None:
        return cached
    value = compare_story(store, story_id, embedder=embedder, config=cfg).to_json()
    with store.transaction() as conn:
        entity_repo.put_comparison(conn, story_id, fp, value)
    return value
