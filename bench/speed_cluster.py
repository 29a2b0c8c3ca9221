"""Speed bench for `marsad cluster`.

    python bench/speed_cluster.py [--docs 10000] [--pool 1000,10000,100000]

1. Throughput: `marsad cluster` end to end (subprocess: read, extract, embed in 2 worker processes,
   cluster, write): wall docs/s, plus CPU seconds and the load average, since the machine is shared
   and n / (CPU / 2) is what two otherwise idle cores would do; on N synthetic news-length documents
   made from the dev data (MMDS articles and SemEval texts) with edits: sentences dropped and
   swapped, numbers changed, spread over 90 days and 20 outlets. Beside it, in the same run and on
   the same documents: encoding alone (each document's title and body encoded once with USE, in the
   same number of single-threaded worker processes, model loads included as for `marsad cluster`),
   and the ratio of the two throughputs (the issue's target: >= 0.9x).
2. Pool growth: per-document assignment cost (candidate search + scoring, embedding excluded since
   it does not depend on the pool) with 1k..100k live stories. The pool is synthetic: random unit
   vectors as story views (no embedding needed), queries are real embedded dev documents.
   (a) `spread`: stories spread over time at a constant rate, as in a growing archive;
   (b) `in-window`: every story inside the 7-day window (worst case: a day bucket past 2,048
       stories is searched through k-means cells, probing 8 of them, instead of scanned).
   The end-to-end column adds the per-document cost of what does not depend on the pool (embedding
   the document's views with an uncached single-threaded USE, and its lexical signals), measured
   once on the same queries: that is the per-document cost a user of `marsad cluster` sees.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from harness import cached_embedder, load_mmds, load_semeval, print_table, write_result
from marsad.cluster.base import ClusterDoc
from marsad.cluster.features import DocSignals
from marsad.cluster.online import ClustererSettings, EmbeddingClusterer
from marsad.embed import UsemEmbedder
from marsad.embed.views import DocVectors
from marsad.text.sentences import split_sentences

_NUMBER = re.compile(r"\d+")


def synth_corpus(n: int, seed: int = 0) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    bases = [(r["title"], r["text"]) for r in load_mmds(seed=None)]
    for p in load_semeval():
        for t in (p["text1"], p["text2"]):
            s = split_sentences(t)
            if len(s) > 3:
                bases.append((s[0][:160], " ".join(s[1:])))
    start = datetime(2026, 1, 1, tzinfo=UTC)
    out = []
    for i in range(n):
        title, text = rng.choice(bases)
        sents = split_sentences(text)
        if len(sents) > 4:
            sents.pop(rng.randrange(len(sents)))
            j = rng.randrange(len(sents) - 1)
            sents[j], sents[j + 1] = sents[j + 1], sents[j]
        body = _NUMBER.sub(lambda m: str(int(m.group()) + rng.randint(0, 3)), " ".join(sents))
        while len(body) < 1500:  # news length: pad with another article's sentences
            body += " " + rng.choice(bases)[1][:800]
        out.append(
            {
                "id": f"syn{i:06d}",
                "title": title,
                "text": body[:4000],
                "published": (start + timedelta(minutes=i * 90 * 1440 // n)).isoformat(),
                "outlet": f"outlet{rng.randrange(20)}",
            }
        )
    return out


_encoder: UsemEmbedder | None = None


def _encode_init() -> None:
    global _encoder
    _encoder = UsemEmbedder()


def _encode(texts: list[str]) -> int:
    assert _encoder is not None
    return len(_encoder.embed(texts))


def encode_only(docs: list[dict[str, Any]], workers: int) -> float:
    """Wall seconds to encode every document's title and body once, in `workers` processes."""
    texts = [f"{d.get('title') or ''}\n{d['text']}" for d in docs]
    batches = [texts[i : i + 64] for i in range(0, len(texts), 64)]
    t0 = time.perf_counter()
    with ProcessPoolExecutor(max_workers=workers, initializer=_encode_init) as pool:
        done = sum(pool.map(_encode, batches))
    assert done == len(texts)
    return time.perf_counter() - t0


def throughput(n: int, workers: int) -> dict[str, Any]:
    docs = synth_corpus(n)
    encode_seconds = encode_only(docs, workers)
    with tempfile.TemporaryDirectory() as tmp:
        src, dst = Path(tmp) / "in.jsonl", Path(tmp) / "out.jsonl"
        src.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs), "utf-8")
        marsad = Path(sys.executable).parent / "marsad"
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        load = os.getloadavg()
        t0 = time.perf_counter()
        proc = subprocess.run(
            [str(marsad), "cluster", str(src), "-o", str(dst), "--workers", str(workers)],
            capture_output=True,
            text=True,
            check=False,
        )
        wall = time.perf_counter() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        load_after = os.getloadavg()
        lines = dst.read_text("utf-8").count("\n") if dst.exists() else 0
    chars = sum(len(d["text"]) for d in docs) / n
    return {
        "docs": n,
        "mean_chars": chars,
        "workers": workers,
        "seconds": wall,
        "docs_per_s": n / wall,
        "encode_only_docs_per_s": n / encode_seconds,
        "vs_encode_only": (n / wall) / (n / encode_seconds),
        # CPU seconds of the command and its workers: the machine is shared, so wall time depends on
        # the others' load; n / (cpu / 2) is what 2 otherwise idle cores would do.
        "cpu_seconds": (cpu := (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)),
        "docs_per_s_2_idle_cores": n / (cpu / 2) if cpu > 0 else float("nan"),
        "load_before": load,
        "load_after": load_after,
        "out_lines": lines,
        "exit": proc.returncode,
        "stderr_tail": proc.stderr[-300:],
    }


