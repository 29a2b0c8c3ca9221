"""Similarity bench: Pearson/Spearman vs SemEval-2022 Task 8 Overall, by language group.

    python bench/similarity.py                # 10-fold CV of the similarity heads + zero-shot cosines
    python bench/similarity.py --jsonl F      # shipped model on any {"id","text1","text2","gold"} JSONL
    python bench/similarity.py --fit          # refit the similarity heads in model.json (join kept)

Groups: Arabic (ar-ar), same-language (other), cross-language, overall. Native pairs only (HFL's
machine-translated augmentations left out). Folds split pairs; a document shared by two pairs can
sit on both sides (rare in this file). Systems: the fast head (USE + lexical), the same plus the e5
second opinion, and that plus the metric head (the shipped default, `marsad similarity`).
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from harness import (
    ROOT,
    cached_e5,
    cached_embedder,
    load_gold_jsonl,
    load_semeval,
    print_table,
    similarity_report,
    write_result,
)
from marsad.cluster.base import ClusterDoc
from marsad.cluster.features import SIMILARITY_FEATURE_NAMES, TEXT_FEATURE_NAMES, DocSignals, text_features
from marsad.cluster.model import LinearModel, MetricHead, fit_metric, fit_ridge, load_model
from marsad.cluster.similarity import embedding_products, second_opinion, second_vectors, to_unit
from marsad.embed.e5 import E5Embedder
from marsad.embed.views import ViewConfig, embed_documents

SQUARES = (0, 1, 2, 3, 4)
E5_SQUARES = (*SQUARES, len(TEXT_FEATURE_NAMES))  # e5_cos squared too
ROOTS = (5, 6, 7, 8)
L2 = 1.0
METRIC_L2 = 0.02  # chosen by 10-fold CV x8 among 1e-4..0.05 (0.01-0.02 best, 1e-3 overfits)


def pair_signals(
    embedder: Any, pairs: list[dict[str, Any]], views: ViewConfig | None = None
) -> list[DocSignals]:
    """Two DocSignals per pair (text1, text2), in pair order."""
    from marsad.cluster.features import doc_signals

    texts = [t for p in pairs for t in (p["text1"], p["text2"])]
    vectors = embed_documents(embedder, [(None, t) for t in texts], views or ViewConfig())
    return [
        doc_signals(ClusterDoc(id=str(i), text=t), v)
        for i, (t, v) in enumerate(zip(texts, vectors, strict=True))
    ]


def e5_vectors(pairs: list[dict[str, Any]]) -> np.ndarray:
    """The e5 vectors of each pair's two texts (cached in bench/out)."""
    return second_vectors(cached_e5(), [(p["text1"], p["text2"]) for p in pairs])


def with_second_opinion(x: np.ndarray, pairs: list[dict[str, Any]]) -> np.ndarray:
    """x plus the e5 columns (SECOND_OPINION_NAMES)."""
    cross = 1.0 - x[:, TEXT_FEATURE_NAMES.index("same_language")]
    return np.hstack([x, second_opinion(e5_vectors(pairs), cross)])


def fit_metric_head(head: LinearModel, x: np.ndarray, products: np.ndarray, y: np.ndarray) -> MetricHead:
    """The diagonal metric on the residuals `head` leaves on its own training pairs."""
    use = (products.shape[1] - E5Embedder.dim) // 2
    widths = (use, use, E5Embedder.dim)
    return fit_metric(products, y - head.predict(x), widths, l2=METRIC_L2)


def fit_head(x: np.ndarray, y: np.ndarray) -> LinearModel:
    """The ridge head on USE features (13 columns) or on them plus the e5 columns."""
    if x.shape[1] == len(SIMILARITY_FEATURE_NAMES):
        return fit_ridge(x, y, l2=L2, squares=E5_SQUARES, roots=ROOTS, features=SIMILARITY_FEATURE_NAMES)
    return fit_ridge(x, y, l2=L2, squares=SQUARES, roots=ROOTS, features=TEXT_FEATURE_NAMES)


def fit_similarity_head(
    embedder: Any, views: ViewConfig | None = None
) -> tuple[LinearModel, LinearModel, MetricHead]:
    """(similarity, similarity_fast, similarity_metric) fitted on every native SemEval training pair."""
    pairs = load_semeval()
    sigs = pair_signals(embedder, pairs, views)
    x = np.stack([text_features(sigs[2 * i], sigs[2 * i + 1]) for i in range(len(pairs))])
    y = -np.array([p["gold"] for p in pairs])
    meta = {"trained_on": "semeval2022 task8 native training pairs", "n": len(pairs)}
    full = with_second_opinion(x, pairs)
    head = replace(fit_head(full, y), meta=meta)
    metric = fit_metric_head(head, full, embedding_products(sigs, e5_vectors(pairs)), y)
    return head, replace(fit_head(x, y), meta=meta), replace(metric, meta={**metric.meta, **meta})


