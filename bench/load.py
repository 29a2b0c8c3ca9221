"""Bounded load test of `marsad serve` on 127.0.0.1 over a 10,000-article store.

The store is built from the dev data through the real ingest pipeline (extraction, store, stories):
SemEval-2022 Task 8 article texts (10 languages, Arabic included) and MMDS news clusters. Stories
come from the data's own labels (SemEval pairs scored "same story", MMDS event clusters), and each
base article is re-reported by a few outlets (sentences rotated, an outlet line added) until the
store holds --articles articles, so stories have several sources as in a live feed.

Then the real server runs as a subprocess (`python -m marsad serve`, one worker) and a thread pool
of httpx clients sends a fixed number of requests per endpoint, and stops:
  stories   GET /api/stories?limit=50 (the story list, random pages)
  story     GET /stories/{id}         (the story page HTML with its comparison; comparisons are
                                        computed once per story in a warm-up pass, timed apart)
  search    GET /api/search?q=...      (full-text, two words taken from article titles)
Reports requests/s and p50/p95/p99 latency per endpoint to bench/out/load.json.

    nice .venv/bin/python bench/load.py                 # build (once) and measure
    nice .venv/bin/python bench/load.py --requests 500 --concurrency 4
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from marsad.cluster.base import Assignment, ClusterDoc, story_id_for
from marsad.ingest.files import record_document
from marsad.pipeline import ingest
from marsad.records import RawDocument
from marsad.store import Store
from marsad.store import articles as article_repo

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
OUT = ROOT / "bench" / "out"
SEMEVAL = DATA / "semeval2022-task8-text" / "training_set.csv"
MMDS = DATA / "mmds2025-event-clusters" / "mds_ac_dev_final.json"
START = datetime(2025, 1, 1, 6, 0, tzinfo=UTC)


@dataclass(slots=True)
class BaseDoc:
    key: str
    title: str
    body: str
    language: str
    story: str  # label: docs sharing it report the same event


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        self.parent[self.find(a)] = self.find(b)


def _split_title(text: str) -> tuple[str, str]:
    head, sep, rest = text.partition("  ")
    if sep and 10 <= len(head) <= 200:
        return head.strip(), rest.strip()
    return text[:80].strip(), text.strip()


def base_documents() -> list[BaseDoc]:
    """SemEval texts (same-story pairs joined) and MMDS articles (clusters joined)."""
    if not SEMEVAL.exists() or not MMDS.exists():
        sys.exit(f"dev data not found under {DATA} (SemEval and MMDS are needed)")
    csv.field_size_limit(1 << 26)
    uf = _UnionFind()
    docs: dict[str, BaseDoc] = {}
    with SEMEVAL.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            ids = row["pair_id"].split("_")[:2]
            keys = [f"se:{ids[0]}:{row['lang1']}", f"se:{ids[1]}:{row['lang2']}"]
            for key, text, lang in zip(
                keys, (row["text1"], row["text2"]), (row["lang1"], row["lang2"]), strict=True
            ):
                if key not in docs and len(text.strip()) > 200:
                    title, body = _split_title(text)
                    docs[key] = BaseDoc(key, title, body, lang, key)
                uf.find(key)
            if float(row["Overall"] or 4) <= 1.5:
                uf.union(keys[0], keys[1])
    mmds = json.loads(MMDS.read_text("utf-8"))
    for art, label in zip(mmds["articles"], mmds["clusters"], strict=True):
        key = f"mmds:{art['ID']}"
        body = " ".join(s["content"] for s in art["sentences"])
        if len(body) > 200:
            docs[key] = BaseDoc(key, art["title"], body, "", key)
            uf.find(key)
            if label != 166:  # 166 is the miscellaneous bucket: singletons
                uf.union(key, f"mmds-cluster:{label}")
    for doc in docs.values():
        doc.story = uf.find(doc.key)
    return sorted(docs.values(), key=lambda d: d.key)


_SENTENCE = re.compile(r"(?<=[.!?؟。])\s+")


def report(doc: BaseDoc, copy: int) -> dict[str, object]:
    """Copy `copy` of `doc` as another outlet would run it: sentences rotated, an outlet line added."""
    sentences = [s for s in _SENTENCE.split(doc.body) if s.strip()] or [doc.body]
    shift = copy % len(sentences)
    body = " ".join(sentences[shift:] + sentences[:shift])
    paragraphs = [body[i : i + 600] for i in range(0, min(len(body), 6000), 600)]
    day = int(hashlib.sha256(doc.story.encode()).hexdigest(), 16) % 90
    return {
        "id": f"{doc.key}#{copy}",
        "title": doc.title if copy == 0 else f"{doc.title} ({copy})",
        "text": "\n\n".join(paragraphs) + f"\n\nOutlet {copy} desk.",
        "outlet": f"outlet-{copy:02d}",
        "language": doc.language or None,
        "published": (START + timedelta(days=day, hours=copy * 3)).isoformat(),
    }


@dataclass(slots=True)
class LabelClusterer:
    """Assigns each document to the story its data label says (a StoryClusterer for building the store)."""

    label_of: dict[str, str]
    story_of_label: dict[str, str] = field(default_factory=dict)

    def assign(self, doc: ClusterDoc) -> Assignment:
        label = self.label_of[doc.id]
        new = label not in self.story_of_label
        if new:
            self.story_of_label[label] = story_id_for(doc.id)
        return Assignment(doc_id=doc.id, story_id=self.story_of_label[label], score=1.0, new_story=new)

    def restore(self, doc: ClusterDoc, story_id: str) -> None:
        self.story_of_label.setdefault(self.label_of.get(doc.id, doc.id), story_id)


def build_store(db: Path, n_articles: int) -> dict[str, object]:
    """Ingest `n_articles` reports into a fresh store at `db`; returns what was built."""
    if db.exists():
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
    docs = base_documents()
    fetched = datetime.now(UTC)
    items: list[RawDocument] = []
    label_of: dict[str, str] = {}
    copy = 0
    while len(items) < n_articles:
        for doc in docs:
            if len(items) >= n_articles:
                break
            raw = record_document(report(doc, copy), f"bench:{doc.key}#{copy}", fetched)
            items.append(raw)
            label_of[raw.id] = doc.story
        copy += 1
    # Publication order, as a live feed would deliver them.
    items.sort(key=lambda r: str(r.fields.get("published")))
    started = time.perf_counter()
    with Store(db) as store:
        result = ingest(store, items, LabelClusterer(label_of))
        counts = article_repo.counts(store)
    return {
        "base_documents": len(docs),
        "copies_per_document": copy,
        "added": result.added,
        "rejected": len(result.rejected),
        "seconds": round(time.perf_counter() - started, 1),
        "counts": counts,
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(db: Path, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "MARSAD_API_TOKEN": ""}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "marsad",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--db",
            str(db),
            "--no-meaning",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited: {proc.stderr.read().decode() if proc.stderr else ''}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=2).status_code == 200:
                return proc
        except httpx.TransportError:
            time.sleep(0.2)
    proc.terminate()
    raise RuntimeError("server did not answer within 60 s")


def run_requests(base: str, paths: list[str], concurrency: int) -> dict[str, object]:
    """GET every path (a bounded list) from `concurrency` threads; latency and throughput."""
    latencies: list[float] = []
    errors = 0

    def one(client: httpx.Client, path: str) -> tuple[float, bool]:
        t0 = time.perf_counter()
        res = client.get(base + path)
        return time.perf_counter() - t0, res.status_code == 200

    def chunks() -> Iterator[list[str]]:
        size = (len(paths) + concurrency - 1) // concurrency
        for i in range(0, len(paths), size):
            yield paths[i : i + size]

    def worker(chunk: list[str]) -> list[tuple[float, bool]]:
        with httpx.Client(timeout=60) as client:
            return [one(client, p) for p in chunk]

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        for results in pool.map(worker, list(chunks())):
            for latency, ok in results:
                latencies.append(latency)
                errors += 0 if ok else 1
    wall = time.perf_counter() - started
    ordered = sorted(latencies)

    def pct(p: float) -> float:
        return round(1000 * ordered[min(len(ordered) - 1, int(p * len(ordered)))], 1)

    return {
        "requests": len(latencies),
        "errors": errors,
        "seconds": round(wall, 2),
        "requests_per_s": round(len(latencies) / wall, 1),
        "p50_ms": pct(0.50),
        "p95_ms": pct(0.95),
        "p99_ms": pct(0.99),
        "mean_ms": round(1000 * statistics.fmean(latencies), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=1_000, help="per endpoint (bounded)")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--story-pool", type=int, default=40, help="distinct stories the story page hits")
    parser.add_argument("--db", type=Path, default=OUT / "load-store.db")
    parser.add_argument("--rebuild", action="store_true", help="build the store even if it exists")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    if not 1 <= args.requests <= 20_000 or not 1 <= args.concurrency <= 64:
        sys.exit("--requests must be in [1, 20000] and --concurrency in [1, 64]")
    OUT.mkdir(parents=True, exist_ok=True)

    build: dict[str, object] = {"reused": True}
    with Store(args.db) as store:
        have = article_repo.counts(store)["articles"]
    if args.rebuild or have != args.articles:
        print(f"building a {args.articles:,}-article store at {args.db} ...", flush=True)
        build = build_store(args.db, args.articles)
        print(f"  built in {build['seconds']} s: {build['counts']}", flush=True)

    rng = random.Random(args.seed)
    with Store(args.db) as store:
        counts = article_repo.counts(store)
        n_stories = counts["stories"]
        pool = [
            r[0]
            for r in store.conn.execute(
                "SELECT id FROM stories WHERE size BETWEEN 2 AND 8 ORDER BY id"
            ).fetchall()
        ]
        titles = [r[0] for r in store.conn.execute("SELECT title FROM articles WHERE title IS NOT NULL")]
    stories = rng.sample(pool, min(args.story_pool, len(pool)))
    queries = []
    for _ in range(args.requests):  # one or two words of a real title: most queries have hits
        words = re.findall(r"[^\W\d_]{4,}", rng.choice(titles))
        queries.append(" ".join(rng.sample(words, min(len(words), rng.choice((1, 2))))) or "news")

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_server(args.db, port)
    try:
        warm = run_requests(base, [f"/stories/{s}" for s in stories], 2)
        print(f"story pages, first visit (comparison computed): {warm}", flush=True)
        plans = {
            "stories": [
                f"/api/stories?limit=50&offset={50 * rng.randrange(max(1, n_stories // 50))}"
                for _ in range(args.requests)
            ],
            "story": [f"/stories/{rng.choice(stories)}" for _ in range(args.requests)],
            "search": [f"/api/search?{httpx.QueryParams({'q': q, 'limit': 20})}" for q in queries],
        }
        results: dict[str, object] = {}
        for name, paths in plans.items():
            results[name] = run_requests(base, paths, args.concurrency)
            print(f"{name:8s} {results[name]}", flush=True)
    finally:
        server.terminate()
        server.wait(timeout=30)

    out = {
        "bench": "load",
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "host": "127.0.0.1",
        "store": {"path": str(args.db), "counts": counts, "build": build},
        "server": "python -m marsad serve (uvicorn, 1 worker), search by meaning off",
        "concurrency": args.concurrency,
        "requests_per_endpoint": args.requests,
        "story_pool": len(stories),
        "story_first_visit": warm,
        "endpoints": results,
        "machine": {"cpus": os.cpu_count()},
    }
    (OUT / "load.json").write_text(json.dumps(out, ensure_ascii=False, indent=2) + "\n", "utf-8")
    print(f"\n{'endpoint':10s} {'req/s':>8s} {'p50 ms':>8s} {'p95 ms':>8s} {'p99 ms':>8s} {'errors':>7s}")
    for name, r in results.items():
        assert isinstance(r, dict)
        cells = [f"{r[k]:8.1f}" for k in ("requests_per_s", "p50_ms", "p95_ms", "p99_ms")]
        print(f"{name:10s} {' '.join(cells)} {r['errors']:7d}")
    print(f"-> {OUT / 'load.json'}")


if __name__ == "__main__":
    main()
