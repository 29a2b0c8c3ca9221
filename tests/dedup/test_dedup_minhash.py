"""Shingles, one-permutation MinHash, LSH band keys and postings: the vectorized core."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from marsad.dedup.minhash import EMPTY, OnePermutationHasher, band_keys, estimate_jaccard, implied_containment
from marsad.dedup.params import DedupParams
from marsad.dedup.postings import Postings
from marsad.dedup.shingles import WordShingler
from marsad.dedup.sketch import Sketcher
from marsad.errors import ConfigError
from marsad.text.arabic import normalize
from marsad.text.tokens import tokenize

MIXED = [
    "قال «الرئيس» إن النمو بلغ ٣٫٥٪ في 2016، وإن 1,000 وظيفة أضيفت.",
    "The minister said growth reached 3.5% in 2016 (up from 2.1).",
    "Le ministre a déclaré: « la croissance a atteint 3,5 % ».",
    "Москва заявила во вторник о готовности к координации",
    "",
    "كلمة",
]


def _exact_jaccard(a: str, b: str, k: int = 5) -> float:
    def grams(t: str) -> set[tuple[str, ...]]:
        toks = tokenize(t)
        return {tuple(toks[i : i + k]) for i in range(len(toks) - k + 1)}

    ga, gb = grams(a), grams(b)
    return len(ga & gb) / len(ga | gb)


def test_shingler_words_match_tokenize(seeds_dir: Path) -> None:
    texts = [normalize(t) for t in MIXED] + [normalize(p.read_text("utf-8")) for p in seeds_dir.glob("*.txt")]
    batch = WordShingler(5).shingle(texts)
    assert batch.words.tolist() == [len(tokenize(t)) for t in texts]


def test_shingler_counts_short_and_empty_documents() -> None:
    batch = WordShingler(5).shingle(["a b c d e f", "", "one two", "x y z w v"])
    assert np.diff(batch.offsets).tolist() == [2, 0, 1, 1]


def test_shingle_hashes_do_not_depend_on_the_batch(seeds_dir: Path) -> None:
    text = normalize((seeds_dir / "000_f462c494be0ac3b8.txt").read_text("utf-8"))
    shingler = WordShingler(5)
    alone = shingler.shingle([text]).hashes
    in_batch = shingler.shingle(["نص آخر تماما قبله", text, "and after"]).of(1)
    assert np.array_equal(alone, in_batch)
    assert not np.array_equal(alone, WordShingler(5, seed=2).shingle([text]).hashes)


def test_minhash_estimates_jaccard_of_edited_copies(seeds_dir: Path) -> None:
    text = (seeds_dir / "000_f462c494be0ac3b8.txt").read_text("utf-8")
    paras = [p for p in text.split("\n") if p.strip()]
    variants = ["\n".join(paras[:-3]), "\n".join(paras[2:]), "\n".join(paras[::2])]
    sketcher = Sketcher()
    sigs = sketcher.sketch([text, *variants]).signatures
    for i, variant in enumerate(variants, start=1):
        exact = _exact_jaccard(normalize(text), normalize(variant))
        assert abs(estimate_jaccard(sigs[0], sigs[i]) - exact) < 0.15, (i, exact)


def test_minhash_short_document_is_densified_and_empty_one_is_empty() -> None:
    sketcher = Sketcher()
    sigs = sketcher.sketch(["واحد اثنان ثلاثة أربعة خمسة ستة سبعة", ""]).signatures
    assert not (sigs[0] == EMPTY).any()
    assert (sigs[1] == EMPTY).all()
    assert estimate_jaccard(sigs[1], sigs[1]) == 0.0


def test_minhash_rejects_bad_sizes() -> None:
    with pytest.raises(ValueError, match="num_perm"):
        OnePermutationHasher(8)
    with pytest.raises(ValueError, match="shingle size"):
        WordShingler(0)


def test_band_keys_collide_only_on_equal_bands() -> None:
    rng = np.random.default_rng(0)
    a = rng.integers(0, 2**32, size=(1, 128), dtype=np.uint64).astype(np.uint32)
    b = a.copy()
    b[0, 3:] ^= np.uint32(1)  # only band 0 (slots 0..2) stays equal
    ka, kb = band_keys(a, 42, 3), band_keys(b, 42, 3)
    assert ka.shape == (1, 42)
    assert (ka == kb).tolist()[0] == [True] + [False] * 41
    assert len(set(ka[0].tolist())) == 42  # the band number is mixed in


def test_params_validate_and_document_their_threshold() -> None:
    p = DedupParams()
    assert round(p.lsh_threshold, 2) == 0.29
    assert p.candidate_probability(0.5) > 0.99 > p.candidate_probability(0.1)
    with pytest.raises(ConfigError, match="bands"):
        DedupParams(bands=64, rows=4)
    with pytest.raises(ConfigError, match="sample_rate"):
        DedupParams(sample_rate=6)


def test_implied_containment_of_a_short_copy() -> None:
    # 30 shingles inside 300: Jaccard 0.1, containment 1.
    got = implied_containment(np.array([0.1]), np.array([30]), np.array([300]))
    assert got[0] == pytest.approx(1.0)


def test_postings_match_across_runs_and_cap_each_key() -> None:
    postings = Postings()
    for doc in range(40):
        keys = np.array([7, 100 + doc], dtype=np.uint64)
        q, found = postings.match_and_add(keys, np.array([doc, doc], dtype=np.int64), limit=10)
        assert sorted(found[q == 0].tolist()) == list(range(min(doc + 1, 10))) + ([doc] if doc >= 10 else [])
    q, docs = postings.lookup(np.array([7, 105, 999], dtype=np.uint64))
    assert sorted(docs[q == 0].tolist()) == list(range(10))  # key 7 kept its first ten documents
    assert docs[q == 1].tolist() == [5]
    assert not (q == 2).any()
    assert len(postings) == 50


def test_postings_match_pairs_within_one_call() -> None:
    postings = Postings()
    keys = np.array([3, 3, 3, 9], dtype=np.uint64)
    q, found = postings.match_and_add(keys, np.array([0, 1, 2, 3], dtype=np.int64), limit=2)
    pairs = sorted(zip(q.tolist(), found.tolist(), strict=True))
    assert pairs == [(0, 0), (0, 1), (1, 0), (1, 1), (2, 0), (2, 1), (3, 3)]
    assert len(postings) == 3
