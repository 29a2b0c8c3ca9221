"""Direct quotes on real Arabic news: detection P/R/F1, speaker accuracy, attribution F1, speed.

Data: `../shared/data/saudinewsnet-quotes-dev/dev.jsonl` (70 SaudiNewsNet articles, 418 hand-labelled
quotes; GUIDELINES.md there) or any file in the same format (`--data FILE`). Each record is turned into
an `Article` (title + text), its entity mentions are computed once with `marsad.entities.extract_entities`
(as the ingest does) and passed to `marsad.quotes.extract_quotes`.

Scoring (the rules of the data's SOURCE.txt, made precise):
- a predicted quote matches a gold quote when their spans overlap by at least half the shorter span;
  matching is one-to-one, largest overlaps first. Detection P/R/F1 count matched pairs.
- speaker right, on a matched pair: both names are normalized (`marsad.text.arabic.normalize`) and cut
  into words; the prediction is right when its word set holds at least one word that is not a bare
  connector (بن ابن بنت ال آل ابو ام عبد) and is a subset of (or equal to) the gold speaker's word set.
  "الجبير" for "عادل بن أحمد الجبير" is right; "البنك المركزي" for the governor is wrong. A gold
  speaker of null (unknown) is right only when nothing is predicted; a missing prediction for a stated
  speaker is wrong.
- speaker accuracy = right / matched; attribution F1 = P/R/F1 counting only matched pairs whose speaker
  is right (found AND right speaker).
- breakdowns by speaker_kind, mention_type, continuation and partial: gold count, recall, speaker
  accuracy on the matched ones.
- speed: quote extraction alone per article (entities excluded, measured apart), median and p95.

Split: the 70 dev articles are cut deterministically by sha256(id) % 10 < 3 into "unseen" (23 articles,
never looked at while tuning) and "tune" (47). The default run reports all three (tune, unseen, all).
"fresh" is a second unseen set of our own (bench/gold/quotes-fresh, 20 articles, 85 quotes, labelled
before marsad ran on them): its records hold labels and the place of each text in
../shared/data/saudinewsnet-unlabelled, never the text, and are rebuilt from there (`resolve`).
`--split every` reports tune, unseen and fresh.

Run: PYTHONPATH=src .venv/bin/python bench/quotes.py [--data FILE] [--split all|tune|unseen|fresh|every]
     [--errors] -> prints a table, writes bench/out/quotes.json.
The figures of the code before issue 14 came from the same command with PYTHONPATH pointing to an
export of that commit (`git archive f431936 src | tar -x -C /tmp/q0`).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import statistics
import sys
import time
import zipfile
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from marsad.entities import extract_entities
from marsad.quotes import Quote, extract_quotes
from marsad.records import Article
from marsad.text.arabic import normalize

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "saudinewsnet-quotes-dev" / "dev.jsonl"
FRESH = ROOT / "bench" / "gold" / "quotes-fresh" / "fresh.jsonl"
UNLABELLED = ROOT.parent / "shared" / "data" / "saudinewsnet-unlabelled"
OUT = ROOT / "bench" / "out" / "quotes.json"

_WORD = re.compile(r"[^\W_]+")
CONNECTORS = frozenset({"بن", "ابن", "بنت", "ال", "ابو", "ام", "عبد"})
BREAKDOWNS = ("speaker_kind", "mention_type", "continuation", "partial")


def is_unseen(article_id: str) -> bool:
    """The deterministic held-back part of the dev set (about 3 articles in 10)."""
    return int(hashlib.sha256(article_id.encode("utf-8")).hexdigest(), 16) % 10 < 3


def name_words(name: str | None) -> frozenset[str]:
    """The normalized words of a speaker name."""
    return frozenset(_WORD.findall(normalize(name or "")))


def speaker_right(predicted: str | None, gold: str | None) -> bool:
    """The rule of the module docstring: a non-empty subset of the gold name's words, or both unknown."""
    if gold is None:
        return predicted is None
    words = name_words(predicted)
    return bool(words - CONNECTORS) and words <= name_words(gold)


def overlap_match(a: tuple[int, int], b: tuple[int, int]) -> int:
    """The overlap of two spans when it is at least half the shorter one, else 0."""
    inter = min(a[1], b[1]) - max(a[0], b[0])
    shorter = min(a[1] - a[0], b[1] - b[0])
    return inter if inter > 0 and 2 * inter >= shorter else 0


