"""The learned Arabic entity tagger: a CRF (python-crfsuite) over `ner_features`, trained on ANERcorp.

`ArabicTagger().tag(text)` cuts a text into tokens (words and punctuation, as in ANERcorp) and
sentences, tags them (BIO over PERS, LOC, ORG, MISC) and returns the spans with their character
offsets. The model and the word clusters ship in `marsad/entities/data` (see data/NOTICE);
tools/train_ner.py rebuilds both from ../shared/data. The model ships twice: as crfsuite wrote it
(`MODEL_FILE`, the reference, read only by training and the tests) and as the arrays the tagger
scores with (`WEIGHTS_FILE`, written from it by `export_weights`: 4 MB in memory, no crfsuite at
run time); `python tools/train_ner.py --export-only` rewrites the second from the first.
"""

from __future__ import annotations

import gzip
import io
import itertools
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

import numpy as np
import numpy.typing as npt

from marsad.boundary import unbudgeted
from marsad.entities.ner_eval import SENTENCE_ENDS, spans
from marsad.entities.ner_features import FeatureExtractor, _Word, stack_features

Vector = npt.NDArray[np.float64]

MODEL_FILE = "data/ner-ar.crfsuite.gz"  # gzipped: 0.9 MB instead of 2.2 MB in the wheel
WEIGHTS_FILE = "data/ner-ar.weights.npz"  # the same weights as arrays (`export_weights`)
# The second stage (`ner_features.stack_features`): the same features plus the first stage's labels.
STAGE2_FILE = "data/ner-ar-2.crfsuite.gz"
WEIGHTS2_FILE = "data/ner-ar-2.weights.npz"
_MARKS = "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640"
_TOKEN = re.compile(rf"(?:[^\W_]|[{_MARKS}])+(?:['’\-](?:[^\W_]|[{_MARKS}])+)*|[^\s{_MARKS}]")
_MAX_SENTENCE = 120
# Subtracted from the "O" label's score of every token before Viterbi, to trade precision for
# recall (the CRF is at P 0.82, R 0.66 in block CV). Off: 0.5 was the best of 0-1.5 on block 4
# trained on blocks 1-3 (micro F1 0.767 -> 0.773, persons 0.681 -> 0.701), but on the unseen
# block 5 (trained on 1-4) it moved micro F1 0.713 -> 0.713 (R +0.012, P -0.018), persons
# 0.674 -> 0.674: no gain worth the lost precision.
RECALL_BIAS = 0.0
_MAX_ROWS = 200_000  # cached word and pair weight sums before the caches start over


def _grown(a: Vector) -> Vector:
    return np.concatenate([a, np.zeros_like(a)])


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
    """A tagged text: tokens with offsets, entity spans, and each sentence's state scores kept so the
    probability of a label at a token can be asked for later (`person_prob`)."""

    tokens: list[tuple[str, int, int]]
    spans: list[TaggedSpan]
    _transitions: Vector
    _persons: tuple[int, ...]  # the label indices of B-PERS and I-PERS
    # Per sentence: its first token's index and its (tokens, labels) state scores.
    _sentences: list[tuple[int, Vector]] = field(default_factory=list)
    # Filled on demand: token index by start offset, and per sentence its tokens' person marginals.
    _index: dict[int, int] | None = None
    _marginals: dict[int, Vector] = field(default_factory=dict)

    def person_prob(self, start: int) -> float:
        """The tagger's marginal probability that the token starting at character `start` begins or
        continues a person name (0.0 when no token starts there). A sentence's marginals are
        computed once, at its first question, by forward-backward over the scores the tagging
        used (crfsuite's own marginals, without handing it the sentence again)."""
        if self._index is None:
            self._index = {t[1]: k for k, t in enumerate(self.tokens)}
        index = self._index.get(start, -1)
        if index < 0:
            return 0.0
        for offset, scores in self._sentences:
            if offset <= index < offset + len(scores):
                probs = self._marginals.get(offset)
                if probs is None:
                    probs = self._marginals[offset] = marginals(scores, self._transitions)
                return float(sum(probs[index - offset, k] for k in self._persons))
        return 0.0


