"""The ingest pipeline: read -> extract -> per-article steps -> story assignment, into the store.

Each document is stored in one transaction together with its article, its step outputs and its
story assignment, so a run killed at any point resumes cleanly: documents already stored are
skipped by content hash, and nothing is half-written.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Protocol

from marsad.cluster.base import ClusterDoc, StoryClusterer
from marsad.cluster.features import cluster_entities
from marsad.config import Config
from marsad.errors import InputError
from marsad.extract import extract
from marsad.records import Article, RawDocument, Rejected
from marsad.store import Store
from marsad.store import articles as article_repo
from marsad.store import rejects as reject_repo
from marsad.store import stories as story_repo


class ArticleStep(Protocol):
    """A per-article stage run inside the article's transaction (dedup, entities, quotes, ...)."""

    name: str

    def __call__(self, conn: sqlite3.Connection, article: Article) -> None: ...


@dataclass(slots=True)
class IngestReport:
    """What one ingest run did, for the CLI summary."""

    seen: int = 0
    added: int = 0
    skipped: int = 0
    rejected: list[Rejected] = field(default_factory=list)
    new_stories: int = 0


def default_clusterer(conn: sqlite3.Connection, config: Config, *, lexical: bool = False) -> StoryClusterer:
    """The clusterer every ingest path uses: the learned multilingual online clusterer, with its
    embeddings cached in the store behind `conn`; `lexical=True` for the model-free fallback.
    """
    if lexical:
        from marsad.cluster.lexical import LexicalClusterer

        return LexicalClusterer(threshold=config.cluster.join_threshold)
    from marsad.cluster.online import ClustererSettings, EmbeddingClusterer
    from marsad.embed import CachedEmbedder, UsemEmbedder

    return EmbeddingClusterer(
        CachedEmbedder(UsemEmbedder(), conn), ClustererSettings(window_days=round(config.cluster.window_days))
    )


def default_steps(config: Config | None = None) -> list[ArticleStep]:
    """The per-article steps of every ingest path, in order: duplicate groups (with the configured
    `[dedup]` parameters), then entities and quotes, then watchlist alerts.
    """
    from marsad.dedup.stored import DedupStep
    from marsad.entities.step import EntityQuoteStep
    from marsad.monitor.watchlists import WatchlistStep

    return [DedupStep(config.dedup if config is not None else None), EntityQuoteStep(), WatchlistStep()]


def cluster_doc(article: Article) -> ClusterDoc:
    """What the clusterer sees of `article`, its entity keys found once (they are stored with it)."""
    doc = ClusterDoc(
        id=article.id,
        text=article.body,
        title=article.title,
        language=article.language,
        published=article.published,
        outlet=article.outlet,
    )
    return replace(doc, entities=cluster_entities(doc))


def restore_clusterer(store: Store, clusterer: StoryClusterer, *, after_seq: int = 0) -> int:
    """Feed the clusterer every stored assignment after `after_seq`, in arrival order, so new articles
    see old stories. Returns the last arrival number fed (to catch up from there later).
    """
    # One query for exactly what a ClusterDoc needs: loading whole articles (comments, sources) here
    # cost three queries per stored article at every start.
    # The entity keys the clusterer saw at assignment are replayed as stored (none: found again).
    rows = store.conn.execute(
        "SELECT m.story_id, m.seq, a.id, a.body, a.title, a.language, a.published, a.outlet, e.keys"
        " FROM story_members m JOIN articles a ON a.id = m.article_id"
        " LEFT JOIN cluster_entities e ON e.article_id = a.id WHERE m.seq > ? ORDER BY m.seq",
        (after_seq,),
    )
    for row in rows:
        keys = row["keys"]
        doc = ClusterDoc(
            id=row["id"],
            text=row["body"],
            title=row["title"],
            language=row["language"],
            published=datetime.fromisoformat(row["published"]) if row["published"] else None,
            outlet=row["outlet"],
            entities=frozenset(json.loads(keys)) if keys is not None else None,
        )
        clusterer.restore(doc, row["story_id"])
        after_seq = row["seq"]
    return after_seq


def ingest(
    store: Store,
    items: Iterable[RawDocument | Rejected],
    clusterer: StoryClusterer,
    *,
    steps: Iterable[ArticleStep] = (),
    on_item: Callable[[str], None] | None = None,
) -> IngestReport:
    """Store every document of `items`, extract its article, run `steps` and assign its story."""
    report = IngestReport()
    step_list = list(steps)
    for item in items:
        report.seen += 1
        if isinstance(item, Rejected):
            _reject(store, report, item)
        elif article_repo.has_document(store, item.id):
            report.skipped += 1
        else:
            _ingest_one(store, item, clusterer, step_list, report)
        if on_item is not None:
            on_item(item.source if isinstance(item, RawDocument) else item.record_id)
    return report


def _reject(store: Store, report: IngestReport, rejected: Rejected) -> None:
    with store.transaction() as conn:
        reject_repo.put_rejected(conn, rejected)
    report.rejected.append(rejected)


def _ingest_one(
    store: Store, raw: RawDocument, clusterer: StoryClusterer, steps: list[ArticleStep], report: IngestReport
) -> None:
    try:
        article = extract(raw)
    except InputError as exc:
        _reject(
            store, report, Rejected(stage="extract", code=exc.code, record_id=raw.source, detail=str(exc))
        )
        return
    doc = cluster_doc(article)
    assignment = clusterer.assign(doc)
    external = raw.fields.get("id") if raw.hint == "record" else None
    with store.transaction() as conn:
        article_repo.put_document(conn, raw)
        article_repo.put_article(conn, article, external_id=str(external) if external is not None else None)
        article_repo.put_cluster_entities(conn, article.id, doc.entities or frozenset())
        for step in steps:
            step(conn, article)
        story_repo.assign(
            conn,
            article.id,
            assignment.story_id,
            score=assignment.score,
            title=article.title,
            published=article.published,
        )
    report.added += 1
    report.new_stories += int(assignment.new_story)
