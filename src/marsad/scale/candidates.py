"""Duplicate candidates at corpus scale: the same candidates `MemoryDedupIndex` finds, from files.

Every document has an arrival number `seq` (its shard's place in the input order, then its place
in the shard): the order `marsad dedup` and `marsad ingest` read the same input in.

1. `write_dedup_inputs` (in the map task): per document its keys (42 band keys, its sampled
   shingles, its body hash) by hash(key); its meta, signature and body by hash(doc).
2. `run_buckets` (per key partition): a key's documents in arrival order; as in the in-memory
   postings a key lists its first `max_posting` documents, and each document pairs with the
   listed documents before it (the body hash: with its first document only). Pairs keyed by the
   later document (`new`); shared sampled shingles are counted.
3. `run_pairs_new` / `run_pairs_other` (per document partition): the pair meets `new`'s
   signature, then `other`'s. Exact and near pairs (a band collision with estimated Jaccard >=
   `near_threshold`) become links and duplicate-graph edges; containment candidates (Jaccard and
   sizes imply it, or the sampled shingles do, >= `containment_estimate`) take `other`'s body along.
4. `run_pairs_verify` (per partition of `new`): exact containment on the two shingle sets; a
   verified one is a link and an edge.

The links are the only relations the decision (`marsad.dedup.decision`) can act on, so each
connected component of these edges can be decided on its own (`marsad.scale.duplicates`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.parquet as pq

from marsad.dedup.minhash import implied_containment
from marsad.dedup.params import DedupParams
from marsad.dedup.sketch import Sketcher, containment
from marsad.scale.components import write_undirected
from marsad.scale.context import RunContext, shard_file
from marsad.scale.parts import partition_of, read_tables, scatter, write_table
from marsad.scale.signature import DocKeys
from marsad.text.arabic import normalize

U64 = npt.NDArray[np.uint64]
U32 = npt.NDArray[np.uint32]
I64 = npt.NDArray[np.int64]
F64 = npt.NDArray[np.float64]
BAND, SAMPLE, EXACT = 0, 1, 2
SEQ_BITS = 32  # seq = shard's place in the input << 32 | document's place in the shard

KEY_SCHEMA = pa.schema(
    [("key", pa.uint64()), ("kind", pa.uint8()), ("doc", pa.uint64()), ("rank", pa.int64())]
)
META_SCHEMA = pa.schema(
    [
        ("doc", pa.uint64()),
        ("ts", pa.int64()),
        ("rank", pa.int64()),
        ("shingles", pa.int64()),
        ("samples", pa.int64()),
        ("record_id", pa.string()),
    ]
)
TEXT_SCHEMA = pa.schema([("doc", pa.uint64()), ("body", pa.string())])
CAND_SCHEMA = pa.schema(
    [
        ("new", pa.uint64()),
        ("other", pa.uint64()),
        ("band", pa.uint8()),
        ("shared", pa.int64()),
        ("exact", pa.uint8()),
    ]
)
LINK_SCHEMA = pa.schema(
    [
        ("new", pa.uint64()),
        ("other", pa.uint64()),
        ("exact", pa.uint8()),
        ("near", pa.float64()),  # estimated Jaccard of a near pair, else -1
        ("estimate", pa.float64()),  # containment estimate of a verified containment, else -1
        ("verified", pa.float64()),  # its exact containment, else -1
    ]
)


@dataclass(slots=True, frozen=True)
class PartTask:
    """One partition of a corpus-wide step over the map outputs of `shards` (in input order)."""

    ctx: RunContext
    part: int
    shards: tuple[str, ...]

    @property
    def key(self) -> str:
        return f"p{self.part}"


def signature_table(docs: U64, signatures: U32) -> pa.Table:
    """(doc, sig) rows; `sig` is a fixed-size list of the signature's uint32 slots."""
    width = signatures.shape[1]
    sig = pa.FixedSizeListArray.from_arrays(pa.array(signatures.reshape(-1), type=pa.uint32()), width)
    return pa.table({"doc": pa.array(docs, type=pa.uint64()), "sig": sig})


