"""A record that makes the embedder raise (the tokenizer's RuntimeError on text it cannot take) is
rejected alone: the batch it was embedded with is retried one record at a time."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from marsad import errors
from marsad.cluster.batch import cluster_records, score_records
from marsad.embed import UsemEmbedder

BODY = "Ministers agreed a new water plan for the southern provinces on Sunday. " * 3


class TokenizerFailure:
    """The real embedder, raising as the C++ tokenizer does on one poisoned text."""

    def __init__(self) -> None:
        self.inner = UsemEmbedder()
        self.name, self.dim = self.inner.name, self.inner.dim

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if any("POISON" in t for t in texts):
            raise RuntimeError("pybind11::error_already_set: tokenizer failed")
        return self.inner.embed(texts)


@pytest.fixture(scope="module")
def embedder() -> TokenizerFailure:
    return TokenizerFailure()


def _write(tmp_path: Path, records: list[dict[str, str]]) -> Path:
    path = tmp_path / "in.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def test_cluster_records_rejects_the_record_the_embedder_raises_on(
    tmp_path: Path, embedder: TokenizerFailure
) -> None:
    ids = ["a", "b", "poison", "c"]
    path = _write(tmp_path, [{"id": i, "text": BODY + ("POISON" if i == "poison" else i)} for i in ids])
    run = cluster_records(path, embedder=embedder)
    assert [doc for doc, _ in run.assignments] == ["a", "b", "c"]
    assert len({story for _, story in run.assignments}) == 1
    assert [(r.code, r.record_id) for r in run.rejected] == [(errors.UNEXPECTED, f"{path}:3")]
    assert "RuntimeError" in run.rejected[0].detail


def test_score_records_rejects_the_pair_the_embedder_raises_on(
    tmp_path: Path, embedder: TokenizerFailure
) -> None:
    records = [
        {"id": "p1", "text1": BODY, "text2": BODY + " Again."},
        {"id": "p2", "text1": BODY, "text2": "POISON " + BODY},
        {"id": "p3", "text1": BODY, "text2": "Football results from the weekend league."},
    ]
    run = score_records(_write(tmp_path, records), embedder=embedder, fast=True)
    assert [pid for pid, _ in run.scores] == ["p1", "p3"]
    assert dict(run.scores)["p1"] > dict(run.scores)["p3"]
    assert [r.record_id.rsplit(":", 1)[1] for r in run.rejected] == ["2"]
