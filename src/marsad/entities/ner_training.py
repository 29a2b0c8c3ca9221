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
from marsad.entities.ner_features import FeatureExtractor

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


def train(sents: Sequence[Sentence], model: Path, settings: CrfSettings, fx: FeatureExtractor) -> None:
    """Train a CRF on `sents` and write it to `model`."""
    trainer = pycrfsuite.Trainer(verbose=False)
    for doc in documents(sents):
        feats = fx.document([[t for t, _ in s] for s in doc])
        for s, f in zip(doc, feats, strict=True):
            trainer.append(f, [g for _, g in s])
    trainer.set_params(settings.params())
    trainer.train(str(model))


def evaluate(sents: Sequence[Sentence], model: Path, fx: FeatureExtractor, score: SpanScore) -> None:
    """Tag `sents` with `model` as the shipped tagger does (its recall bias included) and add the
    result to `score`."""
    from marsad.entities.ner import ArabicTagger

    tagger = ArabicTagger(str(model), fx)
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
    on_fold: Callable[[Path, Sequence[Sentence]], None] | None = None,
) -> SpanScore:
    """Train on all folds but one and test on it, for each fold; one score over all test folds.
    `on_fold(model, test)` is called with each fold's model, to score more than the tagger on it."""
    score = SpanScore()
    with tempfile.TemporaryDirectory() as tmp:
        for k, test in enumerate(folds):
            t0 = time.perf_counter()
            rest = [s for j, f in enumerate(folds) if j != k for s in f]
            model = Path(tmp) / f"fold{k}.crfsuite"
            train(rest, model, settings, fx)
            fold = SpanScore()
            evaluate(test, model, fx, fold)
            evaluate(test, model, fx, score)
            if on_fold is not None:
                on_fold(model, test)
            if log:
                took = time.perf_counter() - t0
                print(f"  fold {k}: F1 {fold.f1():.3f} PERS {fold.f1('PERS'):.3f} ({took:.0f}s)")
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
