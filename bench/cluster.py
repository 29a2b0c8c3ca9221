"""Clustering bench: MMDS dev and the Arabic dev split side by side, with the baseline in the same run.

    python bench/cluster.py                  # report -> bench/out/cluster.json
    python bench/cluster.py --fit            # also refits the join head of src/marsad/cluster/model.json
    python bench/cluster.py --jsonl F.jsonl  # score the shipped model on F ({"id","text",...,"gold"})

Corpora: MMDS dev (English/Malay/Chinese, `mmds`) and the hand-labelled Arabic SaudiNewsNet dev split
(`arabic`). Every figure is BCubed and pairwise P/R/F1 of an online run in publication order, averaged
over `--orders` arrival orders (ties in time shuffled by seed). Protocols, each for the learned
clusterer and for the one-threshold USE-cosine baseline (a document joins the story whose centroid
is nearest by the cosine of its head + body vector when that reaches the threshold):

- `out-of-corpus`: trained and calibrated on one corpus, tested on the other (mmds->arabic,
  arabic->mmds): the figure that transfers, and the one to report.
- `grouped-cv, both corpora`: `--folds` folds split by event inside each corpus; trained and
  calibrated on the other folds of *both* corpora together; tested on the held fold of each corpus.
- `in-corpus cv`: the same folds, trained and calibrated on the other folds of the same corpus only
  (for the baseline: its threshold tuned on the corpus itself, the strongest form of it).

Storylines (the Arabic split's `storyline` labels; MMDS has none): inside each grouped-CV fold the
storyline head is fitted on the training folds' pairs of different events (same storyline or not),
its threshold calibrated by an inner 2-fold split of them with the fold's join head, and the whole
online run (events, then storylines) is scored on the held fold against `storyline`, beside the same
run without storyline linking (every story its own storyline: the baseline). Arabic folds are split
by storyline (whole storylines to a fold, hence whole events too).

Calibration never sees the test documents: the join threshold (and the baseline's) is the grid value
with the best mean of BCubed and pairwise F1 over inner 2-fold splits of the training documents
(split by event; two such splits, the curve smoothed over neighbouring grid values), averaged over
the training corpora.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
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
    load_saudi_events,
    pairwise_prf,
    print_table,
    write_result,
)
from marsad.cluster.base import ClusterDoc
from marsad.cluster.features import (
    FEATURE_NAMES,
    STORYLINE_FEATURE_NAMES,
    DocSignals,
    doc_signals,
    pair_features,
    storyline_inputs,
)
from marsad.cluster.model import ClusterModel, LinearModel, fit_logistic, load_model
from marsad.cluster.online import ClustererSettings, EmbeddingClusterer
from marsad.embed.views import ViewConfig, embed_documents

GRID = tuple(round(t, 2) for t in np.arange(0.15, 0.86, 0.05))
BASELINE_GRID = tuple(round(t, 3) for t in np.arange(0.40, 0.951, 0.025))
STORYLINE_GRID = tuple(round(t, 2) for t in np.arange(0.05, 0.951, 0.05))
L2 = 1.0
CALIBRATION_SPLITS = 2  # inner 2-fold splits (by event) the threshold curve is averaged over
STORYLINE_L2 = 1.0  # 10 (a strongly regularized head) gave storylines B3 0.883, 1 gave 0.895 (grouped CV)
MODEL_PATH = ROOT / "src/marsad/cluster/model.json"


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


def score(gold: Sequence[Any], pred: Sequence[Any]) -> dict[str, dict[str, float]]:
    return {"bcubed": bcubed_prf(gold, pred), "pairwise": pairwise_prf(gold, pred)}


def objective(gold: Sequence[Any], pred: Sequence[Any]) -> float:
    s = score(gold, pred)
    return (s["bcubed"]["f1"] + s["pairwise"]["f1"]) / 2


@dataclass(slots=True)
class Corpus:
    """One labelled corpus: documents in one arrival order, their signals, gold labels, all pairs."""

    name: str
    sigs: list[DocSignals]
    gold: list[str]
    storyline: list[str] | None
    x: np.ndarray  # pair features, rows for (i, j) in ij
    ij: np.ndarray
    y: np.ndarray

    def pairs_within(self, idx: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
        mask = np.zeros(len(self.sigs), dtype=bool)
        mask[list(idx)] = True
        sel = mask[self.ij[:, 0]] & mask[self.ij[:, 1]]
        return self.x[sel], self.y[sel]

    def group(self, i: int) -> str:
        """What a fold keeps whole: the storyline when labelled (it holds whole events), else the event."""
        return self.storyline[i] if self.storyline is not None else self.gold[i]

    def events_split(self, idx: Sequence[int], k: int, seed: int) -> list[list[int]]:
        """`idx` cut into k folds, whole events (whole storylines when labelled) to a fold."""
        labels = sorted({self.group(i) for i in idx})
        perm = np.random.default_rng(seed).permutation(len(labels))
        fold_of = {labels[p]: n % k for n, p in enumerate(perm)}
        return [[i for i in idx if fold_of[self.group(i)] == f] for f in range(k)]

    def storyline_pairs(self, idx: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
        """Storyline-head training pairs within `idx`: pairs of different events, y = same storyline."""
        assert self.storyline is not None
        mask = np.zeros(len(self.sigs), dtype=bool)
        mask[list(idx)] = True
        gold, line = np.array(self.gold), np.array(self.storyline)
        a, b = self.ij[:, 0], self.ij[:, 1]
        sel = mask[a] & mask[b] & (gold[a] != gold[b])
        return storyline_inputs(self.x[sel]), (line[a] == line[b])[sel].astype(np.float64)


def load_corpus(name: str, records: list[dict[str, Any]], embedder: Any, views: ViewConfig) -> Corpus:
    records = sorted(records, key=lambda r: r.get("published") or "")  # stable: ties keep their order
    docs = to_docs(records)
    vectors = embed_documents(embedder, [(d.title, d.text) for d in docs], views)
    sigs = [doc_signals(d, v) for d, v in zip(docs, vectors, strict=True)]
    gold = [str(r["gold"]) for r in records]
    n = len(sigs)
    ij = np.array([(i, j) for i in range(n) for j in range(i + 1, n)])
    x = np.stack([pair_features(sigs[i], sigs[j]) for i, j in ij])
    y = np.array([gold[i] == gold[j] for i, j in ij], dtype=np.float64)
    storyline = [str(r["storyline"]) for r in records] if all("storyline" in r for r in records) else None
    return Corpus(name, sigs, gold, storyline, x, ij, y)


# ---------------------------------------------------------------- systems


class System:
    """A clusterer family: fit on training pairs, calibrate a threshold, run online on a document set."""

    name = ""
    grid: tuple[float, ...] = ()

    def fit(self, parts: list[tuple[Corpus, list[int]]]) -> Any:
        return None

    def run(self, fitted: Any, sigs: list[DocSignals], threshold: float) -> list[str]:
        raise NotImplementedError


class Learned(System):
    name = "learned"
    grid = GRID

    def fit(self, parts: list[tuple[Corpus, list[int]]]) -> LinearModel:
        xs, ys = zip(*(c.pairs_within(idx) for c, idx in parts), strict=True)
        return fit_logistic(np.concatenate(xs), np.concatenate(ys), l2=L2)

    def run(self, fitted: LinearModel, sigs: list[DocSignals], threshold: float) -> list[str]:
        return [story for story, _ in run_storylines(fitted, None, sigs, threshold, 0.5)]


def run_storylines(
    join: LinearModel, storyline: LinearModel | None, sigs: list[DocSignals], threshold: float, link: float
) -> list[tuple[str, str]]:
    """(story id, storyline id) of every document of one online run."""
    model = ClusterModel(join, join, threshold, storyline=storyline, storyline_threshold=link)
    clusterer = EmbeddingClusterer(_NO_EMBEDDER, ClustererSettings(threshold=threshold), model=model)
    out = []
    for s in sigs:
        a = clusterer.assign_signals(s)
        out.append((a.story_id, a.storyline_id or a.story_id))
    return out


def fit_storyline(parts: list[tuple[Corpus, list[int]]]) -> LinearModel:
    xs, ys = zip(*(c.storyline_pairs(idx) for c, idx in parts), strict=True)
    return fit_logistic(
        np.concatenate(xs), np.concatenate(ys), l2=STORYLINE_L2, features=STORYLINE_FEATURE_NAMES
    )


def calibrate_storyline(
    join: LinearModel, threshold: float, corpus: Corpus, idx: list[int], seed: int
) -> dict[float, float]:
    """Mean storyline BCubed F1 per link threshold over an inner 2-fold split (by storyline) of `idx`."""
    assert corpus.storyline is not None
    halves = corpus.events_split(idx, 2, seed)
    totals = dict.fromkeys(STORYLINE_GRID, 0.0)
    for h in range(2):
        head = fit_storyline([(corpus, halves[1 - h])])
        test = sorted(halves[h])
        gold = [corpus.storyline[i] for i in test]
        sigs = [corpus.sigs[i] for i in test]
        for t in STORYLINE_GRID:
            pred = [line for _, line in run_storylines(join, head, sigs, threshold, t)]
            totals[t] += bcubed_prf(gold, pred)["f1"] / 2
    return totals


def storyline_fold(
    join: LinearModel, threshold: float, corpus: Corpus, train_idx: list[int], test: list[int], seed: int
) -> dict[str, Any]:
    """Storyline predictions on `test` (with and without linking) from a head fitted on `train_idx`."""
    curve = calibrate_storyline(join, threshold, corpus, train_idx, seed)
    link = max(curve, key=lambda t: curve[t])
    head = fit_storyline([(corpus, train_idx)])
    run = run_storylines(join, head, [corpus.sigs[i] for i in sorted(test)], threshold, link)
    return {"threshold": link, "linked": [line for _, line in run], "stories": [story for story, _ in run]}


class CosineBaseline(System):
    """One threshold on the cosine of a document's head + body vector to a story centroid."""

    name = "use-cosine baseline"
    grid = BASELINE_GRID

    def run(self, fitted: Any, sigs: list[DocSignals], threshold: float) -> list[str]:
        sums: list[np.ndarray] = []
        out: list[str] = []
        labels: list[str] = []
        for s in sigs:
            v = s.vectors.head + s.vectors.body
            v = v / max(float(np.linalg.norm(v)), 1e-12)
            best, cos = -1, -1.0
            if sums:
                cents = np.stack(sums)
                cents = cents / np.linalg.norm(cents, axis=1, keepdims=True)
                sims = cents @ v
                best, cos = int(sims.argmax()), float(sims.max())
            if best >= 0 and cos >= threshold:
                sums[best] = sums[best] + v
                out.append(labels[best])
            else:
                sums.append(v.astype(np.float64))
                labels.append(s.id)
                out.append(s.id)
        return out


