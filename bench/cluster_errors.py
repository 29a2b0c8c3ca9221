"""Where the learned clusterer goes wrong on the Arabic dev split: its pair errors, classified and counted.

    python bench/cluster_errors.py                 # grouped 2-fold CV over both corpora, orders 0 and 1
    python bench/cluster_errors.py --orders 1 -v   # also list every wrong cluster and split event

The predictions are those of `bench/cluster.py`'s `grouped-cv, both corpora` protocol (join head
fitted and its threshold calibrated on the other folds of MMDS dev and the Arabic split together).
Every wrong pair of the Arabic held-out folds is classified:

- false merge (predicted together, two events), `same storyline`: two stages or two actors of one
  developing story (a condemnation and another state's condemnation; the bodies flown home and the
  condolence visit); `other storyline`: a look-alike of another story (another day's bulletin,
  another region's election item, another session's close) or a plain topic match;
- false split (one event, predicted apart), by whether the two publication days differ.

Pairwise F1 counts pairs, so one wrong merge of two 5-article events costs 25 pairs: the listing is
ordered by wrong pairs per cluster.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter, defaultdict
from typing import Any

from cluster import Corpus, Learned, load_corpus, run_on, score, train
from harness import DATA, SAUDI_EVENTS, cached_embedder, load_mmds, load_saudi_events
from marsad.embed.views import ViewConfig


def cv_predictions(corpora: list[Corpus], target: Corpus, folds: int, seed: int) -> list[str]:
    """The grouped-CV story of every document of `target` (as `cluster.grouped_cv` predicts it)."""
    splits = [c.events_split(range(len(c.sigs)), folds, seed) for c in corpora]
    pred = [""] * len(target.sigs)
    for f in range(folds):
        parts = [
            (c, [i for g, fold in enumerate(sp) if g != f for i in fold])
            for c, sp in zip(corpora, splits, strict=True)
        ]
        fitted, tau, _ = train(Learned(), parts, seed * 100 + f)
        test = sorted(splits[corpora.index(target)][f])
        for i, sid in zip(test, run_on(Learned(), fitted, target, test, tau), strict=True):
            pred[i] = f"{f}:{sid}"
    return pred


def classify(corpus: Corpus, pred: list[str]) -> tuple[Counter[str], list[tuple[int, int, str]]]:
    assert corpus.storyline is not None
    counts: Counter[str] = Counter()
    wrong = []
    for a, b in corpus.ij.tolist():
        same_gold, same_pred = corpus.gold[a] == corpus.gold[b], pred[a] == pred[b]
        if same_gold == same_pred:
            continue
        if same_pred:
            kind = "false merge, " + (
                "same storyline" if corpus.storyline[a] == corpus.storyline[b] else "other storyline"
            )
        else:
            da, db = corpus.sigs[a].published, corpus.sigs[b].published
            kind = "false split, " + (
                "same day" if da is not None and db is not None and da.date() == db.date() else "other day"
            )
        counts[kind] += 1
        wrong.append((a, b, kind))
    return counts, wrong


def listing(
    corpus: Corpus, pred: list[str], wrong: list[tuple[int, int, str]], titles: dict[str, str]
) -> None:
    def line(i: int, label: str) -> str:
        s = corpus.sigs[i]
        when = s.published.strftime("%m-%d %H:%M") if s.published else "undated"
        return f"    {label[:32]:32s} [{(s.outlet or '')[:10]:10s} {when}] {titles.get(s.id, '')[:80]}"

    for kind_prefix, key, label_of in (
        ("false merge", lambda a: pred[a], lambda i: corpus.gold[i]),
        ("false split", lambda a: corpus.gold[a], lambda i: pred[i]),
    ):
        groups: dict[str, int] = defaultdict(int)
        for a, _, kind in wrong:
            if kind.startswith(kind_prefix):
                groups[key(a)] += 1
        print(f"== {kind_prefix}s")
        for g, n in sorted(groups.items(), key=lambda kv: -kv[1]):
            members = [i for i in range(len(pred)) if key(i) == g]
            print(f"  {g}: {n} wrong pairs, {len(members)} articles")
            for i in members:
                print(line(i, label_of(i)))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--orders", type=int, default=2)
    ap.add_argument("--folds", type=int, default=2)
    ap.add_argument("-v", "--verbose", action="store_true", help="list the wrong clusters and split events")
    args = ap.parse_args()
    embedder, views = cached_embedder(), ViewConfig()
    path = DATA / SAUDI_EVENTS / "dev.jsonl"
    titles = {
        str(r["id"]): str(r.get("title") or "")
        for r in (json.loads(x) for x in path.read_text("utf-8").splitlines() if x.strip())
    }
    total: Counter[str] = Counter()
    for seed in range(args.orders):
        mmds = load_corpus("mmds", load_mmds(seed=seed), embedder, views)
        arabic = load_corpus("arabic", load_saudi_events(seed=seed), embedder, views)
        pred = cv_predictions([mmds, arabic], arabic, args.folds, seed)
        s: dict[str, Any] = score(arabic.gold, pred)
        counts, wrong = classify(arabic, pred)
        total += counts
        print(
            f"order {seed}: B3 F1 {s['bcubed']['f1']:.3f}, pairwise P/R/F1 {s['pairwise']['precision']:.3f}"
            f" / {s['pairwise']['recall']:.3f} / {s['pairwise']['f1']:.3f}; "
            + ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
        )
        if args.verbose:
            listing(arabic, pred, wrong, titles)
    print("all orders: " + ", ".join(f"{k} {v}" for k, v in sorted(total.items())))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