def match(gold: Sequence[dict[str, Any]], predicted: Sequence[Quote]) -> list[tuple[int, int]]:
    """One-to-one (gold index, predicted index) pairs, largest overlaps first."""
    candidates = sorted(
        (
            (ov, g, p)
            for g, gq in enumerate(gold)
            for p, pq in enumerate(predicted)
            if (ov := overlap_match((gq["start"], gq["end"]), (pq.start, pq.end)))
        ),
        reverse=True,
    )
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs = []
    for _, g, p in candidates:
        if g not in used_g and p not in used_p:
            used_g.add(g)
            used_p.add(p)
            pairs.append((g, p))
    return pairs


@dataclass(slots=True)
class Tally:
    gold: int = 0
    predicted: int = 0
    matched: int = 0
    right: int = 0
    by: dict[str, dict[str, list[int]]] = field(default_factory=lambda: defaultdict(dict))
    quote_ms: list[float] = field(default_factory=list)
    entity_ms: list[float] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)

    def count(self, quote: dict[str, Any], matched: bool, right: bool) -> None:
        for key in BREAKDOWNS:
            cell = self.by[key].setdefault(str(quote.get(key)), [0, 0, 0])
            cell[0] += 1
            cell[1] += matched
            cell[2] += right

    def report(self) -> dict[str, Any]:
        def prf(hit: int) -> dict[str, float]:
            p = hit / self.predicted if self.predicted else 0.0
            r = hit / self.gold if self.gold else 0.0
            return {"p": round(p, 3), "r": round(r, 3), "f1": round(2 * p * r / (p + r) if p + r else 0.0, 3)}

        return {
            "gold": self.gold,
            "predicted": self.predicted,
            "matched": self.matched,
            "detection": prf(self.matched),
            "speaker_accuracy": round(self.right / self.matched, 3) if self.matched else 0.0,
            "attribution": prf(self.right),
            "breakdown": {
                key: {
                    value: {
                        "gold": g,
                        "recall": round(m / g, 3) if g else 0.0,
                        "speaker_accuracy": round(r / m, 3) if m else 0.0,
                    }
                    for value, (g, m, r) in sorted(cells.items())
                }
                for key, cells in self.by.items()
            },
            "quote_ms_median": round(statistics.median(self.quote_ms), 3) if self.quote_ms else 0.0,
            "quote_ms_p95": round(_p95(self.quote_ms), 3),
            "entity_ms_median": round(statistics.median(self.entity_ms), 3) if self.entity_ms else 0.0,
        }


def _p95(values: list[float]) -> float:
    return sorted(values)[int(0.95 * (len(values) - 1))] if values else 0.0


