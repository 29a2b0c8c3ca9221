"""Story clustering at corpus scale: time windows in parallel, then a merge across boundaries.

1. `run_window` (per time window, in parallel): the online clusterer, fresh for the window, sees
   the window's documents in publication order (time, then input order); duplicates that are not the canonical
   member of their group are left out (they take their canonical's story at the end). Each local
   story gets a node id `window << 40 | rank`.
2. `run_boundary` (per pair of adjacent windows, in parallel): a fresh clusterer is restored with
   the earlier window's last `cluster window` of documents and their stories; then the first
   document of each story of the later window that starts within `cluster window` of the boundary
   is assigned. When it joins an earlier story, the two stories are linked.
3. Links form a forest (a story links to at most one earlier story), so the connected components
   (`marsad.scale.components`) label every story with its earliest ancestor, whose first
   document gives the final id: `story_id_for(first_doc_id)`. Storylines the same way: each window
   story knows the story that founded its storyline; the boundary links the storylines of linked
   stories (and a later new story's with the earlier storyline it continues); their components'
   least stories name them: `storyline_id_for(first story id)`, as `marsad cluster` and ingest do.
4. `run_finalize` (per window): every document's final story id, non-canonical duplicates
   included.

The result depends only on the documents and settings, never on the number of workers or the
executor: windows are independent and each is processed in a fixed order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from marsad.cluster.base import Assignment, ClusterDoc, StoryClusterer, story_id_for, storyline_id_for
from marsad.cluster.lexical import LexicalClusterer
from marsad.cluster.online import ClustererSettings, EmbeddingClusterer
from marsad.embed.base import shared_embedder
from marsad.errors import ConfigError
from marsad.scale.components import read_labels, write_undirected
from marsad.scale.context import NO_TIME, RANK_BITS, UNDATED_WINDOW, RunContext, shard_file
from marsad.scale.duplicates import INHERIT_SCHEMA, SKIP_SCHEMA
from marsad.scale.mapper import DOC_SCHEMA
from marsad.scale.parts import read_tables, write_output, write_table

ASSIGN_SCHEMA = pa.schema([("doc", pa.uint64()), ("node", pa.uint64())])
STORY_SCHEMA = pa.schema(
    [
        ("node", pa.uint64()),
        ("story_id", pa.string()),
        ("first_doc", pa.uint64()),
        ("first_ts", pa.int64()),
        ("line_node", pa.uint64()),  # the story that founded this story's storyline (itself, or earlier)
    ]
)
OUTPUT_SCHEMA = pa.schema(
    [
        ("id", pa.string()),
        ("record_id", pa.string()),
        ("story_id", pa.string()),
        ("storyline_id", pa.string()),
        ("via", pa.string()),
    ]
)


def _lexical(ctx: RunContext) -> StoryClusterer:
    return LexicalClusterer(
        threshold=ctx.join_threshold, window=timedelta(seconds=ctx.cluster_window_seconds)
    )


def _embedding(ctx: RunContext) -> StoryClusterer:
    # One model per worker process (the process's shared one): loading it costs more than clustering
    # a small window.
    embedder = shared_embedder()
    # As marsad.pipeline.default_clusterer (ingest) builds it from cluster.window_days.
    window_days = round(ctx.cluster_window_seconds / 86400)
    return EmbeddingClusterer(embedder, ClustererSettings(window_days=window_days))


CLUSTERERS: dict[str, Callable[[RunContext], StoryClusterer]] = {
    "lexical": _lexical,
    "embedding": _embedding,
}
EMBED_BATCH = 64


def _assign_all(clusterer: StoryClusterer, docs: list[ClusterDoc]) -> Iterator[Assignment]:
    """Assign `docs` in order; the embedding clusterer embeds them in batches first."""
    if not isinstance(clusterer, EmbeddingClusterer):
        yield from (clusterer.assign(d) for d in docs)
        return
    for i in range(0, len(docs), EMBED_BATCH):
        for sig in clusterer.signals(docs[i : i + EMBED_BATCH]):
            yield clusterer.assign_signals(sig)


def _restore_all(clusterer: StoryClusterer, docs: list[tuple[ClusterDoc, str]]) -> None:
    if not isinstance(clusterer, EmbeddingClusterer):
        for doc, story in docs:
            clusterer.restore(doc, story)
        return
    for i in range(0, len(docs), EMBED_BATCH):
        chunk = docs[i : i + EMBED_BATCH]
        for sig, (_, story) in zip(clusterer.signals([d for d, _ in chunk]), chunk, strict=True):
            clusterer.restore_signals(sig, story)


def make_clusterer(ctx: RunContext) -> StoryClusterer:
    """A fresh clusterer by name. Raises ConfigError for an unknown name."""
    try:
        factory = CLUSTERERS[ctx.clusterer]
    except KeyError:
        raise ConfigError(f"unknown clusterer {ctx.clusterer!r}; known: {sorted(CLUSTERERS)}") from None
    return factory(ctx)


@dataclass(slots=True, frozen=True)
class WindowTask:
    """One time window (code `window`) over the map outputs of `shards`; `later` for a boundary."""

    ctx: RunContext
    window: int
    shards: tuple[str, ...]
    later: int = -1
    later_shards: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        return f"w{self.window}" if self.later < 0 else f"w{self.window}-w{self.later}"


def _glob(directory: Path) -> list[Path]:
    return sorted(directory.glob("*.parquet")) if directory.is_dir() else []


def _window_docs(ctx: RunContext, window: int, shards: tuple[str, ...]) -> list[dict[str, Any]]:
    """The window's canonical documents, deduplicated by id, in publication order: by time, then
    input order (as `marsad.cluster.batch.publication_order`); undated ones in input order."""
    directory = ctx.work / "docs" / f"w={window}"
    table = read_tables([shard_file(directory, s) for s in shards], DOC_SCHEMA)
    skip_table = read_tables(_glob(ctx.corpus / "skip" / f"w={window}"), SKIP_SCHEMA)
    skip = set(skip_table["doc"].to_pylist())
    seen: set[int] = set()
    rows = []
    for row in table.to_pylist():
        if row["doc"] in skip or row["doc"] in seen:
            continue
        seen.add(row["doc"])
        rows.append(row)
    # `shards` come in input order and a shard's rows in its own order: a stable sort by time
    # leaves documents published at the same second in input order.
    rows.sort(key=lambda r: r["ts"])
    return rows


def _cluster_doc(row: dict[str, Any]) -> ClusterDoc:
    ts = int(row["ts"])
    return ClusterDoc(
        id=f"{row['doc']:016x}",
        text=row["text"],
        title=row["title"],
        language=row["language"],
        published=None if ts == NO_TIME else datetime.fromtimestamp(ts, UTC),
        outlet=row["outlet"],
    )


def _founder(decision: Assignment) -> str | None:
    """The id of the story whose storyline `decision`'s story joins (None: its own storyline)."""
    line = decision.storyline_id
    if line is None or line == storyline_id_for(decision.story_id):
        return None
    return "s" + line[1:]  # inverse of storyline_id_for: a storyline is named after its first story


