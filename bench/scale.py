"""`marsad batch` throughput: documents/s and peak memory, local and Ray executors, 1 and 2 workers.

Corpus: N news-length documents (default 100,000) made on the fly from the dev data in
../shared/data (SemEval-2022 Task 8 texts, Arabic among them, MMDS articles) and the seeds, with
controlled edits. Base documents are spread over three years; each is repeated with a copy number:
copy 0 is the original, then (by a hash of the copy) an exact copy under a new id and outlet (25%),
a light edit (45%: ~3% of words replaced, a footer added: a near duplicate) or a rewrite (30%:
sentences dropped and shuffled, 20% of words replaced: a distinct document on the same story).
Copies are published within 3 days of their original. Nothing is written to the repository: the
corpus lives in a temporary directory.

Each configuration runs `run_batch` from scratch; peak memory is the largest sum of resident set
sizes over this process and all its descendants (Ray's raylet, GCS and workers included), sampled
every 0.2 s. All configurations must give the same story assignments and duplicate groups.
Intermediate volumes (bytes per document of each exchange) feed the 100M projection in
docs/scale.md.

Stories of the batch against `marsad cluster` on MMDS dev (`--quality`): the same records through
`run_batch` (learned clusterer, default settings) and `cluster_records` (what `marsad cluster`
runs), in the same run; BCubed and pairwise P/R/F1 against the gold events. The learned model's
join was trained on MMDS dev pairs: these figures are in-sample for both paths alike; they measure
the gap between the batch and the online path, not the clusterer's quality on unseen data.

Run: nice .venv/bin/python bench/scale.py [--docs 100000] [--configs local:1,local:2,ray:1,ray:2]
     [--clusterer embedding|lexical] -> bench/out/scale.json
     nice .venv/bin/python bench/scale.py --quality -> bench/out/scale.json ("quality")
     nice .venv/bin/python bench/scale.py --entities -> bench/out/scale.json ("entities": the map's
     entity and quote stages, CPU ms per document, Arabic news and MMDS)
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import random
import re
import shutil
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psutil

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
SEEDS = ROOT.parent / "shared" / "seeds"
OUT = ROOT / "bench" / "out" / "scale.json"

from marsad.config import load_config  # noqa: E402
from marsad.scale import BatchOptions, make_executor, run_batch  # noqa: E402
from marsad.scale.results import duplicate_groups, story_assignments  # noqa: E402

START = datetime(2022, 1, 1, tzinfo=UTC)
SPAN_DAYS = 3 * 365
_SENTENCE = re.compile(r"(?<=[.!?؟])\s+")


def base_documents() -> list[dict[str, str]]:
    """Distinct real articles: SemEval texts, MMDS dev articles, the seeds."""
    docs: dict[str, dict[str, str]] = {}
    csv.field_size_limit(1 << 30)
    semeval = DATA / "semeval2022-task8-text" / "training_set.csv"
    with semeval.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            for side in ("1", "2"):
                text = (row[f"text{side}"] or "").strip()
                if len(text) > 200:
                    key = hashlib.sha1(text.encode()).hexdigest()
                    docs[key] = {"text": text, "language": row[f"lang{side}"]}
    mmds = json.loads((DATA / "mmds2025-event-clusters" / "mds_ac_dev_final.json").read_text("utf-8"))
    for art in mmds["articles"]:
        text = " ".join(s["content"] for s in art["sentences"])
        docs[hashlib.sha1(text.encode()).hexdigest()] = {"text": text, "title": art["title"]}
    for seed in sorted(SEEDS.glob("*.txt")):
        lines = seed.read_text("utf-8").strip().splitlines()
        docs[seed.name] = {"title": lines[0], "text": "\n".join(lines[1:]).strip(), "language": "ar"}
    return [docs[k] for k in sorted(docs)]


def _replace_words(words: list[str], share: float, rng: random.Random) -> list[str]:
    out = list(words)
    for _ in range(max(1, int(len(out) * share))):
        i, j = rng.randrange(len(out)), rng.randrange(len(out))
        out[i] = out[j]
    return out


def make_document(bases: list[dict[str, str]], n: int) -> dict[str, Any]:
    """Document n of the synthetic corpus (deterministic)."""
    b = n % len(bases)
    copy = n // len(bases)
    base = bases[b]
    rng = random.Random(n)
    published = START + timedelta(days=(b * 7919) % SPAN_DAYS, hours=(b * 31) % 24)
    record: dict[str, Any] = {"id": f"d{n}", "outlet": f"outlet{rng.randrange(40)}.example"}
    text, title = base["text"], base.get("title") or base["text"][:80]
    if copy > 0:
        published += timedelta(minutes=rng.randrange(3 * 24 * 60))
        kind = rng.random()
        if kind < 0.25:
            pass  # exact copy of the body under a new id, outlet and time
        elif kind < 0.70:
            words = _replace_words(text.split(" "), 0.03, rng)
            text = " ".join(words) + f"\n\n(outlet{rng.randrange(40)} — {copy})"
        else:
            sentences = [s for s in _SENTENCE.split(text) if s]
            rng.shuffle(sentences)
            kept = sentences[: max(1, int(len(sentences) * 0.6))]
            text = " ".join(_replace_words(" ".join(kept).split(" "), 0.2, rng))
            title = f"{title} ({copy})"
    record.update(title=title, text=text, published=published.isoformat())
    if base.get("language"):
        record["language"] = base["language"]
    return record


def write_corpus(directory: Path, docs: int, files: int) -> int:
    bases = base_documents()
    handles = [(directory / f"part-{i:03d}.jsonl").open("w", encoding="utf-8") for i in range(files)]
    size = 0
    try:
        for n in range(docs):
            line = json.dumps(make_document(bases, n), ensure_ascii=False) + "\n"
            size += len(line.encode("utf-8"))
            handles[n % files].write(line)
    finally:
        for h in handles:
            h.close()
    return size


class PeakMemory:
    """Largest summed RSS of this process and its descendants, and the CPU seconds they used,
    sampled in a thread (a process's last 0.2 s before it exits may be missed)."""

    def __init__(self, interval: float = 0.2) -> None:
        self.interval = interval
        self.peak = 0
        self._cpu: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    @property
    def cpu_seconds(self) -> float:
        return sum(self._cpu.values())

    def _loop(self) -> None:
        me = psutil.Process()
        base = me.cpu_times()
        start = base.user + base.system
        while not self._stop.is_set():
            total = 0
            for proc in [me, *me.children(recursive=True)]:
                try:
                    total += proc.memory_info().rss
                    t = proc.cpu_times()
                    used = t.user + t.system - (start if proc.pid == me.pid else 0.0)
                    self._cpu[proc.pid] = max(self._cpu.get(proc.pid, 0.0), used)
                except psutil.Error:
                    continue
            self.peak = max(self.peak, total)
            self._stop.wait(self.interval)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def _volumes(out: Path, fingerprint: str) -> dict[str, int]:
    work = out / "_work" / fingerprint
    sizes: dict[str, int] = {}
    for path in work.rglob("*.parquet"):
        rel = path.relative_to(work).parts
        area = rel[1] if rel[0].startswith("corpus-") else rel[0]
        if rel[0].startswith("corpus-") and area == "cc":
            area = f"cc/{rel[2]}"
        sizes[area] = sizes.get(area, 0) + path.stat().st_size
    for area in ("articles", "duplicates", "stories", "rejects"):
        sizes[f"out/{area}"] = sum(p.stat().st_size for p in (out / area).glob("*"))
    return dict(sorted(sizes.items()))


def run_config(
    inputs: list[str], out: Path, executor: str, workers: int, shard_mb: int, clusterer: str = "embedding"
) -> dict[str, Any]:
    shutil.rmtree(out, ignore_errors=True)
    options = BatchOptions(executor=executor, workers=workers, shard_mb=shard_mb, clusterer=clusterer)
    load_before = os.getloadavg()[0]
    with PeakMemory() as mem:
        started = time.perf_counter()
        ex = make_executor(executor, workers)  # Ray start-up counts: it is part of a real run
        try:
            manifest = run_batch(inputs, out, config=load_config(), options=options, executor=ex)
        finally:
            ex.close()
        wall = time.perf_counter() - started
    counts = manifest["counts"]
    return {
        "executor": executor,
        "workers": workers,
        "clusterer": clusterer,
        "wall_s": round(wall, 1),
        "docs_per_s": round(counts["read"] / wall, 1),
        "peak_rss_mb": round(mem.peak / 2**20),
        "cpu_s": round(mem.cpu_seconds, 1),
        "cpu_ms_per_doc": round(1000 * mem.cpu_seconds / max(counts["read"], 1), 2),
        "load_avg_1m": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        "timings": manifest["timings"],
        "counts": counts,
        "volumes": _volumes(out, manifest["fingerprint"]),
        "fingerprint": manifest["fingerprint"],
    }


def quality_mmds(window_days: float | None = None) -> dict[str, Any]:
    """BCubed and pairwise P/R/F1 on MMDS dev: `marsad batch` (learned and lexical) vs `marsad cluster`."""
    sys.path.insert(0, str(ROOT / "bench"))
    from harness import bcubed_prf, load_mmds, pairwise_prf
    from marsad.cluster.batch import cluster_records
    from marsad.scale import LocalExecutor
    from marsad.scale.results import load_output

    records = load_mmds()
    gold = {r["id"]: r["gold"] for r in records}
    ids = [r["id"] for r in records]
    out: dict[str, Any] = {"data": "mmds2025 dev (209 articles)", "documents": len(records)}
    with tempfile.TemporaryDirectory(prefix="marsad-bench-quality-") as tmp:
        path = Path(tmp) / "mmds.jsonl"
        path.write_text(
            "".join(
                json.dumps({k: v for k, v in r.items() if k != "gold"}, ensure_ascii=False) + "\n"
                for r in records
            ),
            encoding="utf-8",
        )
        t0 = time.perf_counter()
        online = dict(cluster_records(path, workers=1).assignments)
        out["marsad_cluster"] = {
            "bcubed": bcubed_prf([gold[i] for i in ids], [online[i] for i in ids]),
            "pairwise": pairwise_prf([gold[i] for i in ids], [online[i] for i in ids]),
            "seconds": round(time.perf_counter() - t0, 1),
        }
        for clusterer in ("embedding", "lexical"):
            t0 = time.perf_counter()
            run = Path(tmp) / f"batch-{clusterer}"
            options = BatchOptions(partitions=4, clusterer=clusterer, window_days=window_days)
            manifest = run_batch(
                [str(path)], run, config=load_config(), options=options, executor=LocalExecutor(1)
            )
            rows = load_output(run, "stories").to_pylist()
            story = {r["record_id"]: r["story_id"] for r in rows}
            out[f"batch_{clusterer}"] = {
                "bcubed": bcubed_prf([gold[i] for i in ids], [story[i] for i in ids]),
                "pairwise": pairwise_prf([gold[i] for i in ids], [story[i] for i in ids]),
                "windows": manifest["counts"]["stories"]["windows"],
                "boundary_links": manifest["counts"]["stories"]["boundary_links"],
                "duplicate_groups": manifest["counts"]["duplicates"]["groups"],
                "seconds": round(time.perf_counter() - t0, 1),
            }
    return out


def _block_rates(assign: Any, items: list[Any], stories: Any, block: int) -> list[dict[str, float]]:
    rows = []
    for start in range(0, len(items), block):
        t0 = time.perf_counter()
        for item in items[start : start + block]:
            assign(item)
        ms = (time.perf_counter() - t0) * 1000 / len(items[start : start + block])
        rows.append({"docs_seen": start + block, "live_stories": stories(), "ms_per_doc": round(ms, 3)})
    return rows


def density_probe(docs: int = 2000) -> dict[str, Any]:
    """Per-document cost of the online clusterers as the live stories of one window grow.

    Distinct documents (rewrites of different bases) all published on one day: the worst case of a
    dense window. The embedding clusterer runs on random unit vectors (its search and pair model, not
    the model's text encoding), and the text encoding is timed apart on real documents.
    """
    import numpy as np

    from marsad.cluster.base import ClusterDoc
    from marsad.cluster.features import doc_signals
    from marsad.cluster.lexical import LexicalClusterer
    from marsad.cluster.online import ClustererSettings, EmbeddingClusterer
    from marsad.embed.base import UsemEmbedder
    from marsad.embed.views import DocVectors

    bases = base_documents()
    day = START + timedelta(days=100)
    cluster_docs = []
    for n in range(docs):
        record = make_document(bases, n)
        cluster_docs.append(
            ClusterDoc(id=f"{n:016x}", text=record["text"], title=record["title"], published=day)
        )
    lexical = LexicalClusterer()
    lex = _block_rates(lexical.assign, cluster_docs, lambda: len(lexical._stories), 250)
    rng = np.random.default_rng(0)

    def unit(k: int) -> Any:
        v = rng.standard_normal((k, 512)).astype(np.float32)
        return v / np.linalg.norm(v, axis=1, keepdims=True)

    embedding = EmbeddingClusterer(UsemEmbedder())
    sigs = [
        doc_signals(d, DocVectors(head=unit(1)[0], body=unit(1)[0], chunks=unit(3))) for d in cluster_docs * 4
    ]
    emb = _block_rates(embedding.assign_signals, sigs, lambda: len(embedding), 1000)
    encoder = EmbeddingClusterer(UsemEmbedder(), ClustererSettings())
    encoder.signals(cluster_docs[:8])  # load the model
    t0 = time.perf_counter()
    encoder.signals(cluster_docs[:256])
    encode_rate = 256 / (time.perf_counter() - t0)
    return {
        "lexical": lex,
        "embedding_assign": emb,
        "embedding_encode_docs_per_s": round(encode_rate, 1),
    }


def entity_probe() -> dict[str, Any]:
    """CPU ms per document of the map's entity and quote stages (`marsad.scale.analysis`) against
    extraction alone, after the models are loaded: SaudiNewsNet events-dev (310 Arabic news articles)
    and MMDS dev (209 articles, English and other languages), read as `marsad batch` reads JSONL."""
    from marsad.extract import extract
    from marsad.ingest.files import read_paths
    from marsad.records import RawDocument
    from marsad.scale.analysis import analyse, read_article, warm_up_reading

    events = [
        json.loads(line) for line in (DATA / "saudinewsnet-events-dev" / "dev.jsonl").open(encoding="utf-8")
    ]
    mmds = json.loads((DATA / "mmds2025-event-clusters" / "mds_ac_dev_final.json").read_text("utf-8"))
    sets = {
        "saudinewsnet-events-dev": [{"id": r["id"], "title": r["title"], "text": r["text"]} for r in events],
        "mmds-dev": [
            {"id": f"m{i}", "title": a["title"], "text": "\n".join(s["content"] for s in a["sentences"])}
            for i, a in enumerate(mmds["articles"])
        ],
    }
    warm_up_reading()
    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="marsad-bench-entities-") as tmp:
        for name, records in sets.items():
            path = Path(tmp) / f"{name}.jsonl"
            path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
            raws = [r for r in read_paths([path]) if isinstance(r, RawDocument)]
            for raw in raws[:5]:  # loads the tagger, as the first Arabic document of a map task does
                analyse(read_article(raw), raw.source)
            t0 = time.process_time()
            bodies = [extract(raw).body for raw in raws]
            t1 = time.process_time()
            found = [analyse(read_article(raw), raw.source) for raw in raws]
            t2 = time.process_time()
            n = len(raws)
            out[name] = {
                "documents": n,
                "chars_per_doc": round(sum(map(len, bodies)) / n),
                "extract_ms_per_doc": round(1000 * (t1 - t0) / n, 1),
                "extract_entities_quotes_ms_per_doc": round(1000 * (t2 - t1) / n, 1),
                "entities_quotes_ms_per_doc": round(1000 * ((t2 - t1) - (t1 - t0)) / n, 1),
                "mentions": sum(len(f[0]) for f in found if isinstance(f, tuple)),
                "quotes": sum(len(f[1]) for f in found if isinstance(f, tuple)),
            }
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--files", type=int, default=8)
    parser.add_argument("--shard-mb", type=int, default=8)
    parser.add_argument("--configs", default="local:1,local:2,ray:1,ray:2")
    parser.add_argument("--density", action="store_true", help="only probe clusterer cost vs live stories")
    parser.add_argument("--clusterer", default="embedding", help="story clusterer of the throughput runs")
    parser.add_argument("--quality", action="store_true", help="only batch vs marsad cluster on MMDS dev")
    parser.add_argument("--entities", action="store_true", help="only the entity and quote cost per doc")
    args = parser.parse_args()
    probes = {"entities": entity_probe, "quality": quality_mmds, "density": density_probe}
    for name, probe in probes.items():
        if getattr(args, name):
            # One section of bench/out/scale.json, the others kept.
            result = probe()
            previous = json.loads(OUT.read_text("utf-8")) if OUT.exists() else {}
            previous[name] = result
            OUT.parent.mkdir(parents=True, exist_ok=True)
            OUT.write_text(json.dumps(previous, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
            print(json.dumps(result, indent=1))
            return
    if not (DATA / "semeval2022-task8-text" / "training_set.csv").exists():
        sys.exit(f"dev data not found under {DATA}")
    configs = [(c.split(":")[0], int(c.split(":")[1])) for c in args.configs.split(",")]
    with tempfile.TemporaryDirectory(prefix="marsad-bench-scale-") as tmp:
        root = Path(tmp)
        corpus = root / "corpus"
        corpus.mkdir()
        t0 = time.perf_counter()
        size = write_corpus(corpus, args.docs, args.files)
        made = time.perf_counter() - t0
        print(f"corpus: {args.docs:,} documents, {size / 2**20:.0f} MiB JSONL, made in {made:.0f} s")
        results = []
        reference: tuple[dict[str, str], dict[str, tuple[str, str]]] | None = None
        for executor, workers in configs:
            out = root / f"out-{executor}-{workers}"
            result = run_config([str(corpus)], out, executor, workers, args.shard_mb, args.clusterer)
            answer = (story_assignments(out), duplicate_groups(out))
            if reference is None:
                reference = answer
            result["same_answer_as_first"] = answer == reference
            results.append(result)
            print(
                f"{executor:>5} x{workers}: {result['wall_s']:>7.1f} s  {result['docs_per_s']:>7.1f} docs/s"
                f"  peak {result['peak_rss_mb']:>5} MiB  cpu {result['cpu_s']:>6.0f} s"
                f"  load {result['load_avg_1m']}  same answer: {result['same_answer_as_first']}"
            )
            shutil.rmtree(out, ignore_errors=True)
    first = results[0]["counts"]
    previous = json.loads(OUT.read_text("utf-8")) if OUT.exists() else {}
    summary = {
        **{k: v for k, v in previous.items() if k in ("quality", "density", "entities")},
        "docs": args.docs,
        "clusterer": args.clusterer,
        "corpus_mib": round(size / 2**20, 1),
        "shard_mb": args.shard_mb,
        "machine": {"cpus": psutil.cpu_count(), "memory_gib": round(psutil.virtual_memory().total / 2**30)},
        "counts": first,
        "results": results,
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"duplicates: {first['duplicates']}")
    print(f"stories: {first['stories']}")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