def marginals(scores: Vector, transitions: Vector) -> Vector:
    """(tokens, labels) marginal probabilities of a linear-chain CRF with these state scores and
    first-order transition weights (no start or end weights, as crfsuite's CRF1d): scaled
    forward-backward, one small matrix product per token."""
    n = len(scores)
    step = np.exp(transitions)
    state = np.exp(scores - scores.max(axis=1, keepdims=True))
    alpha = np.empty_like(scores)
    beta = np.ones_like(scores)
    scale = np.empty(n)
    alpha[0] = state[0]
    for t in range(n):
        if t:
            alpha[t] = (alpha[t - 1] @ step) * state[t]
        scale[t] = alpha[t].sum()
        alpha[t] /= scale[t]
    for t in range(n - 2, -1, -1):
        beta[t] = step @ (state[t + 1] * beta[t + 1]) / scale[t + 1]
    out: Vector = alpha * beta
    out /= out.sum(axis=1, keepdims=True)
    return out


def tokenize_ner(text: str) -> list[tuple[str, int, int]]:
    """(token, start, end): words (with their diacritics) and single punctuation marks."""
    return [(m.group(0), m.start(), m.end()) for m in _TOKEN.finditer(text)]


@dataclass(slots=True, frozen=True)
class CrfWeights:
    """A linear-chain CRF's weights as arrays: `state[index[attribute], label]` (0 where crfsuite has
    no feature) and `transitions[from, to]`, labels in crfsuite's order."""

    labels: tuple[str, ...]
    index: dict[str, int]
    state: npt.NDArray[np.float64]
    transitions: npt.NDArray[np.float64]


def read_crfsuite(model: str | Path | bytes) -> CrfWeights:
    """The weights of a crfsuite model file (or its bytes), read through python-crfsuite."""
    import pycrfsuite

    tagger = pycrfsuite.Tagger()
    if isinstance(model, bytes):
        tagger.open_inmemory(model)
    else:
        tagger.open(str(model))
    info = tagger.info()
    labels = tuple(sorted(info.labels, key=lambda x: int(info.labels[x])))
    at = {label: k for k, label in enumerate(labels)}
    attributes = sorted(info.attributes)
    index = {a: k for k, a in enumerate(attributes)}
    state = np.zeros((len(attributes), len(labels)))
    for (attr, label), w in info.state_features.items():
        state[index[attr], at[label]] += w
    transitions = np.zeros((len(labels), len(labels)))
    for (a, b), w in info.transitions.items():
        transitions[at[a], at[b]] = w
    tagger.close()
    return CrfWeights(labels, index, state, transitions)


def export_weights(model_path: str | Path, out_path: str | Path) -> None:
    """Write the weights of the crfsuite model at `model_path` (gzipped or not) to `out_path` as the
    arrays `load_weights` reads: the attributes (sorted, one UTF-8 string joined by newlines), the
    labels, the state weights (attributes x labels) and the transitions, all float64 as crfsuite
    keeps them, so the tagger sums exactly what crfsuite sums."""
    raw = Path(model_path).read_bytes()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    weights = read_crfsuite(raw)
    attributes = list(weights.index)
    if any("\n" in a for a in attributes):
        raise ValueError("an attribute holds a newline: it cannot be stored one per line")
    buffer = io.BytesIO()
    np.savez_compressed(
        buffer,
        attributes=np.frombuffer("\n".join(attributes).encode(), dtype=np.uint8),
        labels=np.array(weights.labels),
        state=weights.state,
        transitions=weights.transitions,
    )
    Path(out_path).write_bytes(buffer.getvalue())


def load_weights(source: Traversable | Path) -> CrfWeights:
    """The weights `export_weights` wrote to `source`."""
    with source.open("rb") as fh, np.load(io.BytesIO(fh.read()), allow_pickle=False) as data:
        text = data["attributes"].tobytes().decode()
        attributes = text.split("\n") if text else []
        labels = tuple(str(x) for x in data["labels"])
        state, transitions = data["state"], data["transitions"]
    return CrfWeights(labels, {a: k for k, a in enumerate(attributes)}, state, transitions)