class _NoEmbedder:
    """The bench feeds precomputed signals: the clusterer never embeds."""

    def embed(self, texts: Sequence[str]) -> Any:
        raise AssertionError("bench clusterers run on precomputed signals")


_NO_EMBEDDER: Any = _NoEmbedder()


def run_on(system: System, fitted: Any, corpus: Corpus, idx: Sequence[int], threshold: float) -> list[str]:
    order = sorted(idx)  # corpus documents are in publication order already
    return system.run(fitted, [corpus.sigs[i] for i in order], threshold)


def calibrate(system: System, parts: list[tuple[Corpus, list[int]]], seed: int) -> dict[float, float]:
    """Mean objective per threshold: inner 2-fold split by event of every training part, fitted on
    one half of all parts together, run on the other half of each part, averaged over the parts and
    over `CALIBRATION_SPLITS` such splits, then `smoothed`."""
    totals = dict.fromkeys(system.grid, 0.0)
    for repeat in range(CALIBRATION_SPLITS):
        halves = [c.events_split(idx, 2, seed + 7919 * repeat) for c, idx in parts]
        for h in range(2):
            fitted = system.fit([(c, hv[1 - h]) for (c, _), hv in zip(parts, halves, strict=True)])
            for (c, _), hv in zip(parts, halves, strict=True):
                test = sorted(hv[h])
                gold = [c.gold[i] for i in test]
                for t in system.grid:
                    got = objective(gold, run_on(system, fitted, c, test, t))
                    totals[t] += got / (2 * len(parts) * CALIBRATION_SPLITS)
    return smoothed(totals)


