"""Writer CPU per document as the store grows: the entity step's known persons read from
`person_names` through a surname index (now) against the former GROUP BY over every stored mention
and the untargeted person grouping (kept in tests/entities/test_entities_known_parity.py), same run.

    PYTHONPATH=src nice python bench/speed_known_persons.py [--sizes 310,1200] [--probe 40]

For each side: a fresh SQLite store, `marsad.pipeline.ingest` (default steps, lexical clusterer: no
model) of the articles of `load_docs` (events-dev, then unlabelled SaudiNewsNet) up to each size, then
the CPU ms per document of ingesting the next `--probe` articles (kept in the store, so the next size
starts from there). Same articles on both sides; both sides store identical mentions (the parity test).

Measured 2026-12-07 (load average ~6 on 2 cores, --sizes 310,1200 --probe 40): former 45.3 -> 166.8
CPU ms/doc, now 38.1 -> 91.5. At 1200 stored, cProfile of the 40 probe documents (now): entity step
29 ms/doc (its `_known` 13), the lexical clusterer's `assign` 47 ms/doc (it grows with the stories of
the window: not this step's cost).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from harness import print_table
from marsad.cluster.lexical import LexicalClusterer
from marsad.entities import recognizer, step
from marsad.ingest import open_sources
from marsad.pipeline import default_steps, ingest
from marsad.store import Store
from speed_ingest import load_docs

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "entities"))
from test_entities_known_parity import _former_found, _former_people


@contextmanager
def _former() -> Iterator[None]:
    found, people = step._found, recognizer.RuleEntityRecognizer.__dict__["_people"]
    step._found = _former_found
    recognizer.RuleEntityRecognizer._people = staticmethod(_former_people)  # type: ignore[method-assign]
    try:
        yield
    finally:
        step._found = found
        recognizer.RuleEntityRecognizer._people = people  # type: ignore[method-assign]


def _ingest(store: Store, docs: list[dict[str, Any]], folder: Path, clusterer: LexicalClusterer) -> float:
    path = folder / f"part{time.monotonic_ns()}.jsonl"
    path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs), "utf-8")
    start = time.process_time()
    report = ingest(store, open_sources([str(path)], max_bytes=500_000_000), clusterer, steps=default_steps())
    spent = time.process_time() - start
    assert report.added == len(docs), report
    return spent


def side(docs: list[dict[str, Any]], sizes: list[int], probe: int, folder: Path) -> list[float]:
    out, done = [], 0
    clusterer = LexicalClusterer()
    with Store(folder / "bench.db") as store:
        for size in sizes:
            if size > done:
                _ingest(store, docs[done:size], folder, clusterer)
            out.append(1000 * _ingest(store, docs[size : size + probe], folder, clusterer) / probe)
            done = size + probe
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="310,1200")
    ap.add_argument("--probe", type=int, default=40)
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    docs = load_docs(max(sizes) + args.probe)
    rows = []
    with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b:
        with _former():
            former = side(docs, sizes, args.probe, Path(a))
        now = side(docs, sizes, args.probe, Path(b))
    for size, f, n in zip(sizes, former, now, strict=True):
        rows.append([size, f"{f:.1f}", f"{n:.1f}"])
    print_table(rows, ["stored articles", "former CPU ms/doc", "now CPU ms/doc"])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