def cross_validate(
    x: np.ndarray,
    y: np.ndarray,
    folds: int = 10,
    repeats: int = 3,
    products: np.ndarray | None = None,
) -> list[np.ndarray]:
    """Out-of-fold predictions, one array per repeat; with `products`, the metric head is added."""
    preds = []
    for rep in range(repeats):
        idx = np.random.default_rng(rep).permutation(len(y))
        pred = np.zeros(len(y))
        for f in range(folds):
            test = idx[f::folds]
            train = np.setdiff1d(idx, test)
            head = fit_head(x[train], y[train])
            pred[test] = head.predict(x[test])
            if products is not None:
                metric = fit_metric_head(head, x[train], products[train], y[train])
                pred[test] += metric.predict(products[test])
        preds.append(pred)
    return preds


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--jsonl", type=Path)
    ap.add_argument(
        "--fit", action="store_true", help="refit the similarity heads of model.json, keeping the join head"
    )
    ap.add_argument("--folds", type=int, default=10)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--chunks", type=int, default=ViewConfig().max_chunks)
    ap.add_argument("--head-chars", type=int, default=ViewConfig().head_chars)
    ap.add_argument(
        "--lead", type=int, default=ViewConfig().lead_sentences, help="lead sentences in the head"
    )
    ap.add_argument("--chunk-chars", type=int, default=ViewConfig().chunk_chars)
    ap.add_argument("--head-mode", default=ViewConfig().head_mode, help="text | title+chunk")
    args = ap.parse_args()
    embedder = cached_embedder()
    if args.fit:
        shipped = load_model()
        similarity, fast, metric = fit_similarity_head(embedder)
        path = ROOT / "src" / "marsad" / "cluster" / "model.json"
        replace(shipped, similarity=similarity, similarity_fast=fast, similarity_metric=metric).save(path)
        print(f"-> {path}")
    pairs = load_gold_jsonl(args.jsonl) if args.jsonl else load_semeval()
    views = ViewConfig(
        head_chars=args.head_chars,
        lead_sentences=args.lead,
        chunk_chars=args.chunk_chars,
        max_chunks=args.chunks,
        head_mode=args.head_mode,
    )
    sigs = pair_signals(embedder, pairs, views)
    x = np.stack([text_features(sigs[2 * i], sigs[2 * i + 1]) for i in range(len(pairs))])
    products = embedding_products(sigs, e5_vectors(pairs))
    result: dict[str, Any] = {
        "data": str(args.jsonl or "semeval2022 task8 training_set.csv native"),
        "n": len(pairs),
    }
    rows = []
    for name in ("cos_body", "cos_head", "chunk_align"):
        rep = similarity_report(pairs, x[:, TEXT_FEATURE_NAMES.index(name)].tolist())
        result[f"zero_shot_{name}"] = rep
        rows += [(f"zero-shot {name}", g, v["n"], v["pearson"], v["spearman"]) for g, v in rep.items()]
    full = with_second_opinion(x, pairs)
    rep = similarity_report(pairs, full[:, len(TEXT_FEATURE_NAMES)].tolist())
    result["zero_shot_e5_cos"] = rep
    rows += [("zero-shot e5_cos", g, v["n"], v["pearson"], v["spearman"]) for g, v in rep.items()]
    if args.jsonl:
        model = load_model()
        metric = model.similarity_metric
        for name, head, feats in (
            ("shipped", model.similarity, full),
            ("shipped fast", model.similarity_fast, x),
        ):
            if head is None:
                continue
            raw = head.predict(feats)
            if name == "shipped" and metric is not None:
                raw = raw + metric.predict(products)
            rep = similarity_report(pairs, [to_unit(v) for v in raw])
            result[name.replace(" ", "_")] = rep
            rows += [(name, g, v["n"], v["pearson"], v["spearman"]) for g, v in rep.items()]
    else:
        y = -np.array([p["gold"] for p in pairs])
        systems = (
            ("learned USE", "cv_fast", x, None),
            ("learned USE+e5", "cv_no_metric", full, None),
            ("learned USE+e5+metric", "cv", full, products),
        )
        for name, key, feats, prods in systems:
            preds = cross_validate(feats, y, args.folds, args.repeats, prods)
            reps = [similarity_report(pairs, p.tolist()) for p in preds]
            mean = {
                g: {k: float(np.mean([r[g][k] for r in reps])) for k in ("n", "pearson", "spearman")}
                for g in reps[0]
            }
            result[key] = {"folds": args.folds, "repeats": args.repeats, "mean": mean, "runs": reps}
            rows += [
                (f"{name} cv{args.folds}x{args.repeats}", g, int(v["n"]), v["pearson"], v["spearman"])
                for g, v in mean.items()
            ]
    print_table(rows, ["system", "group", "n", "pearson", "spearman"])
    print(f"-> {write_result('similarity', result)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