def read_signatures(table: pa.Table, width: int) -> U32:
    """The (rows, width) uint32 matrix of a signature table's `sig` column."""
    if table.num_rows == 0:
        return np.zeros((0, width), dtype=np.uint32)
    values = np.asarray(table["sig"].combine_chunks().flatten().to_numpy(), dtype=np.uint32)
    return values.reshape(-1, width)


def _write_by(ctx: RunContext, area: str, name: str, table: pa.Table, keys: U64) -> None:
    for part, rows in scatter(table, partition_of(keys, ctx.partitions)).items():
        write_table(shard_file(ctx.work / area / f"p={part}", name), rows)


def write_dedup_inputs(
    ctx: RunContext, name: str, docs: U64, times: I64, record_ids: list[str], bodies: list[str], keys: DocKeys
) -> None:
    """The map task's dedup outputs for shard `name` (documents in shard order; see the module)."""
    rank = np.arange(len(docs), dtype=np.int64)
    indexed = keys.shingles > 0  # an empty body has no keys: it is unique (as in marsad.dedup)
    counts = np.diff(keys.sample_offsets)
    parts = [
        (keys.bands[indexed].reshape(-1), BAND, np.repeat(np.flatnonzero(indexed), keys.bands.shape[1])),
        (keys.samples, SAMPLE, np.repeat(np.arange(len(docs)), counts)),
        (keys.exact[indexed], EXACT, np.flatnonzero(indexed)),
    ]
    rows = pa.concat_tables(
        [
            pa.table(
                {
                    "key": k.astype(np.uint64),
                    "kind": np.full(len(k), kind, np.uint8),
                    "doc": docs[at],
                    "rank": rank[at],
                },
                schema=KEY_SCHEMA,
            )
            for k, kind, at in parts
        ]
    )
    _write_by(ctx, "keys", name, rows, rows["key"].to_numpy())
    meta = pa.table(
        {
            "doc": docs,
            "ts": times,
            "rank": rank,
            "shingles": keys.shingles.astype(np.int64),
            "samples": counts.astype(np.int64),
            "record_id": record_ids,
        },
        schema=META_SCHEMA,
    )
    _write_by(ctx, "meta", name, meta, docs)
    _write_by(ctx, "sigs", name, signature_table(docs, keys.signatures), docs)
    _write_by(ctx, "texts", name, pa.table({"doc": docs, "body": bodies}, schema=TEXT_SCHEMA), docs)


def read_ranked(task: PartTask, area: str, schema: pa.Schema) -> pa.Table:
    """One partition of a map output, every row with its document's arrival number `seq`."""
    directory = task.ctx.work / area / f"p={task.part}"
    tables = []
    for order, shard in enumerate(task.shards):
        table = read_tables([shard_file(directory, shard)], schema)
        seq = (np.int64(order) << SEQ_BITS) | table["rank"].to_numpy().astype(np.int64)
        tables.append(table.append_column("seq", pa.array(seq, type=pa.int64())))
    if not tables:
        return schema.append(pa.field("seq", pa.int64())).empty_table()
    return pa.concat_tables(tables)


@cache
def _pair_index(size: int, limit: int) -> tuple[I64, I64]:
    """(i, j) positions of every later document i and listed earlier document j < min(i, limit)."""
    js = [np.full(size - j - 1, j, np.int64) for j in range(min(size - 1, limit))]
    is_ = [np.arange(j + 1, size, dtype=np.int64) for j in range(min(size - 1, limit))]
    if not js:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    return np.concatenate(is_), np.concatenate(js)


def _aggregate(new: U64, other: U64, band: Any, shared: Any, exact: Any) -> pa.Table:
    """One row per (new, other): any band collision, shared samples summed, any exact match."""
    if not len(new):
        return CAND_SCHEMA.empty_table()
    order = np.lexsort((other, new))
    new, other = new[order], other[order]
    starts = np.flatnonzero(np.concatenate(([True], (new[1:] != new[:-1]) | (other[1:] != other[:-1]))))
    return pa.table(
        {
            "new": new[starts],
            "other": other[starts],
            "band": np.maximum.reduceat(np.asarray(band)[order], starts).astype(np.uint8),
            "shared": np.add.reduceat(np.asarray(shared)[order], starts).astype(np.int64),
            "exact": np.maximum.reduceat(np.asarray(exact)[order], starts).astype(np.uint8),
        },
        schema=CAND_SCHEMA,
    )


