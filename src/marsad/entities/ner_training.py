"""Training and cross-validating the Arabic CRF tagger on a "token TAG" corpus (python-crfsuite).

Folds are contiguous blocks of the corpus (news articles stay whole, as in the usual positional
split), never shuffled sentences: shuffling would put sentences of one article on both sides.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pycrfsuite

from marsad.entities.ner_eval import SpanScore, sentences
from marsad.entities.ner_features import FeatureExtractor, stack_features

Sentence = list[tuple[str, str]]
# ANERcorp has no article breaks: ten consecutive sentences stand for an article (the scope of the
# document evidence, see FeatureExtractor.evidence).
DOC_SENTENCES = 10


def documents(sents: Sequence[Sentence]) -> list[Sequence[Sentence]]:
    """`sents` cut into consecutive groups of `DOC_SENTENCES`."""
    return [sents[d : d + DOC_SENTENCES] for d in range(0, len(sents), DOC_SENTENCES)]


@dataclass(slots=True, frozen=True)
class CrfSettings:
    """L1 (`c1`) and L2 (`c2`) weights and the L-BFGS iteration cap (80: block CV 0.738 against
    0.735 at 150 iterations, in half the training time)."""

    c1: float = 0.05
    c2: float = 0.01
    max_iterations: int = 80
    min_freq: int = 1

    def params(self) -> dict[str, object]:
        return {
            "c1": self.c1,
            "c2": self.c2,
            "max_iterations": self.max_iterations,
            "feature.possible_transitions": True,
            "feature.minfreq": self.min_freq,
        }


def blocks(sents: Sequence[Sentence], k: int) -> list[list[Sentence]]:
    """`sents` cut into `k` contiguous blocks of about the same number of tokens."""
    total = sum(len(s) for s in sents)
    out: list[list[Sentence]] = [[] for _ in range(k)]
    seen = 0
    for s in sents:
        out[min(k - 1, seen * k // total)].append(s)
        seen += len(s)
    return out


def train(
    sents: Sequence[Sentence],
    model: Path,
    settings: CrfSettings,
    fx: FeatureExtractor,
    *,
    second: Path | None = None,
    inner: int = 3,
) -> None:
    """Train a CRF on `sents` and write it to `model`. With `second`, also the second stage
    (`ner_features.stack_features`), written there: the documents of `sents` are cut into `inner`
    contiguous blocks, each block is tagged by a first stage trained on the other blocks
    (out-of-fold labels, as unseen text is tagged), and the second stage learns from the features
    plus those labels."""
    _train(sents, model, settings, fx)
    if second is None:
        return
    docs = documents(sents)
    cut = [len(docs) * k // inner for k in range(inner + 1)]  # contiguous runs of whole documents
    labels: list[list[list[str]]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for k in range(inner):
            fold = Path(tmp) / f"inner{k}.crfsuite"
            rest = [s for d, doc in enumerate(docs) if not cut[k] <= d < cut[k + 1] for s in doc]
            _train(rest, fold, settings, fx)
            labels += _stage1_labels(docs[cut[k] : cut[k + 1]], fold, fx)
    _train(sents, second, settings, fx, labels)


def _stage1_labels(
    docs: Sequence[Sequence[Sentence]], model: Path, fx: FeatureExtractor
) -> list[list[list[str]]]:
    """Per document, the labels of its sentences by the first-stage `model`."""
    from marsad.entities.ner import ArabicTagger

    tagger = ArabicTagger(str(model), fx)
    return [tagger.tag_document([[t for t, _ in s] for s in doc]) for doc in docs]


def _train(
    sents: Sequence[Sentence],
    model: Path,
    settings: CrfSettings,
    fx: FeatureExtractor,
    stage1: Sequence[list[list[str]]] | None = None,
) -> None:
    """One CRF; with `stage1` (per document, the first stage's labels), the second stage."""
    trainer = pycrfsuite.Trainer(verbose=False)
    for d, doc in enumerate(documents(sents)):
        words, extras = fx.analyse([[t for t, _ in s] for s in doc])
        if stage1 is not None:
            stacked = stack_features(words, stage1[d])
            extras = [
                [e + x for e, x in zip(es, xs, strict=True)] for es, xs in zip(extras, stacked, strict=True)
            ]
        for s, ws, es in zip(doc, words, extras, strict=True):
            trainer.append(fx.assemble(ws, es), [g for _, g in s])
    trainer.set_params(settings.params())
    trainer.train(str(model))


def evaluate(
    sents: Sequence[Sentence],
    model: Path,
    fx: FeatureExtractor,
    score: SpanScore,
    second: Path | None = None,
) -> None:
    """Tag `sents` with `model` (and its `second` stage) as the shipped tagger does (its recall
    bias included) and add the result to `score`."""
    from marsad.entities.ner import ArabicTagger

    tagger = ArabicTagger(str(model), fx, second=None if second is None else str(second))
    for doc in documents(sents):
        labels = tagger.tag_document([[t for t, _ in s] for s in doc])
        for s, pred in zip(doc, labels, strict=True):
            score.add([g for _, g in s], pred)


def cross_validate(
    folds: Sequence[Sequence[Sentence]],
    settings: CrfSettings,
    fx: FeatureExtractor,
    *,
    log: bool = True,
    stacked: bool = False,
    on_fold: Callable[[Path, Path | None, Sequence[Sentence]], None] | None = None,
    first: SpanScore | None = None,
    only: Sequence[int] | None = None,
) -> SpanScore:
    """Train on all folds but one and test on it, for each fold (each fold of `only` when given:
    one fold to iterate on features in minutes); one score over all test folds.
    `stacked`: the two-stage tagger (its out-of-fold labels taken inside the training folds only);
    `first` then gets the first stage's score alone, the same run's baseline. `on_fold(model,
    second, test)` is called with each fold's models, to score more than the tagger on it."""
    score = SpanScore()
    with tempfile.TemporaryDirectory() as tmp:
        for k, test in enumerate(folds):
            if only is not None and k not in only:
                continue
            t0 = time.perf_counter()
            rest = [s for j, f in enumerate(folds) if j != k for s in f]
            model = Path(tmp) / f"fold{k}.crfsuite"
            second = Path(tmp) / f"fold{k}-2.crfsuite" if stacked else None
            train(rest, model, settings, fx, second=second, inner=len(folds) - 1)
            fold = SpanScore()
            evaluate(test, model, fx, fold, second)
            score.merge(fold)
            one = ""
            if stacked and first is not None:
                alone = SpanScore()
                evaluate(test, model, fx, alone)
                first.merge(alone)
                one = f" [first stage alone {alone.f1():.3f} PERS {alone.f1('PERS'):.3f}]"
            if on_fold is not None:
                on_fold(model, second, test)
            if log:
                took = time.perf_counter() - t0
                print(
                    f"  fold {k}: F1 {fold.f1():.3f} PERS {fold.f1('PERS'):.3f}{one} ({took:.0f}s)",
                    flush=True,
                )
    return score


__all__ = [
    "DOC_SENTENCES",
    "CrfSettings",
    "blocks",
    "cross_validate",
    "documents",
    "evaluate",
    "sentences",
    "train",
]