def sentence_starts(text: str, tokens: list[tuple[str, int, int]]) -> list[int]:
    """The index of each sentence's first token: a sentence ends after a sentence mark or before a
    line break, and at `_MAX_SENTENCE` tokens (a sentence of more is cut into such pieces)."""
    if not tokens:
        return []
    ends = [
        k + 1
        for k, ((tok, _, tok_end), (_, nxt, _)) in enumerate(itertools.pairwise(tokens))
        if tok in SENTENCE_ENDS or "\n" in text[tok_end:nxt]
    ]
    ends.append(len(tokens))
    out, start = [], 0
    for end in ends:
        while end - start > _MAX_SENTENCE:
            out.append(start)
            start += _MAX_SENTENCE
        out.append(start)
        start = end
    return out


def joint_weights(stages: list[CrfWeights]) -> CrfWeights:
    """The state weights of several models over the same features side by side: one row per
    attribute of any of them, each model's labels in its own columns (0 where a model has no such
    attribute: adding 0.0 leaves a sum as it is). Summed once, a token's features give every
    model's scores. No transitions: each model decodes with its own."""
    attributes = sorted(set().union(*(w.index for w in stages)))
    index = {a: k for k, a in enumerate(attributes)}
    state = np.zeros((len(attributes), sum(len(w.labels) for w in stages)))
    col = 0
    for w in stages:
        rows = np.fromiter((index[a] for a in w.index), dtype=np.intp, count=len(w.index))
        state[rows, col : col + len(w.labels)] = w.state[np.fromiter(w.index.values(), dtype=np.intp)]
        col += len(w.labels)
    labels = tuple(label for w in stages for label in w.labels)
    return CrfWeights(labels, index, state, np.zeros((len(labels), len(labels))))