def run_buckets(task: PartTask) -> dict[str, Any]:
    """Pair the documents of every key of one key partition (see the module docstring)."""
    ctx = task.ctx
    table = read_ranked(task, "keys", KEY_SCHEMA)
    if table.num_rows == 0:
        return {"rows": 0, "pairs": 0}
    key = table["key"].to_numpy().astype(np.uint64)
    kind = table["kind"].to_numpy().astype(np.int64)
    doc = table["doc"].to_numpy().astype(np.uint64)
    seq = table["seq"].to_numpy().astype(np.int64)
    # A document met in two shards (the same bytes) counts once, at its first arrival.
    order = np.lexsort((seq, doc, key, kind))
    key, kind, doc, seq = key[order], kind[order], doc[order], seq[order]
    fresh = np.ones(len(key), dtype=bool)
    fresh[1:] = (key[1:] != key[:-1]) | (kind[1:] != kind[:-1]) | (doc[1:] != doc[:-1])
    key, kind, doc, seq = key[fresh], kind[fresh], doc[fresh], seq[fresh]
    order = np.lexsort((seq, key, kind))
    key, kind, doc = key[order], kind[order], doc[order]
    starts = np.flatnonzero(np.concatenate(([True], (key[1:] != key[:-1]) | (kind[1:] != kind[:-1]))))
    sizes = np.diff(np.append(starts, len(key)))
    news: list[U64] = []
    others: list[U64] = []
    kinds: list[I64] = []
    limit = ctx.dedup.max_posting
    for size in np.unique(sizes[sizes > 1]).tolist():
        firsts = starts[sizes == size]
        block = doc[firsts[:, None] + np.arange(size)]
        block_kind = kind[firsts]
        i, j = _pair_index(size, limit)
        exact_rows = block_kind == EXACT
        if exact_rows.any():
            sub = block[exact_rows]
            news.append(sub[:, 1:].reshape(-1))
            others.append(np.repeat(sub[:, 0], size - 1))
            kinds.append(np.full(len(news[-1]), EXACT, np.int64))
        for k in (BAND, SAMPLE):
            sub = block[block_kind == k]
            if len(sub):
                news.append(sub[:, i].reshape(-1))
                others.append(sub[:, j].reshape(-1))
                kinds.append(np.full(len(news[-1]), k, np.int64))
    if not news:
        return {"rows": len(key), "pairs": 0}
    new, other, pk = np.concatenate(news), np.concatenate(others), np.concatenate(kinds)
    pairs = _aggregate(new, other, pk == BAND, pk == SAMPLE, pk == EXACT)
    _scatter_pairs(ctx, "cands", f"b{task.part}", pairs, pairs["new"].to_numpy())
    return {"rows": len(key), "pairs": pairs.num_rows}


def _scatter_pairs(ctx: RunContext, area: str, producer: str, table: pa.Table, keys: Any) -> None:
    for part, rows in scatter(table, partition_of(np.asarray(keys, np.uint64), ctx.partitions)).items():
        write_table(shard_file(ctx.corpus / area / f"p={part}", producer), rows)


def _glob(task: PartTask, area: str) -> list[Any]:
    directory = task.ctx.corpus / area / f"p={task.part}"
    return sorted(directory.glob("*.parquet")) if directory.is_dir() else []


@dataclass(slots=True, frozen=True)
class DocFacts:
    """Signatures and sizes of the documents of one partition, sorted by doc, for lookups."""

    doc: U64
    sig: U32
    shingles: I64
    samples: I64

    def find(self, wanted: U64) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.bool_]]:
        if not len(self.doc):
            return np.zeros(len(wanted), np.intp), np.zeros(len(wanted), bool)
        pos = np.minimum(np.searchsorted(self.doc, wanted), len(self.doc) - 1)
        return pos, self.doc[pos] == wanted


