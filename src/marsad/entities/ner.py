"""The learned Arabic entity tagger: a CRF (python-crfsuite) over `ner_features`, trained on ANERcorp.

`ArabicTagger().tag(text)` cuts a text into tokens (words and punctuation, as in ANERcorp) and
sentences, tags them (BIO over PERS, LOC, ORG, MISC) and returns the spans with their character
offsets. The model and the word clusters ship in `marsad/entities/data` (see data/NOTICE);
tools/train_ner.py rebuilds both from ../shared/data.
"""

from __future__ import annotations

import gzip
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import numpy as np
import numpy.typing as npt
import pycrfsuite

from marsad.entities.ner_eval import SENTENCE_ENDS, spans
from marsad.entities.ner_features import FeatureExtractor, _Word

Vector = npt.NDArray[np.float64]

MODEL_FILE = "data/ner-ar.crfsuite.gz"  # gzipped: 0.9 MB instead of 2.2 MB in the wheel
_MARKS = "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640"
_TOKEN = re.compile(rf"(?:[^\W_]|[{_MARKS}])+(?:['’\-](?:[^\W_]|[{_MARKS}])+)*|[^\s{_MARKS}]")
_MAX_SENTENCE = 120
# Subtracted from the "O" label's score of every token before Viterbi, to trade precision for
# recall (the CRF is at P 0.82, R 0.66 in block CV). Off: 0.5 was the best of 0-1.5 on block 4
# trained on blocks 1-3 (micro F1 0.767 -> 0.773, persons 0.681 -> 0.701), but on the unseen
# block 5 (trained on 1-4) it moved micro F1 0.713 -> 0.713 (R +0.012, P -0.018), persons
# 0.674 -> 0.674: no gain worth the lost precision.
RECALL_BIAS = 0.0


@dataclass(slots=True, frozen=True)
class TaggedSpan:
    """One entity the tagger found: `kind` PERS/LOC/ORG/MISC, `start`/`end` character offsets,
    `first`/`last` indices into `TaggedText.tokens`."""

    kind: str
    start: int
    end: int
    first: int
    last: int


@dataclass(slots=True)
class TaggedText:
    """A tagged text: tokens with offsets, entity spans, and the per-sentence features kept so the
    probability of a label at a token can be asked for later (`person_prob`)."""

    tokens: list[tuple[str, int, int]]
    spans: list[TaggedSpan]
    _tagger: pycrfsuite.Tagger
    _features: FeatureExtractor
    _sentences: list[tuple[int, list[str]]] = field(default_factory=list)

    def person_prob(self, start: int) -> float:
        """The tagger's marginal probability that the token starting at character `start` begins or
        continues a person name (0.0 when no token starts there)."""
        index = next((k for k, t in enumerate(self.tokens) if t[1] == start), -1)
        if index < 0:
            return 0.0
        for offset, raws in self._sentences:
            if offset <= index < offset + len(raws):
                self._tagger.set(self._features.sentence(raws))
                pos = index - offset
                return float(self._tagger.marginal("B-PERS", pos) + self._tagger.marginal("I-PERS", pos))
        return 0.0


def tokenize_ner(text: str) -> list[tuple[str, int, int]]:
    """(token, start, end): words (with their diacritics) and single punctuation marks."""
    return [(m.group(0), m.start(), m.end()) for m in _TOKEN.finditer(text)]


