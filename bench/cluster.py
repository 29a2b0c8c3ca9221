"""Clustering bench: cross-validated online clustering on MMDS dev (or any JSONL with gold labels).

    python bench/cluster.py                 # CV report (pairwise + BCubed P/R/F1) -> bench/out/cluster.json
    python bench/cluster.py --fit           # also refits src/marsad/cluster/model.json on all dev data
    python bench/cluster.py --jsonl F.jsonl # evaluate the shipped model on F ({"id","text",...,"gold"})

Honest CV: folds split the gold clusters; the pair model is trained on pairs of training-fold
documents only; the join threshold is picked by an inner 2-fold CV on the training folds; the
online clusterer then runs on the test fold alone, in publication order. Repeated over seeds.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np

from harness import (
    ROOT,
    bcubed_prf,
    cached_embedder,
    load_gold_jsonl,
    load_mmds,
    pairwise_prf,
    print_table,
    write_result,
)
from marsad.cluster.base import ClusterDoc
from marsad.cluster.features import FEATURE_NAMES, DocSignals, pair_features
from marsad.cluster.lexical import LexicalClusterer
from marsad.cluster.model import ClusterModel, LinearModel, fit_logistic, load_model
from marsad.cluster.online import ClustererSettings, EmbeddingClusterer
from marsad.embed.views import ViewConfig
from marsad.errors import ConfigError

GRID = tuple(round(t, 2) for t in np.arange(0.15, 0.81, 0.05))
L2 = 1.0


def to_docs(records: list[dict[str, Any]]) -> list[ClusterDoc]:
    return [
        ClusterDoc(
            id=str(r["id"]),
            text=str(r.get("text", "")),
            title=r.get("title"),
            language=r.get("language"),
            published=datetime.fromisoformat(r["published"]) if r.get("published") else None,
            outlet=r.get("outlet"),
        )
        for r in records
    ]


LINKAGE = ClustererSettings().linkage
MAX_MEMBERS = ClustererSettings().max_members


def run_online(embedder: Any, sigs: list[DocSignals], model: ClusterModel, threshold: float) -> list[str]:
    settings = ClustererSettings(threshold=threshold, linkage=LINKAGE, max_members=MAX_MEMBERS)
    clusterer = EmbeddingClusterer(embedder, settings, model=model)
    return [clusterer.assign_signals(s).story_id for s in sigs]


def pair_matrix(sigs: list[DocSignals]) -> tuple[np.ndarray, np.ndarray]:
    n = len(sigs)
    ij = np.array([(i, j) for i in range(n) for j in range(i + 1, n)])
    x = np.stack([pair_features(sigs[i], sigs[j]) for i, j in ij])
    return x, ij


def fit_join(x: np.ndarray, y: np.ndarray) -> LinearModel:
    return fit_logistic(x, y, l2=L2)


def score(gold: list[Any], pred: list[str]) -> dict[str, dict[str, float]]:
    return {"bcubed": bcubed_prf(gold, pred), "pairwise": pairwise_prf(gold, pred)}


def _objective(gold: list[Any], pred: list[str]) -> float:
    s = score(gold, pred)
    return (s["bcubed"]["f1"] + s["pairwise"]["f1"]) / 2


def _split(gold: list[Any], idx: list[int], k: int, rng: np.random.Generator) -> list[list[int]]:
    labels = sorted({str(gold[i]) for i in idx})
    perm = rng.permutation(len(labels))
    fold_of = {labels[p]: n % k for n, p in enumerate(perm)}
    return [[i for i in idx if fold_of[str(gold[i])] == f] for f in range(k)]


class PairData:
    """All pair features of a document set, with fast selection of the pairs inside a subset."""

    def __init__(self, sigs: list[DocSignals], gold: list[Any]) -> None:
        self.x, self.ij = pair_matrix(sigs)
        self.y = np.array([gold[i] == gold[j] for i, j in self.ij], dtype=np.float64)

    def within(self, idx: list[int]) -> tuple[np.ndarray, np.ndarray]:
        mask = np.zeros(int(self.ij.max()) + 1, dtype=bool)
        mask[idx] = True
        sel = mask[self.ij[:, 0]] & mask[self.ij[:, 1]]
        return self.x[sel], self.y[sel]


def calibrate(
    embedder: Any,
    sigs: list[DocSignals],
    gold: list[Any],
    pairs: PairData,
    idx: list[int],
    seed: int,
    similarity: LinearModel,
) -> dict[float, float]:
    """Mean objective per threshold over an inner 2-fold CV on `idx`."""
    rng = np.random.default_rng(seed + 1000)
    totals = dict.fromkeys(GRID, 0.0)
    halves = _split(gold, idx, 2, rng)
    for h in range(2):
        train, test = halves[1 - h], halves[h]
        model = ClusterModel(fit_join(*pairs.within(train)), similarity, 0.5)
        for t in GRID:
            pred = run_online(embedder, [sigs[i] for i in test], model, t)
            totals[t] += _objective([gold[i] for i in test], pred) / 2
    return totals


def cross_validate(
    embedder: Any, sigs: list[DocSignals], gold: list[Any], folds: int, repeats: int, similarity: LinearModel
) -> dict[str, Any]:
    pairs = PairData(sigs, gold)
    runs = []
    chosen = []
    curve = dict.fromkeys(GRID, 0.0)
    for rep in range(repeats):
        rng = np.random.default_rng(rep)
        pred: list[str] = [""] * len(sigs)
        for f, test in enumerate(_split(gold, list(range(len(sigs))), folds, rng)):
            train = [i for i in range(len(sigs)) if i not in set(test)]
            inner = calibrate(embedder, sigs, gold, pairs, train, rep * 100 + f, similarity)
            for t, v in inner.items():
                curve[t] += v / (repeats * folds)
            tau = max(inner, key=lambda t: inner[t])
            chosen.append(tau)
            model = ClusterModel(fit_join(*pairs.within(train)), similarity, tau)
            ordered = sorted(test)  # sigs are already in publication order
            for i, sid in zip(
                ordered, run_online(embedder, [sigs[i] for i in ordered], model, tau), strict=True
            ):
                pred[i] = f"{f}:{sid}"
        runs.append(score(gold, pred))
    mean = {
        m: {k: float(np.mean([r[m][k] for r in runs])) for k in ("precision", "recall", "f1")}
        for m in ("bcubed", "pairwise")
    }
    return {
        "folds": folds,
        "repeats": repeats,
        "mean": mean,
        "runs": runs,
        "thresholds": chosen,
        "curve": curve,
    }


def lexical_baseline(docs: list[ClusterDoc], gold: list[Any]) -> dict[str, dict[str, float]]:
    clusterer = LexicalClusterer()
    return score(gold, [clusterer.assign(d).story_id for d in docs])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--jsonl", type=Path, help="evaluate the shipped model on this gold JSONL instead")
    ap.add_argument("--folds", type=int, default=2)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--seed", type=int, default=0, help="arrival-order seed for MMDS")
    ap.add_argument("--fit", action="store_true", help="refit and write src/marsad/cluster/model.json")
    ap.add_argument("--chunks", type=int, default=ViewConfig().max_chunks, help="body chunks per doc")
    ap.add_argument("--head-chars", type=int, default=ViewConfig().head_chars)
    ap.add_argument(
        "--lead", type=int, default=ViewConfig().lead_sentences, help="lead sentences in the head"
    )
    ap.add_argument("--chunk-chars", type=int, default=ViewConfig().chunk_chars)
    ap.add_argument("--head-mode", default=ViewConfig().head_mode, help="text | title+chunk")
    ap.add_argument("--max-members", type=int, default=ClustererSettings().max_members)
    ap.add_argument("--linkage", default=ClustererSettings().linkage, help="story linkage to evaluate")
    args = ap.parse_args()
    global LINKAGE, MAX_MEMBERS
    LINKAGE, MAX_MEMBERS = args.linkage, args.max_members

    embedder = cached_embedder()
    records = load_gold_jsonl(args.jsonl) if args.jsonl else load_mmds(seed=args.seed)
    records.sort(key=lambda r: r.get("published") or "")  # stable: input order when undated
    docs = to_docs(records)
    gold = [r["gold"] for r in records]
    started = time.perf_counter()
    try:
        shipped = load_model() if (ROOT / "src/marsad/cluster/model.json").exists() else None
    except ConfigError as exc:  # fitted on other features: only --fit can go on
        if not args.fit:
            raise
        print(f"ignoring the shipped model: {exc}")
        shipped = None
    views = ViewConfig(
        head_chars=args.head_chars,
        lead_sentences=args.lead,
        chunk_chars=args.chunk_chars,
        max_chunks=args.chunks,
        head_mode=args.head_mode,
    )
    probe = EmbeddingClusterer(embedder, model=shipped, views=views) if shipped else None
    if probe is None:
        from similarity import fit_similarity_head

        similarity, fast, _ = fit_similarity_head(embedder, views)
        probe_model = ClusterModel(fast, similarity, 0.5)
        probe = EmbeddingClusterer(embedder, model=probe_model, views=views)
    sigs = probe.signals(docs)
    embed_s = time.perf_counter() - started
    result: dict[str, Any] = {
        "data": str(args.jsonl or "mmds2025 dev"),
        "n_docs": len(docs),
        "embed_s": embed_s,
    }
    result["lexical_baseline"] = lexical_baseline(docs, gold)

    if args.jsonl and shipped:
        result["shipped"] = score(gold, run_online(embedder, sigs, shipped, shipped.join_threshold))
        rows = [
            (name, m, v["precision"], v["recall"], v["f1"])
            for name, key in (("lexical", "lexical_baseline"), ("shipped", "shipped"))
            for m, v in result[key].items()
        ]
    else:
        from similarity import fit_similarity_head

        if shipped and not args.fit:
            similarity, similarity_fast = shipped.similarity, shipped.similarity_fast
            metric = shipped.similarity_metric
        else:
            similarity, similarity_fast, metric = fit_similarity_head(embedder, views)
        cv = cross_validate(embedder, sigs, gold, args.folds, args.repeats, similarity)
        result["cv"] = cv
        rows = [
            ("lexical", m, v["precision"], v["recall"], v["f1"])
            for m, v in result["lexical_baseline"].items()
        ]
        rows += [
            (f"learned cv{args.folds}x{args.repeats}", m, v["precision"], v["recall"], v["f1"])
            for m, v in cv["mean"].items()
        ]
        if shipped:
            s = score(gold, run_online(embedder, sigs, shipped, shipped.join_threshold))
            result["shipped_in_sample"] = s
            rows += [("shipped (in-sample!)", m, v["precision"], v["recall"], v["f1"]) for m, v in s.items()]
        if args.fit:
            pairs = PairData(sigs, gold)
            join = fit_join(pairs.x, pairs.y)
            tau = max(cv["curve"], key=lambda t: cv["curve"][t])
            meta = {
                "trained_on": "mmds2025 dev pairs (join); semeval2022 task8 native pairs (similarity)",
                "cv": cv["mean"],
                "threshold_curve": cv["curve"],
                "fitted": datetime.now().isoformat(timespec="seconds"),
            }
            model = ClusterModel(join, similarity, float(tau), meta, similarity_fast, metric)
            model.save(ROOT / "src/marsad/cluster/model.json")
            result["fitted_threshold"] = tau
            print(f"wrote src/marsad/cluster/model.json (join threshold {tau})")
    print_table(rows, ["system", "metric", "precision", "recall", "f1"])
    print(f"features: {', '.join(FEATURE_NAMES)}")
    path = write_result("cluster", result)
    print(f"-> {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
