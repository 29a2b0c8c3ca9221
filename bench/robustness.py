"""Robustness bench: about 1,000 malformed inputs of the kinds in issue 13 mixed with good documents,
run through one `marsad ingest DIR` and one `marsad batch`; prints tracebacks, over-budget documents,
good documents stored, rejects by code, the exit codes and the slowest document.

    PYTHONPATH=src python bench/robustness.py [--bad 1000] [--out /tmp/marsad-robustness]

It first reads the eight WARC files of tests/ingest/inflated_warcs.py (one record's Content-Length
inflated so that it swallows what follows) and counts those where a record vanishes without a trace
or is stored with another record glued on.

Good documents are the records of ../shared/data/saudinewsnet-events-dev/dev.jsonl (else the dumps of
samples/corpus), one file each. Nothing here is used for tuning.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data" / "saudinewsnet-events-dev" / "dev.jsonl"
BODY = "The council met on Monday and agreed a new budget for the city's schools and its hospitals. "
BODY_AR = "اجتمع المجلس البلدي يوم الاثنين وأقر ميزانية جديدة لمدارس المدينة ومستشفياتها. "


def _good(out: Path) -> int:
    if SHARED.exists():
        lines = SHARED.read_text("utf-8").splitlines()
        for n, line in enumerate(lines):
            (out / f"good_{n:04d}.json").write_text(line, encoding="utf-8")
        return len(lines)
    dumps = sorted((ROOT / "samples" / "corpus" / "dumps").glob("*.txt"))
    for path in dumps:
        shutil.copy(path, out / f"good_{path.name}")
    return len(dumps)


def _wrapped(rng: random.Random, size: int) -> bytes:
    words = BODY.lower().replace(".", "").split()
    return "\n".join(" ".join(rng.choice(words) for _ in range(12)) for _ in range(size // 80)).encode()


KINDS: dict[str, Callable[[random.Random], tuple[str, bytes]]] = {
    "corrupt_gz": lambda r: (
        "x.jsonl.gz",
        gzip.compress((json.dumps({"id": 1, "text": BODY}) + "\n").encode() * 200)[:90],
    ),
    "deep_json": lambda r: (
        "x.jsonl",
        b"[" * 50_000 + b"\n" + json.dumps({"id": r.random(), "text": BODY}).encode(),
    ),
    "deep_jsonld": lambda r: (
        "x.html",
        b'<html><head><script type="application/ld+json">'
        + b"[" * 50_000
        + b"</script></head><body><article><p>"
        + BODY.encode() * 3
        + b"</p></article></body></html>",
    ),
    # nested deep enough for json.loads, too deep for the recursive walks after it (issue 13, 2nd round)
    "deep_json_readable": lambda r: (
        "x.jsonl",
        b'{"id": "d%d", "text": "\\ud800 ' % r.randrange(10**9)
        + BODY.encode()
        + b'", "x": '
        + b"[" * 900
        + b'"\\ud800"'
        + b"]" * 900
        + b"}\n",
    ),
    "deep_jsonld_readable": lambda r: (
        "x.html",
        b'<html><head><script type="application/ld+json">'
        + b"[" * 900
        + b'{"headline": "x"}'
        + b"]" * 900
        + b"</script></head><body><article><p>"
        + BODY.encode() * 3
        + b"</p></article></body></html>",
    ),
    "lone_surrogate": lambda r: (
        "x.jsonl",
        b'{"id": "s%d", "text": "\\ud800 ' % r.randrange(10**9) + BODY.encode() + b'"}\n',
    ),
    "huge_int": lambda r: ("x.jsonl", b'{"id": 1, "n": ' + b"9" * 5000 + b"}\n"),
    "random_jsonl": lambda r: ("x.jsonl", os.urandom(2000)),
    "binary_tiny": lambda r: ("x.bin", os.urandom(r.randint(1, 7))),
    "empty": lambda r: ("x.txt", b""),
    "whitespace_jsonl": lambda r: ("x.jsonl", b"  \n\n  \n"),
    "nav_only": lambda r: (
        "x.html",
        b"<html><body><nav><a href=/>Home</a> <a href=/n>News</a></nav></body></html>",
    ),
    "wrapped_dump": lambda r: ("x.txt", _wrapped(r, 300_000)),
    "spaces_dump": lambda r: ("x.txt", b"Title\n\nBody text (" + b" " * 60_000 + b"x\n"),
    "disclaimer_dump": lambda r: ("x.txt", ("التعليقات المنشورة لا تعبر عن رأي الموقع " * 4000).encode()),
    "many_comments": lambda r: (
        "x.txt",
        (
            f"Title\n\n{BODY}\n\n50000 comments\n"
            + "".join(f"  {i % 999 + 1}. c {i}\n" for i in range(50_000))
        ).encode(),
    ),
    "truncated_warc": lambda r: (
        "x.warc",
        b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 5000\r\n\r\nHTTP/1.1 200 OK\r\n\r\n<p>cut",
    ),
    "bad_utf8_json": lambda r: ("x.json", b'{"id": 1, "text": "\xff\xfe"}'),
    "not_object": lambda r: ("x.jsonl", b"[1, 2, 3]\n"),
    "no_text": lambda r: ("x.jsonl", b'{"id": 7}\n'),
}


def _build(out: Path, bad: int, seed: int) -> tuple[int, int]:
    shutil.rmtree(out, ignore_errors=True)
    corpus = out / "corpus"
    corpus.mkdir(parents=True)
    good = _good(corpus)
    rng = random.Random(seed)
    kinds = sorted(KINDS)
    for n in range(bad):
        kind = kinds[n % len(kinds)]
        name, data = KINDS[kind](rng)
        (corpus / f"bad_{n:04d}_{kind}_{name}").write_bytes(data)
    (corpus / ".hidden").write_text("hidden")
    (corpus / "dangling.txt").symlink_to(out / "missing")
    return good, bad


def _run(args: list[str]) -> tuple[int, str, str, float]:
    started = time.monotonic()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.run([sys.executable, "-m", "marsad", *args], capture_output=True, text=True, env=env)
    return proc.returncode, proc.stdout, proc.stderr, time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--bad", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--out", type=Path, default=Path("/tmp/marsad-robustness"))
    parser.add_argument("--worst-only", action="store_true", help="only the worst dumps, end to end")
    opts = parser.parse_args()
    _inflated_warcs(opts.out)
    _worst_dumps(opts.out)
    if opts.worst_only:
        return
    good, bad = _build(opts.out, opts.bad, opts.seed)
    corpus, db = opts.out / "corpus", opts.out / "store.db"
    print(f"corpus: {good} good documents, {bad} malformed inputs of {len(KINDS)} kinds -> {corpus}")

    rc, out, err, seconds = _run(["ingest", str(corpus), "--db", str(db), "--lexical", "--json"])
    tracebacks = err.count("Traceback")
    summary = json.loads(out) if out.strip().startswith("{") else {}
    print(f"\nmarsad ingest: exit {rc}, {seconds:.0f} s, tracebacks {tracebacks}")
    if summary:
        print(
            f"  stored {summary['added']} (of {good} good), rejected {summary['rejected']},"
            f" failed unexpectedly {summary.get('failed_unexpectedly')},"
            f" over budget {summary.get('over_budget')}"
        )
        for code, count in summary.get("rejected_by_code", {}).items():
            print(f"  {code}: {count}")
    check_rc, _, check_err, _ = _run(["check", "--db", str(db)])
    print(f"  marsad check: exit {check_rc}")
    if check_rc:
        print(check_err)

    timings = _slowest(corpus)
    print(f"  slowest document (extraction alone): {timings[0]:.2f} s {timings[1]}")

    rc, out, err, seconds = _run(["batch", str(corpus), "--out", str(opts.out / "batch")])
    rejects = sum(1 for _ in (opts.out / "batch" / "rejects").rglob("*") if _.is_file())
    print(
        f"\nmarsad batch: exit {rc}, {seconds:.0f} s, tracebacks {err.count('Traceback')},"
        f" reject parts {rejects}"
    )
    if rc:
        print(err[-2000:])


CAP = 20_000_000  # ingest.max_bytes


def _worst(rng: random.Random) -> dict[str, bytes]:
    """The worst dumps of issue 13, one file each."""
    words = BODY.lower().replace(".", "").split()
    line = " ".join(rng.choice(words) for _ in range(CAP // 6))
    return {
        "wrapped_2.5MB.txt": _wrapped(rng, 3_260_000),
        "disclaimer_340KB.txt": ("التعليقات المنشورة لا تعبر عن رأي الموقع " * 8_500).encode()[:340_000],
        "spaces_60000.txt": b"Title\n\nBody text (" + b" " * 60_000 + b"x\n",
        "one_line_under_cap.txt": line.encode()[: CAP - 1000],
        # The peer: an ordinary news dump, for the cost of starting the full pipeline at all.
        "ordinary_news.txt": f"Council agrees school budget\n\n{BODY * 8}".encode(),
        # The same in Arabic: Arabic script needs no language model (py3langid's 100 MB).
        "ordinary_news_ar.txt": f"المجلس يقر ميزانية المدارس\n\n{BODY_AR * 8}".encode(),
    }


def _worst_dumps(out: Path) -> None:
    """Each worst dump alone through the full `marsad ingest` (embedding clusterer, dedup, entities,
    FTS; a fresh store each): wall time and peak memory against the targets (< 10 s; < 300 MB + 10x
    the input)."""
    folder = out / "worst"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    print("worst dumps through marsad ingest (full pipeline, fresh store each):")
    for name, data in _worst(random.Random(13)).items():
        path = folder / name
        path.write_bytes(data)
        db = folder / f"{name}.db"
        started = time.monotonic()
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
        args = [sys.executable, "-m", "marsad", "ingest", str(path), "--db", str(db), "--json"]
        with subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env) as proc:
            stdout, stderr = proc.stdout.read().decode(), proc.stderr.read().decode()  # type: ignore[union-attr]
            # The child's own peak resident memory (wait4 reports it for that one process).
            _, status, usage = os.wait4(proc.pid, 0)
            proc.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.monotonic() - started
        peak = usage.ru_maxrss / 1024
        cpu = usage.ru_utime + usage.ru_stime
        limit = 300 + 10 * len(data) / 2**20
        summary = json.loads(stdout) if stdout.strip().startswith("{") else {}
        codes = summary.get("rejected_by_code") or {}
        print(
            f"  {name:26s} {len(data) / 2**20:6.2f} MB  exit {proc.returncode}  {seconds:5.1f} s"
            f" ({'ok' if seconds < 10 else 'OVER'} < 10 s, CPU {cpu:4.1f} s)  peak {peak:6.0f} MB"
            f" ({'ok' if 0 < peak < limit else 'OVER'} < {limit:.0f} MB)"
            f"  added {summary.get('added')} rejected {codes}  tracebacks {stderr.count('Traceback')}"
        )


def _inflated_warcs(out: Path) -> None:
    sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests" / "ingest")]
    from inflated_warcs import variants

    from marsad.ingest.warc import read_warc
    from marsad.records import RawDocument, Rejected

    folder = out / "inflated-warcs"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    lost = glued = 0
    for n, variant in enumerate(variants()):
        path = folder / f"v{n}{variant.suffix}"
        path.write_bytes(variant.data)
        items = list(read_warc(path, max_bytes=20_000_000))
        stored = {i.url for i in items if isinstance(i, RawDocument)}
        named = " ".join(i.detail for i in items if isinstance(i, Rejected))
        lost += any(u not in stored and u not in named for u in (*variant.good, variant.bad))
        glued += any(isinstance(i, RawDocument) and b"WARC/1." in i.content for i in items)
    print(
        f"inflated WARC Content-Length: {lost} of {len(variants())} swallow a record without a trace,"
        f" {glued} store a page with another record glued on"
    )


def _slowest(corpus: Path) -> tuple[float, str]:
    sys.path.insert(0, str(ROOT / "src"))
    from marsad.boundary import guarded, guarded_items
    from marsad.extract import extract, warm_up
    from marsad.ingest.files import read_file
    from marsad.records import RawDocument

    warm_up()
    worst = (0.0, "")
    for path in sorted(corpus.iterdir()):
        if path.name.startswith("bad_") and not path.is_symlink():
            for item in guarded_items("ingest", path.name, read_file(path, max_bytes=20_000_000)):
                if isinstance(item, RawDocument):
                    started = time.monotonic()
                    guarded("extract", item.source, lambda item=item: extract(item), budget=60)
                    worst = max(worst, (time.monotonic() - started, path.name))
    return worst


if __name__ == "__main__":
    main()