class _Scorer:
    """A trained model's state weights summed per word and cached: a token's score over the labels
    is the sum of a few cached vectors (its own features, its neighbours', the adjacent pairs') plus
    the few sentence-wide features, and the best labels are found by Viterbi over those scores. The
    same sums crfsuite computes from the attribute strings, without handing it thousands of strings
    per article (tested to tag alike)."""

    def __init__(self, weights: CrfWeights, features: FeatureExtractor) -> None:
        self.labels = list(weights.labels)
        size = len(self.labels)
        self.index = weights.index
        # The state weights with one row of zeros after them: `totals` pads its lists with it.
        self._padded = np.concatenate([weights.state, np.zeros((1, size))])
        self.state = self._padded[:-1]
        self.transitions = weights.transitions
        self.zero = np.zeros(size)
        self.bos, self.eos = self.total(["BOS"]), self.total(["EOS"])
        self.features = features
        # Per distinct word: its own weights (row of `_own`) and as seen from offsets -2, -1, +1, +2
        # (`_ctx`); per adjacent pair: as seen from the left and from the right word (`_pair`). Rows
        # live in growing arrays, so a document's rows are gathered in one numpy call.
        self._word_rows: dict[str, int] = {}
        self._own = np.zeros((4096, size))
        self._ctx = np.zeros((4096, 4, size))
        self._pair_rows: dict[tuple[str, str], int] = {}
        self._pair = np.zeros((4096, 2, size))
        self._extra_rows: dict[tuple[str, ...], Vector] = {}

    def total(self, feats: list[str]) -> Vector:
        """The summed state weights of `feats` (in their order, as crfsuite adds them: numpy adds
        the rows of an axis-0 reduction one after the other, so the sum is the same to the bit)."""
        index = self.index
        rows = [row for f in feats if (row := index.get(f)) is not None]
        if not rows:
            return self.zero.copy()
        out: Vector = np.add.reduce(self.state[rows], axis=0)
        return out

    def totals(self, lists: list[list[str]]) -> Vector:
        """`total` of each list, one row each, in one numpy call: the lists are padded with the zero
        row to the longest, and the sum over that axis (not the last) adds the rows one after the
        other as `total` does, so each row is the same to the bit."""
        index, pad = self.index, len(self.state)
        rows = [[row for f in feats if (row := index.get(f)) is not None] for feats in lists]
        width = max(map(len, rows), default=0)
        at = np.full((len(rows), max(width, 1)), pad, dtype=np.intp)
        for k, r in enumerate(rows):
            at[k, : len(r)] = r
        out: Vector = np.add.reduce(self._padded[at], axis=1)
        return out

    def _add_words(self, words: list[_Word]) -> None:
        """Rows of `_own` and `_ctx` for these words not seen yet (each once)."""
        new = list({w.raw: w for w in words if w.raw not in self._word_rows}.values())
        first = len(self._word_rows)
        while first + len(new) > len(self._own):
            self._own, self._ctx = _grown(self._own), _grown(self._ctx)
        sums = self.totals([f for w in new for f in (["bias", *w.own], *w.ctx)]).reshape(len(new), 5, -1)
        self._own[first : first + len(new)] = sums[:, 0]
        self._ctx[first : first + len(new)] = sums[:, 1:]
        for k, w in enumerate(new):
            self._word_rows[w.raw] = first + k

    def _add_pairs(self, pairs: list[tuple[_Word, _Word]]) -> None:
        """Rows of `_pair` for these adjacent pairs not seen yet (each once)."""
        new = list(
            {(a.norm, b.norm): (a, b) for a, b in pairs if (a.norm, b.norm) not in self._pair_rows}.items()
        )
        first = len(self._pair_rows)
        while first + len(new) > len(self._pair):
            self._pair = _grown(self._pair)
        sums = self.totals([f for _, (a, b) in new for f in self.features.pair(a, b)]).reshape(
            len(new), 2, -1
        )
        self._pair[first : first + len(new)] = sums
        for k, (key, _) in enumerate(new):
            self._pair_rows[key] = first + k

    def scores(self, words: list[list[_Word]], extras: list[list[list[str]]]) -> list[Vector]:
        """(tokens, labels) state scores of each sentence of a document, as crfsuite sums them
        (neighbours and pairs taken within a sentence only)."""
        m, starts = self.document_scores(words, extras)
        return np.split(m, starts[1:])

    def document_scores(
        self, words: list[list[_Word]], extras: list[list[list[str]]]
    ) -> tuple[Vector, npt.NDArray[np.intp]]:
        """The state scores of the whole document, one row per token, and each sentence's first row."""
        if max(len(self._word_rows), len(self._pair_rows), len(self._extra_rows)) > _MAX_ROWS:
            self._word_rows.clear()
            self._pair_rows.clear()
            self._extra_rows.clear()
        flat = [w for ws in words for w in ws]
        lens = np.array([len(ws) for ws in words])
        starts = np.cumsum(lens) - lens
        sentence = np.repeat(np.arange(len(lens)), lens)
        known = self._word_rows
        found = [known.get(w.raw, -1) for w in flat]
        if -1 in found:
            self._add_words([w for r, w in zip(found, flat, strict=True) if r < 0])
            found = [known[w.raw] for w in flat]
        rows = np.array(found, dtype=np.intp)
        m = self._own[rows]
        m[starts] += self.bos
        m[starts + lens - 1] += self.eos
        if len(flat) > 1:
            ctx = self._ctx[rows]  # (tokens, offset -2/-1/+1/+2, labels)
            same1 = (sentence[1:] == sentence[:-1])[:, None]
            same2 = (sentence[2:] == sentence[:-2])[:, None]
            m[1:] += ctx[:-1, 1] * same1
            m[:-1] += ctx[1:, 2] * same1
            m[2:] += ctx[:-2, 0] * same2
            m[:-2] += ctx[2:, 3] * same2
            at = np.flatnonzero(same1[:, 0])
            if len(at):
                pairs_known = self._pair_rows
                ats = at.tolist()
                found = [pairs_known.get((flat[i].norm, flat[i + 1].norm), -1) for i in ats]
                if -1 in found:
                    self._add_pairs(
                        [(flat[i], flat[i + 1]) for r, i in zip(found, ats, strict=True) if r < 0]
                    )
                    found = [pairs_known[flat[i].norm, flat[i + 1].norm] for i in ats]
                pairs = self._pair[found]  # after the rows are added: the array may have grown
                m[at] += pairs[:, 0]
                m[at + 1] += pairs[:, 1]
        # The sentence-wide features: few distinct lists (a cue two words back, a gazetteer tag,
        # document evidence), each list's sum cached, all added in one call.
        at_tok, sums = [], []
        totals = self._extra_rows
        i = 0
        for sent in extras:
            for extra in sent:
                if extra:
                    key = tuple(extra)
                    row = totals.get(key)
                    if row is None:
                        row = totals[key] = self.total(extra)
                    at_tok.append(i)
                    sums.append(row)
                i += 1
        if at_tok:
            m[at_tok] += np.array(sums)
        return m, starts

    def viterbi(self, ms: list[Vector]) -> list[list[str]]:
        """The best label sequence for each sentence's state scores in `ms` (first-order transitions,
        no start or end weights, as crfsuite's CRF1d). The sentences of a document go through one
        Viterbi together, longest first, a step per position of the longest: numpy's cost is per
        call, not per sentence, and at step t only the sentences longer than t take part."""
        order = sorted(range(len(ms)), key=lambda k: -len(ms[k]))
        lens = [len(ms[k]) for k in order]
        size, longest = len(self.labels), lens[0]
        padded = np.zeros((len(ms), longest, size))
        for row, k in enumerate(order):
            padded[row, : lens[row]] = ms[k]
        back = np.zeros((len(ms), longest, size), dtype=np.intp)
        last = np.zeros(len(ms), dtype=np.intp)  # each sentence's best final label
        live = len(ms)
        score = padded[:, 0]
        into = np.ascontiguousarray(self.transitions.T)  # [to, from]: reductions over the last axis
        cand_buf = np.empty((len(ms), size, size))
        for t in range(1, longest + 1):
            ended = live
            while ended > 0 and lens[ended - 1] <= t:
                ended -= 1
            if ended < live:  # sentences of length t end here
                last[ended:live] = score[ended:live].argmax(axis=1)
                live = ended
            if t == longest:
                break
            cand = np.add(score[:live, None, :], into, out=cand_buf[:live])  # (sentences, to, from)
            back[:live, t] = cand.argmax(axis=2)
            score = np.maximum.reduce(
                cand, axis=2
            )  # not ndarray.max: its Python wrapper costs more than the max
            score += padded[:live, t]
        # Back from each sentence's best final label, in Python: a few hundred list lookups cost
        # less than a numpy call per position.
        names = self.labels
        out: list[list[str]] = [[] for _ in ms]
        for row, (k, best) in enumerate(zip(order, last.tolist(), strict=True)):
            steps = back[row, 1 : lens[row]].tolist()
            path = [best]
            for step in reversed(steps):
                best = step[best]
                path.append(best)
            out[k] = [names[x] for x in reversed(path)]
        return out