def smoothed(curve: dict[float, float]) -> dict[float, float]:
    """`curve` averaged with its grid neighbours (ends: with their one neighbour): on a few hundred
    documents an inner split's curve is jagged, and its raw peak moved the threshold from 0.15 to
    0.6 between two arrival orders."""
    ts = sorted(curve)
    out = {}
    for k, t in enumerate(ts):
        near = ts[max(k - 1, 0) : k + 2]
        out[t] = float(np.mean([curve[u] for u in near]))
    return out


def train(
    system: System, parts: list[tuple[Corpus, list[int]]], seed: int
) -> tuple[Any, float, dict[float, float]]:
    curve = calibrate(system, parts, seed)
    tau = max(curve, key=lambda t: curve[t])
    return system.fit(parts), tau, curve


def mean_scores(runs: list[dict[str, dict[str, float]]]) -> dict[str, dict[str, float]]:
    return {
        m: {k: float(np.mean([r[m][k] for r in runs])) for k in ("precision", "recall", "f1")}
        for m in runs[0]
    }


def out_of_corpus(system: System, source: Corpus, target: Corpus, seed: int) -> dict[str, Any]:
    everything = list(range(len(source.sigs)))
    fitted, tau, _ = train(system, [(source, everything)], seed)
    pred = run_on(system, fitted, target, range(len(target.sigs)), tau)
    return {"threshold": tau, "scores": score(target.gold, pred), "pred": pred}


