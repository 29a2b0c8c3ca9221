"""Where storyline linking goes wrong on the Arabic dev split: its pair errors, classified and counted.

    python bench/storyline_errors.py               # grouped and in-corpus 2-fold CV, orders 0 and 1
    python bench/storyline_errors.py --orders 1 -v # also list the wrong storyline pairs

The predictions are those of `bench/cluster.py`'s storyline protocol (`grouped_cv` of the learned
system: join and storyline heads fitted, thresholds calibrated, on the training folds only). Every
wrong storyline pair of the held-out folds (two articles of different events) is classified:

- split storyline: one storyline, two stories left unlinked, by whether their publication days differ;
- merged storylines: two storylines linked (directly, or through an event wrongly merged: `event merge`).
"""

from __future__ import annotations

import argparse
from collections import Counter
from typing import Any

from cluster import Corpus, Learned, grouped_cv, load_corpus
from harness import cached_embedder, load_mmds, load_saudi_events
from marsad.embed.views import ViewConfig


def classify(corpus: Corpus, lines: list[str], stories: list[str]) -> tuple[Counter[str], list[Any]]:
    assert corpus.storyline is not None
    counts: Counter[str] = Counter()
    wrong = []
    for a, b in corpus.ij.tolist():
        same_gold, same_pred = corpus.storyline[a] == corpus.storyline[b], lines[a] == lines[b]
        if same_gold == same_pred:
            continue
        if same_gold:
            da, db = corpus.sigs[a].published, corpus.sigs[b].published
            days = da is not None and db is not None and da.date() != db.date()
            kind = "split storyline, " + ("other day" if days else "same day")
        else:
            kind = "merged storylines, " + ("event merge" if stories[a] == stories[b] else "link")
        counts[kind] += 1
        wrong.append((a, b, kind))
    return counts, wrong


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--orders", type=int, default=2)
    ap.add_argument("--folds", type=int, default=2)
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    embedder, views = cached_embedder(), ViewConfig()
    for seed in range(args.orders):
        mmds = load_corpus("mmds", load_mmds(seed=seed), embedder, views)
        arabic = load_corpus("arabic", load_saudi_events(seed=seed), embedder, views)
        for protocol, corpora in (("grouped-cv", [mmds, arabic]), ("in-corpus", [arabic])):
            cv = grouped_cv(Learned(), corpora, args.folds, seed)
            got = cv["storylines"]["arabic"]
            lines = cv["storyline_lines"]["arabic"]
            counts, wrong = classify(arabic, lines["linked"], lines["stories"])
            linked, alone = (
                got["storyline linking"]["bcubed"],
                got["no linking (story = storyline)"]["bcubed"],
            )
            print(
                f"order {seed} {protocol}: linking B3 F1 {linked['f1']:.3f} (P {linked['precision']:.3f}"
                f" R {linked['recall']:.3f}), no linking {alone['f1']:.3f};"
                f" thresholds {cv['storyline_thresholds']}",
                flush=True,
            )
            for kind, n in counts.most_common():
                print(f"    {kind}: {n} pairs")
            if args.verbose:
                for a, b, kind in wrong:
                    ta, tb = arabic.sigs[a], arabic.sigs[b]
                    print(f"  [{kind}] {arabic.storyline[a]} / {arabic.storyline[b]}: {ta.id} | {tb.id}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