def run_window(task: WindowTask) -> dict[str, Any]:
    """Cluster one window and write (doc -> local story node) and the window's story table."""
    ctx, window = task.ctx, task.window
    rows = _window_docs(ctx, window, task.shards)
    clusterer = make_clusterer(ctx)
    nodes: dict[str, int] = {}
    stories: list[dict[str, Any]] = []
    assigned = np.zeros(len(rows), dtype=np.uint64)
    decisions = _assign_all(clusterer, [_cluster_doc(r) for r in rows])
    for i, (row, decision) in enumerate(zip(rows, decisions, strict=True)):
        if decision.story_id not in nodes:
            node = (window << RANK_BITS) | len(stories)
            nodes[decision.story_id] = node
            # A new story continues the storyline of an earlier story of the window, or starts its own.
            founder = _founder(decision)
            stories.append(
                {
                    "node": node,
                    "story_id": decision.story_id,
                    "first_doc": row["doc"],
                    "first_ts": row["ts"],
                    "line_node": nodes.get(founder, node) if founder is not None else node,
                }
            )
        assigned[i] = nodes[decision.story_id]
    doc = np.array([r["doc"] for r in rows], dtype=np.uint64)
    write_table(
        ctx.corpus / "assign" / f"w={window}.parquet",
        pa.table({"doc": doc, "node": assigned}, schema=ASSIGN_SCHEMA),
    )
    write_table(
        ctx.corpus / "storytab" / f"w={window}.parquet", pa.Table.from_pylist(stories, schema=STORY_SCHEMA)
    )
    return {"documents": len(rows), "stories": len(stories)}


def _read_window(ctx: RunContext, what: str, window: int, schema: pa.Schema) -> pa.Table:
    return read_tables([ctx.corpus / what / f"w={window}.parquet"], schema)


