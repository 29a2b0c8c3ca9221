"""Rebuild the Arabic entity tagger shipped in marsad/entities/data from ../shared/data.

    PYTHONPATH=src nice python tools/train_ner.py            # clusters, CV, final model
    PYTHONPATH=src nice python tools/train_ner.py --no-clusters-rebuild --grid quick
    PYTHONPATH=src python tools/train_ner.py --export-only  # the shipped model's weights -> arrays
    PYTHONPATH=src nice python tools/train_ner.py --no-clusters-rebuild --grid quick --folds 0 --tune-only
        # one CV fold (train blocks 2-4, test block 1): a feature idea measured in minutes
    PYTHONPATH=src nice python tools/train_ner.py --no-clusters-rebuild --grid quick --no-cv --no-write
        # no CV: the quick settings trained on blocks 1-4 and scored once on the unseen block 5

1. Word clusters and cue buckets (how often a word follows a title, precedes بن, ...) from the
   unlabelled SaudiNewsNet articles (tools/word_clusters.py); --cues-only keeps the shipped clusters.
2. ANERcorp train cut into 5 contiguous blocks of tokens. Settings (c1, c2) are chosen by 4-fold
   cross-validation over blocks 1-4; block 5 stays unseen until the end, when a model trained on
   blocks 1-4 with the chosen settings is scored on it once (printed separately).
   The tagger has two stages (stacking, `ner_features.stack_features`): a second CRF reads the
   first one's labels of the document; it learns from out-of-fold first-stage labels, taken inside
   the training part only (within each CV fold too), and each fold also prints the first stage alone
   as the same run's baseline. --one-stage trains and ships the first stage only.
3. The shipped models are trained on all five blocks with the chosen settings (out-of-fold labels
   for the second stage from 4 blocks of whole documents), and their weights are written as the
   arrays the tagger loads (`export_weights`; --export-only does only this step).
Strict (exact span and type) and overlap P/R/F1 per type are printed for every step.

Measured on CV fold 0 (train blocks 2-4, test block 1; c1=0.02 c2=0.01, 80 iterations) and not
shipped, strict micro / persons, against the same fold's 0.760 / 0.701 (first stage) and 0.766 /
0.719 (two stages): c1=0 c2=0.1 at 150 iterations 0.757 / 0.697; BILOU labels 0.759 / 0.683;
20-sentence documents 0.760 / 0.694; word frequency-rank buckets and "rare word repeated in the
document" evidence 0.757 / 0.698; mined cues "two or three words after a title" and "after a
first name learned from the corpus" (words that follow titles) 0.757 / 0.698 (fold 1 with both:
0.716 / 0.613 against 0.717 / 0.609); the second stage also reading how near the first stage's
state scores came to each type (margin buckets) 0.767 / 0.716. A recall bias on the final stage,
folds 0-3 at none / O score -0.5 / -1 / persons +0.5: 0.766 0.725 0.726 0.789 / 0.766 0.724 0.727
0.786 / 0.764 0.723 0.721 0.788 / 0.766 0.725 0.726 0.792 (ner.RECALL_BIAS stays 0).
"""

from __future__ import annotations

import argparse
import gzip
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from word_clusters import add_cues, build

