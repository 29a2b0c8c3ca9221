"""Word clusters for the Arabic tagger, learned without labels from SaudiNewsNet articles.

Each word of the vocabulary gets a vector from its contexts (positive PMI of the words one and two
places to its left and right, reduced by a truncated SVD), the vectors are grouped by k-means at
three granularities, and each word is written as one line "word<TAB>c64<TAB>c256<TAB>c1024<TAB>t":
`t` buckets how often the word follows a title or role word (الرئيس, الأمير, الشيخ ...), a
name-likeness signal no labelled data gave us. Run through tools/train_ner.py.
"""

from __future__ import annotations

import gzip
import itertools
import json
import re
import time
import zipfile
from collections import Counter
from pathlib import Path

import numpy as np
import numpy.typing as npt
from scipy import sparse
from scipy.sparse.linalg import svds

from marsad.entities.lexicon import AR_TITLES
from marsad.text.arabic import normalize

_WORD = re.compile(r"[^\W\d_]+")
GRANULARITIES = (64, 256, 1024)


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
    after_title: Counter[str] = Counter()
    for d in docs:
        for prev, w in itertools.pairwise(d):
            if prev in AR_TITLES:
                after_title[w] += 1
    with gzip.open(out, "wt", encoding="utf-8", compresslevel=9) as fh:
        for i, w in enumerate(vocab):
            ratio = after_title[w] / counts[w]
            bucket = "" if after_title[w] < 2 else "t3" if ratio > 0.2 else "t2" if ratio > 0.05 else "t1"
            fh.write("\t".join([w, *(str(int(lab[i])) for lab in labels), bucket]) + "\n")
    return len(vocab)
