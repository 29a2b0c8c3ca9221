"""Word shingles of normalized text, hashed to uint64 for a whole batch of documents at once.

A word is a run of letters and digits of the normalized text (the tokens of
`marsad.text.tokens.tokenize`: a `.` or `,` between a word and a digit stays inside the word, so
12.5 is one word). A shingle is `size` consecutive words of one document; a document with fewer
words than `size` (but at least one) has one shingle made of all its words.

Hashing never loops in Python over words: the batch is one array of code points, each word's hash
is a polynomial hash read off a prefix sum (mod 2**64), a shingle combines its words' hashes, and
murmur3's 64-bit finalizer mixes every value. The hashes depend only on the text and `seed`, so
they are stable across processes and runs (signatures built from them persist in the store).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
import numpy.typing as npt

U64 = npt.NDArray[np.uint64]
I64 = npt.NDArray[np.int64]

_BASE = 0x100000001B3  # odd, so it has an inverse mod 2**64
_BASE_INV = pow(_BASE, -1, 2**64)
_SHINGLE_MUL = np.uint64(0x9E3779B97F4A7C15)
_FMIX1 = np.uint64(0xFF51AFD7ED558CCD)
_FMIX2 = np.uint64(0xC4CEB9FE1A85EC53)
_S33 = np.uint64(33)


def mix64(x: U64) -> U64:
    """murmur3 fmix64 over a uint64 array (a bijection that spreads every input bit)."""
    x = x ^ (x >> _S33)
    x = x * _FMIX1
    x = x ^ (x >> _S33)
    x = x * _FMIX2
    return x ^ (x >> _S33)


_OTHER, _WORD, _SEPARATOR = 0, 1, 2


@cache
def _class_table() -> npt.NDArray[np.uint8]:
    """code point -> word character (str.isalnum, the `[^\\W_]` of the tokenizer), `.`/`,`, or other."""
    table = np.fromiter((chr(c).isalnum() for c in range(0x10000)), dtype=np.uint8, count=0x10000)
    table[ord(".")] = table[ord(",")] = _SEPARATOR
    return table


class _Powers:
    """BASE**i and BASE**-i mod 2**64, grown on demand and shared by every batch."""

    def __init__(self) -> None:
        self.up: U64 = np.ones(1, dtype=np.uint64)
        self.down: U64 = np.ones(1, dtype=np.uint64)

    def ensure(self, n: int) -> None:
        if len(self.up) >= n:
            return
        size = max(n, 2 * len(self.up))
        steps = np.full(size, _BASE, dtype=np.uint64)
        steps[0] = 1
        self.up = np.cumprod(steps, dtype=np.uint64)
        steps[1:] = _BASE_INV
        self.down = np.cumprod(steps, dtype=np.uint64)


_POWERS = _Powers()


@dataclass(slots=True, frozen=True)
class ShingleBatch:
    """The shingle hashes of a batch: document i owns `hashes[offsets[i]:offsets[i + 1]]`."""

    hashes: U64
    offsets: I64
    words: I64

    def of(self, i: int) -> U64:
        """Shingle hashes of document `i` (repeats kept, in text order)."""
        return self.hashes[self.offsets[i] : self.offsets[i + 1]]

    @property
    def doc_index(self) -> I64:
        """For every hash, the index of its document."""
        counts = np.diff(self.offsets)
        return np.repeat(np.arange(len(counts), dtype=np.int64), counts)


class WordShingler:
    """Hashes the `size`-word shingles of normalized texts, many documents per call."""

    def __init__(self, size: int = 5, seed: int = 1) -> None:
        if not 1 <= size <= 16:
            raise ValueError(f"shingle size must be between 1 and 16 words, got {size}")
        self.size = size
        self.seed = np.uint64(seed & 0xFFFFFFFFFFFFFFFF)

    def word_hashes(self, texts: Sequence[str]) -> tuple[U64, I64]:
        """Hash of every word of `texts` (already normalized, in order) and each text's word count.

        The word hash is not mixed here (the shingle hash is), so it is only a word identity.
        """
        lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
        joined = "\n".join(texts)  # a newline is not a word character: words never span two documents
        # UTF-16 units: the class table stays small (64 K entries); a character outside the BMP
        # (emoji, rare CJK) is two surrogate units, neither a word character.
        points = np.frombuffer(joined.encode("utf-16-le", "surrogatepass"), dtype=np.uint16)
        if len(points) != len(joined):
            units = (len(t.encode("utf-16-le", "surrogatepass")) // 2 for t in texts)
            lengths = np.fromiter(units, dtype=np.int64, count=len(texts))
        starts_of_docs = np.zeros(len(texts), dtype=np.int64)
        np.cumsum(lengths[:-1] + 1, out=starts_of_docs[1:])
        classes = _class_table()[points]
        word = np.zeros(len(points) + 2, dtype=np.bool_)
        word[1:-1] = classes == _WORD
        separators = np.flatnonzero(classes == _SEPARATOR)
        if len(separators):
            # "12.5" and "1,000" are one word, as in the tokenizer's `[.,][0-9]+` continuation.
            inside = separators[(separators > 0) & (separators < len(points) - 1)]
            after = points[inside + 1]
            inside = inside[word[inside] & (after >= 0x30) & (after <= 0x39)]
            word[inside + 1] = True
        edges = np.flatnonzero(word[1:] != word[:-1])
        begin, end = edges[0::2], edges[1::2]
        _POWERS.ensure(len(points) + 1)
        prefix = np.zeros(len(points) + 1, dtype=np.uint64)
        np.cumsum(points * _POWERS.up[: len(points)], out=prefix[1:])
        hashes = ((prefix[end] - prefix[begin]) * _POWERS.down[begin]) ^ self.seed
        firsts = np.searchsorted(begin, starts_of_docs)
        counts = np.diff(firsts, append=len(begin)).astype(np.int64)
        return hashes, counts

    def shingle(self, texts: Sequence[str]) -> ShingleBatch:
        """The shingle hashes of every document of `texts` (already normalized), doc by doc."""
        n = len(texts)
        words, per_doc = self.word_hashes(texts)
        k = self.size
        word_offsets = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(per_doc, out=word_offsets[1:])
        span = len(words) - k + 1
        if span > 0:
            acc = words[:span].copy()
            for i in range(1, k):
                acc *= _SHINGLE_MUL
                acc += words[i : span + i]
            # A shingle is valid when its k words are in one document: drop the k-1 starts
            # before each document's end.
            valid = np.ones(span, dtype=np.bool_)
            tails = word_offsets[1:, None] - np.arange(1, k, dtype=np.int64)[None, :]
            tails = tails[(tails >= word_offsets[:-1, None]) & (tails < span)]
            valid[tails] = False
            hashes = mix64(acc[valid])
        else:
            hashes = np.zeros(0, dtype=np.uint64)
        counts = np.maximum(per_doc - k + 1, 0)
        short = np.flatnonzero((per_doc > 0) & (per_doc < k))
        if len(short):
            extra = np.empty(len(short), dtype=np.uint64)
            for j, d in enumerate(short):
                acc1 = 0
                for w in words[word_offsets[d] : word_offsets[d + 1]].tolist():
                    acc1 = (acc1 * int(_SHINGLE_MUL) + w) & 0xFFFFFFFFFFFFFFFF
                extra[j] = acc1
            shingle_doc = np.repeat(np.arange(n, dtype=np.int64), counts)
            hashes = np.concatenate((hashes, mix64(extra)))
            shingle_doc = np.concatenate((shingle_doc, short.astype(np.int64)))
            order = np.argsort(shingle_doc, kind="stable")
            hashes = hashes[order]
            counts[short] = 1
        offsets = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(counts, out=offsets[1:])
        return ShingleBatch(hashes=hashes, offsets=offsets, words=per_doc)
