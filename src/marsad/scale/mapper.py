"""The map step, one task per shard: ingest -> extract -> entities -> quotes -> text -> dedup keys,
written partitioned.

Outputs of shard S (all written atomically under names that depend only on S, so a redone shard
replaces its own files):
- OUT/articles/part-S, OUT/entities/part-S, OUT/quotes/part-S and OUT/rejects/part-S (final
  outputs; the entity and quote stages are those of ingest, see `marsad.scale.analysis`);
- work/keys, meta, sigs, texts: the duplicate step's inputs (`marsad.scale.candidates`);
- work/docs/w=K/S: what the story clusterer reads, partitioned by time window.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from typing import Any

import numpy as np
import pyarrow as pa

from marsad.boundary import guarded, guarded_items
from marsad.records import Article, RawDocument, Rejected
from marsad.scale.analysis import Analysis, analyse, analysis_tables, read_article, warm_up_reading
from marsad.scale.candidates import write_dedup_inputs
from marsad.scale.context import NO_TIME, RunContext, shard_file
from marsad.scale.parts import scatter, write_output, write_table
from marsad.scale.shards import Shard, read_shard
from marsad.scale.signature import document_keys

ARTICLE_SCHEMA = pa.schema(
    [
        ("id", pa.string()),
        ("record_id", pa.string()),
        ("url", pa.string()),
        ("outlet", pa.string()),
        ("title", pa.string()),
        ("body", pa.string()),
        ("paragraphs", pa.list_(pa.string())),
        ("published", pa.string()),
        ("language", pa.string()),
        ("agencies", pa.list_(pa.string())),
        (
            "comments",
            pa.list_(
                pa.struct(
                    [
                        ("index", pa.int64()),
                        ("parent", pa.int64()),
                        ("text", pa.string()),
                        ("author", pa.string()),
                    ]
                )
            ),
        ),
        ("comments_stated", pa.int64()),
        ("boilerplate", pa.list_(pa.string())),
        ("source", pa.string()),
    ]
)
REJECT_SCHEMA = pa.schema(
    [("stage", pa.string()), ("code", pa.string()), ("record_id", pa.string()), ("detail", pa.string())]
)
DOC_SCHEMA = pa.schema(
    [
        ("doc", pa.uint64()),
        ("ts", pa.int64()),
        ("title", pa.string()),
        ("text", pa.string()),
        ("language", pa.string()),
        ("outlet", pa.string()),
        ("record_id", pa.string()),
    ]
)


@dataclass(slots=True, frozen=True)
class MapTask:
    """Map one shard under the run's settings."""

    shard: Shard
    ctx: RunContext

    @property
    def key(self) -> str:
        return self.shard.key


def doc_int(doc_id: str) -> int:
    """A document id (16 hex digits of the content hash) as the uint64 the corpus steps use."""
    return int(doc_id[:16], 16)


def doc_hex(value: int) -> str:
    return f"{value:016x}"


def timestamp(article: Article, raw: RawDocument) -> int:
    """Seconds since the epoch (UTC) of publication, else of the fetch, else NO_TIME.

    A naive datetime is read as UTC.
    """
    when = article.published or raw.fetched_at
    if when is None:
        return NO_TIME
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return int(when.timestamp())


def record_id_of(raw: RawDocument) -> str:
    """The input record's own `id`, else where it was read (file, file@offset)."""
    external = raw.fields.get("id") if raw.hint == "record" else None
    return str(external) if external is not None else raw.source


def _article_row(article: Article, raw: RawDocument) -> dict[str, Any]:
    row = article.to_json()
    row["record_id"] = record_id_of(raw)
    return row


# A kept document: its article, its input record and its mentions and quotes.
Kept = tuple[Article, RawDocument, Analysis]


