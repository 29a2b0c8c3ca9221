"""The centroid index past its exact-scan size (coarse cells), batched pair features, story retirement."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np

from marsad.cluster.features import DocSignals, concat_stacks, pair_features, stack_features, stack_members
from marsad.cluster.index import StoryIndex, cells_in_use
from marsad.cluster.online import ClustererSettings, EmbeddingClusterer
from marsad.embed import UsemEmbedder
from marsad.embed.views import DocVectors


def _clustered_vectors(n: int, dim: int, seed: int) -> np.ndarray:
    # Topic-like data: points around 40 directions, as real story centroids are.
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((40, dim))
    x = centres[rng.integers(40, size=n)] + 0.6 * rng.standard_normal((n, dim))
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


def test_story_index_uses_cells_past_the_scan_size_and_finds_exact_matches() -> None:
    x = _clustered_vectors(3000, 32, seed=1)
    index = StoryIndex(dim=32, window_days=1, ivf_min_rows=512, probe=4)
    for i, v in enumerate(x):
        index.upsert(f"s{i}", v, day=10)
    assert cells_in_use(index) == 1
    hits = sum(index.search(x[i], day=10, k=3)[0][0] == f"s{i}" for i in range(0, 3000, 10))
    assert hits >= 295  # a stored centroid is its own nearest neighbour through the probed cells


def test_story_index_cells_follow_moves_and_compaction() -> None:
    x = _clustered_vectors(1200, 16, seed=2)
    index = StoryIndex(dim=16, window_days=0, ivf_min_rows=512, probe=3)
    for i, v in enumerate(x):
        index.upsert(f"s{i}", v, day=1)
    for i in range(0, 1200, 2):  # half the stories move on to the next day
        index.upsert(f"s{i}", x[i], day=2)
    assert index.search(x[1], day=1, k=1)[0][0] == "s1"
    assert index.search(x[4], day=2, k=1)[0][0] == "s4"
    assert index.search(x[4], day=1, k=1)[0][0] != "s4"  # gone from day 1
    assert len(index) == 1200


def test_story_index_with_cells_matches_an_exact_scan_through_random_updates() -> None:
    # Probing every cell must give exactly what a scan of the live centroids gives, whatever mix of
    # new stories, same-day centroid updates (rows changing cell), moves to another day and removals
    # came before: no stale, dead or doubled rows, and every score the current centroid's cosine.
    rng = np.random.default_rng(7)
    dim = 16
    x = _clustered_vectors(4000, dim, seed=3)
    index = StoryIndex(dim=dim, window_days=1, ivf_min_rows=256, probe=10**6)
    truth: dict[str, tuple[np.ndarray, int]] = {}
    for step in range(6000):
        op = rng.random()
        if op < 0.5 or len(truth) < 50:
            sid, v, day = f"s{step}", x[rng.integers(len(x))], int(rng.integers(3))
        elif op < 0.85:  # an existing story gets a new centroid on its own day
            sid = list(truth)[rng.integers(len(truth))]
            v, day = x[rng.integers(len(x))], truth[sid][1]
        elif op < 0.95:  # an existing story moves to another day
            sid = list(truth)[rng.integers(len(truth))]
            v, day = truth[sid][0], int(rng.integers(3))
        else:
            sid = list(truth)[rng.integers(len(truth))]
            index.remove(sid)
            del truth[sid]
            continue
        index.upsert(sid, v, day)
        truth[sid] = (v, day)
    assert cells_in_use(index) >= 1 and len(index) == len(truth)
    ids = list(truth)
    matrix = np.stack([truth[i][0] for i in ids])
    for q in x[:40]:
        got = index.search(q, day=1, k=25)
        exact = np.sort(matrix @ q)[::-1][:25]
        assert len({sid for sid, _ in got}) == len(got) == 25
        np.testing.assert_allclose([s for _, s in got], exact, rtol=1e-5, atol=1e-5)
        for sid, score in got:
            assert abs(float(truth[sid][0] @ q) - score) < 1e-5


def test_story_index_retire_before_drops_old_days() -> None:
    index = StoryIndex(dim=2, window_days=1)
    index.upsert("a", np.array([1, 0], np.float32), day=1)
    index.upsert("b", np.array([0, 1], np.float32), day=5)
    assert index.retire_before(3) == ["a"]
    assert "a" not in index and "b" in index and index.days() == [5]


def _sig(i: int, k: int, rng: np.random.Generator) -> DocSignals:
    v = rng.standard_normal((k + 2, 24)).astype(np.float32)
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    words = [f"w{j}" for j in rng.integers(0, 12, size=6)]
    return DocSignals(
        id=f"d{i}",
        vectors=DocVectors(head=v[0], body=v[1], chunks=v[2:]),
        tokens=frozenset(words),
        numbers=frozenset(str(n) for n in rng.integers(0, 4, size=2)),
        names=frozenset(words[:2]),
        language=("ar", "en", None)[i % 3],
        published=None,
        outlet=("x", None)[i % 2],
    )


def test_stack_features_equal_pairwise_features() -> None:
    rng = np.random.default_rng(0)
    a = _sig(0, 3, rng)
    members = [_sig(i, 1 + i % 3, rng) for i in range(1, 9)]
    stacked = concat_stacks([stack_members(members[:3]), stack_members(members[3:])])
    expected = np.stack([pair_features(a, m) for m in members])
    assert np.allclose(stack_features(a, stacked), expected, atol=1e-6)


def test_embedding_clusterer_retires_stories_far_behind_the_stream(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import marsad.cluster.online as online

    monkeypatch.setattr(online, "_RETIRE_MIN_LIVE", 2)
    clusterer = EmbeddingClusterer(UsemEmbedder(), ClustererSettings(window_days=1, retire_after_days=2))
    rng = np.random.default_rng(3)
    t0 = datetime(2026, 1, 1, tzinfo=UTC)
    for day in range(8):
        sig = _sig(day, 2, rng)
        sig = DocSignals(
            **{**{f: getattr(sig, f) for f in sig.__slots__}, "published": t0 + timedelta(days=day)}
        )  # type: ignore[arg-type]
        clusterer.restore_signals(sig, f"sdoc{day}")
    # newest day 7: stories last seen before day 7 - 1 - 2 = 4 are dropped, ids stay reserved
    assert len(clusterer) == 4
    assert clusterer._new_story_id("doc0") == "sdoc0-2"
    assert clusterer._new_story_id("doc9") == "sdoc9"


def test_story_index_pickled_without_its_free_rows_continues_exactly_as_the_original() -> None:
    """A snapshot pickles the index without each bucket's free rows (`StoryIndex.__getstate__`); the
    unpickled index then takes the same upserts, moves, compactions and cell trainings as the
    original and answers every search the same."""
    import pickle

    rng = np.random.default_rng(5)
    dim = 64

    def unit() -> np.ndarray:  # type: ignore[type-arg]
        v = rng.standard_normal(dim).astype(np.float32)
        return v / np.linalg.norm(v)  # type: ignore[no-any-return]

    index = StoryIndex(dim=dim, window_days=1, ivf_min_rows=256, probe=3)
    for i in range(1200):
        index.upsert(f"s{i}", unit(), day=i % 3)
    for i in range(20):  # days of two stories each, in buckets of 64 rows
        index.upsert(f"t{i}", unit(), day=10 + i // 2)
    blob = pickle.dumps(index)
    preallocated = sum(b.matrix.nbytes for b in index._buckets.values())
    assert len(blob) < 0.9 * preallocated  # the free rows are not pickled
    copy = pickle.loads(blob)
    assert cells_in_use(copy) == cells_in_use(index) > 0
    for i in range(900):
        sid, centroid, day = f"s{rng.integers(0, 2000)}", unit(), int(rng.integers(0, 5))
        index.upsert(sid, centroid, day)
        copy.upsert(sid, centroid, day)
        if i % 50 == 0:
            query = unit()
            assert copy.search(query, day, 10) == index.search(query, day, 10)
    for day in range(5):
        query = unit()
        assert copy.search(query, day, 20) == index.search(query, day, 20)


def test_split_snapshot_reads_its_cold_part_only_when_a_document_reaches_it() -> None:
    """A clusterer restored from the warm part of `export_split` (members by id, cold part unread)
    assigns every document as the clusterer it was exported from; it reads the cold part (stories
    older than the recent windows) only for a document dated among them, and a save before that keeps
    the stored cold part."""
    import pickle
    from dataclasses import replace

    from marsad.cluster.online import ColdPart

    settings = ClustererSettings(window_days=2)
    live = EmbeddingClusterer(UsemEmbedder(), settings)
    rng = np.random.default_rng(11)
    t0 = datetime(2026, 1, 1, tzinfo=UTC)
    signals = {}
    for i in range(240):  # 60 days, 4 documents a day, stories of 1 to 3 documents
        sig = replace(_sig(i, 2, rng), published=t0 + timedelta(days=i // 4, hours=i % 4))
        signals[sig.id] = sig
        live.restore_signals(sig, f"s{i - i % (1 + i % 3)}")
    warm, cold = live.export_split()
    assert cold is not None and warm.data["cold"] is None
    assert not warm.data["retired"] and not cold.data["retired"]  # (they grow with the store)
    held = set(live._stories)  # the stories stored when the snapshot was made
    warm.data["cold"] = ColdPart("c1", b"", frozenset(cold.data["index"].days()), len(cold.data["stories"]))
    assert max(warm.data["cold"].days) < min(d for d in warm.data["index"].days())
    reads: list[str] = []

    def read_cold(part: ColdPart) -> object:
        reads.append(part.id)
        return pickle.loads(pickle.dumps(cold))

    restored = EmbeddingClusterer(UsemEmbedder(), settings)
    restored.loader = lambda ids: [signals[i] for i in ids]
    restored.cold_reader = read_cold  # type: ignore[assignment]
    restored.cold_may_hold = lambda sid: sid in held
    restored.import_state(pickle.loads(pickle.dumps(warm)))
    assert len(restored) == len(live) and len(restored._stories) < len(live._stories)

    def both(i: int, day: int) -> None:
        sig = replace(_sig(1000 + i, 2, rng), published=t0 + timedelta(days=day))
        signals[sig.id] = sig
        assert restored.assign_signals(sig) == live.assign_signals(sig)

    for i in range(20):  # documents of the last days
        both(i, 58 + i % 4)
    assert not reads
    kept, new_cold = restored.export_split()
    assert new_cold is None and kept.data["cold"].id == "c1"
    both(20, 10)  # a document of an old day
    assert reads == ["c1"]
    for i in range(21, 40):
        both(i, int(rng.integers(0, 62)))
    assert sorted(restored._stories) == sorted(live._stories)