def _random_signals(i: int, dim: int, rng: np.random.Generator, when: datetime) -> DocSignals:
    v = rng.standard_normal((3, dim)).astype(np.float32)
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    return DocSignals(
        id=f"pool{i}",
        vectors=DocVectors(head=v[0], body=v[1], chunks=v[1:]),
        tokens=frozenset({f"t{rng.integers(50000)}" for _ in range(40)}),
        numbers=frozenset({str(rng.integers(1000))}),
        names=frozenset(),
        language="en",
        published=when,
        outlet=None,
    )


def pool_growth(sizes: list[int], queries: list[DocSignals], mode: str) -> list[dict[str, Any]]:
    rng = np.random.default_rng(0)
    dim = int(queries[0].vectors.head.shape[0])
    rows = []
    for size in sizes:
        clusterer = EmbeddingClusterer(cached_embedder(), ClustererSettings(window_days=7))
        end = datetime(2026, 6, 1, tzinfo=UTC)
        # spread: a constant rate of 1,000 stories per 7-day window, so the pool spans size/1000 weeks;
        # in-window: all of them inside 3 days
        span = timedelta(days=7 * size / 1000) if mode == "spread" else timedelta(days=3)
        for i in range(size):
            when = end - span + span * (i / size)
            clusterer.restore_signals(_random_signals(i, dim, rng, when), f"story{i}")
        qs = [DocSignals(**{**{f: getattr(q, f) for f in q.__slots__}, "published": end}) for q in queries]  # type: ignore[arg-type]
        timings = []
        for _ in range(3):  # best of 3: the CPU is shared
            t0 = time.perf_counter()
            for q in qs:
                clusterer.scores(q)
            timings.append((time.perf_counter() - t0) / len(qs))
        per_doc = min(timings)
        rows.append({"mode": mode, "pool": size, "ms_per_doc": per_doc * 1000})
    return rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=10_000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--pool", default="1000,10000,100000")
    ap.add_argument("--skip-throughput", action="store_true")
    args = ap.parse_args()
    result: dict[str, Any] = {}
    if not args.skip_throughput:
        result["throughput"] = tp = throughput(args.docs, args.workers)
        print_table(
            [
                (
                    tp["docs"],
                    int(tp["mean_chars"]),
                    tp["workers"],
                    tp["seconds"],
                    tp["docs_per_s"],
                    tp["encode_only_docs_per_s"],
                    tp["vs_encode_only"],
                    tp["cpu_seconds"],
                    tp["docs_per_s_2_idle_cores"],
                    f"{tp['load_before'][0]:.1f}->{tp['load_after'][0]:.1f}",
                    tp["exit"],
                )
            ],
            [
                "docs",
                "chars/doc",
                "workers",
                "seconds",
                "docs/s",
                "encode-only docs/s",
                "x encode-only",
                "cpu s",
                "docs/s 2 idle cores",
                "load",
                "exit",
            ],
        )
    embedder = cached_embedder()
    probe = EmbeddingClusterer(embedder)
    recs = load_mmds(seed=None)[:200]
    query_docs = [ClusterDoc(id=r["id"], text=r["text"], title=r["title"]) for r in recs]
    queries = probe.signals(query_docs)
    fresh = EmbeddingClusterer(UsemEmbedder())  # uncached: the real embedding cost
    fresh.signals(query_docs[:4])  # model load and warm-up outside the timing
    t0 = time.process_time()
    fresh.signals(query_docs)
    signals_ms = (time.process_time() - t0) / len(query_docs) * 1000
    result["signals_ms_per_doc"] = signals_ms
    sizes = [int(s) for s in args.pool.split(",")]
    rows = pool_growth(sizes, queries, "spread") + pool_growth(sizes, queries, "in-window")
    for mode in ("spread", "in-window"):
        base = next(r for r in rows if r["mode"] == mode)
        for r in rows:
            if r["mode"] == mode:
                r["end_to_end_ms"] = r["ms_per_doc"] + signals_ms
                r["vs_smallest"] = r["ms_per_doc"] / base["ms_per_doc"]
                r["end_to_end_vs_smallest"] = r["end_to_end_ms"] / (base["ms_per_doc"] + signals_ms)
    result["pool_growth"] = rows
    table = [
        (
            r["mode"],
            r["pool"],
            r["ms_per_doc"],
            r["vs_smallest"],
            r["end_to_end_ms"],
            r["end_to_end_vs_smallest"],
        )
        for r in rows
    ]
    print(f"embedding + signals: {signals_ms:.1f} ms CPU per document (uncached, 1 thread)")
    print_table(table, ["mode", "pool", "assign ms/doc", "x", "end-to-end ms/doc", "x"])
    print(f"-> {write_result('speed_cluster', result)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
