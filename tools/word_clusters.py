"""Word clusters for the Arabic tagger, learned without labels from SaudiNewsNet articles.

Each word of the vocabulary gets a vector from its contexts (positive PMI of the words one and two
places to its left and right, reduced by a truncated SVD), the vectors are grouped by k-means at
three granularities, and each word is written as one line "word<TAB>c64<TAB>c256<TAB>c1024<TAB>t<TAB>b
<TAB>f<TAB>o<TAB>s": buckets of how often the word follows a title or role word (t: الرئيس, الأمير,
الشيخ ...), precedes بن/ابن (b), follows a listed first name (f), follows an organisation head word
(o: وزارة, هيئة, شركة ...) or a speech verb (s): name-likeness signals no labelled data gave us,
mined from 12,500 articles instead of ANERcorp's 125k tokens. Run through tools/train_ner.py.
"""

from __future__ import annotations

import gzip
import itertools
import json
import re
import time
import zipfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import numpy as np
import numpy.typing as npt
from scipy import sparse
from scipy.sparse.linalg import svds

from marsad.entities.lexicon import AR_FIRST_NAMES, AR_SPEECH_VERBS, AR_TITLES
from marsad.entities.ner_features import split_clitics
from marsad.entities.organisations import AR_ORG_HEADS
from marsad.text.arabic import normalize

_WORD = re.compile(r"[^\W\d_]+")
GRANULARITIES = (64, 256, 1024)
CUES = ("t", "b", "f", "o", "s")
_SON_OF = frozenset({"بن", "ابن"})


def read_texts(folder: Path) -> list[str]:
    """Title and content of every article in the folder's zips (each zip holds one JSON array)."""
    texts: list[str] = []
    for path in sorted(folder.glob("*.zip")):
        with zipfile.ZipFile(path) as z:
            for name in z.namelist():
                for rec in json.loads(z.read(name)):
                    texts.append(f"{rec.get('title') or ''} . {rec.get('content') or ''}")
    return texts


def _kmeans(x: npt.NDArray[np.float32], k: int, seed: int, iterations: int = 20) -> npt.NDArray[np.int32]:
    """Spherical k-means (rows of `x` are unit vectors), k-means++ seeded on a sample."""
    rng = np.random.default_rng(seed)
    sample = x[rng.choice(len(x), size=min(len(x), 20 * k), replace=False)]
    centers = [sample[rng.integers(len(sample))]]
    dist = 1.0 - sample @ centers[0]
    for _ in range(k - 1):
        probs = np.maximum(dist, 0) ** 2
        c = sample[rng.choice(len(sample), p=probs / probs.sum())]
        centers.append(c)
        dist = np.minimum(dist, 1.0 - sample @ c)
    cent = np.stack(centers)
    labels = np.zeros(len(x), dtype=np.int32)
    for _ in range(iterations):
        labels = np.argmax(x @ cent.T, axis=1).astype(np.int32)
        sums = np.zeros_like(cent)
        np.add.at(sums, labels, x)
        norms = np.linalg.norm(sums, axis=1, keepdims=True)
        empty = norms[:, 0] == 0
        sums[empty] = x[rng.integers(len(x), size=int(empty.sum()))]
        norms[empty] = 1.0
        cent = sums / norms
    return labels