def load(path: Path, texts: Path = UNLABELLED) -> list[dict[str, Any]]:
    """The records of a JSONL gold file; records without `text` are rebuilt with `resolve`."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    days: dict[str, list[dict[str, Any]]] = {}
    return [row if "text" in row else resolve(row, texts, days) for row in rows]


def resolve(row: dict[str, Any], texts: Path, days: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """A label-only record (day, index, content_sha256, quotes with `starts`) made whole from the crawl.

    The text is element `index` of the JSON array in `texts/<day>.zip`; its digest and every quote's
    first words are checked, so a changed or misplaced text fails loudly instead of scoring nonsense.
    """
    day = str(row["day"])
    if day not in days:
        with zipfile.ZipFile(texts / f"{day}.zip") as z:
            days[day] = json.loads(z.read(f"{day}.json"))
    rec = days[day][int(row["index"])]
    text = str(rec.get("content") or "")
    if hashlib.sha256(text.encode("utf-8")).hexdigest() != row["content_sha256"]:
        raise ValueError(f"{row['id']}: the text at {day}[{row['index']}] is not the labelled one")
    quotes = []
    for q in row["quotes"]:
        quote = text[q["start"] : q["end"]]
        if not quote.startswith(q["starts"]):
            raise ValueError(f"{row['id']}: quote at {q['start']} does not start with {q['starts']!r}")
        quotes.append({**q, "quote": quote})
    return {**row, "title": rec.get("title"), "text": text, "quotes": quotes}


def to_article(row: dict[str, Any]) -> Article:
    text = str(row["text"])
    return Article(
        id=str(row["id"]),
        url=row.get("url"),
        outlet=row.get("source"),
        title=row.get("title"),
        body=text,
        paragraphs=tuple(p for p in text.split("\n") if p.strip()),
        published=None,
        language="ar",
    )


def evaluate(rows: Iterable[dict[str, Any]], *, repeat: int = 3) -> Tally:
    """Run entities once and quotes on each article and score them against the gold quotes."""
    tally = Tally()
    for row in rows:
        article = to_article(row)
        t0 = time.perf_counter()
        mentions = extract_entities(article)
        tally.entity_ms.append((time.perf_counter() - t0) * 1000)
        best = float("inf")
        for _ in range(repeat):
            t0 = time.perf_counter()
            predicted = extract_quotes(article, mentions)
            best = min(best, (time.perf_counter() - t0) * 1000)
        tally.quote_ms.append(best)
        gold = list(row["quotes"])
        pairs = dict(match(gold, predicted))
        tally.gold += len(gold)
        tally.predicted += len(predicted)
        for g, gq in enumerate(gold):
            p = pairs.get(g)
            right = p is not None and speaker_right(predicted[p].speaker, gq["speaker"])
            tally.matched += p is not None
            tally.right += right
            tally.count(gq, p is not None, right)
            if not right:
                tally.errors.append(
                    {
                        "id": row["id"],
                        "kind": "missed" if p is None else "speaker",
                        "gold": gq["quote"][:60],
                        "gold_speaker": gq["speaker"],
                        "mention": gq["speaker_mention"],
                        "predicted": None if p is None else predicted[p].speaker,
                    }
                )
        for p, pq in enumerate(predicted):
            if p not in pairs.values():
                tally.errors.append(
                    {"id": row["id"], "kind": "spurious", "predicted": pq.text[:60], "speaker": pq.speaker}
                )
    return tally


def _line(name: str, rep: dict[str, Any]) -> str:
    d, a = rep["detection"], rep["attribution"]
    return (
        f"{name:8} gold {rep['gold']:4} pred {rep['predicted']:4} | detection P {d['p']:.3f} R {d['r']:.3f} "
        f"F1 {d['f1']:.3f} | speaker {rep['speaker_accuracy']:.3f} | attribution F1 {a['f1']:.3f} | "
        f"quotes {rep['quote_ms_median']:.3f} ms (p95 {rep['quote_ms_p95']:.3f}), "
        f"entities {rep['entity_ms_median']:.2f} ms"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DATA, help="a JSONL file in the dev format")
    parser.add_argument(
        "--split", choices=("both", "all", "tune", "unseen", "fresh", "every"), default="both"
    )
    parser.add_argument("--errors", action="store_true", help="print every miss, wrong speaker, spurious")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    if not args.data.exists():
        print(f"no data at {args.data}", file=sys.stderr)
        return 1
    names = {"both": ("tune", "unseen", "all"), "every": ("tune", "unseen", "fresh")}.get(
        args.split, (args.split,)
    )
    rows = load(args.data) if names != ("fresh",) else []
    parts = {
        "tune": [r for r in rows if not is_unseen(str(r["id"]))],
        "unseen": [r for r in rows if is_unseen(str(r["id"]))],
        "all": rows,
    }
    if "fresh" in names:
        if not UNLABELLED.exists():
            print(f"no texts for the fresh set at {UNLABELLED}", file=sys.stderr)
            return 1
        parts["fresh"] = load(FRESH)
    result: dict[str, Any] = {"data": str(args.data)}
    for name in names:
        tally = evaluate(parts[name])
        rep = tally.report()
        result[name] = rep
        print(_line(name, rep))
        if args.errors:
            for err in tally.errors:
                print("   ", json.dumps(err, ensure_ascii=False))
    last = result[names[-1]]
    for key, cells in last["breakdown"].items():
        cols = ", ".join(
            f"{v}: n={c['gold']} R {c['recall']:.2f} spk {c['speaker_accuracy']:.2f}"
            for v, c in cells.items()
        )
        print(f"  {names[-1]} by {key}: {cols}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
