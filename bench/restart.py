"""Restart cost of an ingest writer against the size of its store: the CPU time and memory a fresh
`marsad ingest` process spends, after its imports, to be ready for the next document (restore the
story clusterer from the store's snapshot and assign one new document), at 1k, 10k and 100k stored
articles, for this code and, in the same run, for another checkout (`--base-src`, e.g. main's).

How the stores are made (ingesting 100k articles would take hours here):
1. `--template` real SaudiNewsNet events-dev articles are ingested by the real pipeline (extraction,
   dedup, entities, quotes, clusterer; no comparisons) into a template store.
2. Each size copies the template's rows, in one SQL transaction, as many times as it takes: each copy
   gets new ids (documents, articles, stories, storylines; sha256 of the old id and the copy number)
   and its dates moved on by `--days` days per copy, and is appended in the template's arrival order
   (documents, articles, cluster_entities, stories, story_members with new arrival numbers,
   story_storylines, storylines). A copy keeps its text, so its views' vectors are the template's,
   already in the embedding cache (the cache does not grow with the copies; nothing else a restart
   reads is shared). Mentions, quotes, dedup groups and the full-text index are not copied: a
   restart does not read them.
3. The clusterer state of the whole store is built in a subprocess with each code (its own
   `restore_signals` of every stored arrival, each copy's signals being its template article's with
   the copy's id and date, so no model runs) and saved as that code's snapshot.
   The snapshot's size is its warm part (read at every restart), and in brackets its cold part (read
   only when a document reaches its days; this code's split snapshot only).
4. Each restart is a fresh subprocess with each code: `default_clusterer` + `restore_clusterer` (the
   snapshot, nothing after it to replay), then the assignment of one new document (a template
   article with a new id, dated after the store's last one: its vectors are cached, so the USE
   model does not run). CPU time is `time.process_time()`; memory is the peak RSS of the process and
   its growth over the RSS before the restore.

    PYTHONPATH=src nice python bench/restart.py --sizes 1000,10000,100000 --base-src /path/to/main/src

Measured 2026-12-08 on the shared 2-core machine, this code (the split snapshot, members by article
id) beside main's (a98733a, the whole live pool pickled), same run; table in docs/ingest.md:

    articles  code  live stories  snapshot MB (cold)  save s  restore CPU s  ready CPU s  RSS growth MB
        1000  this           866          1.6 (  2.1)    0.10           0.04         0.07            7.3
        1000  base           866         16.7 (  0.0)    0.59           0.14         0.15           29.3
       10000  this          8666          1.6 ( 35.3)    1.53           0.04         0.07            7.3
       10000  base          8666        162.8 (  0.0)    4.52           1.04         1.06          227.0
      100000  this         10330          1.6 ( 42.4)    0.77           0.04         0.07            7.3
      100000  base         10330        195.5 (  0.0)    2.88           1.22         1.24          272.3

("save s" is the first save of the built state: this code then writes its cold part, which later
saves keep while it is unread; wall time on a busy machine.)
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

EVENTS = (
    Path(__file__).resolve().parents[1].parent / "shared" / "data" / "saudinewsnet-events-dev" / "dev.jsonl"
)


def template(db: Path, n: int) -> None:
    """The first `n` events-dev articles ingested by the real pipeline into `db` (no comparisons)."""
    from marsad.config import load_config
    from marsad.ingest.files import read_paths
    from marsad.pipeline import default_clusterer, default_steps, ingest, restore_clusterer
    from marsad.store import Store

    records = []
    for line in EVENTS.read_text("utf-8").splitlines()[:n]:
        r = json.loads(line)
        published = r["date_extracted"].replace(" ", "T") + "+03:00"
        records.append({"id": r["id"], "title": r["title"], "text": r["text"], "outlet": r["source"]})
        records[-1]["published"] = published
    source = db.with_suffix(".jsonl")
    source.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    cfg = load_config(None)
    with Store(db) as store:
        clusterer = default_clusterer(store.conn, cfg)
        restore_clusterer(store, clusterer)
        ingest(
            store, read_paths([source], max_bytes=cfg.ingest.max_bytes), clusterer, steps=default_steps(cfg)
        )


def _new_id(old: str, copy: int, width: int) -> str:
    return hashlib.sha256(f"{old}\0{copy}".encode()).hexdigest()[:width]


def _moved(value: str | None, days: int) -> str | None:
    return (datetime.fromisoformat(value) + timedelta(days=days)).isoformat() if value else value


def grow(db: Path, articles: int, days: int) -> int:
    """Copy the template rows of `db` until it holds `articles` articles (see the module docstring);
    all in one transaction. Returns the number of articles stored."""
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    q = conn.execute
    members = q("SELECT article_id, story_id, score FROM story_members ORDER BY seq").fetchall()
    ids = [m["article_id"] for m in members]
    docs = {r["id"]: tuple(r) for r in q("SELECT * FROM documents")}
    arts = {r["id"]: r for r in q("SELECT * FROM articles")}
    ents = {r["article_id"]: tuple(r) for r in q("SELECT * FROM cluster_entities")}
    stories = {r["id"]: r for r in q("SELECT * FROM stories")}
    links = dict(tuple(r) for r in q("SELECT story_id, storyline_id FROM story_storylines"))
    lines = {r["id"]: r for r in q("SELECT * FROM storylines")}
    art_cols = list(arts[ids[0]].keys())
    seq = int(q("SELECT max(seq) FROM story_members").fetchone()[0])
    k = 0
    n = len(ids)
    with conn:
        while n < articles:
            k += 1
            shift = k * days
            aid = {a: _new_id(a, k, len(a)) for a in ids}
            sid = {s: "s" + _new_id(s, k, 15) for s in stories}
            lid = {x: "l" + _new_id(x, k, 15) for x in lines}
            for s, row in stories.items():
                v = dict(row)
                v.update(id=sid[s], first_published=_moved(v["first_published"], shift))
                v["last_published"] = _moved(v["last_published"], shift)
                q(f"INSERT INTO stories ({','.join(v)}) VALUES ({','.join('?' * len(v))})", tuple(v.values()))
            for x, row in lines.items():
                v = dict(row)
                v.update(id=lid[x], first_published=_moved(v["first_published"], shift))
                v["last_published"] = _moved(v["last_published"], shift)
                q(
                    f"INSERT INTO storylines ({','.join(v)}) VALUES ({','.join('?' * len(v))})",
                    tuple(v.values()),
                )
            for s, x in links.items():
                q("INSERT INTO story_storylines (story_id, storyline_id) VALUES (?, ?)", (sid[s], lid[x]))
            for m in members:
                if n >= articles:
                    break
                a = m["article_id"]
                d = list(docs[a])
                d[0], d[1] = aid[a], f"{d[1]}#copy{k}"
                q(f"INSERT INTO documents VALUES ({','.join('?' * len(d))})", d)
                v = dict(arts[a])
                v.update(id=aid[a], published=_moved(v["published"], shift))
                q(
                    f"INSERT INTO articles ({','.join(art_cols)}) VALUES ({','.join('?' * len(v))})",
                    list(v.values()),
                )
                e = list(ents[a])
                e[0] = aid[a]
                q(f"INSERT INTO cluster_entities VALUES ({','.join('?' * len(e))})", e)
                seq += 1
                q(
                    "INSERT INTO story_members (article_id, story_id, score, seq) VALUES (?, ?, ?, ?)",
                    (aid[a], sid[m["story_id"]], m["score"], seq),
                )
                n += 1
    conn.execute("DELETE FROM cluster_snapshots")
    conn.commit()
    conn.close()
    return n


def worker_snapshot(db: Path) -> dict[str, Any]:
    """(In a subprocess, with the code under test.) The clusterer state of the whole store, built by
    restoring every arrival from its template article's signals, saved as this code's snapshot."""
    import time
    from dataclasses import replace

    from marsad.cluster.base import ClusterDoc
    from marsad.cluster.snapshot import save_snapshot
    from marsad.config import load_config
    from marsad.pipeline import default_clusterer
    from marsad.store import Store

    t0 = time.process_time()
    cfg = load_config(None)
    with Store(db) as store:
        clusterer = default_clusterer(store.conn, cfg)
        rows = store.conn.execute(
            "SELECT m.story_id, a.id, a.title, a.body, a.language, a.published, a.outlet, e.*,"
            " l.storyline_id, d.source FROM story_members m JOIN articles a ON a.id = m.article_id"
            " JOIN documents d ON d.id = a.id LEFT JOIN cluster_entities e ON e.article_id = a.id"
            " LEFT JOIN story_storylines l ON l.story_id = m.story_id ORDER BY m.seq"
        ).fetchall()
        by_text: dict[str, Any] = {}
        for r in rows:
            original = r["source"].split("#copy")[0]
            published = datetime.fromisoformat(r["published"]) if r["published"] else None
            sig = by_text.get(original)
            if sig is None:
                keys = r["keys"]
                lead = r["lead_keys"] if "lead_keys" in r.keys() else None  # noqa: SIM118 (a Row: `in` reads values)
                doc = ClusterDoc(
                    id=r["id"],
                    text=r["body"],
                    title=r["title"],
                    language=r["language"],
                    published=published,
                    outlet=r["outlet"],
                    entities=frozenset(json.loads(keys)) if keys is not None else None,
                    lead_entities=frozenset(json.loads(lead)) if lead is not None else None,
                )
                sig = by_text[original] = clusterer.signals([doc])[0]
            # Its own vectors, as a restore that reads them from the cache has (shared ones would be
            # pickled once: a snapshot holding them would look smaller than a real store's).
            vectors = copy.deepcopy(sig.vectors)
            clusterer.restore_signals(
                replace(sig, id=r["id"], published=published, vectors=vectors),
                r["story_id"],
                r["storyline_id"],
            )
        built = time.process_time() - t0
        t1 = time.perf_counter()
        assert save_snapshot(store, clusterer)
        saved = time.perf_counter() - t1
        size = store.conn.execute("SELECT sum(length(data)) FROM cluster_snapshot_parts").fetchone()[0]
        cold = store.conn.execute(
            "SELECT coalesce(sum(length(data)), 0) FROM cluster_snapshot_cold"
        ).fetchone()[0]
    return {
        "build_cpu_s": built,
        "save_s": saved,
        "snapshot_mb": size / 1e6,
        "cold_mb": cold / 1e6,
        "live_stories": len(clusterer),
    }


def worker_restart(db: Path) -> dict[str, Any]:
    """(In a fresh subprocess, with the code under test.) CPU time and memory to restore the clusterer
    from the store and assign one new document."""
    import inspect
    import resource
    import time

    import psutil  # type: ignore[import-untyped]

    from marsad.cluster.base import ClusterDoc
    from marsad.config import load_config
    from marsad.pipeline import default_clusterer, restore_clusterer
    from marsad.store import Store

    cfg = load_config(None)
    with Store(db) as store:
        last = store.conn.execute(
            "SELECT a.*, e.keys, e.lead_keys FROM story_members m JOIN articles a ON a.id = m.article_id"
            " JOIN cluster_entities e ON e.article_id = a.id ORDER BY m.seq DESC LIMIT 1"
        ).fetchone()
        doc = ClusterDoc(
            id="f" * 64,
            text=last["body"],
            title=last["title"],
            language=last["language"],
            published=datetime.fromisoformat(last["published"]) + timedelta(hours=1),
            outlet=last["outlet"],
            # as the document's preparation gives it (entity tagging is per-document work, not restart)
            entities=frozenset(json.loads(last["keys"])),
            lead_entities=frozenset(json.loads(last["lead_keys"])),
        )
        # as `marsad ingest` restores it (a code without the option reads the whole snapshot)
        lazy = {"lazy": True} if "lazy" in inspect.signature(restore_clusterer).parameters else {}
        rss0 = psutil.Process().memory_info().rss
        t0 = time.process_time()
        clusterer = default_clusterer(store.conn, cfg)
        restore_clusterer(store, clusterer, **lazy)
        restored = time.process_time() - t0
        clusterer.assign(doc)
        ready = time.process_time() - t0
        rss1 = psutil.Process().memory_info().rss
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return {
        "restore_cpu_s": restored,
        "ready_cpu_s": ready,
        "rss_growth_mb": (rss1 - rss0) / 1e6,
        "peak_rss_mb": peak / 1e6,
    }


def _run(src: Path, what: str, db: Path) -> dict[str, Any]:
    env = dict(os.environ, PYTHONPATH=str(src))
    out = subprocess.run(
        [sys.executable, __file__, "--worker", what, "--db", str(db)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode != 0:
        raise SystemExit(f"{what} with {src} failed:\n{out.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--template", type=int, default=60, help="real events-dev articles ingested")
    parser.add_argument("--days", type=int, default=2, help="days between two copies of the template")
    parser.add_argument(
        "--base-src", type=Path, help="the src/ of another checkout to measure beside this one"
    )
    parser.add_argument("--worker", choices=("snapshot", "restart"), help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        run = worker_snapshot if args.worker == "snapshot" else worker_restart
        print(json.dumps(run(args.db)))
        return
    os.environ.setdefault(
        "MARSAD_SNAPSHOT_KEY", str(Path(tempfile.gettempdir()) / "marsad-bench-snapshot.key")
    )
    here = Path(__file__).resolve().parents[1] / "src"
    codes = [("this", here)] + ([("base", args.base_src.resolve())] if args.base_src else [])
    with tempfile.TemporaryDirectory(prefix="marsad-restart-") as tmp:
        base = Path(tmp) / "template.db"
        template(base, args.template)
        print(f"template: {args.template} events-dev articles ingested; copies {args.days} days apart")
        print(
            "articles  code  live stories  snapshot MB (cold)  save s  restore CPU s  ready CPU s"
            "  RSS growth MB  peak RSS MB"
        )
        for size in (int(s) for s in args.sizes.split(",")):
            for name, src in codes:
                db = Path(tmp) / f"{name}-{size}.db"
                shutil.copy(base, db)
                stored = grow(db, size, args.days)
                snap = _run(src, "snapshot", db)
                rest = _run(src, "restart", db)
                print(
                    f"{stored:>8}  {name:<4}  {snap['live_stories']:>12}  {snap['snapshot_mb']:>11.1f}"
                    f" ({snap['cold_mb']:>5.1f})"
                    f"  {snap['save_s']:>6.2f}  {rest['restore_cpu_s']:>13.2f}  {rest['ready_cpu_s']:>11.2f}"
                    f"  {rest['rss_growth_mb']:>13.1f}  {rest['peak_rss_mb']:>11.1f}",
                    flush=True,
                )
                db.unlink()


if __name__ == "__main__":
    main()
