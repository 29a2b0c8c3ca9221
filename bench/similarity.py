"""Similarity bench: Pearson/Spearman vs SemEval-2022 Task 8 Overall, by language group.

    python bench/similarity.py                # 10-fold CV of both similarity heads + zero-shot cosines
    python bench/similarity.py --jsonl F      # shipped model on any {"id","text1","text2","gold"} JSONL

Groups: Arabic (ar-ar), same-language (other), cross-language, overall. Native pairs only (HFL's
machine-translated augmentations left out). Folds split pairs; a document shared by two pairs can
sit on both sides (rare in this file).
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from harness import (
    cached_e5,
    cached_embedder,
    load_gold_jsonl,
    load_semeval,
    print_table,
    similarity_report,
    write_result,
)
from marsad.cluster.base import ClusterDoc
from marsad.cluster.features import FEATURE_NAMES, SIMILARITY_FEATURE_NAMES, pair_features
from marsad.cluster.model import LinearModel, fit_ridge, load_model
from marsad.cluster.similarity import second_opinion, to_unit
from marsad.embed.views import ViewConfig, embed_documents

SQUARES = (0, 1, 2, 3, 4)
E5_SQUARES = (*SQUARES, len(FEATURE_NAMES))  # e5_cos squared too
ROOTS = (5, 6, 7, 8)
L2 = 1.0


def pair_matrix(embedder: Any, pairs: list[dict[str, Any]], views: ViewConfig | None = None) -> np.ndarray:
    from marsad.cluster.features import doc_signals

    texts = [t for p in pairs for t in (p["text1"], p["text2"])]
    vectors = embed_documents(embedder, [(None, t) for t in texts], views or ViewConfig())
    sigs = [
        doc_signals(ClusterDoc(id=str(i), text=t), v)
        for i, (t, v) in enumerate(zip(texts, vectors, strict=True))
    ]
    return np.stack([pair_features(sigs[2 * i], sigs[2 * i + 1]) for i in range(len(pairs))])


def with_second_opinion(x: np.ndarray, pairs: list[dict[str, Any]]) -> np.ndarray:
    """x plus the e5 columns (SECOND_OPINION_NAMES), e5 vectors cached in bench/out."""
    cross = 1.0 - x[:, FEATURE_NAMES.index("same_language")]
    texts = [(p["text1"], p["text2"]) for p in pairs]
    return np.hstack([x, second_opinion(cached_e5(), texts, cross)])


def fit_head(x: np.ndarray, y: np.ndarray) -> LinearModel:
    """The ridge head on USE features (13 columns) or on them plus the e5 columns."""
    if x.shape[1] == len(SIMILARITY_FEATURE_NAMES):
        return fit_ridge(x, y, l2=L2, squares=E5_SQUARES, roots=ROOTS, features=SIMILARITY_FEATURE_NAMES)
    return fit_ridge(x, y, l2=L2, squares=SQUARES, roots=ROOTS)


def fit_similarity_head(embedder: Any, views: ViewConfig | None = None) -> tuple[LinearModel, LinearModel]:
    """(similarity, similarity_fast) heads fitted on every native SemEval training pair."""
    pairs = load_semeval()
    x = pair_matrix(embedder, pairs, views)
    y = -np.array([p["gold"] for p in pairs])
    meta = {"trained_on": "semeval2022 task8 native training pairs", "n": len(pairs)}
    return (
        replace(fit_head(with_second_opinion(x, pairs), y), meta=meta),
        replace(fit_head(x, y), meta=meta),
    )


def cross_validate(x: np.ndarray, y: np.ndarray, folds: int = 10, repeats: int = 3) -> list[np.ndarray]:
    preds = []
    for rep in range(repeats):
        idx = np.random.default_rng(rep).permutation(len(y))
        pred = np.zeros(len(y))
        for f in range(folds):
            test = idx[f::folds]
            train = np.setdiff1d(idx, test)
            pred[test] = fit_head(x[train], y[train]).predict(x[test])
        preds.append(pred)
    return preds


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--jsonl", type=Path)
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
    pairs = load_gold_jsonl(args.jsonl) if args.jsonl else load_semeval()
    views = ViewConfig(
        head_chars=args.head_chars,
        lead_sentences=args.lead,
        chunk_chars=args.chunk_chars,
        max_chunks=args.chunks,
        head_mode=args.head_mode,
    )
    x = pair_matrix(embedder, pairs, views)
    result: dict[str, Any] = {
        "data": str(args.jsonl or "semeval2022 task8 training_set.csv native"),
        "n": len(pairs),
    }
    rows = []
    for name in ("cos_body", "cos_head", "chunk_align"):
        rep = similarity_report(pairs, x[:, FEATURE_NAMES.index(name)].tolist())
        result[f"zero_shot_{name}"] = rep
        rows += [(f"zero-shot {name}", g, v["n"], v["pearson"], v["spearman"]) for g, v in rep.items()]
    full = with_second_opinion(x, pairs)
    rep = similarity_report(pairs, full[:, len(FEATURE_NAMES)].tolist())
    result["zero_shot_e5_cos"] = rep
    rows += [("zero-shot e5_cos", g, v["n"], v["pearson"], v["spearman"]) for g, v in rep.items()]
    if args.jsonl:
        model = load_model()
        for name, head, feats in (
            ("shipped", model.similarity, full),
            ("shipped fast", model.similarity_fast, x),
        ):
            if head is None:
                continue
            rep = similarity_report(pairs, [to_unit(v) for v in head.predict(feats)])
            result[name.replace(" ", "_")] = rep
            rows += [(name, g, v["n"], v["pearson"], v["spearman"]) for g, v in rep.items()]
    else:
        y = -np.array([p["gold"] for p in pairs])
        for name, feats in (("learned USE", x), ("learned USE+e5", full)):
            preds = cross_validate(feats, y, args.folds, args.repeats)
            reps = [similarity_report(pairs, p.tolist()) for p in preds]
            mean = {
                g: {k: float(np.mean([r[g][k] for r in reps])) for k in ("n", "pearson", "spearman")}
                for g in reps[0]
            }
            key = "cv_fast" if feats is x else "cv"
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