def build(folder: Path, out: Path, *, min_count: int = 5, contexts: int = 6000, dim: int = 100) -> int:
    """Learn the clusters from the articles under `folder` and write them to `out`; returns the
    vocabulary size."""
    t0 = time.perf_counter()
    docs = [_WORD.findall(normalize(t)) for t in read_texts(folder)]
    counts = Counter(w for d in docs for w in d)
    vocab = [w for w, c in counts.most_common() if c >= min_count]
    index = {w: i for i, w in enumerate(vocab)}
    ids = np.array([index.get(w, -1) for d in docs for w in [*d, ""]], dtype=np.int64)  # "" splits docs
    print(f"  {len(docs)} articles, {len(ids)} tokens, {len(vocab)} words ({time.perf_counter() - t0:.0f}s)")
    blocks = []
    for side, off in enumerate((-2, -1, 1, 2)):
        a = ids[max(0, -off) : len(ids) - max(0, off)]
        b = ids[max(0, off) : len(ids) - max(0, -off) or None][: len(a)]
        keep = (a >= 0) & (b >= 0) & (b < contexts)
        blocks.append(
            sparse.coo_matrix(
                (np.ones(int(keep.sum()), dtype=np.float32), (a[keep], b[keep] + side * contexts)),
                shape=(len(vocab), 4 * contexts),
            ).tocsr()
        )
    cooc = sum(blocks[1:], blocks[0]).tocsr()
    cooc.sum_duplicates()
    total = float(cooc.sum())
    rows = np.asarray(cooc.sum(axis=1)).ravel()
    cols = np.asarray(cooc.sum(axis=0)).ravel() ** 0.75
    cols_p = cols / cols.sum()
    coo = cooc.tocoo()
    pmi = np.log(coo.data * 1.0 / (rows[coo.row] / total) / cols_p[coo.col] / total)
    keep = pmi > 0
    ppmi = sparse.csr_matrix((pmi[keep].astype(np.float32), (coo.row[keep], coo.col[keep])), shape=cooc.shape)
    u, s, _ = svds(ppmi, k=dim)
    vec = (u * np.sqrt(s)).astype(np.float32)
    vec /= np.maximum(np.linalg.norm(vec, axis=1, keepdims=True), 1e-9)
    print(f"  PPMI {ppmi.nnz} cells, SVD {dim} ({time.perf_counter() - t0:.0f}s)")
    labels = [_kmeans(vec, k, seed=k) for k in GRANULARITIES]
    print(f"  k-means {GRANULARITIES} ({time.perf_counter() - t0:.0f}s)")
    cues = cue_buckets(docs, counts)
    with gzip.open(out, "wt", encoding="utf-8", compresslevel=9) as fh:
        for i, w in enumerate(vocab):
            fh.write("\t".join([w, *(str(int(lab[i])) for lab in labels), *cues(w)]) + "\n")
    return len(vocab)


def cue_buckets(docs: list[list[str]], counts: Counter[str]) -> Callable[[str], list[str]]:
    """word -> its buckets for each cue of `CUES` ("" when seen fewer than twice with the cue,
    else the cue letter and 1/2/3 for at most 5%, 5-20%, over 20% of the word's occurrences)."""
    seen: dict[str, Counter[str]] = {cue: Counter() for cue in CUES}
    for d in docs:
        for prev, w in itertools.pairwise(d):
            if prev in AR_TITLES:
                seen["t"][w] += 1
            if w in _SON_OF:
                seen["b"][prev] += 1
            if prev in AR_FIRST_NAMES:
                seen["f"][w] += 1
            stem = split_clitics(prev)[1]
            if stem in AR_ORG_HEADS or stem.removeprefix("ال") in AR_ORG_HEADS:
                seen["o"][w] += 1
            if stem in AR_SPEECH_VERBS:
                seen["s"][w] += 1

    def buckets(w: str) -> list[str]:
        out = []
        for cue, got in seen.items():
            n, ratio = got[w], got[w] / counts[w]
            out.append(
                "" if n < 2 else f"{cue}3" if ratio > 0.2 else f"{cue}2" if ratio > 0.05 else f"{cue}1"
            )
        return out

    return buckets


def add_cues(folder: Path, table: Path) -> None:
    """Rewrite a cluster table with fresh cue buckets, its clusters kept (to measure cues alone)."""
    docs = [_WORD.findall(normalize(t)) for t in read_texts(folder)]
    cues = cue_buckets(docs, Counter(w for d in docs for w in d))
    with gzip.open(table, "rt", encoding="utf-8") as fh:
        rows = [line.rstrip("\n").split("\t")[: 1 + len(GRANULARITIES)] for line in fh]
    with gzip.open(table, "wt", encoding="utf-8", compresslevel=9) as fh:
        for row in rows:
            fh.write("\t".join([*row, *cues(row[0])]) + "\n")
