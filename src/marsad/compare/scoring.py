"""Similarity of two units (sentences or quotes): embedding cosine mixed with lexical evidence.

Lexical evidence is the Dice overlap of light stems plus the entity keys and numbers each unit
names: across languages the words differ but "geo:172955" (الرقة / Raqqa) and "24" do not.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from marsad.compare.numbers import figures, magnitudes, word_numbers
from marsad.compare.synonyms import family_table
from marsad.entities.folding import strip_accents
from marsad.text.arabic import normalize
from marsad.text.tokens import STOPWORDS, tokenize

Matrix = npt.NDArray[np.float64]

_AR_PREFIXES = ("وال", "بال", "فال", "كال", "لل", "ال", "و", "ف", "ب", "ل")
_AR_SUFFIXES = ("هما", "كما", "ات", "ون", "ين", "ان", "ها", "هم", "نا", "ه", "ي")
_NUMBER = re.compile(r"^[\d.,٫]+$")


def stem(word: str) -> str:
    """A crude light stem of a normalized word (clitics and common suffixes off, then truncated)."""
    if re.search(r"[\u0600-\u06ff]", word):
        for p in _AR_PREFIXES:
            if word.startswith(p) and len(word) - len(p) >= 3:
                word = word[len(p) :]
                break
        if word.endswith("ات") and len(word) >= 4:
            word = word[:-2] + "ه"  # a feminine plural stems as its singular: الهزات / هزة
        for s in _AR_SUFFIXES:
            if word.endswith(s) and len(word) - len(s) >= 3:
                word = word[: -len(s)]
                break
        return word[:5]
    return strip_accents(word)[:6]


_FAMILIES = family_table(stem, normalize)


def features(text: str, keys: Sequence[str] = ()) -> frozenset[str]:
    """The lexical features of a unit: stems of its content words, the near-synonym families they
    belong to (`marsad.compare.synonyms`), its numbers, the orders of magnitude its vague or
    approximate quantities give ("عشرات" / "more than 20": `marsad.compare.numbers.magnitudes`), its
    entity keys."""
    tokens = tokenize(text)
    feats = {stem(t) for t in tokens if len(t) > 1 and t not in STOPWORDS and not _NUMBER.match(t)}
    feats |= {_FAMILIES[f] for f in feats if f in _FAMILIES}
    feats |= {f"#{f}" for f in figures(text)} | {f"#{n}" for n in word_numbers(tokens)}
    feats |= {f"#~{m}" for m in magnitudes(text)}
    feats |= {f"@{k}" for k in keys}
    return frozenset(feats)


_CLAUSE = re.compile(r"\s*(?:[,،;؛:.!?؟]|\bإلا أن|\bإلا أنني|\bولكن|\bلكن|\bbut\b|\bmais\b)\s*")


def clauses(text: str, min_words: int = 4) -> list[str]:
    """The clauses of `text` with at least `min_words` words (the text itself when it has one or none)."""
    parts = [p for p in _CLAUSE.split(text) if len(p.split()) >= min_words]
    return parts if len(parts) > 1 else []


def lexical_matrix(a: Sequence[frozenset[str]], b: Sequence[frozenset[str]]) -> Matrix:
    """Dice overlap of every feature set in `a` with every one in `b`."""
    out = np.zeros((len(a), len(b)), dtype=np.float64)
    for i, fa in enumerate(a):
        for j, fb in enumerate(b):
            if fa and fb:
                shared = len(fa & fb)
                # Dice, or a discounted containment when one unit says part of the other.
                out[i, j] = max(2 * shared / (len(fa) + len(fb)), 0.8 * shared / min(len(fa), len(fb)) - 0.2)
    return out


def anchors(feats: frozenset[str]) -> frozenset[str]:
    """The features that cross languages unchanged: figures and entity keys."""
    return frozenset(f for f in feats if f[0] in "#@")


def combine(cosine: Matrix, lexical: Matrix, weight: float) -> Matrix:
    """`weight` * cosine + (1 - `weight`) * lexical, clipped to [0, 1]."""
    mixed: Matrix = np.clip(weight * cosine + (1.0 - weight) * lexical, 0.0, 1.0)
    return mixed


def one_to_one(score: Matrix, threshold: float) -> list[tuple[int, int, float]]:
    """Max-weight one-to-one matching of rows to columns, keeping pairs scoring >= `threshold`.

    Uses scipy's Hungarian solver when scipy is installed, else a greedy best-first matching.
    """
    if score.size == 0:
        return []
    try:
        from scipy.optimize import linear_sum_assignment  # type: ignore[import-untyped]
    except ImportError:  # pragma: no cover - scipy is present in the dev environment
        return _greedy(score, threshold)
    masked = np.where(score >= threshold, score, 0.0)
    rows, cols = linear_sum_assignment(-masked)
    return sorted(
        (int(r), int(c), float(score[r, c]))
        for r, c in zip(rows, cols, strict=True)
        if score[r, c] >= threshold
    )


def _greedy(score: Matrix, threshold: float) -> list[tuple[int, int, float]]:
    order = np.dstack(np.unravel_index(np.argsort(-score, axis=None), score.shape))[0]
    used_r: set[int] = set()
    used_c: set[int] = set()
    out = []
    for r, c in order:
        if score[r, c] < threshold:
            break
        if r in used_r or c in used_c:
            continue
        used_r.add(int(r))
        used_c.add(int(c))
        out.append((int(r), int(c), float(score[r, c])))
    return sorted(out)
