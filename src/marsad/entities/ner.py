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

import pycrfsuite

from marsad.entities.ner_eval import SENTENCE_ENDS, spans
from marsad.entities.ner_features import FeatureExtractor

MODEL_FILE = "data/ner-ar.crfsuite.gz"  # gzipped: 0.9 MB instead of 2.2 MB in the wheel
_MARKS = "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640"
_TOKEN = re.compile(rf"(?:[^\W_]|[{_MARKS}])+(?:['’\-](?:[^\W_]|[{_MARKS}])+)*|[^\s{_MARKS}]")
_MAX_SENTENCE = 120


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
    _sentences: list[tuple[int, list[list[str]]]] = field(default_factory=list)

    def person_prob(self, start: int) -> float:
        """The tagger's marginal probability that the token starting at character `start` begins or
        continues a person name (0.0 when no token starts there)."""
        index = next((k for k, t in enumerate(self.tokens) if t[1] == start), -1)
        if index < 0:
            return 0.0
        for offset, feats in self._sentences:
            if offset <= index < offset + len(feats):
                self._tagger.set(feats)  # the tagger may have tagged other texts since
                pos = index - offset
                return float(self._tagger.marginal("B-PERS", pos) + self._tagger.marginal("I-PERS", pos))
        return 0.0


def tokenize_ner(text: str) -> list[tuple[str, int, int]]:
    """(token, start, end): words (with their diacritics) and single punctuation marks."""
    return [(m.group(0), m.start(), m.end()) for m in _TOKEN.finditer(text)]


class ArabicTagger:
    """The shipped CRF with its feature extractor (one per process: `default_tagger()`)."""

    def __init__(self, model: str | None = None, extractor: FeatureExtractor | None = None) -> None:
        """`model`: a crfsuite model file; the shipped one when None."""
        self._tagger = pycrfsuite.Tagger()
        if model is None:
            packed = resources.files("marsad.entities").joinpath(MODEL_FILE).read_bytes()
            # crfsuite reads the model in place: the bytes must live as long as the tagger.
            self._model = gzip.decompress(packed)
            self._tagger.open_inmemory(self._model)
        else:
            self._tagger.open(model)
        known = frozenset(self._tagger.info().attributes)
        self.features = extractor or FeatureExtractor(known=known)

    def tag(self, text: str) -> TaggedText:
        """Tokens, sentences and entity spans of `text`."""
        tokens = tokenize_ner(text)
        out = TaggedText(tokens=tokens, spans=[], _tagger=self._tagger)
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
        return list(self._tagger.tag(self.features.sentence(raws)))

    def _tag_sentence(self, out: TaggedText, start: int, end: int) -> None:
        if start >= end:
            return
        feats = self.features.sentence([t[0] for t in out.tokens[start:end]])
        labels = self._tagger.tag(feats)
        out._sentences.append((start, feats))
        for first, last, kind in spans(labels):
            a, b = start + first, start + last
            out.spans.append(TaggedSpan(kind, out.tokens[a][1], out.tokens[b][2], a, b))


@lru_cache(maxsize=1)
def default_tagger() -> ArabicTagger:
    """The shipped tagger, loaded once per process."""
    return ArabicTagger()
