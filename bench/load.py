"""Bounded load test of `marsad serve` on 127.0.0.1 over a 3,000-article store.

The store is built from the dev data: SemEval-2022 Task 8 article texts (10 languages, Arabic
included) and MMDS news clusters, each base article re-reported by a few outlets (sentences
rotated, an outlet line added) until the store holds --articles articles, as in a live feed.
Two builders:
  pipeline  (default) exactly what `marsad ingest` runs: the learned embedding clusterer with its
            vectors cached in the store, duplicate groups, entities and quotes, then the comparison
            of every story it changed (ingest.compare_budget, timed apart);
  labels    stories from the data's own labels (SemEval pairs scored "same story", MMDS event
            clusters), no embeddings, dedup or entities: fast, for the read paths only.
An existing store is reused when it has the article count and was made by the same builder.

Then the real server runs as a subprocess (`python -m marsad serve`, one worker) and a thread pool
of httpx clients sends a fixed number of requests per endpoint, and stops:
  stories   GET /api/stories?limit=50          (the story list, random pages)
  story_first GET /stories/{id}                (each story of the pool once: first visits only)
  story     GET /stories/{id}                  (the story page HTML with its comparison, random
                                                 stories of the pool after their first visits)
  article   GET /articles/{id}                 (article page with its duplicate group)
  search    GET /api/search?q=...              (full-text, two words taken from article titles)
  entity    GET /api/stories?entity=...        (pipeline store: entity names found by the ingest)
  meaning   GET /api/search?mode=meaning&q=... (pipeline store: ranked by the cached vectors; the
                                                 index over them is built by one warm-up query,
                                                 timed apart)
Reports requests/s and p50/p95/p99 latency per endpoint to bench/out/load.json.

    nice .venv/bin/python bench/load.py                 # build (once) and measure
    nice .venv/bin/python bench/load.py --requests 500 --concurrency 4
    nice .venv/bin/python bench/load.py --builder labels    # the label-built store (load-store.db)
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
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from marsad.cluster.base import Assignment, ClusterDoc, StoryClusterer, story_id_for
from marsad.config import load_config
from marsad.ingest.files import record_document
from marsad.pipeline import ArticleStep, default_clusterer, default_steps, ingest, refresh_changed_comparisons
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

    def restore(self, doc: ClusterDoc, story_id: str, storyline_id: str | None = None) -> None:
        self.story_of_label.setdefault(self.label_of.get(doc.id, doc.id), story_id)


BUILDERS = ("pipeline", "labels")


def store_builder(store: Store) -> str | None:
    """Which builder made `store`: 'pipeline' when it holds cached embeddings, 'labels' when it has
    articles and none, None when empty."""
    if not store.conn.execute("SELECT 1 FROM articles LIMIT 1").fetchone():
        return None
    return "pipeline" if store.conn.execute("SELECT 1 FROM embeddings LIMIT 1").fetchone() else "labels"


def build_store(db: Path, n_articles: int, builder: str) -> dict[str, object]:
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
    cpu = time.process_time()
    with Store(db) as store:
        clusterer: StoryClusterer
        steps: list[ArticleStep] = []
        if builder == "pipeline":
            cfg = load_config()
            clusterer, steps = default_clusterer(store.conn, cfg), default_steps(cfg)
        else:
            clusterer = LabelClusterer(label_of)
        done = 0

        def tick(_: str) -> None:
            nonlocal done
            done += 1
            if done % 1000 == 0:
                print(f"  {done:,} ingested, {time.perf_counter() - started:.0f} s", flush=True)

        result = ingest(store, items, clusterer, steps=steps, on_item=tick)
        ingest_seconds = time.perf_counter() - started
        compared = None
        if builder == "pipeline":
            compared = refresh_changed_comparisons(
                store, result, max_articles=cfg.ingest.compare_max_articles, budget=cfg.ingest.compare_budget
            )
            print(f"  comparisons of the changed stories: {compared}", flush=True)
        counts = article_repo.counts(store)
        groups = store.conn.execute("SELECT count(*) FROM dedup_groups WHERE size > 1").fetchone()[0]
        mentions = store.conn.execute("SELECT count(*) FROM mentions").fetchone()[0]
        vectors = store.conn.execute("SELECT count(*) FROM embeddings").fetchone()[0]
    return {
        "builder": builder,
        "base_documents": len(docs),
        "copies_per_document": copy,
        "added": result.added,
        "rejected": len(result.rejected),
        "seconds": round(time.perf_counter() - started, 1),
        "ingest_seconds": round(ingest_seconds, 1),
        "comparisons": asdict(compared) if compared is not None else None,
        "cpu_seconds": round(time.process_time() - cpu, 1),
        "counts": counts,
        "duplicate_groups": groups,
        "mentions": mentions,
        "cached_vectors": vectors,
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(db: Path, port: int, meaning: bool) -> subprocess.Popen[bytes]:
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
            *([] if meaning else ["--no-meaning"]),
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


def sample_paths(db: Path, rng: random.Random, args: argparse.Namespace) -> dict[str, object]:
    """What the requests ask for, drawn from the store: stories, articles, queries, entity names."""
    with Store(db) as store:
        counts = article_repo.counts(store)
        pool = [
            r[0]
            for r in store.conn.execute(
                "SELECT id FROM stories WHERE size BETWEEN 2 AND 8 ORDER BY id"
            ).fetchall()
        ]
        titles = [r[0] for r in store.conn.execute("SELECT title FROM articles WHERE title IS NOT NULL")]
        # Articles with copies first (their page lists the duplicate group), then any.
        copied = [
            r[0]
            for r in store.conn.execute(
                "SELECT m.article_id FROM dedup_members m JOIN dedup_groups g ON g.id = m.group_id"
                " WHERE g.size > 1 ORDER BY m.article_id LIMIT 2000"
            )
        ]
        anyone = [r[0] for r in store.conn.execute("SELECT id FROM articles ORDER BY id LIMIT 2000")]
        names = [
            r[0]
            for r in store.conn.execute(
                "SELECT name FROM mentions WHERE rule != 'role' GROUP BY name"
                " ORDER BY count(*) DESC LIMIT 300"
            )
        ]
    queries = []
    for _ in range(args.requests):  # one or two words of a real title: most queries have hits
        words = re.findall(r"[^\W\d_]{4,}", rng.choice(titles))
        queries.append(" ".join(rng.sample(words, min(len(words), rng.choice((1, 2))))) or "news")
    return {
        "counts": counts,
        "stories": rng.sample(pool, min(args.story_pool, len(pool))),
        "articles": rng.sample(copied or anyone, min(args.story_pool, len(copied or anyone))),
        "queries": queries,
        "titles": titles,
        "names": names,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=3_000)
    parser.add_argument("--requests", type=int, default=1_000, help="per endpoint (bounded)")
    parser.add_argument("--meaning-requests", type=int, default=200, help="searches by meaning (bounded)")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--story-pool", type=int, default=40, help="distinct stories the story page hits")
    parser.add_argument(
        "--db", type=Path, default=None, help="default: bench/out/load-pipeline.db or load-store.db (labels)"
    )
    parser.add_argument("--builder", choices=BUILDERS, default="pipeline")
    parser.add_argument("--rebuild", action="store_true", help="build the store even if it exists")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    load_start = os.getloadavg()  # other engineers share the machine: say how busy it was
    if not 1 <= args.requests <= 20_000 or not 1 <= args.concurrency <= 64:
        sys.exit("--requests must be in [1, 20000] and --concurrency in [1, 64]")
    if not 0 <= args.meaning_requests <= 2_000:
        sys.exit("--meaning-requests must be in [0, 2000]")
    OUT.mkdir(parents=True, exist_ok=True)
    if args.db is None:
        args.db = OUT / ("load-pipeline.db" if args.builder == "pipeline" else "load-store.db")

    build: dict[str, object] = {"reused": True}
    with Store(args.db) as store:
        have = article_repo.counts(store)["articles"]
        made_by = store_builder(store)
    if args.rebuild or have != args.articles or made_by != args.builder:
        print(f"building a {args.articles:,}-article store at {args.db} ({args.builder}) ...", flush=True)
        build = build_store(args.db, args.articles, args.builder)
        print(f"  built in {build['seconds']} s: {build['counts']}", flush=True)
    else:
        build["builder"] = made_by

    rng = random.Random(args.seed)
    drawn = sample_paths(args.db, rng, args)
    counts = drawn["counts"]
    stories, articles, queries = drawn["stories"], drawn["articles"], drawn["queries"]
    titles, names = drawn["titles"], drawn["names"]
    assert isinstance(counts, dict) and isinstance(stories, list) and isinstance(articles, list)
    assert isinstance(queries, list) and isinstance(titles, list) and isinstance(names, list)
    meaning = args.builder == "pipeline" and args.meaning_requests > 0

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_server(args.db, port, meaning)
    warm_meaning: dict[str, object] | None = None
    try:
        # No warm-up: the story pages' first visits are among the measured requests (the ingest
        # computed the comparisons of the stories it changed).
        plans = {
            "stories": [
                f"/api/stories?limit=50&offset={50 * rng.randrange(max(1, counts['stories'] // 50))}"
                for _ in range(args.requests)
            ],
            # Every story of the pool once, in random order from 8 clients: first visits only.
            "story_first": [f"/stories/{s}" for s in rng.sample(stories, len(stories))],
            "story": [f"/stories/{rng.choice(stories)}" for _ in range(args.requests)],
            "article": [f"/articles/{rng.choice(articles)}" for _ in range(args.requests)],
            "search": [f"/api/search?{httpx.QueryParams({'q': q, 'limit': 20})}" for q in queries],
        }
        if names:
            plans["entity"] = [
                f"/api/stories?{httpx.QueryParams({'entity': rng.choice(names), 'limit': 50})}"
                for _ in range(args.requests)
            ]
        if meaning:
            first = f"/api/search?{httpx.QueryParams({'q': titles[0][:120], 'mode': 'meaning'})}"
            warm_meaning = run_requests(base, [first], 1)
            print(f"meaning, first query (index over the cached vectors built): {warm_meaning}", flush=True)
            asked = [
                {"q": rng.choice(titles)[:120], "mode": "meaning", "limit": 20}
                for _ in range(args.meaning_requests)
            ]
            plans["meaning"] = [f"/api/search?{httpx.QueryParams(q)}" for q in asked]
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
        "server": "python -m marsad serve (uvicorn, 1 worker), search by meaning "
        + ("on (cached vectors)" if meaning else "off"),
        "concurrency": args.concurrency,
        "requests_per_endpoint": args.requests,
        "meaning_requests": args.meaning_requests if meaning else 0,
        "story_pool": len(stories),
        "story_first_visit": "endpoint story_first: each story of the pool once, first visits only",
        "meaning_first_query": warm_meaning,
        "endpoints": results,
        "machine": {"cpus": os.cpu_count(), "load_start": load_start, "load_end": os.getloadavg()},
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