class ArabicTagger:
    """The shipped CRF with its feature extractor (one per process: `default_tagger()`)."""

    def __init__(
        self,
        model: str | None = None,
        extractor: FeatureExtractor | None = None,
        recall_bias: float = RECALL_BIAS,
        second: str | None = None,
    ) -> None:
        """`model`: a crfsuite model file (read through python-crfsuite); the shipped weights
        (`WEIGHTS_FILE`) when None. `second`: the second-stage model over `model`'s labels (the
        shipped one, `WEIGHTS2_FILE`, when `model` is None and it ships; none when a file is given
        without it). `recall_bias`: taken from the score of "O" at every token of the final stage
        (0: crfsuite's own labels)."""
        data = resources.files("marsad.entities")
        if model is None:
            stages = [load_weights(data.joinpath(WEIGHTS_FILE))]
            if second is None and data.joinpath(WEIGHTS2_FILE).is_file():
                stages.append(load_weights(data.joinpath(WEIGHTS2_FILE)))
        else:
            stages = [read_crfsuite(model)]
        if second is not None:
            stages.append(read_crfsuite(second))
        # The extractor cuts each word's features to the models' attributes (the indexes' keys).
        # One set, not a ChainMap of the indexes: the extractor asks it of every feature it builds,
        # and a ChainMap's membership test is Python code.
        known = frozenset().union(*(w.index for w in stages))
        self.features = extractor or FeatureExtractor(known=known)
        self._stages = [_Scorer(w, self.features) for w in stages]
        self._scorer = self._stages[-1]
        # Two stages score the same word, neighbour and pair features: summed once for both, in
        # their columns side by side (`joint_weights`).
        self._joint = _Scorer(joint_weights(stages), self.features) if len(stages) > 1 else None
        self._stacked: dict[tuple[str, ...], Vector] = {}  # weight sums of stack_features sets
        self._outside = self._scorer.labels.index("O")
        self._persons = tuple(
            self._scorer.labels.index(x) for x in ("B-PERS", "I-PERS") if x in self._scorer.labels
        )
        self.recall_bias = recall_bias

    def _final_scores(self, words: list[list[_Word]], extras: list[list[list[str]]]) -> list[Vector]:
        """The last stage's state scores: the first stage's, or the second's plus the weights of
        `stack_features` over the first stage's labels (summed once per distinct feature set: most
        tokens share a few)."""
        if self._joint is None:
            return self._stages[0].scores(words, extras)
        joint, starts = self._joint.document_scores(words, extras)
        size = len(self._stages[0].labels)
        first = np.split(joint[:, :size], starts[1:])
        stacked = stack_features(words, self._stages[0].viterbi(first))
        second, memo = self._stages[1], self._stacked
        if len(memo) > _MAX_ROWS:
            memo.clear()
        rows = []
        for sent in stacked:
            for feats in sent:
                key = tuple(feats)
                row = memo.get(key)
                if row is None:
                    row = memo[key] = second.total(feats)
                rows.append(row)
        return np.split(joint[:, size:] + np.array(rows), starts[1:])

    def tag(self, text: str) -> TaggedText:
        """Tokens, sentences and entity spans of `text`."""
        tokens = tokenize_ner(text)
        out = TaggedText(tokens, [], self._scorer.transitions, self._persons)
        cuts = sentence_starts(text, tokens)
        if not cuts:
            return out
        cuts.append(len(tokens))
        words, extras = self.features.analyse(
            [[t[0] for t in tokens[a:b]] for a, b in itertools.pairwise(cuts)]
        )
        scores = self._final_scores(words, extras)
        out._sentences = list(zip(cuts, scores, strict=False))
        labels = self._decode(scores)
        for offset, sent in zip(cuts, labels, strict=False):
            for first, final, kind in spans(sent):
                a, b = offset + first, offset + final
                out.spans.append(TaggedSpan(kind, tokens[a][1], tokens[b][2], a, b))
        return out

    def tag_document(self, sents: list[list[str]]) -> list[list[str]]:
        """The BIO labels of each already tokenized sentence of one document."""
        full = [raws for raws in sents if raws]
        labels = iter(self._labels(*self.features.analyse(full)) if full else [])
        return [next(labels) if raws else [] for raws in sents]

    def tag_tokens(self, raws: list[str]) -> list[str]:
        """The BIO labels of one already tokenized sentence, the sentence its own document."""
        return self.tag_document([raws])[0]

    def _labels(self, words: list[list[_Word]], extras: list[list[list[str]]]) -> list[list[str]]:
        return self._decode(self._final_scores(words, extras))

    def _decode(self, scores: list[Vector]) -> list[list[str]]:
        """The best labels for these state scores (the recall bias taken on copies)."""
        if self.recall_bias:
            scores = [m.copy() for m in scores]
            for m in scores:
                m[:, self._outside] -= self.recall_bias
        return self._scorer.viterbi(scores)


@lru_cache(maxsize=1)
def default_tagger() -> ArabicTagger:
    """The shipped tagger, loaded once per process, outside any document's time budget (the load
    is never interrupted halfway, nor charged to the document that happens to need it first)."""
    with unbudgeted():
        return ArabicTagger()


_DEFERRED: ContextVar[bool] = ContextVar("tagger_deferred", default=False)


@contextmanager
def tagger_deferred() -> Iterator[None]:
    """Within the block, `loaded_tagger()` gives None while the tagger is not loaded yet: the ingest
    warm-up reads its Arabic document with the rules, so that a run of English documents never
    loads the Arabic model."""
    token = _DEFERRED.set(True)
    try:
        yield
    finally:
        _DEFERRED.reset(token)


def loaded_tagger() -> ArabicTagger | None:
    """`default_tagger()`, or None inside `tagger_deferred()` when it is not loaded yet."""
    if _DEFERRED.get() and default_tagger.cache_info().currsize == 0:
        return None
    return default_tagger()
