"""Batch clustering of a JSONL stream: the importable side of `marsad cluster` and `marsad similarity`.

Records are validated line by line; a bad line becomes a `Rejected` naming `file:line` and the
reason, and the rest is processed. Embedding runs in worker processes (single-threaded each, the
only setting where USE is fast on 2 cores) while the main process assigns stories in order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

from marsad import errors
from marsad.boundary import guarded, guarded_batch
from marsad.cluster.base import ClusterDoc, storyline_id_for
from marsad.cluster.features import DocSignals, doc_signals
from marsad.cluster.online import ClustererSettings, EmbeddingClusterer
from marsad.cluster.similarity import PairScorer
from marsad.embed.base import Embedder, UsemEmbedder
from marsad.embed.views import ViewConfig, embed_documents
from marsad.errors import InputError
from marsad.ingest.jsonline import json_object, record_id, rejected
from marsad.records import Rejected

MAX_LINE_BYTES = 5_000_000
BATCH = 64


@dataclass(slots=True)
class ClusterRun:
    """Output of a batch run: (id, story_id) in input order, each story's storyline, the rejected lines."""

    assignments: list[tuple[str, str]] = field(default_factory=list)
    storylines: dict[str, str] = field(default_factory=dict)  # story id -> storyline id
    rejected: list[Rejected] = field(default_factory=list)
    new_stories: int = 0


def _reject(stage: str, code: str, where: str, reason: str) -> Rejected:
    return Rejected(stage=stage, code=code, record_id=where, detail=f"{where}: {reason}")


def read_jsonl(path: Path, stage: str) -> Iterator[tuple[str, dict[str, Any]] | Rejected]:
    """(`file:line`, object) per non-blank line, or a Rejected for a line that is not a JSON object."""
    with path.open("rb") as fh:
        for n, raw in enumerate(fh, 1):
            where = f"{path}:{n}"
            if len(raw) > MAX_LINE_BYTES:
                yield _reject(stage, errors.TOO_LARGE, where, f"line is over {MAX_LINE_BYTES} bytes")
                continue
            if not raw.strip():
                continue
            try:
                yield where, json_object(raw, where)
            except InputError as exc:
                yield rejected(stage, exc, where)


@dataclass(slots=True, frozen=True)
class _Pending:
    """A validated input record (its id and stated time in `doc`), read into an article in a worker."""

    where: str
    doc: ClusterDoc
    record: dict[str, Any]


def _published(where: str, value: Any) -> datetime | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise InputError(f"{where}: 'published' must be an ISO 8601 string", code=errors.BAD_RECORD)
    from marsad.extract.dates import parse_date

    parsed = parse_date(value)
    if parsed is None:
        raise InputError(
            f"{where}: cannot read 'published' date {value!r}; use ISO 8601", code=errors.BAD_RECORD
        )
    return parsed


def _optional_str(where: str, rec: dict[str, Any], key: str) -> str | None:
    value = rec.get(key)
    if value is None or isinstance(value, str):
        return value
    raise InputError(f"{where}: {key!r} must be a string, got {type(value).__name__}", code=errors.BAD_RECORD)


def validate_record(where: str, rec: dict[str, Any]) -> _Pending:
    """Check one `marsad cluster` record (cheap; HTML is extracted later). Raises InputError."""
    rid = record_id(rec, where)
    text, html = rec.get("text"), rec.get("html")
    if not (isinstance(text, str) and text.strip()) and not (isinstance(html, str) and html.strip()):
        raise InputError(f"{where}: record needs a non-empty 'text' or 'html' field", code=errors.BAD_RECORD)
    doc = ClusterDoc(
        id=rid,
        text="",
        title=_optional_str(where, rec, "title"),
        language=_optional_str(where, rec, "language"),
        published=_published(where, rec.get("published")),
        outlet=_optional_str(where, rec, "outlet"),
    )
    return _Pending(where, doc, rec)


def _extracted(item: _Pending) -> ClusterDoc:
    """What the clusterer sees of a record: the article `marsad ingest` reads from it (the same record
    reader and record -> body rule: an html page through the extractor, a text through the dump parser)
    and the same features, under the record's id."""
    from marsad.extract import extract
    from marsad.ingest.files import record_document
    from marsad.pipeline import cluster_doc

    article = extract(record_document(item.record, item.where))
    return replace(cluster_doc(article), id=item.doc.id, published=item.doc.published or article.published)


def _signals_for(embedder: Embedder, views: ViewConfig, docs: list[ClusterDoc]) -> list[DocSignals]:
    vectors = embed_documents(embedder, [(d.title, d.text) for d in docs], views)
    return [doc_signals(d, v) for d, v in zip(docs, vectors, strict=True)]


def _signals_of(items: list[_Pending], embedder: Embedder, views: ViewConfig) -> list[DocSignals | Rejected]:
    # Whatever one record raises (extraction, the tokenizer, the signals) is that record's Rejected
    # (marsad.boundary); the batch is embedded in one call and retried one by one only if it raises.
    out: list[DocSignals | Rejected | None] = []
    docs: list[ClusterDoc] = []
    wheres: list[str] = []
    for item in items:
        doc = guarded("cluster", item.where, partial(_extracted, item))
        if isinstance(doc, Rejected):
            out.append(doc)
        else:
            docs.append(doc)
            wheres.append(item.where)
            out.append(None)
    signals = guarded_batch("cluster", wheres, partial(_signals_for, embedder, views), docs)
    sigs = iter(signals)
    return [o if o is not None else next(sigs) for o in out]


