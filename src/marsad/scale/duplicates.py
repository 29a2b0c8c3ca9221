"""Corpus-wide duplicate groups: the one duplicate decision, one connected component at a time.

`marsad.scale.candidates` finds every link the decision could make (exact, near, verified
containment) and writes them as edges; `marsad.scale.components` labels their connected
components. A component is closed under the decision: groups only ever merge along these links.
So each component is replayed on its own, its documents in arrival order, through
`marsad.dedup.decision.decide_links` (the decision `marsad dedup` and `marsad ingest` make),
and gives the same groups, canonical members and kinds as they do.

1. `run_group_join` (per document partition): each document meets its component label; documents
   without one are unique and written at once; the others go to their label's partition with
   their signature, and so do their links.
2. `run_group_reduce` (per label partition): the replay. A group's canonical member is its
   earliest document (publication time, then arrival). It also tells the story step which
   documents to skip (non-canonical members, by their own window) and which to give their
   canonical's story (by the canonical's window).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.parquet as pq

from marsad.dedup.decision import decide_links, signatures_related
from marsad.dedup.groups import Candidates, GroupBook
from marsad.scale.candidates import (
    LINK_SCHEMA,
    META_SCHEMA,
    PartTask,
    doc_facts,
    read_ranked,
    read_signatures,
    signature_table,
)
from marsad.scale.components import read_labels
from marsad.scale.context import NO_TIME, RunContext, shard_file
from marsad.scale.parts import partition_of, read_tables, scatter, write_output, write_table

DUPLICATE_SCHEMA = pa.schema(
    [
        ("id", pa.string()),
        ("record_id", pa.string()),
        ("group_id", pa.string()),
        ("kind", pa.string()),
        ("canonical", pa.string()),
        ("size", pa.int64()),
    ]
)
U64 = npt.NDArray[np.uint64]
U32 = npt.NDArray[np.uint32]
SKIP_SCHEMA = pa.schema([("doc", pa.uint64())])
INHERIT_SCHEMA = pa.schema([("doc", pa.uint64()), ("canonical", pa.uint64()), ("record_id", pa.string())])
_MEMBER_FIELDS = [
    ("label", pa.uint64()),
    ("ts", pa.int64()),
    ("seq", pa.int64()),
    ("shingles", pa.int64()),
    ("record_id", pa.string()),
]
_GLINK_FIELDS = [("label", pa.uint64()), *((f.name, f.type) for f in LINK_SCHEMA)]


def _hex(values: Any) -> list[str]:
    return [f"{int(x):016x}" for x in values]


@dataclass(slots=True, frozen=True)
class _Meta:
    doc: U64
    ts: npt.NDArray[np.int64]
    seq: npt.NDArray[np.int64]
    record_id: list[str]
    repeats: int
    stray: pa.Table  # (doc, window) rows to skip: a repeat of a document in another window


def _unique_meta(task: PartTask) -> _Meta:
    """One row per document (its first arrival); the same bytes met again are repeats."""
    ctx = task.ctx
    table = read_ranked(task, "meta", META_SCHEMA)
    doc = table["doc"].to_numpy().astype(np.uint64)
    ts = table["ts"].to_numpy().astype(np.int64)
    seq = table["seq"].to_numpy().astype(np.int64)
    order = np.lexsort((seq, doc))
    doc, ts, seq = doc[order], ts[order], seq[order]
    records = table["record_id"].take(pa.array(order)).to_pylist()
    fresh = np.ones(len(doc), dtype=bool)
    fresh[1:] = doc[1:] != doc[:-1]
    # A repeat fetched at another time can land in another window: that window must skip it.
    kept_ts = ts[fresh][np.cumsum(fresh) - 1]
    windows = np.array([ctx.window_of(int(t)) for t in ts], dtype=np.int64)
    kept_windows = np.array([ctx.window_of(int(t)) for t in kept_ts], dtype=np.int64)
    stray = ~fresh & (windows != kept_windows)
    return _Meta(
        doc=doc[fresh],
        ts=ts[fresh],
        seq=seq[fresh],
        record_id=[r for r, f in zip(records, fresh.tolist(), strict=True) if f],
        repeats=int((~fresh).sum()),
        stray=pa.table({"doc": doc[stray], "window": windows[stray]}),
    )


def _labels_of(ctx: RunContext, part: int, doc: U64) -> tuple[U64, npt.NDArray[np.bool_]]:
    nodes, labels = read_labels(ctx, "dedup", f"p={part}")
    if not len(nodes):
        return np.zeros(len(doc), np.uint64), np.zeros(len(doc), dtype=bool)
    order = np.argsort(nodes)
    nodes, labels = nodes[order], labels[order]
    pos = np.minimum(np.searchsorted(nodes, doc), len(nodes) - 1)
    return labels[pos], nodes[pos] == doc


def run_group_join(task: PartTask) -> dict[str, Any]:
    """Give each document of one partition its component label; write the unique ones out."""
    ctx = task.ctx
    meta = _unique_meta(task)
    doc = meta.doc
    if meta.stray.num_rows:
        skip = meta.stray.select(["doc"]).cast(SKIP_SCHEMA)
        for window, rows in scatter(skip, meta.stray["window"].to_numpy()).items():
            write_table(shard_file(ctx.corpus / "skip" / f"w={window}", f"r{task.part}"), rows)
    label, grouped = _labels_of(ctx, task.part, doc)
    unique_ids = _hex(doc[~grouped])
    unique = pa.table(
        {
            "id": unique_ids,
            "record_id": [r for r, g in zip(meta.record_id, grouped.tolist(), strict=True) if not g],
            "group_id": unique_ids,
            "kind": ["unique"] * len(unique_ids),
            "canonical": unique_ids,
            "size": np.ones(len(unique_ids), dtype=np.int64),
        },
        schema=DUPLICATE_SCHEMA,
    )
    write_output(ctx.out / "duplicates" / f"part-u{task.part:05d}", unique, ctx.fmt)
    facts = doc_facts(task)
    pos, _ = facts.find(doc[grouped])
    members = signature_table(doc[grouped], facts.sig[pos])
    columns = {
        "label": label[grouped],
        "ts": meta.ts[grouped],
        "seq": meta.seq[grouped],
        "shingles": facts.shingles[pos],
        "record_id": [r for r, g in zip(meta.record_id, grouped.tolist(), strict=True) if g],
    }
    for name, kind in _MEMBER_FIELDS:
        members = members.append_column(pa.field(name, kind), pa.array(columns[name], type=kind))
    for part, rows in scatter(members, partition_of(label[grouped], ctx.partitions)).items():
        write_table(shard_file(ctx.corpus / "groups" / f"p={part}", f"j{task.part}"), rows)
    directory = ctx.corpus / "links" / f"p={task.part}"
    links = read_tables(sorted(directory.glob("*.parquet")) if directory.is_dir() else [], LINK_SCHEMA)
    link_label, found = _labels_of(ctx, task.part, links["new"].to_numpy().astype(np.uint64))
    links = links.filter(pa.array(found))
    links = pa.table({"label": link_label[found], **{n: links[n] for n in LINK_SCHEMA.names}})
    for part, rows in scatter(links, partition_of(link_label[found], ctx.partitions)).items():
        write_table(shard_file(ctx.corpus / "glinks" / f"p={part}", f"j{task.part}"), rows)
    return {"documents": len(doc), "unique": len(unique_ids), "repeated": meta.repeats}


class _ComponentView:
    """The `GroupView` of one component being replayed: documents are arrival ranks 0..n-1."""

    def __init__(self, sigs: U32, shingles: npt.NDArray[np.int64], ts: list[int], floor: float) -> None:
        self.sigs, self.shingles, self.floor = sigs, shingles, floor
        self.book = GroupBook()
        for t in ts:
            # GroupBook orders members by this key, then arrival; undated ones come last.
            self.book.add(None if t == NO_TIME else f"{t + (1 << 62):020d}")
        self.verified: dict[tuple[int, int], float] = {}

    def same_group(self, a: int, b: int) -> bool:
        return self.book.root(a) == self.book.root(b)

    def related(self, a: int, b: int) -> bool:
        return signatures_related(
            self.sigs[a], self.sigs[b], int(self.shingles[a]), int(self.shingles[b]), self.floor
        )

    def canonical(self, a: int) -> int:
        return self.book.canonical(a)

    def verify(self, doc: int, other: int, estimate: float) -> float:
        return self.verified.get((doc, other), 0.0)


def _replay(ctx: RunContext, members: pa.Table, links: pa.Table) -> _ComponentView:
    """Decide the component's documents in arrival order, exactly as the online indexes do."""
    docs = members["doc"].to_pylist()  # members come in arrival order
    rank = {d: i for i, d in enumerate(docs)}
    view = _ComponentView(
        read_signatures(members, ctx.dedup.num_perm),
        members["shingles"].to_numpy().astype(np.int64),
        members["ts"].to_pylist(),
        ctx.dedup.merge_floor,
    )
    found = [Candidates() for _ in docs]
    for row in links.to_pylist():
        new, other = rank.get(row["new"]), rank.get(row["other"])
        if new is None or other is None:
            continue
        if row["exact"]:
            found[new].exact = other
        if row["near"] >= 0:
            found[new].near.append((other, row["near"]))
        if row["verified"] >= 0:
            found[new].contained.append((other, row["estimate"]))
            view.verified[(new, other)] = row["verified"]
    for i, candidates in enumerate(found):
        for link in decide_links(i, candidates, view, ctx.dedup.containment_threshold):
            view.book.link(i, link)
    return view