def grouped_cv(system: System, corpora: list[Corpus], folds: int, seed: int) -> dict[str, Any]:
    splits = [c.events_split(range(len(c.sigs)), folds, seed) for c in corpora]
    preds = {c.name: [""] * len(c.sigs) for c in corpora}
    thresholds = []
    lines_of: dict[str, dict[str, list[str]]] = {}
    link_thresholds: list[float] = []
    for f in range(folds):
        parts = [
            (c, [i for g, fold in enumerate(sp) if g != f for i in fold])
            for c, sp in zip(corpora, splits, strict=True)
        ]
        fitted, tau, _ = train(system, parts, seed * 100 + f)
        thresholds.append(tau)
        for (c, train_idx), sp in zip(parts, splits, strict=True):
            test = sorted(sp[f])
            for i, sid in zip(test, run_on(system, fitted, c, test, tau), strict=True):
                preds[c.name][i] = f"{f}:{sid}"
            if isinstance(system, Learned) and c.storyline is not None:
                got = storyline_fold(fitted, tau, c, train_idx, test, seed * 100 + f)
                lines = lines_of.setdefault(
                    c.name, {"linked": [""] * len(c.sigs), "stories": [""] * len(c.sigs)}
                )
                for k, i in enumerate(test):
                    lines["linked"][i] = f"{f}:{got['linked'][k]}"
                    lines["stories"][i] = f"{f}:{got['stories'][k]}"
                link_thresholds.append(got["threshold"])
    storylines = {
        name: {
            "storyline linking": score(corpus.storyline, lines["linked"]),
            "no linking (story = storyline)": score(corpus.storyline, lines["stories"]),
        }
        for name, lines in lines_of.items()
        for corpus in corpora
        if corpus.name == name and corpus.storyline is not None
    }
    return {
        "thresholds": thresholds,
        "scores": {c.name: score(c.gold, preds[c.name]) for c in corpora},
        "storylines": storylines,
        "storyline_thresholds": link_thresholds,
        "storyline_lines": lines_of,
    }


# ---------------------------------------------------------------- report


def report(
    by_order: list[dict[str, Corpus]], folds: int, systems: list[System], log: Callable[[str], None]
) -> dict[str, Any]:
    result: dict[str, Any] = {"orders": len(by_order), "folds": folds, "protocols": {}}
    collected: dict[tuple[str, str, str], list[dict[str, dict[str, float]]]] = {}
    thresholds: dict[tuple[str, str], list[float]] = {}
    for seed, corpora in enumerate(by_order):
        names = list(corpora)
        for system in systems:
            for src in names:
                for dst in names:
                    if src == dst:
                        continue
                    ooc = out_of_corpus(system, corpora[src], corpora[dst], seed)
                    collected.setdefault((dst, system.name, f"out-of-corpus ({src}->{dst})"), []).append(
                        ooc["scores"]
                    )
                    thresholds.setdefault((system.name, f"{src}->{dst}"), []).append(ooc["threshold"])
            cv = grouped_cv(system, list(corpora.values()), folds, seed)
            thresholds.setdefault((system.name, "grouped-cv"), []).extend(cv["thresholds"])
            for name, s in cv["scores"].items():
                collected.setdefault(
                    (name, system.name, f"grouped-cv {folds}-fold, both corpora"), []
                ).append(s)
            collect_storylines(collected, thresholds, cv, f"grouped-cv {folds}-fold, both corpora")
            for name, corpus in corpora.items():
                alone = grouped_cv(system, [corpus], folds, seed)
                thresholds.setdefault((system.name, f"in-corpus cv {name}"), []).extend(alone["thresholds"])
                collected.setdefault((name, system.name, f"in-corpus cv {folds}-fold"), []).append(
                    alone["scores"][name]
                )
                collect_storylines(collected, thresholds, alone, f"in-corpus cv {folds}-fold")
        log(f"order {seed} done")
    for (corpus, system_name, protocol), runs in sorted(collected.items()):
        entry = result["protocols"].setdefault(corpus, {}).setdefault(protocol, {})
        entry[system_name] = {"mean": mean_scores(runs), "runs": runs}
    result["thresholds"] = {f"{s} {p}": v for (s, p), v in thresholds.items()}
    return result