def publication_order(docs: Sequence[ClusterDoc]) -> list[int]:
    """Indices in publication order; an undated document keeps its place after the dated one before it."""
    keys: list[tuple[float, int]] = []
    last = float("-inf")
    for i, d in enumerate(docs):
        if d.published is not None:
            stamp = d.published if d.published.tzinfo else d.published.astimezone()
            last = stamp.timestamp()
        keys.append((last, i))
    return [i for _, i in sorted(keys)]


_worker_embedder: Embedder | None = None


def _worker_init() -> None:
    global _worker_embedder
    _worker_embedder = UsemEmbedder()


def _worker_signals(items: list[_Pending], views: ViewConfig) -> list[DocSignals | Rejected]:
    assert _worker_embedder is not None, "worker not initialized"
    return _signals_of(items, _worker_embedder, views)


def _signal_batches(
    items: Sequence[_Pending], embedder: Embedder, views: ViewConfig, workers: int
) -> Iterator[list[DocSignals | Rejected]]:
    # Extraction, embedding and per-document signals run in the workers; only the (sequential)
    # assignment stays in this process.
    batches = [list(items[i : i + BATCH]) for i in range(0, len(items), BATCH)]
    if workers <= 1 or len(batches) <= 1:
        for batch in batches:
            yield _signals_of(batch, embedder, views)
        return
    with ProcessPoolExecutor(max_workers=workers, initializer=_worker_init) as pool:
        pending: list[Future[list[DocSignals | Rejected]]] = []
        for batch in batches:
            pending.append(pool.submit(_worker_signals, batch, views))
            if len(pending) > workers * 2:
                yield pending.pop(0).result()
        for fut in pending:
            yield fut.result()


def cluster_records(
    path: Path,
    *,
    embedder: Embedder | None = None,
    settings: ClustererSettings | None = None,
    workers: int = 1,
    on_progress: Callable[[int], None] | None = None,
) -> ClusterRun:
    """Cluster every valid record of the JSONL at `path` online, in publication order."""
    run = ClusterRun()
    items: list[_Pending] = []
    seen: set[str] = set()
    for item in read_jsonl(path, "cluster"):
        if isinstance(item, Rejected):
            run.rejected.append(item)
            continue
        where, rec = item
        pending = guarded("cluster", where, partial(validate_record, where, rec))
        if isinstance(pending, Rejected):
            run.rejected.append(pending)
            continue
        if pending.doc.id in seen:
            run.rejected.append(
                _reject("cluster", errors.BAD_RECORD, where, f"duplicate id {pending.doc.id!r}")
            )
            continue
        seen.add(pending.doc.id)
        items.append(pending)
    clusterer = EmbeddingClusterer(embedder or UsemEmbedder(), settings or ClustererSettings())
    ordered = [items[i] for i in publication_order([p.doc for p in items])]
    where_of = {p.doc.id: p.where for p in items}
    story_of: dict[str, str] = {}
    done = 0
    for batch in _signal_batches(ordered, clusterer.embedder, clusterer.views, workers):
        for sig in batch:
            if isinstance(sig, Rejected):
                run.rejected.append(sig)
                continue
            assignment = guarded("cluster", where_of[sig.id], partial(clusterer.assign_signals, sig))
            if isinstance(assignment, Rejected):
                run.rejected.append(assignment)
                continue
            story_of[sig.id] = assignment.story_id
            if assignment.new_story:
                run.storylines[assignment.story_id] = assignment.storyline_id or storyline_id_for(
                    assignment.story_id
                )
            run.new_stories += int(assignment.new_story)
        done += len(batch)
        if on_progress is not None:
            on_progress(done)
    run.assignments = [(p.doc.id, story_of[p.doc.id]) for p in items if p.doc.id in story_of]
    return run


@dataclass(slots=True)
class SimilarityRun:
    scores: list[tuple[str, float]] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)


def _pair(where: str, rec: dict[str, Any]) -> tuple[str, str, str, str]:
    """(where, id, text1, text2) of one `marsad similarity` record. Raises InputError."""
    rid = record_id(rec, where)
    for key in ("text1", "text2"):
        if not isinstance(rec.get(key), str) or not rec[key].strip():
            raise InputError(f"{where}: record needs a non-empty string {key!r}", code=errors.BAD_RECORD)
    return where, rid, rec["text1"], rec["text2"]


def score_records(
    path: Path,
    *,
    embedder: Embedder | None = None,
    fast: bool = False,
    on_progress: Callable[[int], None] | None = None,
) -> SimilarityRun:
    """Score every valid {"id", "text1", "text2"} record of the JSONL at `path` (`fast`: USE only);
    `on_progress` gets the number of pairs scored so far after each batch."""
    run = SimilarityRun()
    pairs: list[tuple[str, str, str, str]] = []  # where, id, text1, text2
    for item in read_jsonl(path, "similarity"):
        if isinstance(item, Rejected):
            run.rejected.append(item)
            continue
        where, rec = item
        pair = guarded("similarity", where, partial(_pair, where, rec))
        if isinstance(pair, Rejected):
            run.rejected.append(pair)
            continue
        pairs.append(pair)
    scorer = PairScorer(embedder or UsemEmbedder(), fast=fast)
    for start in range(0, len(pairs), BATCH):
        chunk = pairs[start : start + BATCH]
        scores = guarded_batch(
            "similarity",
            [w for w, _, _, _ in chunk],
            lambda some: scorer.score_pairs([(a, b) for _, _, a, b in some]),
            chunk,
        )
        for (_, rid, _, _), score in zip(chunk, scores, strict=True):
            if isinstance(score, Rejected):
                run.rejected.append(score)
            else:
                run.scores.append((rid, round(score, 4)))
        if on_progress is not None:
            on_progress(start + len(chunk))
    return run