def run_group_reduce(task: PartTask) -> dict[str, Any]:
    """Replay the components whose label falls in one partition; write their groups."""
    ctx = task.ctx
    directory = ctx.corpus / "groups" / f"p={task.part}"
    files = sorted(directory.glob("*.parquet")) if directory.is_dir() else []
    members = pa.concat_tables([pq.read_table(f) for f in files]) if files else None
    link_dir = ctx.corpus / "glinks" / f"p={task.part}"
    link_files = sorted(link_dir.glob("*.parquet")) if link_dir.is_dir() else []
    links = pa.concat_tables([pq.read_table(f) for f in link_files]) if link_files else None
    rows: dict[str, list[Any]] = {name: [] for name in DUPLICATE_SCHEMA.names}
    skip: list[tuple[int, int]] = []  # (doc, its window)
    inherit: list[tuple[int, int, str, int]] = []  # (doc, canonical, record id, canonical's window)
    counts = {"groups": 0, "grouped_documents": 0, "exact_members": 0, "near_members": 0}
    counts["contained_members"] = 0
    if members is not None:
        members = members.take(pa.array(np.lexsort((members["seq"].to_numpy(), members["label"].to_numpy()))))
        member_label = members["label"].to_numpy()
        if links is None:
            links = pa.table({n: pa.array([], type=t) for n, t in _GLINK_FIELDS})
        links = links.take(pa.array(np.argsort(links["label"].to_numpy(), kind="stable")))
        link_label = links["label"].to_numpy()
        starts = np.flatnonzero(np.concatenate(([True], member_label[1:] != member_label[:-1])))
        ends = np.append(starts[1:], len(member_label))
        for start, end in zip(starts.tolist(), ends.tolist(), strict=True):
            label = member_label[start]
            lo, hi = np.searchsorted(link_label, label, "left"), np.searchsorted(link_label, label, "right")
            mine = members.slice(start, end - start)
            theirs = links.slice(int(lo), int(hi - lo))
            _write_component(ctx, mine, _replay(ctx, mine, theirs), rows, skip, inherit, counts)
    out = pa.table(rows, schema=DUPLICATE_SCHEMA)
    write_output(ctx.out / "duplicates" / f"part-g{task.part:05d}", out, ctx.fmt)
    skip_table = pa.table({"doc": np.array([d for d, _ in skip], np.uint64)}, schema=SKIP_SCHEMA)
    for window, part in scatter(skip_table, np.array([w for _, w in skip], np.int64)).items():
        write_table(shard_file(ctx.corpus / "skip" / f"w={window}", f"g{task.part}"), part)
    inherit_table = pa.table(
        {
            "doc": np.array([d for d, *_ in inherit], np.uint64),
            "canonical": np.array([c for _, c, *_ in inherit], np.uint64),
            "record_id": [r for _, _, r, _ in inherit],
        },
        schema=INHERIT_SCHEMA,
    )
    for window, part in scatter(inherit_table, np.array([w for *_, w in inherit], np.int64)).items():
        write_table(shard_file(ctx.corpus / "inherit" / f"w={window}", f"g{task.part}"), part)
    return counts


def _write_component(
    ctx: RunContext,
    members: pa.Table,
    view: _ComponentView,
    rows: dict[str, list[Any]],
    skip: list[tuple[int, int]],
    inherit: list[tuple[int, int, str, int]],
    counts: dict[str, int],
) -> None:
    docs, ts = members["doc"].to_pylist(), members["ts"].to_pylist()
    records = members["record_id"].to_pylist()
    book = view.book
    for root in {book.root(i) for i in range(len(docs))}:
        if book.size(root) > 1:
            counts["groups"] += 1
    for i, doc in enumerate(docs):
        canon = book.canonical(i)
        kind = book.kind(i)
        rows["id"].append(f"{doc:016x}")
        rows["record_id"].append(records[i])
        rows["group_id"].append(f"{docs[canon]:016x}")
        rows["kind"].append(kind)
        rows["canonical"].append(f"{docs[canon]:016x}")
        rows["size"].append(book.size(i))
        if book.size(i) > 1:
            counts["grouped_documents"] += 1
        if canon != i:
            counts[f"{kind}_members"] += 1
            skip.append((doc, ctx.window_of(ts[i])))
            inherit.append((doc, docs[canon], records[i], ctx.window_of(ts[canon])))