def collect_storylines(
    collected: dict[tuple[str, str, str], list[dict[str, dict[str, float]]]],
    thresholds: dict[tuple[str, str], list[float]],
    cv: dict[str, Any],
    protocol: str,
) -> None:
    """The storyline figures of one CV run (`grouped_cv` of the learned system) into the report."""
    for name, variants in cv.get("storylines", {}).items():
        for variant, s in variants.items():
            collected.setdefault((f"{name} storylines", f"learned, {variant}", protocol), []).append(s)
        thresholds.setdefault(("storyline link", f"{protocol} {name}"), []).extend(cv["storyline_thresholds"])


def flat(s: dict[str, dict[str, float]]) -> list[float]:
    return [s[m][k] for m in ("bcubed", "pairwise") for k in ("precision", "recall", "f1")]


def rows_of(result: dict[str, Any]) -> list[tuple[Any, ...]]:
    rows = []
    for corpus, protocols in result["protocols"].items():
        for protocol, systems in protocols.items():
            for system_name, v in systems.items():
                m = v["mean"]
                rows.append(
                    (
                        corpus,
                        protocol,
                        system_name,
                        m["bcubed"]["precision"],
                        m["bcubed"]["recall"],
                        m["bcubed"]["f1"],
                        m["pairwise"]["precision"],
                        m["pairwise"]["recall"],
                        m["pairwise"]["f1"],
                    )
                )
    return rows


HEADER = ["corpus", "protocol", "system", "B3 P", "B3 R", "B3 F1", "pair P", "pair R", "pair F1"]


def fit_shipped(corpora: dict[str, Corpus], curve: dict[float, float], result: dict[str, Any]) -> None:
    """Refit the join head on every pair of both corpora; keep the similarity heads as they are."""
    everything = [(c, list(range(len(c.sigs)))) for c in corpora.values()]
    join = Learned().fit(everything)
    tau = max(curve, key=lambda t: curve[t])
    data = json.loads(MODEL_PATH.read_text("utf-8"))
    data["join"] = join.to_json()
    data["join_threshold"] = round(float(tau), 4)
    data["meta"] = {
        **data.get("meta", {}),
        "trained_on": "join: mmds2025 dev + saudinewsnet-events-dev (Arabic) pairs, threshold calibrated by"
        " an inner 2-fold split by event over both; similarity: semeval2022 task8 native pairs",
        "threshold_curve": {str(k): round(v, 4) for k, v in curve.items()},
        "fitted": datetime.now().isoformat(timespec="seconds"),
    }
    MODEL_PATH.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    load_model()  # refuses a model that does not load
    print(f"wrote {MODEL_PATH.relative_to(ROOT)} (join threshold {tau})")


