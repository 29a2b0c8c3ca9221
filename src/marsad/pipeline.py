"""The ingest pipeline: read -> extract -> per-article steps -> story assignment, into the store.

Each document is stored in one transaction together with its article, its step outputs and its
story assignment, so a run killed at any point resumes cleanly: documents already stored are
skipped by content hash, and nothing is half-written.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING, Protocol

from marsad.boundary import guarded, guarded_items, is_unexpected, rejection
from marsad.cluster.base import Assignment, ClusterDoc, StoryClusterer, storyline_id_for
from marsad.cluster.features import with_entities
from marsad.config import Config
from marsad.errors import HIDDEN, OVER_BUDGET, StoreError
from marsad.extract import extract
from marsad.extract.article import WARM_UP_DOCUMENTS, warm_up_kind
from marsad.records import Article, RawDocument, Rejected
from marsad.store import Store
from marsad.store import articles as article_repo
from marsad.store import rejects as reject_repo
from marsad.store import stories as story_repo
from marsad.store import storylines as storyline_repo

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

    from marsad.cluster.features import DocSignals
    from marsad.cluster.online import EmbeddingClusterer
    from marsad.compare.precompute import RefreshReport
    from marsad.embed import Embedder, ViewConfig
    from marsad.embed.base import Vectors
    from marsad.entities import ArticleScans


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
    changed_stories: set[str] = field(default_factory=set)  # stories an article joined (or began)

    def rejected_by_code(self) -> dict[str, int]:
        """How many rejects of each code, most frequent first."""
        counts: dict[str, int] = {}
        for r in self.rejected:
            counts[r.code] = counts.get(r.code, 0) + 1
        return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))

    @property
    def unexpected(self) -> int:
        """Documents that failed with an exception marsad did not expect (E190: a bug)."""
        return sum(1 for r in self.rejected if is_unexpected(r))

    @property
    def over_budget(self) -> int:
        return sum(1 for r in self.rejected if r.code == OVER_BUDGET)

    @property
    def hidden(self) -> int:
        """Hidden files and directories seen and not read (reported, E112)."""
        return sum(1 for r in self.rejected if r.code == HIDDEN)


def default_clusterer(conn: sqlite3.Connection, config: Config, *, lexical: bool = False) -> StoryClusterer:
    """The clusterer every ingest path uses: the learned multilingual online clusterer, with its
    embeddings cached in the store behind `conn`; `lexical=True` for the model-free fallback.
    """
    if lexical:
        from marsad.cluster.lexical import LexicalClusterer

        return LexicalClusterer(threshold=config.cluster.join_threshold)
    from marsad.cluster.online import ClustererSettings, EmbeddingClusterer
    from marsad.embed import CachedEmbedder, shared_embedder

    return EmbeddingClusterer(
        CachedEmbedder(shared_embedder(), conn),
        ClustererSettings(window_days=round(config.cluster.window_days)),
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
    return with_entities(doc, article)


def restore_clusterer(
    store: Store, clusterer: StoryClusterer, *, after_seq: int = 0, lazy: bool = False
) -> int:
    """Feed the clusterer every stored assignment after `after_seq`, in arrival order, so new articles
    see old stories. Returns the last arrival number fed (to catch up from there later).

    A fresh clusterer (`after_seq` 0) starts from the store's snapshot when it has a usable one
    (`marsad.cluster.snapshot`) and is fed only the assignments stored after it. The embedding
    clusterer's snapshot holds its live stories' members by article id: their signals are read from
    the store (`stored_signals`) when a story is first a candidate again. `lazy`: its stories older
    than the recent time windows are read only when a document reaches them, for a caller that
    keeps the writer lock while it uses the clusterer (`load_snapshot`).
    """
    from marsad.cluster.online import EmbeddingClusterer

    if isinstance(clusterer, EmbeddingClusterer) and clusterer.loader is None:
        clusterer.loader = partial(stored_signals, store, clusterer)
    if after_seq == 0:
        from marsad.cluster.snapshot import load_snapshot

        after_seq = load_snapshot(store, clusterer, lazy=lazy) or 0
    # One query for exactly what a ClusterDoc needs: loading whole articles (comments, sources) here
    # cost three queries per stored article at every start.
    for row in story_repo.assigned_after(store, after_seq):
        clusterer.restore(stored_cluster_doc(row), row["story_id"], row["storyline_id"])
        after_seq = row["seq"]
    return after_seq


def stored_cluster_doc(row: sqlite3.Row) -> ClusterDoc:
    """What the clusterer saw of a stored article (a `story_repo.CLUSTER_DOC_COLUMNS` row): the entity
    keys and lead entity keys it saw at assignment as stored (none stored: found again)."""
    keys, lead = row["keys"], row["lead_keys"]
    return ClusterDoc(
        id=row["id"],
        text=row["body"],
        title=row["title"],
        language=row["language"],
        published=datetime.fromisoformat(row["published"]) if row["published"] else None,
        outlet=row["outlet"],
        entities=frozenset(json.loads(keys)) if keys is not None else None,
        lead_entities=frozenset(json.loads(lead)) if lead is not None and keys is not None else None,
    )


def stored_signals(
    store: Store, clusterer: EmbeddingClusterer, article_ids: Sequence[str]
) -> list[DocSignals]:
    """The clusterer's signals of stored articles, in the order of `article_ids` (an id not stored is
    left out): their stored text and entity keys, their views' vectors from the store's embedding
    cache (the clusterer's embedder reads it), as when they were assigned."""
    docs = {doc.id: doc for doc in map(stored_cluster_doc, story_repo.assigned_articles(store, article_ids))}
    return clusterer.signals([docs[i] for i in article_ids if i in docs])


log = logging.getLogger("marsad.compare")

REJECT_BATCH = 500
SNAPSHOT_CHECK = 100  # documents added between two looks at whether a clusterer snapshot is due


class _RejectBuffer:
    """Rejected records written in batches (one transaction per `REJECT_BATCH`), not one commit each.

    A run killed with rejects still buffered loses nothing: a re-run reads the same inputs and
    rejects them again (documents already stored are skipped by content hash).
    """

    def __init__(self, store: Store, report: IngestReport) -> None:
        self.store = store
        self.report = report
        self.pending: list[Rejected] = []

    def add(self, rejected: Rejected) -> None:
        self.pending.append(rejected)
        self.report.rejected.append(rejected)
        if len(self.pending) >= REJECT_BATCH:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        with self.store.transaction() as conn:
            for rejected in self.pending:
                reject_repo.put_rejected(conn, rejected)
        self.pending.clear()


def last_seq(store: Store) -> int:
    """The arrival number of the last stored story assignment (0 for an empty store)."""
    return int(store.conn.execute("SELECT coalesce(max(seq), 0) FROM story_members").fetchone()[0])


def ingest(
    store: Store,
    items: Iterable[RawDocument | Rejected],
    clusterer: StoryClusterer,
    *,
    steps: Iterable[ArticleStep] = (),
    on_item: Callable[[str], None] | None = None,
    budget: float | None = None,
    workers: int = 1,
    pool: WorkerPool | None = None,
) -> IngestReport:
    """Store every document of `items`, extract its article, run `steps` and assign its story.

    The caller holds the store's writer lock (`marsad.store.lock.WriterLock`) and has restored
    `clusterer` from the store after taking it. One document's failure, whatever it raises, becomes
    a stored `Rejected` (see `marsad.boundary`) and the run goes on; `budget` is the time in seconds
    each document's extraction may take (None: no limit). Only a failing store stops the run
    (StoreError).

    `workers` > 1 prepares documents (extraction, entity tagging, embedding) in that many worker
    processes (`prepared_in_workers`), or in `pool`'s when given (`worker_pool`); this process stays
    the one writer and stores them, steps and story assignment included, in input order: the stored
    result is the same as with one worker.
    """
    from marsad.cluster.snapshot import save_snapshot_if_due

    report = IngestReport()
    rejects = _RejectBuffer(store, report)
    step_list = list(steps)
    with nullcontext(pool) if pool is not None else worker_pool(workers) as processes:
        stream = (
            prepared_in_workers(store, items, budget, processes, _worker_views(clusterer))
            if processes is not None
            else _prepared_here(store, items, budget)
        )
        _store_all(store, stream, clusterer, step_list, report, rejects, on_item)
    if report.added:
        save_snapshot_if_due(store, clusterer)
    return report


def _store_all(
    store: Store,
    stream: Iterable[PreparedItem],
    clusterer: StoryClusterer,
    step_list: list[ArticleStep],
    report: IngestReport,
    rejects: _RejectBuffer,
    on_item: Callable[[str], None] | None,
) -> None:
    """The writer's loop: each prepared item stored (or skipped, or rejected) in turn."""
    from marsad.cluster.snapshot import SNAPSHOT_EVERY, save_snapshot_if_due

    try:
        for item, prepared in stream:
            report.seen += 1
            if isinstance(item, Rejected):
                rejects.add(item)
            elif prepared is None or article_repo.has_document(store, item.id):
                report.skipped += 1
            elif isinstance(prepared, Rejected):
                rejects.add(prepared)
            else:
                _ingest_one(store, item, prepared, clusterer, step_list, report, rejects)
                if report.added and report.added % SNAPSHOT_CHECK == 0:
                    save_snapshot_if_due(store, clusterer, every=SNAPSHOT_EVERY)
            if on_item is not None:
                on_item(item.source if isinstance(item, RawDocument) else item.record_id)
    finally:
        rejects.flush()


@dataclass(slots=True)
class Prepared:
    """A document's side-effect-free work, done before the writer stores it: its article, what the
    clusterer sees of it and, when prepared in a worker process, the entity tagger's reading of it
    and the embedded views the clusterer will ask for (by embedding-cache key)."""

    article: Article
    doc: ClusterDoc
    scans: ArticleScans | None = None
    vectors: list[tuple[str, Vectors]] = field(default_factory=list)
    vectors_model: str = ""  # the embedder that made `vectors` (its cache name)
    signals: DocSignals | None = None  # what the embedding clusterer compares, made from `vectors`


# What `ingest` consumes: each input item with its preparation (None: already stored, skip it).
PreparedItem = tuple[RawDocument | Rejected, Prepared | Rejected | None]


def _prepared_here(
    store: Store, items: Iterable[RawDocument | Rejected], budget: float | None
) -> Iterator[PreparedItem]:
    """Each item prepared in this process, lazily: an item is looked at after the one before it
    is stored, so a document seen twice in one input is prepared once."""
    # The kinds of extraction warmed up (see _warm_up), each just before its first document.
    warmed: set[str] | None = set() if budget else None
    for item in guarded_items("ingest", "input", items):
        if isinstance(item, Rejected) or article_repo.has_document(store, item.id):
            yield item, None
            continue
        if warmed is not None and (kind := warm_up_kind(item)) not in warmed:
            warmed.add(kind)
            _warm_up(kind)
        yield item, _prepare_guarded(item, budget)


# Documents handed to the workers ahead of the writer, per worker: enough to keep every worker busy
# while the writer stores one, few enough that memory does not follow the input's size.
WORKER_AHEAD = 4


def prepared_in_workers(
    store: Store,
    items: Iterable[RawDocument | Rejected],
    budget: float | None,
    pool: WorkerPool,
    views: ViewConfig | None,
) -> Iterator[PreparedItem]:
    """Each item prepared in one of `pool`'s processes (`_prepare_in_worker`: extraction, entity
    tagging and, given the clusterer's `views`, embedding), yielded in input order, at most
    `WORKER_AHEAD` per worker ahead of the consumer. A document already stored when it is read is
    not sent (the writer checks again when it comes: the same document may be twice in an input).
    A worker process that dies (not a document that fails: that is a Rejected) stops the run
    (BrokenProcessPool); what was stored stays, and a re-run goes on from there.
    """
    from collections import deque
    from concurrent.futures import Future

    pending: deque[tuple[RawDocument | Rejected, Future[Prepared | Rejected] | None]] = deque()

    def first() -> PreparedItem:
        item, future = pending.popleft()
        return item, (future.result() if future is not None else None)

    try:
        for item in guarded_items("ingest", "input", items):
            if isinstance(item, Rejected) or article_repo.has_document(store, item.id):
                pending.append((item, None))
            else:
                pending.append((item, pool.executor.submit(_prepare_in_worker, item, budget, views)))
            while pending and (pending[0][1] is None or len(pending) > pool.size * WORKER_AHEAD):
                yield first()
        while pending:
            yield first()
    finally:
        for _, future in pending:
            if future is not None:
                future.cancel()


def _worker_views(clusterer: StoryClusterer) -> ViewConfig | None:
    """The views workers embed for `clusterer` (through its store cache, with the USE model the
    workers load too), or None when the writer should embed, as with one worker."""
    from marsad.cluster.online import EmbeddingClusterer
    from marsad.embed import CachedEmbedder, UsemEmbedder

    if (
        isinstance(clusterer, EmbeddingClusterer)
        and isinstance(clusterer.embedder, CachedEmbedder)
        and isinstance(clusterer.embedder.inner, UsemEmbedder)
    ):
        return clusterer.views
    return None


class _RecordingEmbedder:
    """The worker's USE model, keeping each (cache key, vector) it makes for the writer's cache."""

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.name = inner.name
        self.dim = inner.dim
        self.made: list[tuple[str, Vectors]] = []

    def embed(self, texts: Sequence[str]) -> Vectors:
        from marsad.store.embeddings import embedding_key

        vectors = self.inner.embed(texts)
        self.made.extend((embedding_key(self.name, t), v) for t, v in zip(texts, vectors, strict=True))
        return vectors


_worker_warmed: set[str] = set()  # per worker process: the kinds of extraction warmed up


def _prepare_in_worker(
    raw: RawDocument, budget: float | None, views: ViewConfig | None
) -> Prepared | Rejected:
    """A document's preparation in a worker process: what `_prepared_here` does (under the same
    budget, after the same warm-up), plus the entity tagger's reading of the article and the
    embedding of the views the writer's clusterer will ask for, so that the writer does neither."""
    from marsad.cluster.features import doc_signals
    from marsad.embed import embed_documents, shared_embedder
    from marsad.entities import analysed_part, entity_scans

    if budget and (kind := warm_up_kind(raw)) not in _worker_warmed:
        _worker_warmed.add(kind)
        _warm_up(kind)
    prepared = _prepare_guarded(raw, budget)
    if isinstance(prepared, Rejected):
        return prepared
    prepared.scans = entity_scans(analysed_part(prepared.article))
    if views is not None:
        recorder = _RecordingEmbedder(shared_embedder())
        doc = prepared.doc
        # A failure here is left to the writer, whose clusterer embeds what is not given and
        # fails (a stored Rejected) as it does with one worker.
        embedded = guarded(
            "embed", raw.source, lambda: embed_documents(recorder, [(doc.title, doc.text)], views)
        )
        if not isinstance(embedded, Rejected):
            prepared.vectors, prepared.vectors_model = recorder.made, recorder.name
            signals = guarded("embed", raw.source, partial(doc_signals, doc, embedded[0]))
            prepared.signals = None if isinstance(signals, Rejected) else signals
    return prepared


def _adopt(store: Store, prepared: Prepared, clusterer: StoryClusterer) -> None:
    """Hand a worker's preparation to this process: the tagger's reading to the entity recognizer
    (the entity step then reads the article without tagging it again) and the embedded views to
    the clusterer's embedding cache (it then looks them up, as for any stored text)."""
    if prepared.scans is not None:
        from marsad.entities import analysed_part, remember_entity_scans

        remember_entity_scans(analysed_part(prepared.article), prepared.scans)
    if prepared.vectors:
        from marsad.store.embeddings import put_vectors

        put_vectors(store.conn, prepared.vectors_model, prepared.vectors)


def _assign(clusterer: StoryClusterer, prepared: Prepared) -> Assignment:
    """`clusterer.assign(prepared.doc)`, from the signals a worker made when there are some (the
    clusterer then neither looks up the vectors nor derives the signals again)."""
    from marsad.cluster.online import EmbeddingClusterer

    if prepared.signals is not None and isinstance(clusterer, EmbeddingClusterer):
        return clusterer.assign_signals(prepared.signals)
    return clusterer.assign(prepared.doc)


def refresh_changed_comparisons(
    store: Store,
    report: IngestReport,
    *,
    max_articles: int,
    budget: float,
    workers: int = 1,
    pool: WorkerPool | None = None,
) -> RefreshReport | None:
    """Compare the stories `report`'s run changed and store the results, within `budget` seconds (0:
    none) and for stories of at most `max_articles` articles (see marsad.compare.precompute). Run by
    the writer that made `report`, before it lets the writer lock go; `workers` > 1 compares in that
    many processes, or in `pool`'s (`compared_in_workers`), the writer storing each result.

    The stories an earlier run changed and did not compare (it was killed, or ran out of budget) are
    compared too: every story joined after the store's 'compared' arrival number (`ingest_counters`),
    which a refresh that compared all it had to moves to the last arrival."""
    if budget <= 0:
        return None
    upto = last_seq(store)
    changed = report.changed_stories | story_repo.stories_joined_after(
        store, story_repo.counter(store, COMPARED)
    )
    if not changed:
        return None
    if pool is not None or workers > 1:
        with nullcontext(pool) if pool is not None else worker_pool(workers) as processes:
            assert processes is not None
            done = compared_in_workers(
                store, changed, max_articles=max_articles, budget=budget, pool=processes
            )
    else:
        from marsad.compare.precompute import refresh_comparisons

        done = refresh_comparisons(store, changed, max_articles=max_articles, budget=budget)
    if done.left == 0:  # (a comparison that failed is logged; it would fail again)
        story_repo.set_counter(store, COMPARED, upto)
    return done


COMPARED = "compared"  # the ingest_counters row of refresh_changed_comparisons


def compared_in_workers(
    store: Store, story_ids: Iterable[str], *, max_articles: int, budget: float, pool: WorkerPool
) -> RefreshReport:
    """`marsad.compare.precompute.refresh_comparisons` with the comparisons (the model's sentence
    embeddings, mostly) made in `pool`'s processes, each reading the store, and stored here by the
    writer: the same stored comparisons, the same bounds, the same report."""
    import time
    from concurrent.futures import TimeoutError as Timeout
    from concurrent.futures import as_completed

    from marsad.compare.comparison import CompareConfig
    from marsad.compare.precompute import RefreshReport
    from marsad.compare.story import comparison_fingerprint, put_comparison_and_vectors
    from marsad.store import entities as entity_repo

    out = RefreshReport()
    started = time.monotonic()
    todo: list[tuple[str, str]] = []
    for story_id in sorted(set(story_ids)):
        summary = story_repo.get_story(store, story_id)
        if summary is None or not 2 <= summary.size <= max_articles:
            out.out_of_range += 1
            continue
        fingerprint = comparison_fingerprint(list(summary.article_ids), CompareConfig())
        if entity_repo.get_comparison(store, story_id, fingerprint) is not None:
            out.compared += 1
        else:
            todo.append((story_id, fingerprint))
    futures = {pool.executor.submit(_compare_in_worker, str(store.path), sid): (sid, fp) for sid, fp in todo}
    try:
        try:
            for future in as_completed(futures, timeout=max(0.0, budget - (time.monotonic() - started))):
                story_id, fingerprint = futures.pop(future)
                value = future.result()
                if isinstance(value, Rejected):
                    log.warning("comparison of %s not stored: %s", story_id, value.detail)
                    out.failed += 1
                    continue
                put_comparison_and_vectors(store, story_id, fingerprint, *value)
                out.compared += 1
        except Timeout:
            out.left = len(futures)
    finally:
        for future in futures:
            future.cancel()
    out.seconds = time.monotonic() - started
    return out


def _compare_in_worker(
    path: str, story_id: str
) -> tuple[dict[str, object], list[tuple[str, Vectors]]] | Rejected:
    """The comparison of `story_id` as `cached_story_comparison` makes it, read from the store at
    `path`, with the sentence vectors it embedded (the writer stores both)."""
    from marsad.compare.story import compare_story_cached

    with Store(path) as store:
        return guarded("compare", story_id, partial(compare_story_cached, store, story_id))


@dataclass(slots=True, frozen=True)
class WorkerPool:
    """The worker processes of one ingest run (`worker_pool`), shared by its documents and by the
    comparisons of the stories it changed, so each process loads the models once."""

    executor: ProcessPoolExecutor
    size: int


@contextmanager
def worker_pool(workers: int) -> Iterator[WorkerPool | None]:
    """`workers` processes for `ingest` and `refresh_changed_comparisons` (None for one worker: the
    work is done in this process), stopped when the block ends."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    if workers < 1:
        raise ValueError(f"workers must be >= 1, got {workers}")
    if workers == 1:
        yield None
        return
    # forkserver, not fork: the writer has threads (progress display, store) that a fork would copy
    # mid-state; the server imports the pipeline once and each worker starts from it.
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["marsad.pipeline"])
    executor = ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=_watch_writer, initargs=(os.getpid(),)
    )
    try:
        yield WorkerPool(executor, workers)
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


def _watch_writer(writer: int) -> None:
    """In a worker process: end it when the writer `writer` is gone. A writer killed with -9 cannot
    stop its workers, and they would otherwise wait for work forever."""
    import threading
    import time

    import psutil  # type: ignore[import-untyped]

    def watch() -> None:
        try:
            process = psutil.Process(writer)
            while process.is_running() and process.status() != psutil.STATUS_ZOMBIE:
                time.sleep(1.0)
        except psutil.Error:
            pass
        os._exit(1)

    threading.Thread(target=watch, name="marsad-writer-watch", daemon=True).start()


def _warm_up(kind: str) -> None:
    """Load the lazy imports of extraction of `kind` (`warm_up_kind`) and of the features before the
    budget of the first such document starts; only what the run's documents need is loaded. The
    Arabic entity tagger is not: its model loads with the first Arabic document, outside that
    document's budget (`marsad.boundary.unbudgeted`), so a run without Arabic never loads it."""
    from marsad.entities.ner import tagger_deferred

    raw = WARM_UP_DOCUMENTS[kind]
    with tagger_deferred():
        guarded("extract", raw.source, partial(_prepare, raw))


def _prepare(raw: RawDocument) -> Prepared:
    """The side-effect-free part of a document's work: extraction and clustering features."""
    article = extract(raw)
    return Prepared(article, cluster_doc(article))


def _prepare_guarded(raw: RawDocument, budget: float | None) -> Prepared | Rejected:
    return guarded("extract", raw.source, partial(_prepare, raw), budget=budget)


def _ingest_one(
    store: Store,
    raw: RawDocument,
    prepared: Prepared,
    clusterer: StoryClusterer,
    steps: list[ArticleStep],
    report: IngestReport,
    rejects: _RejectBuffer,
) -> None:
    article, doc = prepared.article, prepared.doc
    external = raw.fields.get("id") if raw.hint == "record" else None
    try:
        _adopt(store, prepared, clusterer)
        # Assigned before the transaction: the clusterer's embedding cache may write through a
        # connection of its own, which must not wait on this transaction. Should a step fail after
        # this, the clusterer keeps a document the store does not (at worst a later article joins
        # a story id that starts with it); every writer restores its clusterer from the store when
        # it takes the writer lock, so this never outlives the process.
        assignment = _assign(clusterer, prepared)
        with store.transaction() as conn:
            article_repo.put_document(conn, raw)
            article_repo.put_article(
                conn, article, external_id=str(external) if external is not None else None
            )
            article_repo.put_cluster_entities(
                conn, article.id, doc.entities or frozenset(), doc.lead_entities
            )
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
            storyline_repo.link(
                conn,
                assignment.story_id,
                assignment.storyline_id or storyline_id_for(assignment.story_id),
                title=article.title,
                published=article.published,
            )
    except sqlite3.Error as exc:
        if not isinstance(exc, sqlite3.IntegrityError | sqlite3.InterfaceError | sqlite3.ProgrammingError):
            raise StoreError(f"{store.path}: cannot write {raw.source}: {exc}") from exc
        rejects.add(rejection(exc, "store", raw.source))
        return
    except StoreError:  # the store cannot give what the clusterer needs (its snapshot's cold part)
        raise
    except Exception as exc:
        rejects.add(rejection(exc, "store", raw.source))
        return
    report.added += 1
    report.new_stories += int(assignment.new_story)
    report.changed_stories.add(assignment.story_id)
