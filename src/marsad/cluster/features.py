"""The signals a same-event decision looks at, for one document and for a pair of documents.

A `DocSignals` holds what is computed once per document (embedded views, normalized content
tokens, numbers, name-like tokens, language); `pair_features` turns two of them into the fixed
feature vector the learned models read (`FEATURE_NAMES`, same order).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import numpy.typing as npt

from marsad.cluster.base import ClusterDoc
from marsad.cluster.lexical import light_stem
from marsad.embed.views import DocVectors
from marsad.text.arabic import fold_letters
from marsad.text.language import detect_language
from marsad.text.tokens import content_words

FEATURE_NAMES: tuple[str, ...] = (
    "cos_head",  # title + lead
    "cos_body",  # mean of body chunks
    "chunk_max",  # best-matching chunk pair
    "chunk_align",  # mean best match of each chunk, both ways
    "cos_head_body",  # head of one vs body of the other, averaged both ways
    "token_jaccard",  # normalized, lightly stemmed content words
    "number_jaccard",
    "numbers_shared",  # log1p of the count
    "name_jaccard",  # capitalized Latin-script tokens (names, acronyms)
    "same_language",
    "cross_cos_body",  # cos_body when the languages differ, else 0: cross-language scale differs
    "cross_cos_head_body",
    "same_outlet",
)

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_NAME = re.compile(r"\b[A-Z][\w'-]{2,}")
_TEXT_CHARS = 4000  # lexical signals read the start of the text: bounded cost, the event is up front
_LANGUAGE_CHARS = 600  # enough for py3langid; its cost grows with length


@dataclass(slots=True, frozen=True)
class DocSignals:
    """Per-document signals, computed once when the document arrives."""

    id: str
    vectors: DocVectors
    tokens: frozenset[str]
    numbers: frozenset[str]
    names: frozenset[str]
    language: str | None
    published: datetime | None
    outlet: str | None


def doc_signals(doc: ClusterDoc, vectors: DocVectors) -> DocSignals:
    """Signals of `doc` given its embedded views."""
    text = f"{doc.title or ''}\n{doc.text[:_TEXT_CHARS]}"
    words = content_words(text)
    folded = fold_letters(text)
    numbers = frozenset(n.replace(",", "") for n in _NUMBER.findall(folded) if len(n) >= 2)
    return DocSignals(
        id=doc.id,
        vectors=vectors,
        tokens=frozenset(light_stem(w) for w in words if not w[0].isdigit()),
        numbers=numbers,
        names=frozenset(m.lower() for m in _NAME.findall(text)),
        language=doc.language or detect_language(text[:_LANGUAGE_CHARS]),
        published=doc.published,
        outlet=(doc.outlet or "").strip().lower() or None,
    )


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    union = len(a | b)
    return len(a & b) / union if union else 0.0


def pair_features(a: DocSignals, b: DocSignals) -> npt.NDArray[np.float64]:
    """The feature vector of the pair (a, b), in `FEATURE_NAMES` order; symmetric in a and b."""
    va, vb = a.vectors, b.vectors
    sims = va.chunks @ vb.chunks.T
    cos_head = float(va.head @ vb.head)
    cos_body = float(va.body @ vb.body)
    head_body = float(va.head @ vb.body + vb.head @ va.body) / 2.0
    same_language = float(a.language is not None and a.language == b.language)
    cross = 1.0 - same_language
    return np.array(
        [
            cos_head,
            cos_body,
            float(sims.max()),
            float(sims.max(axis=1).mean() + sims.max(axis=0).mean()) / 2.0,
            head_body,
            _jaccard(a.tokens, b.tokens),
            _jaccard(a.numbers, b.numbers),
            math.log1p(len(a.numbers & b.numbers)),
            _jaccard(a.names, b.names),
            same_language,
            cross * cos_body,
            cross * head_body,
            float(a.outlet is not None and a.outlet == b.outlet),
        ],
        dtype=np.float64,
    )