def doc_facts(task: PartTask) -> DocFacts:
    """The signature and shingle/sample counts of every document of this doc partition."""
    width = task.ctx.dedup.num_perm
    directory = task.ctx.work / "sigs" / f"p={task.part}"
    tables = [pq.read_table(f) for f in (shard_file(directory, s) for s in task.shards) if f.exists()]
    sigs = (
        pa.concat_tables(tables)
        if tables
        else signature_table(np.zeros(0, np.uint64), np.zeros((0, width), np.uint32))
    )
    docs = sigs["doc"].to_numpy().astype(np.uint64)
    matrix = read_signatures(sigs, width)
    meta = read_tables(
        [shard_file(task.ctx.work / "meta" / f"p={task.part}", s) for s in task.shards], META_SCHEMA
    )
    mdoc = meta["doc"].to_numpy().astype(np.uint64)
    morder = np.argsort(mdoc, kind="stable")
    order = np.argsort(docs, kind="stable")
    docs, matrix = docs[order], matrix[order]
    pos = np.searchsorted(mdoc[morder], docs)
    return DocFacts(
        doc=docs,
        sig=matrix,
        shingles=meta["shingles"].to_numpy().astype(np.int64)[morder][pos],
        samples=meta["samples"].to_numpy().astype(np.int64)[morder][pos],
    )


def run_pairs_new(task: PartTask) -> dict[str, Any]:
    """Attach `new`'s signature and sizes to its candidate pairs; forward them keyed by `other`."""
    ctx = task.ctx
    t = read_tables(_glob(task, "cands"), CAND_SCHEMA)
    pairs = _aggregate(
        t["new"].to_numpy().astype(np.uint64),
        t["other"].to_numpy().astype(np.uint64),
        t["band"].to_numpy(),
        t["shared"].to_numpy(),
        t["exact"].to_numpy(),
    )
    facts = doc_facts(task)
    new = pairs["new"].to_numpy().astype(np.uint64)
    pos, found = facts.find(new)
    pairs = pairs.filter(pa.array(found))
    pos = pos[found]
    out = signature_table(pairs["new"].to_numpy().astype(np.uint64), facts.sig[pos])
    for name in ("other", "band", "shared", "exact"):
        out = out.append_column(name, pairs[name])
    out = out.append_column("shingles", pa.array(facts.shingles[pos])).append_column(
        "samples", pa.array(facts.samples[pos])
    )
    _scatter_pairs(ctx, "pairs", f"n{task.part}", out, out["other"].to_numpy())
    return {"candidates": out.num_rows}


def _estimates(p: DedupParams, t: pa.Table, sig_new: U32, facts: DocFacts, pos: Any) -> tuple[F64, Any, F64]:
    """(Jaccard, near?, containment estimate or 0) of each pair, as `MemoryDedupIndex` computes them."""
    jac = (sig_new == facts.sig[pos]).mean(axis=1) if len(pos) else np.zeros(0)
    band = t["band"].to_numpy().astype(bool)
    near = band & (jac >= p.near_threshold)
    sh_new, sh_other = t["shingles"].to_numpy().astype(np.int64), facts.shingles[pos]
    implied = implied_containment(jac, sh_new, sh_other)
    by_bands = np.where(band & ~near & (implied >= p.containment_estimate), implied, 0.0)
    shared = t["shared"].to_numpy().astype(np.float64)
    n_new, n_other = t["samples"].to_numpy().astype(np.int64), facts.samples[pos]
    in_other = np.where(n_new >= p.min_samples, shared / np.maximum(n_new, 1), 0.0)
    in_new = np.where(n_other >= p.min_samples, shared / np.maximum(n_other, 1), 0.0)
    sampled = np.maximum(in_other, in_new)
    by_samples = np.where((shared > 0) & (sampled >= p.containment_estimate), sampled, 0.0)
    return jac, near, np.maximum(by_bands, by_samples)