def _extracted(task: MapTask) -> tuple[list[Kept], list[Rejected], int, int]:
    seen: set[str] = set()
    kept: list[Kept] = []
    rejected: list[Rejected] = []
    read = repeated = 0
    # Whatever one document raises becomes its Rejected (marsad.boundary); the shard goes on.
    if task.ctx.time_budget:
        warm_up_reading()
    for item in guarded_items(
        "ingest", task.shard.describe(), read_shard(task.shard, max_bytes=task.ctx.max_bytes)
    ):
        read += 1
        if isinstance(item, Rejected):
            rejected.append(item)
            continue
        article = guarded("extract", item.source, partial(read_article, item), budget=task.ctx.time_budget)
        if isinstance(article, Rejected):
            rejected.append(article)
            continue
        if article.id in seen:
            # The same bytes twice in one shard: one document (its id is the content hash).
            repeated += 1
            continue
        # Outside the budget, as ingest's entity step. A failure rejects the document, which ingest
        # then does not store: a later copy is tried again, as at ingest.
        analysis = analyse(article, item.source)
        if isinstance(analysis, Rejected):
            rejected.append(analysis)
            continue
        seen.add(article.id)
        kept.append((article, item, analysis))
    return kept, rejected, read, repeated


def run_map(task: MapTask) -> dict[str, Any]:
    """Map one shard; returns its counts and the time windows it wrote."""
    ctx, name = task.ctx, task.shard.key
    started = datetime.now(UTC)
    kept, rejected, read, repeated = _extracted(task)
    articles = pa.Table.from_pylist([_article_row(a, r) for a, r, _ in kept], schema=ARTICLE_SCHEMA)
    write_output(ctx.out / "articles" / f"part-{name}", articles, ctx.fmt)
    mentions, quotes = analysis_tables([(a.id, record_id_of(r), found) for a, r, found in kept])
    write_output(ctx.out / "entities" / f"part-{name}", mentions, ctx.fmt)
    write_output(ctx.out / "quotes" / f"part-{name}", quotes, ctx.fmt)
    rejects = pa.Table.from_pylist(
        [{"stage": r.stage, "code": r.code, "record_id": r.record_id, "detail": r.detail} for r in rejected],
        schema=REJECT_SCHEMA,
    )
    write_output(ctx.out / "rejects" / f"part-{name}", rejects, ctx.fmt)

    docs = np.array([doc_int(a.id) for a, _, _ in kept], dtype=np.uint64)
    times = np.array([timestamp(a, r) for a, r, _ in kept], dtype=np.int64)
    bodies = [a.body for a, _, _ in kept]
    record_ids = [record_id_of(r) for _, r, _ in kept]
    write_dedup_inputs(ctx, name, docs, times, record_ids, bodies, document_keys(bodies, ctx.dedup))
    windows = np.array([ctx.window_of(int(t)) for t in times], dtype=np.int64)
    doc_table = pa.Table.from_pylist(
        [
            {
                "doc": int(d),
                "ts": int(t),
                "title": a.title,
                "text": a.body,
                "language": a.language,
                "outlet": a.outlet,
                "record_id": rid,
            }
            for d, t, (a, _, _), rid in zip(docs, times, kept, record_ids, strict=True)
        ],
        schema=DOC_SCHEMA,
    )
    for window, table in scatter(doc_table, windows).items():
        write_table(shard_file(ctx.work / "docs" / f"w={window}", name), table)
    by_code: dict[str, int] = {}
    for r in rejected:
        by_code[f"{r.stage}:{r.code}"] = by_code.get(f"{r.stage}:{r.code}", 0) + 1
    return {
        "shard": task.shard.describe(),
        "read": read,
        "articles": len(kept),
        "mentions": mentions.num_rows,
        "quotes": quotes.num_rows,
        "rejected": len(rejected),
        "rejected_by_code": by_code,
        "repeated": repeated,
        "windows": sorted({int(w) for w in windows}),
        "seconds": round((datetime.now(UTC) - started).total_seconds(), 3),
    }
