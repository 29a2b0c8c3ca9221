"""Train the Arabic quote-speaker ranker (`marsad/quotes/data/speaker-ranker.json`) and print its CV figures.

Data: the "tune" part of `../shared/data/saudinewsnet-quotes-dev/dev.jsonl` (sha256(id) % 10 >= 3, 47
articles; the 23 "unseen" ones are never read here). For each gold quote (gold span), the options of
`marsad.quotes.speakers.quote_options` are built, the previous quote's speaker being the gold one,
and an option is positive when its speaker is right under the bench rule (`bench/quotes.py`:
its normalized words are a non-empty subset of the gold speaker's). The model is a conditional
logit (a softmax over the options of each quote, L2-regularized), fitted with numpy.

Run: PYTHONPATH=src .venv/bin/python bench/train_speakers.py [--folds 5] [--l2 3] [--dry-run]
prints 5-fold CV by article (accuracy of the top option on gold spans; the candidate ceiling, i.e.
quotes with at least one right option), then fits on all tune articles and writes the weights
(unless --dry-run).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from marsad.entities import extract_entities
from marsad.quotes.arabic import quote_spans
from marsad.quotes.candidates import ArticleCandidates, Speaker
from marsad.quotes.speakers import WEIGHTS, Previous, quote_context, quote_options
from marsad.quotes.tokens import TokenizedText
from quotes import DATA, is_unseen, speaker_right, to_article

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "marsad" / "quotes" / "data" / WEIGHTS
_KINDS = {"person": "person", "organisation": "org", "unnamed": "unnamed"}

Group = tuple[list[tuple[str, ...]], list[bool]]


@dataclass(slots=True)
class Prepared:
    """One tune article: its candidates and its gold quotes in text order."""

    cands: ArticleCandidates
    quotes: list[dict[str, Any]]


def prepare(row: dict[str, Any]) -> Prepared:
    article = to_article(row)
    text = article.body
    mentions = [m for m in extract_entities(article) if m.field == "body"]
    cands = ArticleCandidates(TokenizedText(text, quote_spans(text)), mentions)
    return Prepared(cands, sorted(row["quotes"], key=lambda q: int(q["start"])))


def article_groups(art: Prepared, weights: dict[str, float] | None) -> list[Group]:
    """One (option features, option right?) group per gold quote with a stated speaker. The previous
    speaker is the gold one (`weights` None) or the one these weights chose, as at run time."""
    groups: list[Group] = []
    previous: Previous | None = None
    for q in art.quotes:
        ctx = quote_context(art.cands, int(q["start"]), int(q["end"]))
        options = quote_options(art.cands, ctx, previous)
        gold = q["speaker"]
        para = art.cands.paragraph_of(int(q["start"]))
        if gold is not None:
            groups.append(
                ([o.features for o in options], [speaker_right(o.speaker.name, gold) for o in options])
            )
        if weights is None and gold is not None:
            kind = _KINDS.get(str(q["speaker_kind"]), "person")
            previous = Previous(Speaker(str(gold), kind), int(q["end"]), para)
        elif weights is not None and options:
            best = max(options, key=lambda o: sum(weights.get(n, 0.0) for n in o.features))
            previous = Previous(best.speaker, int(q["end"]), para)
    return groups


def train(arts: Sequence[Prepared], l2: float) -> dict[str, float]:
    """Fit with gold previous speakers, then again with the previous speakers that fit chose, so
    that the weight of "same as the previous quote" reflects run-time errors."""
    first = fit([g for a in arts for g in article_groups(a, None)], l2)
    return fit([g for a in arts for g in article_groups(a, first)], l2)


def fit(groups: Sequence[Group], l2: float, epochs: int = 300) -> dict[str, float]:
    """Conditional-logit weights: maximize the log of the probability mass on the right options."""
    vocab: dict[str, int] = {}
    for feats, _ in groups:
        for f in feats:
            for name in f:
                vocab.setdefault(name, len(vocab))
    mats = []
    for feats, labels in groups:
        if not any(labels) or len(labels) < 2:
            continue
        x = np.zeros((len(feats), len(vocab)))
        for i, f in enumerate(feats):
            x[i, [vocab[n] for n in f]] = 1.0
        mats.append((x, np.array(labels, dtype=bool)))
    w = np.zeros(len(vocab))
    m = np.zeros_like(w)
    v = np.zeros_like(w)
    rate = 0.05
    for step in range(1, epochs + 1):
        grad = l2 * w
        for x, y in mats:
            s = x @ w
            p = np.exp(s - s.max())
            p /= p.sum()
            q = p * y
            q /= q.sum()
            grad += x.T @ (p - q)
        m = 0.9 * m + 0.1 * grad
        v = 0.999 * v + 0.001 * grad * grad
        w -= rate * (m / (1 - 0.9**step)) / (np.sqrt(v / (1 - 0.999**step)) + 1e-8)
    return {name: round(float(w[i]), 4) for name, i in vocab.items() if abs(w[i]) >= 1e-4}


def accuracy(groups: Sequence[Group], weights: dict[str, float]) -> float:
    right = 0
    for feats, labels in groups:
        if feats:
            scores = [sum(weights.get(n, 0.0) for n in f) for f in feats]
            right += labels[int(np.argmax(scores))]
    return right / len(groups) if groups else 0.0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--l2", type=float, default=3.0)
    parser.add_argument("--dry-run", action="store_true", help="print the CV figures only")
    args = parser.parse_args(argv)
    rows = [json.loads(line) for line in args.data.read_text(encoding="utf-8").splitlines() if line.strip()]
    tune = [r for r in rows if not is_unseen(str(r["id"]))]
    arts = [prepare(r) for r in tune]
    gold_prev = [g for a in arts for g in article_groups(a, None)]
    ceiling = sum(any(labels) for _, labels in gold_prev) / len(gold_prev)
    accs = []
    for fold in range(args.folds):
        weights = train([a for i, a in enumerate(arts) if i % args.folds != fold], args.l2)
        test = [g for i, a in enumerate(arts) if i % args.folds == fold for g in article_groups(a, weights)]
        accs.append(accuracy(test, weights))
    print(
        f"tune: {len(tune)} articles, {len(gold_prev)} quotes | candidate ceiling {ceiling:.3f} | "
        f"{args.folds}-fold CV speaker accuracy (gold spans, predicted previous speakers) "
        f"{np.mean(accs):.3f} "
        f"(folds {', '.join(f'{a:.2f}' for a in accs)})"
    )
    weights = train(arts, args.l2)
    flat = [g for a in arts for g in article_groups(a, weights)]
    print(f"fit on all tune: train accuracy {accuracy(flat, weights):.3f}, {len(weights)} weights")
    if not args.dry_run:
        OUT.parent.mkdir(parents=True, exist_ok=True)
        meta = {
            "model": "conditional logit over speaker options (marsad.quotes.speakers)",
            "trained_on": "SaudiNewsNet quote set, dev split, tune part (sha256(id) % 10 >= 3)",
            "quotes": len(flat),
            "l2": args.l2,
            "cv_accuracy": round(float(np.mean(accs)), 3),
            "weights": dict(sorted(weights.items())),
        }
        OUT.write_text(json.dumps(meta, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
        print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