class _Scorer:
    """A trained model's state weights summed per word and cached: a token's score over the labels
    is the sum of a few cached vectors (its own features, its neighbours', the adjacent pairs') plus
    the few sentence-wide features, and the best labels are found by Viterbi over those scores. The
    same sums crfsuite computes from the attribute strings, without handing it thousands of strings
    per article (tested to tag alike)."""

    def __init__(self, info: pycrfsuite.ParsedDump, features: FeatureExtractor) -> None:
        self.labels = list(info.labels)
        index = {label: k for k, label in enumerate(self.labels)}
        size = len(self.labels)
        self.weights: dict[str, Vector] = {}
        for (attr, label), w in info.state_features.items():
            vec = self.weights.get(attr)
            if vec is None:
                vec = self.weights[attr] = np.zeros(size)
            vec[index[label]] += w
        self.transitions = np.zeros((size, size))
        for (a, b), w in info.transitions.items():
            self.transitions[index[a], index[b]] = w
        self.zero = np.zeros(size)
        self.bos, self.eos = self.total(["BOS"]), self.total(["EOS"])
        self.features = features
        self._words: dict[str, tuple[Vector, Vector]] = {}
        self._pairs: dict[tuple[str, str], tuple[Vector, Vector]] = {}

    def total(self, feats: list[str]) -> Vector:
        out = self.zero.copy()
        for f in feats:
            vec = self.weights.get(f)
            if vec is not None:
                out += vec
        return out

    def _word(self, raw: str, w: _Word) -> tuple[Vector, Vector]:
        hit = self._words.get(raw)
        if hit is None:
            if len(self._words) >= 200_000:
                self._words.clear()
            own = self.total(["bias", *w.own])
            hit = self._words[raw] = (own, np.array([self.total(c) for c in w.ctx]))
        return hit

    def _pair(self, a: _Word, b: _Word) -> tuple[Vector, Vector]:
        key = (a.norm, b.norm)
        hit = self._pairs.get(key)
        if hit is None:
            if len(self._pairs) >= 200_000:
                self._pairs.clear()
            right, left = self.features.pair(a, b)
            hit = self._pairs[key] = (self.total(right), self.total(left))
        return hit

    def scores(self, raws: list[str]) -> Vector:
        """(tokens, labels) state scores of one sentence, as crfsuite sums them."""
        words = self.features.words(raws)
        n = len(words)
        own = [self._word(r, w) for r, w in zip(raws, words, strict=True)]
        m = np.array([o[0] for o in own])
        m[0] += self.bos
        m[-1] += self.eos
        if n > 1:
            ctx = np.array([o[1] for o in own])  # (tokens, offset -2/-1/+1/+2, labels)
            m[1:] += ctx[:-1, 1]
            m[:-1] += ctx[1:, 2]
            m[2:] += ctx[:-2, 0]
            m[:-2] += ctx[2:, 3]
            pairs = [self._pair(words[i], words[i + 1]) for i in range(n - 1)]
            m[:-1] += np.array([p[0] for p in pairs])
            m[1:] += np.array([p[1] for p in pairs])
        for i, extra in enumerate(self.features.extras(words)):
            if extra:
                m[i] += self.total(extra)
        return m

    def viterbi(self, m: Vector) -> list[str]:
        """The best label sequence for state scores `m` (first-order transitions, no start or end
        weights, as crfsuite's CRF1d)."""
        n = len(m)
        back = np.zeros((n, len(self.labels)), dtype=np.intp)
        trans, cols = self.transitions, np.arange(len(self.labels))
        score = m[0]
        for t in range(1, n):
            cand = score[:, None] + trans
            best = cand.argmax(axis=0)
            back[t] = best
            score = cand[best, cols] + m[t]
        path = [int(score.argmax())]
        for t in range(n - 1, 0, -1):
            path.append(int(back[t, path[-1]]))
        return [self.labels[k] for k in reversed(path)]


class ArabicTagger:
    """The shipped CRF with its feature extractor (one per process: `default_tagger()`)."""

    def __init__(
        self,
        model: str | None = None,
        extractor: FeatureExtractor | None = None,
        recall_bias: float = RECALL_BIAS,
    ) -> None:
        """`model`: a crfsuite model file; the shipped one when None. `recall_bias`: taken from the
        score of "O" at every token (0: crfsuite's own labels)."""
        self._tagger = pycrfsuite.Tagger()
        if model is None:
            packed = resources.files("marsad.entities").joinpath(MODEL_FILE).read_bytes()
            # crfsuite reads the model in place: the bytes must live as long as the tagger.
            self._model = gzip.decompress(packed)
            self._tagger.open_inmemory(self._model)
        else:
            self._tagger.open(model)
        info = self._tagger.info()
        self.features = extractor or FeatureExtractor(known=frozenset(info.attributes))
        self._scorer = _Scorer(info, self.features)
        self._outside = self._scorer.labels.index("O")
        self.recall_bias = recall_bias

    def tag(self, text: str) -> TaggedText:
        """Tokens, sentences and entity spans of `text`."""
        tokens = tokenize_ner(text)
        out = TaggedText(tokens=tokens, spans=[], _tagger=self._tagger, _features=self.features)
        start = 0
        for end in range(1, len(tokens) + 1):
            last = end == len(tokens)
            if not last:
                tok, _, tok_end = tokens[end - 1]
                brk = tok in SENTENCE_ENDS or "\n" in text[tok_end : tokens[end][1]]
                if not brk and end - start < _MAX_SENTENCE:
                    continue
            self._tag_sentence(out, start, end)
            start = end
        return out

    def tag_tokens(self, raws: list[str]) -> list[str]:
        """The BIO labels of one already tokenized sentence."""
        if not raws:
            return []
        scores = self._scorer.scores(raws)
        if self.recall_bias:
            scores[:, self._outside] -= self.recall_bias
        return self._scorer.viterbi(scores)

    def _tag_sentence(self, out: TaggedText, start: int, end: int) -> None:
        if start >= end:
            return
        raws = [t[0] for t in out.tokens[start:end]]
        labels = self.tag_tokens(raws)
        out._sentences.append((start, raws))
        for first, last, kind in spans(labels):
            a, b = start + first, start + last
            out.spans.append(TaggedSpan(kind, out.tokens[a][1], out.tokens[b][2], a, b))


@lru_cache(maxsize=1)
def default_tagger() -> ArabicTagger:
    """The shipped tagger, loaded once per process."""
    return ArabicTagger()