def fit_shipped_storyline(corpora: dict[str, Corpus]) -> None:
    """Refit the storyline head on every labelled corpus, its threshold calibrated (inner 2-fold split
    by storyline) with the shipped join head; the other heads stay as they are (the stored storyline
    head is not read: it may have been fitted on other storyline features)."""
    data = json.loads(MODEL_PATH.read_text("utf-8"))
    join, join_threshold = LinearModel.from_json(data["join"]), float(data["join_threshold"])
    labelled = [(c, list(range(len(c.sigs)))) for c in corpora.values() if c.storyline is not None]
    head = fit_storyline(labelled)
    curves = [calibrate_storyline(join, join_threshold, c, idx, 0) for c, idx in labelled]
    curve = {t: float(np.mean([cv[t] for cv in curves])) for t in STORYLINE_GRID}
    link = max(curve, key=lambda t: curve[t])
    data["storyline"] = head.to_json()
    data["storyline"]["meta"] = {
        "trained_on": "saudinewsnet-events-dev (Arabic): pairs of different events, y = same storyline",
        "threshold_curve": {str(k): round(v, 4) for k, v in curve.items()},
        "fitted": datetime.now().isoformat(timespec="seconds"),
    }
    data["storyline_threshold"] = round(float(link), 4)
    MODEL_PATH.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    load_model()
    print(f"wrote the storyline head of {MODEL_PATH.relative_to(ROOT)} (link threshold {link})")


def shipped_rows(corpora: dict[str, Corpus], model: ClusterModel) -> list[tuple[Any, ...]]:
    rows = []
    for c in corpora.values():
        settings = ClustererSettings(threshold=model.join_threshold)
        clusterer = EmbeddingClusterer(_NO_EMBEDDER, settings, model=model)
        got = [clusterer.assign_signals(sig) for sig in c.sigs]
        s = score(c.gold, [a.story_id for a in got])
        rows.append(
            (
                c.name,
                "shipped model (in-sample!)",
                "learned",
                *(s[m][k] for m in s for k in ("precision", "recall", "f1")),
            )
        )
        if c.storyline is not None:
            s = score(c.storyline, [a.storyline_id or a.story_id for a in got])
            rows.append(
                (
                    f"{c.name} storylines",
                    "shipped model (in-sample!)",
                    "learned, storyline linking",
                    *(s[m][k] for m in s for k in ("precision", "recall", "f1")),
                )
            )
    return rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--jsonl", type=Path, help="score the shipped model on this gold JSONL instead")
    ap.add_argument("--folds", type=int, default=2)
    ap.add_argument("--orders", type=int, default=3, help="arrival orders (seeds 0..N-1)")
    ap.add_argument("--fit", action="store_true", help="refit the join head of src/marsad/cluster/model.json")
    ap.add_argument(
        "--fit-storyline", action="store_true", help="refit only the storyline head (and its threshold)"
    )
    args = ap.parse_args()

    started = time.perf_counter()
    embedder = cached_embedder()
    views = ViewConfig()
    if args.jsonl:
        corpus = load_corpus("jsonl", load_gold_jsonl(args.jsonl), embedder, views)
        baseline_tau = BASELINE_GRID[len(BASELINE_GRID) // 2]
        rows = shipped_rows({"jsonl": corpus}, load_model())
        b = score(corpus.gold, CosineBaseline().run(None, corpus.sigs, baseline_tau))
        rows.append(
            (
                "jsonl",
                f"baseline at {baseline_tau}",
                "use-cosine baseline",
                *(b[m][k] for m in b for k in ("precision", "recall", "f1")),
            )
        )
        print_table(rows, HEADER)
        return 0
    by_order = [
        {
            "mmds": load_corpus("mmds", load_mmds(seed=seed), embedder, views),
            "arabic": load_corpus("arabic", load_saudi_events(seed=seed), embedder, views),
        }
        for seed in range(args.orders)
    ]
    print(f"loaded and embedded in {time.perf_counter() - started:.0f}s", flush=True)
    if args.fit_storyline:
        fit_shipped_storyline(by_order[0])
        return 0
    result = report(by_order, args.folds, [Learned(), CosineBaseline()], lambda m: print(m, flush=True))
    rows = rows_of(result)
    try:
        rows += shipped_rows(by_order[0], load_model())
    except Exception as exc:  # a model fitted on other features: only --fit can go on
        print(f"shipped model not scored: {exc}")
    print_table(rows, HEADER)
    print(f"features: {', '.join(FEATURE_NAMES)}")
    if args.fit:
        both = list(by_order[0].values())
        curve = calibrate(Learned(), [(c, list(range(len(c.sigs)))) for c in both], seed=0)
        fit_shipped(by_order[0], curve, result)
        fit_shipped_storyline(by_order[0])
    result["seconds"] = time.perf_counter() - started
    print(f"-> {write_result('cluster', result)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
