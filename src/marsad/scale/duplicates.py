"""Corpus-wide duplicate groups: LSH buckets grouped across workers, then connected components.

1. `run_buckets` (per band-key partition): every bucket holding two or more documents yields
   candidate pairs (all pairs of a small bucket; a star plus a chain in a big one).
2. `run_verify_lo` / `run_verify_hi` (per document partition): the pair meets the signature of
   one end, then of the other; it becomes an edge when the two signatures agree on at least
   `near_threshold` of their slots (the estimated Jaccard of `marsad.dedup`).
3. `marsad.scale.components`: connected components of those edges, distributed.
4. `run_group_join` (per document partition): each document meets its component label; documents
   without one are unique and written at once.
5. `run_group_reduce` (per label partition): a group's canonical member is its earliest document
   (then smallest id); a member is "exact" when its normalized text hashes like the canonical's,
   else "near". It also tells the story step which documents to skip (non-canonical members,
   by their own window) and which to give their canonical's story (by the canonical's window).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.parquet as pq

from marsad.scale.components import read_labels, write_undirected
from marsad.scale.context import RunContext, shard_file
from marsad.scale.mapper import BAND_SCHEMA, META_SCHEMA, read_signatures, signature_table
from marsad.scale.parts import partition_of, read_tables, scatter, write_output, write_table

DUPLICATE_SCHEMA = pa.schema(
    [
        ("id", pa.string()),
        ("group_id", pa.string()),
        ("kind", pa.string()),
        ("canonical", pa.string()),
        ("size", pa.int64()),
    ]
)
PAIR_SCHEMA = pa.schema([("lo", pa.uint64()), ("hi", pa.uint64())])
SMALL_BUCKET = 16
U64 = npt.NDArray[np.uint64]
U32 = npt.NDArray[np.uint32]
GROUP_SCHEMA = pa.schema(
    [("label", pa.uint64()), ("doc", pa.uint64()), ("ts", pa.int64()), ("exact", pa.uint64())]
)
SKIP_SCHEMA = pa.schema([("doc", pa.uint64())])
INHERIT_SCHEMA = pa.schema([("doc", pa.uint64()), ("canonical", pa.uint64())])


@dataclass(slots=True, frozen=True)
class PartTask:
    """One partition of a corpus-wide step over the map outputs of `shards`."""

    ctx: RunContext
    part: int
    shards: tuple[str, ...]

    @property
    def key(self) -> str:
        return f"p{self.part}"


def _hex(values: Any) -> list[str]:
    return [f"{int(x):016x}" for x in values]


def _bucket_pairs(key: U64, doc: U64) -> tuple[U64, U64]:
    """Candidate pairs (lo, hi) of buckets sorted by (key, doc): every pair in a bucket of up to
    SMALL_BUCKET documents; in a bigger one each document pairs with the least member and with its
    neighbour in id order (linear, and copies of one text share most of their buckets anyway)."""
    starts = np.flatnonzero(np.concatenate(([True], key[1:] != key[:-1])))
    sizes = np.diff(np.append(starts, len(key)))
    los: list[U64] = []
    his: list[U64] = []
    for size in np.unique(sizes[sizes > 1]):
        firsts = starts[sizes == size]
        block = doc[firsts[:, None] + np.arange(size)]  # (buckets of this size, size)
        if size <= SMALL_BUCKET:
            i, j = np.triu_indices(int(size), k=1)
            los.append(block[:, i].reshape(-1))
            his.append(block[:, j].reshape(-1))
        else:
            los.extend([np.repeat(block[:, 0], size - 1), block[:, 1:-1].reshape(-1)])
            his.extend([block[:, 1:].reshape(-1), block[:, 2:].reshape(-1)])
    if not los:
        return np.zeros(0, np.uint64), np.zeros(0, np.uint64)
    return _unique_pairs(np.concatenate(los), np.concatenate(his))


def _unique_pairs(lo: U64, hi: U64) -> tuple[U64, U64]:
    order = np.lexsort((hi, lo))
    lo, hi = lo[order], hi[order]
    fresh = np.ones(len(lo), dtype=bool)
    fresh[1:] = (lo[1:] != lo[:-1]) | (hi[1:] != hi[:-1])
    return lo[fresh], hi[fresh]


def run_buckets(task: PartTask) -> dict[str, Any]:
    """Group the band keys of one partition into buckets; write candidate pairs keyed by `lo`."""
    ctx = task.ctx
    directory = ctx.work / "bands" / f"p={task.part}"
    table = read_tables([shard_file(directory, s) for s in task.shards], BAND_SCHEMA)
    key = table["key"].to_numpy().astype(np.uint64)
    doc = table["doc"].to_numpy().astype(np.uint64)
    if len(key) == 0:
        return {"rows": 0, "pairs": 0}
    order = np.lexsort((doc, key))
    key, doc = key[order], doc[order]
    fresh = np.ones(len(key), dtype=bool)
    fresh[1:] = (key[1:] != key[:-1]) | (doc[1:] != doc[:-1])
    lo, hi = _bucket_pairs(key[fresh], doc[fresh])
    pairs = pa.table({"lo": lo, "hi": hi}, schema=PAIR_SCHEMA)
    for part, rows in scatter(pairs, partition_of(lo, ctx.partitions)).items():
        write_table(shard_file(ctx.corpus / "pairs" / f"p={part}", f"b{task.part}"), rows)
    return {"rows": int(fresh.sum()), "pairs": len(lo)}


def _signatures_of(task: PartTask, wanted: U64) -> tuple[U32, npt.NDArray[np.bool_]]:
    """The signatures of `wanted` documents (all in this partition) and which were found."""
    width = task.ctx.dedup.num_perm
    directory = task.ctx.work / "sigs" / f"p={task.part}"
    files = [shard_file(directory, s) for s in task.shards]
    tables = [pq.read_table(f) for f in files if f.exists()]
    if not tables or not len(wanted):
        return np.zeros((len(wanted), width), np.uint32), np.zeros(len(wanted), bool)
    table = pa.concat_tables(tables)
    docs = table["doc"].to_numpy().astype(np.uint64)
    sigs = read_signatures(table, width)
    order = np.argsort(docs, kind="stable")
    docs, sigs = docs[order], sigs[order]
    pos = np.minimum(np.searchsorted(docs, wanted), len(docs) - 1)
    return sigs[pos], docs[pos] == wanted


def run_verify_lo(task: PartTask) -> dict[str, Any]:
    """Attach the signature of `lo` to each candidate pair; forward the pairs keyed by `hi`."""
    ctx = task.ctx
    directory = ctx.corpus / "pairs" / f"p={task.part}"
    files = sorted(directory.glob("*.parquet")) if directory.is_dir() else []
    table = read_tables(files, PAIR_SCHEMA)
    lo, hi = _unique_pairs(table["lo"].to_numpy().astype(np.uint64), table["hi"].to_numpy().astype(np.uint64))
    sig, found = _signatures_of(task, lo)
    lo, hi, sig = lo[found], hi[found], sig[found]
    out = signature_table(lo, sig).append_column("hi", pa.array(hi, type=pa.uint64()))
    for part, rows in scatter(out, partition_of(hi, ctx.partitions)).items():
        write_table(shard_file(ctx.corpus / "pairs2" / f"p={part}", f"v{task.part}"), rows)
    return {"candidates": len(lo)}


def run_verify_hi(task: PartTask) -> dict[str, Any]:
    """Keep the pairs whose signatures agree on at least `near_threshold` of their slots."""
    ctx = task.ctx
    width = ctx.dedup.num_perm
    directory = ctx.corpus / "pairs2" / f"p={task.part}"
    files = sorted(directory.glob("*.parquet")) if directory.is_dir() else []
    if not files:
        return {"candidates": 0, "edges": 0}
    table = pa.concat_tables([pq.read_table(f) for f in files])
    lo = table["doc"].to_numpy().astype(np.uint64)
    hi = table["hi"].to_numpy().astype(np.uint64)
    sig_lo = read_signatures(table, width)
    sig_hi, found = _signatures_of(task, hi)
    similar = (sig_lo == sig_hi).mean(axis=1) >= ctx.dedup.near_threshold
    keep = found & similar
    write_undirected(ctx, "dedup", 0, f"v{task.part}", lo[keep], hi[keep])
    return {"candidates": len(lo), "edges": int(keep.sum())}


@dataclass(slots=True, frozen=True)
class _Meta:
    doc: U64
    ts: npt.NDArray[np.int64]
    exact: U64
    repeats: int
    stray: pa.Table  # (doc) rows to skip, by window: a repeat of a document in another window


def _unique_meta(task: PartTask) -> _Meta:
    """One row per document (its earliest time); the same bytes met again are repeats."""
    ctx = task.ctx
    directory = ctx.work / "meta" / f"p={task.part}"
    table = read_tables([shard_file(directory, s) for s in task.shards], META_SCHEMA)
    doc = table["doc"].to_numpy().astype(np.uint64)
    ts = table["ts"].to_numpy().astype(np.int64)
    exact = table["exact"].to_numpy().astype(np.uint64)
    order = np.lexsort((ts, doc))
    doc, ts, exact = doc[order], ts[order], exact[order]
    fresh = np.ones(len(doc), dtype=bool)
    fresh[1:] = doc[1:] != doc[:-1]
    # A repeat fetched at another time can land in another window: that window must skip it.
    kept_ts = ts[fresh][np.cumsum(fresh) - 1]
    stray = ~fresh & (
        np.array([ctx.window_of(int(t)) for t in ts], dtype=np.int64)
        != np.array([ctx.window_of(int(t)) for t in kept_ts], dtype=np.int64)
    )
    return _Meta(
        doc=doc[fresh],
        ts=ts[fresh],
        exact=exact[fresh],
        repeats=int((~fresh).sum()),
        stray=pa.table(
            {"doc": doc[stray], "window": np.array([ctx.window_of(int(t)) for t in ts[stray]], np.int64)}
        ),
    )


def run_group_join(task: PartTask) -> dict[str, Any]:
    """Give each document of one partition its component label; write the unique ones out."""
    ctx = task.ctx
    meta = _unique_meta(task)
    doc, ts, exact = meta.doc, meta.ts, meta.exact
    if meta.stray.num_rows:
        skip = meta.stray.select(["doc"]).cast(SKIP_SCHEMA)
        for window, rows in scatter(skip, meta.stray["window"].to_numpy()).items():
            write_table(shard_file(ctx.corpus / "skip" / f"w={window}", f"r{task.part}"), rows)
    nodes, labels = read_labels(ctx, "dedup", f"p={task.part}")
    order = np.argsort(nodes)
    nodes, labels = nodes[order], labels[order]
    pos = np.searchsorted(nodes, doc)
    pos_ok = np.minimum(pos, max(len(nodes) - 1, 0))
    grouped = (pos < len(nodes)) & (nodes[pos_ok] == doc) if len(nodes) else np.zeros(len(doc), dtype=bool)
    unique_ids = _hex(doc[~grouped])
    unique = pa.table(
        {
            "id": unique_ids,
            "group_id": unique_ids,
            "kind": ["unique"] * len(unique_ids),
            "canonical": unique_ids,
            "size": np.ones(len(unique_ids), dtype=np.int64),
        },
        schema=DUPLICATE_SCHEMA,
    )
    write_output(ctx.out / "duplicates" / f"part-u{task.part:05d}", unique, ctx.fmt)
    rows = pa.table(
        {
            "label": labels[pos_ok[grouped]] if len(nodes) else np.zeros(0, np.uint64),
            "doc": doc[grouped],
            "ts": ts[grouped],
            "exact": exact[grouped],
        },
        schema=GROUP_SCHEMA,
    )
    for part, table in scatter(rows, partition_of(rows["label"].to_numpy(), ctx.partitions)).items():
        write_table(shard_file(ctx.corpus / "groups" / f"p={part}", f"j{task.part}"), table)
    return {"documents": len(doc), "unique": len(unique_ids), "repeated": meta.repeats}


def run_group_reduce(task: PartTask) -> dict[str, Any]:
    """Assemble the duplicate groups whose label falls in one partition."""
    ctx = task.ctx
    directory = ctx.corpus / "groups" / f"p={task.part}"
    files = sorted(directory.glob("*.parquet")) if directory.is_dir() else []
    table = read_tables(files, GROUP_SCHEMA)
    label = table["label"].to_numpy().astype(np.uint64)
    doc = table["doc"].to_numpy().astype(np.uint64)
    ts = table["ts"].to_numpy().astype(np.int64)
    exact = table["exact"].to_numpy().astype(np.uint64)
    order = np.lexsort((doc, ts, label))
    label, doc, ts, exact = label[order], doc[order], ts[order], exact[order]
    starts = (
        np.flatnonzero(np.concatenate(([True], label[1:] != label[:-1])))
        if len(label)
        else np.zeros(0, np.int64)
    )
    sizes = np.diff(np.append(starts, len(label)))
    canon = np.repeat(doc[starts], sizes)
    canon_exact = np.repeat(exact[starts], sizes)
    canon_ts = np.repeat(ts[starts], sizes)
    same = exact == canon_exact
    all_same = np.repeat(np.logical_and.reduceat(same, starts) if len(starts) else same, sizes)
    is_canon = doc == canon
    kind = np.where(is_canon, np.where(all_same, "exact", "near"), np.where(same, "exact", "near"))
    ids = _hex(doc)
    out = pa.table(
        {
            "id": ids,
            "group_id": _hex(canon),
            "kind": kind.tolist(),
            "canonical": _hex(canon),
            "size": np.repeat(sizes, sizes).astype(np.int64),
        },
        schema=DUPLICATE_SCHEMA,
    )
    write_output(ctx.out / "duplicates" / f"part-g{task.part:05d}", out, ctx.fmt)
    members = ~is_canon
    skip = pa.table({"doc": doc[members]}, schema=SKIP_SCHEMA)
    own_windows = np.array([ctx.window_of(int(t)) for t in ts[members]], dtype=np.int64)
    for window, rows in scatter(skip, own_windows).items():
        write_table(shard_file(ctx.corpus / "skip" / f"w={window}", f"g{task.part}"), rows)
    inherit = pa.table({"doc": doc[members], "canonical": canon[members]}, schema=INHERIT_SCHEMA)
    canon_windows = np.array([ctx.window_of(int(t)) for t in canon_ts[members]], dtype=np.int64)
    for window, rows in scatter(inherit, canon_windows).items():
        write_table(shard_file(ctx.corpus / "inherit" / f"w={window}", f"g{task.part}"), rows)
    return {
        "groups": len(starts),
        "grouped_documents": len(doc),
        "exact_members": int((same & members).sum()),
        "near_members": int((~same & members).sum()),
    }
