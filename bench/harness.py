"""Evaluation harness for story clustering and pair similarity.

Metrics (no dependency beyond numpy):
- clustering: pairwise precision/recall/F1 over document pairs, BCubed precision/recall/F1;
- similarity: Pearson and Spearman correlation.

Loaders turn the dev data in ../shared/data into plain records, and `load_gold_jsonl` reads any JSONL
with gold labels, so the same scripts run on other corpora:
- clustering records: {"id", "text", optional "title", "language", "published", "outlet", "gold"};
- pair records: {"id", "text1", "text2", optional "lang1", "lang2", "gold"} (gold: SemEval Overall,
  1 = same story .. 4 = different).
"""

from __future__ import annotations

import csv
import json
import random
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Hashable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
OUT = ROOT / "bench" / "out"

MMDS_MISC_LABEL = 166  # the miscellaneous bucket: every member is its own story
_NATIVE_PAIR = re.compile(r"^\d+_\d+$")  # HFL's machine-translated augmentations carry a language suffix


# ---------------------------------------------------------------- metrics


def pairwise_prf(gold: Sequence[Hashable], pred: Sequence[Hashable]) -> dict[str, float]:
    """Precision/recall/F1 over all unordered document pairs put together (pred) vs truly together."""
    if len(gold) != len(pred):
        raise ValueError(f"gold has {len(gold)} labels, pred {len(pred)}")

    def together(labels: Sequence[Hashable]) -> int:
        return sum(n * (n - 1) // 2 for n in Counter(labels).values())

    both = together(list(zip(gold, pred, strict=True)))
    n_pred, n_gold = together(pred), together(gold)
    p = both / n_pred if n_pred else 1.0
    r = both / n_gold if n_gold else 1.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def bcubed_prf(gold: Sequence[Hashable], pred: Sequence[Hashable]) -> dict[str, float]:
    """BCubed precision/recall/F1 (Bagga & Baldwin 1998), averaged over documents."""
    if len(gold) != len(pred):
        raise ValueError(f"gold has {len(gold)} labels, pred {len(pred)}")
    if not gold:
        return {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    pair_count = Counter(zip(gold, pred, strict=True))
    gold_count, pred_count = Counter(gold), Counter(pred)
    p = sum(pair_count[(g, c)] / pred_count[c] for g, c in zip(gold, pred, strict=True)) / len(gold)
    r = sum(pair_count[(g, c)] / gold_count[g] for g, c in zip(gold, pred, strict=True)) / len(gold)
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def pearson(x: Sequence[float], y: Sequence[float]) -> float:
    a, b = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    if len(a) < 2 or a.std() == 0 or b.std() == 0:
        return float("nan")
    return float(np.corrcoef(a, b)[0, 1])


def _ranks(values: np.ndarray) -> np.ndarray:
    order = values.argsort(kind="mergesort")
    ranks = np.empty(len(values), dtype=np.float64)
    ranks[order] = np.arange(len(values), dtype=np.float64)
    # average ranks over ties
    for v in np.unique(values):
        tied = values == v
        if tied.sum() > 1:
            ranks[tied] = ranks[tied].mean()
    return ranks


def spearman(x: Sequence[float], y: Sequence[float]) -> float:
    a, b = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    return pearson(_ranks(a).tolist(), _ranks(b).tolist())


def singleton_labels(labels: Sequence[Hashable], misc: Hashable | None) -> list[Hashable]:
    """Each member of the `misc` bucket becomes its own cluster (a bucket is not an event)."""
    return [("misc", i) if misc is not None and g == misc else g for i, g in enumerate(labels)]


# ---------------------------------------------------------------- loaders


def _lenient_json(text: str) -> Any:
    # mds_clusters_gpt_event*.json has trailing commas: drop them before } or ].
    return json.loads(re.sub(r",\s*([}\]])", r"\1", text))


def load_mmds(data_dir: Path = DATA, *, seed: int | None = 0) -> list[dict[str, Any]]:
    """MMDS dev articles as clustering records in an arrival order.

    Dates come from the gpt_event file (by article ID); the miscellaneous-bucket articles have none
    there, so they get a date drawn from the dev dates (seeded). Within a day the articles are shuffled
    (seeded), because the file lists them cluster by cluster, an unrealistically easy arrival order.
    `seed=None` keeps the file order. Gold: the cluster label, the misc bucket as singletons.
    """
    folder = data_dir / "mmds2025-event-clusters"
    data = json.loads((folder / "mds_ac_dev_final.json").read_text("utf-8"))
    events = _lenient_json((folder / "mds_clusters_gpt_event_dev.json").read_text("utf-8"))
    dates = {d["ID"]: d["publish_date"] for c in events for d in c["documents"]}
    rng = random.Random(seed)
    day_pool = sorted(dates.values())
    gold = singleton_labels(data["clusters"], MMDS_MISC_LABEL)
    records = []
    for article, label in zip(data["articles"], gold, strict=True):
        text = " ".join(s["content"] for s in article["sentences"])
        date = dates.get(article["ID"]) or rng.choice(day_pool)
        records.append(
            {
                "id": f"mmds{article['ID']:04d}",
                "title": article["title"],
                "text": text,
                "published": f"{date}T00:00:00+00:00",
                "gold": label if isinstance(label, int) else f"misc{label[1]}",
            }
        )
    if seed is not None:
        by_day: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for r in records:
            by_day[r["published"]].append(r)
        records = []
        for day in sorted(by_day):
            members = by_day[day]
            rng.shuffle(members)
            # spread each day's articles over its hours so the order is the publication order
            for i, r in enumerate(members):
                hour, minute = divmod(i * 1440 // max(len(members), 1), 60)
                r["published"] = f"{day[:10]}T{hour:02d}:{minute:02d}:00+00:00"
            records.extend(members)
    return records


SAUDI_EVENTS = "saudinewsnet-events-dev"


def load_saudi_events(data_dir: Path = DATA, *, seed: int | None = 0) -> list[dict[str, Any]]:
    """The hand-labelled Arabic dev split (SaudiNewsNet, 2 days) as clustering records.

    `published` is the crawl time (Riyadh, +03:00), the only time the records carry. Gold: `event`;
    `storyline` is kept beside it. Records sharing one crawl second are shuffled (seeded) among
    themselves; `seed=None` keeps the file order for ties.
    """
    path = data_dir / SAUDI_EVENTS / "dev.jsonl"
    rows = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    rng = random.Random(seed)
    if seed is not None:
        rng.shuffle(rows)
    records = []
    for r in rows:
        when = str(r["date_extracted"]).replace(" ", "T") + "+03:00"
        records.append(
            {
                "id": str(r["id"]),
                "title": r.get("title"),
                "text": r.get("text", ""),
                "language": "ar",
                "published": when,
                "outlet": r.get("source"),
                "url": r.get("url"),
                "gold": str(r["event"]),
                "storyline": str(r["storyline"]),
            }
        )
    records.sort(key=lambda r: r["published"])  # stable: ties keep the shuffled order
    return records


def load_semeval(data_dir: Path = DATA, *, native_only: bool = True) -> list[dict[str, Any]]:
    """SemEval-2022 Task 8 training pairs with text; native pairs only unless told otherwise."""
    path = data_dir / "semeval2022-task8-text" / "training_set.csv"
    csv.field_size_limit(10_000_000)
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    seen: set[str] = set()
    pairs = []
    for row in rows:
        pid = row["pair_id"]
        if (native_only and not _NATIVE_PAIR.match(pid)) or pid in seen:
            continue
        seen.add(pid)
        pairs.append(
            {
                "id": pid,
                "text1": row["text1"],
                "text2": row["text2"],
                "lang1": row["lang1"],
                "lang2": row["lang2"],
                "gold": float(row["Overall"]),
            }
        )
    return pairs


def pair_group(pair: dict[str, Any]) -> str:
    """'arabic' (ar-ar), 'same-language' (other) or 'cross-language'."""
    l1, l2 = pair.get("lang1"), pair.get("lang2")
    if l1 == "ar" and l2 == "ar":
        return "arabic"
    return "same-language" if l1 == l2 else "cross-language"


def load_gold_jsonl(path: Path) -> list[dict[str, Any]]:
    """Any JSONL with a `gold` field per record (clustering or pair records)."""
    records = []
    for n, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        if not line.strip():
            continue
        rec = json.loads(line)
        if "gold" not in rec:
            raise ValueError(f"{path}:{n}: record has no 'gold' label")
        records.append(rec)
    return records


# ---------------------------------------------------------------- reporting


def similarity_report(pairs: Sequence[dict[str, Any]], scores: Sequence[float]) -> dict[str, Any]:
    """Pearson/Spearman of score vs -gold (gold 1 = same .. 4 = different) overall and per group."""
    groups: dict[str, list[int]] = defaultdict(list)
    for i, p in enumerate(pairs):
        groups[pair_group(p)].append(i)
        groups["overall"].append(i)
    out = {}
    for name in ("arabic", "same-language", "cross-language", "overall"):
        idx = groups.get(name, [])
        if len(idx) < 3:
            continue
        s = [scores[i] for i in idx]
        g = [-float(pairs[i]["gold"]) for i in idx]
        out[name] = {"n": len(idx), "pearson": pearson(s, g), "spearman": spearman(s, g)}
    return out


def write_result(name: str, result: dict[str, Any]) -> Path:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"{name}.json"
    path.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


def print_table(rows: Sequence[Sequence[Any]], header: Sequence[str]) -> None:
    cells = [[f"{c:.4f}" if isinstance(c, float) else str(c) for c in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) for i, h in enumerate(header)]
    line = "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True))
    sys.stdout.write(line + "\n" + "-" * len(line) + "\n")
    for r in cells:
        sys.stdout.write("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + "\n")


def cached_e5() -> Any:
    """The e5 second-opinion embedder behind the same store cache."""
    from marsad.embed import CachedEmbedder, E5Embedder
    from marsad.store import Store

    OUT.mkdir(parents=True, exist_ok=True)
    store = Store(OUT / "embed_cache.db")
    return CachedEmbedder(E5Embedder(), store.conn)


def cached_embedder() -> Any:
    """The default embedder behind a store cache in bench/out (re-runs skip the forward pass)."""
    from marsad.embed import CachedEmbedder, UsemEmbedder
    from marsad.store import Store

    OUT.mkdir(parents=True, exist_ok=True)
    store = Store(OUT / "embed_cache.db")
    return CachedEmbedder(UsemEmbedder(), store.conn)