def run_pairs_other(task: PartTask) -> dict[str, Any]:
    """Meet `other`'s signature: exact and near pairs become links; containment candidates go on."""
    ctx = task.ctx
    p = ctx.dedup
    files = _glob(task, "pairs")
    if not files:
        return {"candidates": 0, "near": 0, "containment_candidates": 0}
    t = pa.concat_tables([pq.read_table(f) for f in files])
    facts = doc_facts(task)
    other = t["other"].to_numpy().astype(np.uint64)
    pos, found = facts.find(other)
    t, pos = t.filter(pa.array(found)), pos[found]
    sig_new = read_signatures(t, p.num_perm)
    jac, near, estimate = _estimates(p, t, sig_new, facts, pos)
    exact = t["exact"].to_numpy().astype(bool)
    new, other = t["doc"].to_numpy().astype(np.uint64), t["other"].to_numpy().astype(np.uint64)
    linked = exact | near
    links = pa.table(
        {
            "new": new[linked],
            "other": other[linked],
            "exact": exact[linked].astype(np.uint8),
            "near": np.where(near, jac, -1.0)[linked],
            "estimate": np.full(int(linked.sum()), -1.0),
            "verified": np.full(int(linked.sum()), -1.0),
        },
        schema=LINK_SCHEMA,
    )
    _scatter_pairs(ctx, "links", f"o{task.part}", links, links["new"].to_numpy())
    write_undirected(ctx, "dedup", 0, f"o{task.part}", new[linked], other[linked])
    option = estimate > 0
    bodies = read_tables(
        [shard_file(ctx.work / "texts" / f"p={task.part}", s) for s in task.shards], TEXT_SCHEMA
    )
    body_of = dict(zip(bodies["doc"].to_pylist(), bodies["body"].to_pylist(), strict=True))
    opts = pa.table(
        {
            "new": new[option],
            "other": other[option],
            "estimate": estimate[option],
            "body": [body_of[int(d)] for d in other[option]],
        }
    )
    _scatter_pairs(ctx, "options", f"o{task.part}", opts, opts["new"].to_numpy())
    return {"candidates": len(new), "near": int(linked.sum()), "containment_candidates": int(option.sum())}


@cache
def _sketcher(params: DedupParams) -> Sketcher:
    return Sketcher(params)


def run_pairs_verify(task: PartTask) -> dict[str, Any]:
    """Verify containment candidates on exact shingle sets; the verified ones are links and edges."""
    ctx = task.ctx
    files = _glob(task, "options")
    if not files:
        return {"verified": 0}
    t = pa.concat_tables([pq.read_table(f) for f in files])
    bodies = read_tables(
        [shard_file(ctx.work / "texts" / f"p={task.part}", s) for s in task.shards], TEXT_SCHEMA
    )
    body_of = dict(zip(bodies["doc"].to_pylist(), bodies["body"].to_pylist(), strict=True))
    sketcher = _sketcher(ctx.dedup)
    own: dict[int, U64] = {}
    scores = []
    for new, theirs in zip(t["new"].to_pylist(), t["body"].to_pylist(), strict=True):
        if new not in own:
            own[new] = sketcher.shingle_set(normalize(body_of[new]))
        a, b = own[new], sketcher.shingle_set(normalize(theirs))
        small, large = (a, b) if len(a) <= len(b) else (b, a)
        scores.append(containment(small, large))
    score = np.array(scores, dtype=np.float64)
    ok = score >= ctx.dedup.containment_threshold
    new = t["new"].to_numpy().astype(np.uint64)[ok]
    other = t["other"].to_numpy().astype(np.uint64)[ok]
    links = pa.table(
        {
            "new": new,
            "other": other,
            "exact": np.zeros(len(new), np.uint8),
            "near": np.full(len(new), -1.0),
            "estimate": t["estimate"].to_numpy()[ok],
            "verified": score[ok],
        },
        schema=LINK_SCHEMA,
    )
    write_table(shard_file(ctx.corpus / "links" / f"p={task.part}", f"v{task.part}"), links)
    write_undirected(ctx, "dedup", 0, f"v{task.part}", new, other)
    return {"verified": len(new), "rejected": int((~ok).sum())}
