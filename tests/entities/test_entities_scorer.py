"""The tagger's weight sums: batched and side by side, the same floats as one feature at a time."""

from __future__ import annotations

import numpy as np

from marsad.entities.ner import CrfWeights, _Scorer, default_tagger, joint_weights


def _weights(seed: int, attributes: list[str], labels: tuple[str, ...]) -> CrfWeights:
    rng = np.random.default_rng(seed)
    state = rng.normal(size=(len(attributes), len(labels)))
    return CrfWeights(labels, {a: k for k, a in enumerate(attributes)}, state, np.zeros((len(labels),) * 2))


def _sequential(w: CrfWeights, feats: list[str]) -> np.ndarray:
    """crfsuite's order: each known feature's row added in turn to zeros."""
    out = np.zeros(len(w.labels))
    for f in feats:
        if f in w.index:
            out += w.state[w.index[f]]
    return out


def test_scorer_totals_are_the_sequential_sums_to_the_bit() -> None:
    attributes = [f"f{k}" for k in range(300)]
    w = _weights(1, attributes, ("O", "B-PERS", "I-PERS"))
    scorer = _Scorer(w, default_tagger().features)
    rng = np.random.default_rng(2)
    lists = [[f"f{k}" for k in rng.integers(0, 320, size=rng.integers(0, 50))] for _ in range(200)]
    batched = scorer.totals(lists)
    for feats, row in zip(lists, batched, strict=True):
        expected = _sequential(w, feats)
        assert row.tobytes() == expected.tobytes()
        assert scorer.total(feats).tobytes() == expected.tobytes()


def test_joint_weights_give_each_model_its_own_sums() -> None:
    first = _weights(3, [f"a{k}" for k in range(100)] + [f"s{k}" for k in range(50)], ("O", "B-LOC"))
    second = _weights(4, [f"b{k}" for k in range(80)] + [f"s{k}" for k in range(50)], ("O", "B-LOC", "I-LOC"))
    joint = _Scorer(joint_weights([first, second]), default_tagger().features)
    rng = np.random.default_rng(5)
    names = [f"{p}{k}" for p in "abs" for k in range(100)]
    for _ in range(100):
        feats = [names[k] for k in rng.integers(0, len(names), size=rng.integers(0, 40))]
        both = joint.total(feats)
        assert both[:2].tobytes() == _sequential(first, feats).tobytes()
        assert both[2:].tobytes() == _sequential(second, feats).tobytes()