from marsad.entities.ner import MODEL_FILE, STAGE2_FILE, WEIGHTS2_FILE, WEIGHTS_FILE, export_weights
from marsad.entities.ner_eval import SpanScore, read_bio, sentences
from marsad.entities.ner_features import CLUSTERS_FILE, FeatureExtractor, WordClusters, load_clusters
from marsad.entities.ner_training import CrfSettings, blocks, cross_validate, evaluate, train

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
PACKAGE_DATA = ROOT / "src" / "marsad" / "entities"
GRIDS = {
    "full": [
        CrfSettings(0.05, 0.01),
        CrfSettings(0.02, 0.01),
        CrfSettings(0.1, 0.01),
        CrfSettings(0.05, 0.05),
        CrfSettings(0.2, 0.01),
    ],
    "quick": [CrfSettings(0.02, 0.01)],
}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--no-clusters-rebuild", action="store_true", help="keep the shipped cluster table")
    ap.add_argument(
        "--cues-only",
        action="store_true",
        help="keep the shipped clusters, recompute the table's cue buckets",
    )
    ap.add_argument("--no-clusters", action="store_true", help="train without word clusters (ablation)")
    ap.add_argument("--grid", choices=sorted(GRIDS), default="full")
    ap.add_argument("--skip", type=int, default=0, help="skip the first settings of the grid")
    ap.add_argument("--no-write", action="store_true", help="measure only, leave the shipped model alone")
    ap.add_argument("--tune-only", action="store_true", help="CV only: block 5 stays unseen, nothing written")
    ap.add_argument("--one-stage", action="store_true", help="no second (stacked) stage")
    ap.add_argument("--final-only", action="store_true", help="no CV: train and write the shipped model")
    ap.add_argument(
        "--no-cv",
        action="store_true",
        help="no CV: the first settings of the grid, scored once on the unseen block 5 (then written)",
    )
    ap.add_argument(
        "--folds",
        type=lambda x: [int(k) for k in x.split(",")],
        help="CV on these test folds only (0-3, comma-separated), to iterate on one fold",
    )
    ap.add_argument("--export-only", action="store_true", help="only write the weight arrays of the models")
    args = ap.parse_args()
    if args.export_only:
        export()
        return
    stacked = not args.one_stage

    clusters_path = PACKAGE_DATA / CLUSTERS_FILE
    if args.cues_only and not args.no_write:
        print("cue buckets from saudinewsnet-unlabelled (clusters kept)")
        add_cues(args.data / "saudinewsnet-unlabelled", clusters_path)
    elif not args.no_clusters_rebuild and not args.no_write:
        print("word clusters and cue buckets from saudinewsnet-unlabelled")
        build(args.data / "saudinewsnet-unlabelled", clusters_path)
    clusters = WordClusters({}) if args.no_clusters else load_clusters(clusters_path)
    fx = FeatureExtractor(clusters)

    sents = sentences(read_bio(args.data / "anercorp-train" / "ANERCorp-train.txt"))
    folds = blocks(sents, 5)
    tuning, unseen = folds[:4], folds[4]
    print(f"ANERcorp train: {len(sents)} sentences, {sum(map(len, sents))} tokens; CV on blocks 1-4")
    no_cv = args.final_only or args.no_cv
    best: tuple[float, CrfSettings] | None = (0.0, GRIDS[args.grid][args.skip]) if no_cv else None
    for settings in [] if no_cv else GRIDS[args.grid][args.skip :]:
        t0 = time.perf_counter()
        print(f"c1={settings.c1} c2={settings.c2}")
        first = SpanScore()
        score = cross_validate(tuning, settings, fx, stacked=stacked, first=first, only=args.folds)
        if stacked:
            print("first stage alone (the same folds' first-stage models):")
            print(first.report())
            print("two stages (shipped):")
        print(score.report())
        print(f"  ({time.perf_counter() - t0:.0f}s)")
        if best is None or score.f1() > best[0]:
            best = (score.f1(), settings)
    assert best is not None
    chosen = best[1]
    if not no_cv:
        print(f"chosen: c1={chosen.c1} c2={chosen.c2} (CV strict micro F1 {best[0]:.3f})")

    if args.tune_only:
        return
    if not args.final_only:
        with tempfile.TemporaryDirectory() as tmp:
            model = Path(tmp) / "blocks1-4.crfsuite"
            second = Path(tmp) / "blocks1-4-2.crfsuite" if stacked else None
            train([s for f in tuning for s in f], model, chosen, fx, second=second, inner=len(tuning))
            final, alone = SpanScore(), SpanScore()
            evaluate(unseen, model, fx, final, second)
            if stacked:
                evaluate(unseen, model, fx, alone)
        print("unseen block 5 (trained on blocks 1-4, scored once):")
        print(final.report())
        if stacked:
            print("unseen block 5, first stage alone:")
            print(alone.report())

    if not args.no_write:
        t0 = time.perf_counter()
        with tempfile.TemporaryDirectory() as tmp:
            model, second = Path(tmp) / "all.crfsuite", Path(tmp) / "all-2.crfsuite"
            train(sents, model, chosen, fx, second=second if stacked else None, inner=len(tuning))
            for path, name in ((model, MODEL_FILE), (second, STAGE2_FILE)):
                out = PACKAGE_DATA / name
                if not path.exists():
                    out.unlink(missing_ok=True)  # one stage: no second model ships
                    continue
                out.write_bytes(gzip.compress(path.read_bytes(), compresslevel=9, mtime=0))
                print(
                    f"wrote {out} ({out.stat().st_size / 1e6:.2f} MB) trained on all {len(sents)} sentences"
                )
        print(f"  ({time.perf_counter() - t0:.0f}s)")
        export()


def export() -> None:
    """Write the shipped crfsuite models' weights as the arrays the tagger loads (no second stage
    shipped: no second array file)."""
    for name, arrays in ((MODEL_FILE, WEIGHTS_FILE), (STAGE2_FILE, WEIGHTS2_FILE)):
        model, out = PACKAGE_DATA / name, PACKAGE_DATA / arrays
        if not model.exists():
            out.unlink(missing_ok=True)
            continue
        export_weights(model, out)
        print(f"wrote {out} ({out.stat().st_size / 1e6:.2f} MB) from {model}")


if __name__ == "__main__":
    main()
