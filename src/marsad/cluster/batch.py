"""Batch clustering of a JSONL stream: the importable side of `marsad cluster` and `marsad similarity`.

Records are validated line by line; a bad line becomes a `Rejected` naming `file:line` and the
reason, and the rest is processed. Embedding runs in worker processes (single-threaded each, the
only setting where USE is fast on 2 cores) while the main process assigns stories in order.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from marsad import errors
from marsad.cluster.base import ClusterDoc
from marsad.cluster.features import doc_signals
from marsad.cluster.online import ClustererSettings, EmbeddingClusterer
from marsad.cluster.similarity import PairScorer
from marsad.embed.base import Embedder, UsemEmbedder
from marsad.embed.views import DocVectors, ViewConfig, embed_documents
from marsad.errors import InputError
from marsad.records import RawDocument, Rejected

MAX_LINE_BYTES = 5_000_000
BATCH = 64


@dataclass(slots=True)
class ClusterRun:
    """Output of a batch run: (id, story_id) in input order, and the rejected lines."""

    assignments: list[tuple[str, str]] = field(default_factory=list)
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
                obj = json.loads(raw.decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                yield _reject(stage, errors.BAD_JSON, where, f"not a UTF-8 JSON object: {exc}")
                continue
            if not isinstance(obj, dict):
                yield _reject(
                    stage, errors.BAD_JSON, where, f"expected a JSON object, got {type(obj).__name__}"
                )
                continue
            yield where, obj


def record_to_doc(where: str, rec: dict[str, Any]) -> ClusterDoc:
    """The ClusterDoc of one `marsad cluster` input record. Raises InputError naming `where`."""
    rid = rec.get("id")
    if not isinstance(rid, str | int) or isinstance(rid, bool) or str(rid) == "":
        raise InputError(f"{where}: record needs a non-empty string 'id'", code=errors.BAD_RECORD)
    from marsad.extract import extract

    raw = RawDocument(id=str(rid), source=where, content=b"", hint="record", fields=rec)
    try:
        article = extract(raw)
    except InputError as exc:
        raise InputError(f"{where}: {exc.args[0]}", code=exc.code) from exc
    return ClusterDoc(
        id=str(rid),
        text=article.body,
        title=article.title,
        language=article.language,
        published=article.published,
        outlet=article.outlet,
    )


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


def _worker_embed(docs: list[tuple[str | None, str]], views: ViewConfig) -> list[DocVectors]:
    assert _worker_embedder is not None
    return embed_documents(_worker_embedder, docs, views)


def _embedded_batches(
    docs: Sequence[ClusterDoc], embedder: Embedder, views: ViewConfig, workers: int
) -> Iterator[list[DocVectors]]:
    batches = [docs[i : i + BATCH] for i in range(0, len(docs), BATCH)]
    if workers <= 1 or len(batches) <= 1:
        for batch in batches:
            yield embed_documents(embedder, [(d.title, d.text) for d in batch], views)
        return
    with ProcessPoolExecutor(max_workers=workers, initializer=_worker_init) as pool:
        pending: list[Future[list[DocVectors]]] = []
        ahead = workers * 2
        for batch in batches:
            pending.append(pool.submit(_worker_embed, [(d.title, d.text) for d in batch], views))
            if len(pending) > ahead:
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
    docs: list[ClusterDoc] = []
    seen: set[str] = set()
    for item in read_jsonl(path, "cluster"):
        if isinstance(item, Rejected):
            run.rejected.append(item)
            continue
        where, rec = item
        try:
            doc = record_to_doc(where, rec)
        except InputError as exc:
            run.rejected.append(
                _reject("cluster", exc.code, where, str(exc.args[0]).removeprefix(f"{where}: "))
            )
            continue
        if doc.id in seen:
            run.rejected.append(_reject("cluster", errors.BAD_RECORD, where, f"duplicate id {doc.id!r}"))
            continue
        seen.add(doc.id)
        docs.append(doc)
    clusterer = EmbeddingClusterer(embedder or UsemEmbedder(), settings or ClustererSettings())
    order = publication_order(docs)
    ordered = [docs[i] for i in order]
    story_of: dict[str, str] = {}
    done = 0
    batches = _embedded_batches(ordered, clusterer.embedder, clusterer.views, workers)
    for start, vectors in zip(range(0, len(ordered), BATCH), batches, strict=True):
        for doc, vec in zip(ordered[start : start + BATCH], vectors, strict=True):
            assignment = clusterer.assign_signals(doc_signals(doc, vec))
            story_of[doc.id] = assignment.story_id
            run.new_stories += int(assignment.new_story)
        done += len(vectors)
        if on_progress is not None:
            on_progress(done)
    run.assignments = [(d.id, story_of[d.id]) for d in docs]
    return run


@dataclass(slots=True)
class SimilarityRun:
    scores: list[tuple[str, float]] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)


def score_records(path: Path, *, embedder: Embedder | None = None) -> SimilarityRun:
    """Score every valid {"id", "text1", "text2"} record of the JSONL at `path`."""
    run = SimilarityRun()
    pairs: list[tuple[str, str, str]] = []
    for item in read_jsonl(path, "similarity"):
        if isinstance(item, Rejected):
            run.rejected.append(item)
            continue
        where, rec = item
        rid = rec.get("id")
        bad = None
        if not isinstance(rid, str | int) or isinstance(rid, bool) or str(rid) == "":
            bad = "record needs a non-empty string 'id'"
        else:
            for key in ("text1", "text2"):
                value = rec.get(key)
                if not isinstance(value, str) or not value.strip():
                    bad = f"record needs a non-empty string {key!r}"
                    break
        if bad:
            run.rejected.append(_reject("similarity", errors.BAD_RECORD, where, bad))
            continue
        pairs.append((str(rid), rec["text1"], rec["text2"]))
    scorer = PairScorer(embedder or UsemEmbedder())
    for start in range(0, len(pairs), BATCH):
        chunk = pairs[start : start + BATCH]
        scores = scorer.score_pairs([(a, b) for _, a, b in chunk])
        run.scores.extend((rid, round(s, 4)) for (rid, _, _), s in zip(chunk, scores, strict=True))
    return run