def run_boundary(task: WindowTask) -> dict[str, Any]:
    """Link the stories of window `later` that continue a story of window `window`."""
    ctx, early, late = task.ctx, task.window, task.later
    boundary = ctx.window_start(late)
    reach = ctx.cluster_window_seconds
    assign = _read_window(ctx, "assign", early, ASSIGN_SCHEMA)
    node_of = dict(zip(assign["doc"].to_pylist(), assign["node"].to_pylist(), strict=True))
    early_stories = _read_window(ctx, "storytab", early, STORY_SCHEMA)
    story_of_node = dict(
        zip(early_stories["node"].to_pylist(), early_stories["story_id"].to_pylist(), strict=True)
    )
    node_of_story = {s: n for n, s in story_of_node.items()}
    line_of = dict(
        zip(early_stories["node"].to_pylist(), early_stories["line_node"].to_pylist(), strict=True)
    )
    clusterer = make_clusterer(ctx)
    tail = [
        (_cluster_doc(row), story_of_node[node_of[row["doc"]]])
        for row in _window_docs(ctx, early, task.shards)
        if row["ts"] >= boundary - reach and row["doc"] in node_of
    ]
    _restore_all(clusterer, tail)
    late_stories = _read_window(ctx, "storytab", late, STORY_SCHEMA).to_pylist()
    late_line = {s["node"]: s["line_node"] for s in late_stories}
    heads = {s["first_doc"]: s["node"] for s in late_stories if s["first_ts"] < boundary + reach}
    head_rows = [row for row in _window_docs(ctx, late, task.later_shards) if row["doc"] in heads]
    children, parents = [], []
    line_a, line_b = [], []  # storylines found to be one
    for row, decision in zip(
        head_rows, _assign_all(clusterer, [_cluster_doc(r) for r in head_rows]), strict=True
    ):
        head = heads[row["doc"]]
        if not decision.new_story and decision.story_id in node_of_story:
            children.append(head)
            parents.append(node_of_story[decision.story_id])
            # one story in two storylines: they are one storyline
            line_a.append(late_line[head])
            line_b.append(line_of[node_of_story[decision.story_id]])
        elif (founder := _founder(decision)) in node_of_story:
            # a new story continuing the storyline of a story of the earlier window
            line_a.append(late_line[head])
            line_b.append(line_of[node_of_story[founder]])
    write_undirected(
        ctx, "stories", 0, task.key, np.array(children, dtype=np.uint64), np.array(parents, dtype=np.uint64)
    )
    write_undirected(
        ctx, "storylines", 0, task.key, np.array(line_a, dtype=np.uint64), np.array(line_b, dtype=np.uint64)
    )
    return {"heads": len(heads), "links": len(children)}


def run_finalize(task: WindowTask) -> dict[str, Any]:
    """Write the final story id of every document of one window, duplicates included."""
    ctx, window = task.ctx, task.window
    assign = _read_window(ctx, "assign", window, ASSIGN_SCHEMA)
    label_nodes, label_roots = read_labels(ctx, "stories", f"w={window}")
    root_of = dict(zip(label_nodes.tolist(), label_roots.tolist(), strict=True))
    tables: dict[int, tuple[dict[int, int], dict[int, int]]] = {}  # window -> first docs, line nodes
    line_roots: dict[int, dict[int, int]] = {}  # window -> storyline labels of its nodes

    def storytab(node: int) -> tuple[dict[int, int], dict[int, int]]:
        where = node >> RANK_BITS
        if where not in tables:
            table = _read_window(ctx, "storytab", where, STORY_SCHEMA)
            nodes = table["node"].to_pylist()
            tables[where] = (
                dict(zip(nodes, table["first_doc"].to_pylist(), strict=True)),
                dict(zip(nodes, table["line_node"].to_pylist(), strict=True)),
            )
        return tables[where]

    def first_story(node: int) -> str:
        return story_id_for(f"{storytab(node)[0][node]:016x}")

    def story_of(node: int) -> str:
        return first_story(root_of.get(node, node))

    def storyline_of(node: int) -> str:
        # The storyline of the final story (its root's), merged across windows; named after its first
        # story, which is a root story (a story merged into an earlier one is never a component's least).
        line = storytab(root_of.get(node, node))[1][root_of.get(node, node)]
        where = line >> RANK_BITS
        if where not in line_roots:
            found, labels = read_labels(ctx, "storylines", f"w={where}")
            line_roots[where] = dict(zip(found.tolist(), labels.tolist(), strict=True))
        return storyline_id_for(first_story(line_roots[where].get(line, line)))

    ids: list[str] = []
    records: list[str] = []
    story_ids: list[str] = []
    storyline_ids: list[str] = []
    vias: list[str] = []
    final: dict[int, tuple[str, str]] = {}
    record_of = {row["doc"]: row["record_id"] for row in _window_docs(ctx, window, task.shards)}
    for doc, node in zip(assign["doc"].to_pylist(), assign["node"].to_pylist(), strict=True):
        final[doc] = (story_of(node), storyline_of(node))
        ids.append(f"{doc:016x}")
        records.append(record_of[doc])
        story_ids.append(final[doc][0])
        storyline_ids.append(final[doc][1])
        vias.append(ids[-1])
    inherit = read_tables(_glob(ctx.corpus / "inherit" / f"w={window}"), INHERIT_SCHEMA)
    for doc, canonical, record in zip(
        inherit["doc"].to_pylist(),
        inherit["canonical"].to_pylist(),
        inherit["record_id"].to_pylist(),
        strict=True,
    ):
        ids.append(f"{doc:016x}")
        records.append(record)
        story_ids.append(final[canonical][0])
        storyline_ids.append(final[canonical][1])
        vias.append(f"{canonical:016x}")
    order = sorted(range(len(ids)), key=ids.__getitem__)
    table = pa.table(
        {
            "id": [ids[i] for i in order],
            "record_id": [records[i] for i in order],
            "story_id": [story_ids[i] for i in order],
            "storyline_id": [storyline_ids[i] for i in order],
            "via": [vias[i] for i in order],
        },
        schema=OUTPUT_SCHEMA,
    )
    name = "undated" if window == UNDATED_WINDOW else f"w{window:08d}"
    write_output(ctx.out / "stories" / f"part-{name}", table, ctx.fmt)
    return {"documents": len(ids), "stories": len(set(story_ids))}
