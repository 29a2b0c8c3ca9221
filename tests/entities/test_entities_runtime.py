"""What the Arabic tagger costs at run time: its shipped weight arrays, crfsuite's labels on real
articles, the compact word-cluster table, loading only when Arabic arrives, outside the time budget."""

from __future__ import annotations

import gzip
import itertools
import json
import signal
import subprocess
import sys
import time
from importlib import resources
from pathlib import Path

import numpy as np
import pytest
from crf_reference import CrfReference

from marsad.boundary import OverBudget, time_budget, unbudgeted
from marsad.entities.ner import (
    MODEL_FILE,
    STAGE2_FILE,
    WEIGHTS2_FILE,
    WEIGHTS_FILE,
    default_tagger,
    load_weights,
    read_crfsuite,
    sentence_starts,
    tokenize_ner,
)
from marsad.entities.ner_eval import SENTENCE_ENDS, spans
from marsad.entities.ner_features import CLUSTERS_FILE, load_clusters

DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
EVENTS = DATA / "saudinewsnet-events-dev" / "dev.jsonl"
needs_events = pytest.mark.skipif(not EVENTS.exists(), reason=f"events-dev not found at {EVENTS}")
PACKAGE = resources.files("marsad.entities")


def test_shipped_weight_arrays_are_the_shipped_crfsuite_model() -> None:
    # The tagger loads WEIGHTS_FILE (and WEIGHTS2_FILE, the second stage); a retrained model file
    # without `train_ner.py --export-only` after it would tag with the old weights.
    pairs = [(MODEL_FILE, WEIGHTS_FILE), (STAGE2_FILE, WEIGHTS2_FILE)]
    for model, arrays in pairs:
        assert PACKAGE.joinpath(model).is_file() == PACKAGE.joinpath(arrays).is_file(), arrays
        if not PACKAGE.joinpath(model).is_file():
            continue
        shipped = load_weights(PACKAGE.joinpath(arrays))
        crf = read_crfsuite(gzip.decompress(PACKAGE.joinpath(model).read_bytes()))
        assert shipped.labels == crf.labels
        assert shipped.index == crf.index
        assert shipped.state.dtype == np.float64 and np.array_equal(shipped.state, crf.state)
        assert np.array_equal(shipped.transitions, crf.transitions)


@needs_events
def test_tags_of_real_articles_are_crfsuite_tags(reference_crf: CrfReference) -> None:
    # 200 real Saudi articles tagged as ingest tags them (title and body, the tagger's own sentence
    # cut): every label equals crfsuite's on the same attribute strings, and the spans are read
    # from those labels.
    tagger = default_tagger()
    assert tagger.recall_bias == 0.0
    records = [json.loads(line) for line in EVENTS.read_text(encoding="utf-8").splitlines()[:200]]
    tokens_seen = 0
    for rec in records:
        for text in (rec["title"], rec["text"]):
            tagged = tagger.tag(text)
            raws = [t for t, _, _ in tagged.tokens]
            cuts = [offset for offset, _ in tagged._sentences] + [len(raws)]
            sents = [raws[a:b] for a, b in itertools.pairwise(cuts)]
            want = reference_crf.labels(tagger.features, sents)
            assert tagger.tag_document(sents) == want, rec["id"]
            expected = [
                (kind, tagged.tokens[off + a][1], tagged.tokens[off + b][2])
                for off, labels in zip(cuts, want, strict=False)
                for a, b, kind in spans(labels)
            ]
            assert [(s.kind, s.start, s.end) for s in tagged.spans] == expected, rec["id"]
            tokens_seen += len(raws)
    assert tokens_seen > 55_000


def test_compact_cluster_table_reads_every_row_as_written() -> None:
    path = PACKAGE.joinpath(CLUSTERS_FILE)
    clusters = load_clusters(path)
    with path.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as fh:
        rows = [line.rstrip("\n").split("\t") for line in fh]
    assert len(clusters.table) == len(rows) > 50_000
    assert all(clusters.get(r[0]) == tuple(r[1:]) for r in rows)
    assert list(clusters.rank) == [r[0] for r in rows]


def _burn(seconds: float) -> None:
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass


def test_unbudgeted_work_pauses_the_budget() -> None:
    # 0.3 s of CPU in unbudgeted() under a 0.1 s budget is neither interrupted nor charged; what is
    # left of the budget after it still runs out.
    with time_budget(0.1):
        _burn(0.05)
        with unbudgeted():
            _burn(0.3)
        _burn(0.02)
    with pytest.raises(OverBudget), time_budget(0.1):
        _burn(0.05)
        with unbudgeted():
            _burn(0.1)
        _burn(0.5)


def test_an_expiry_during_unbudgeted_work_is_held_until_it_ends() -> None:
    # A SIGPROF already on its way when the block starts is handled inside it: the block completes,
    # then OverBudget is raised.
    finished = []
    with pytest.raises(OverBudget), time_budget(10.0):
        with unbudgeted():
            signal.raise_signal(signal.SIGPROF)
            _burn(0.05)
            finished.append(True)
        _burn(0.5)
    assert finished == [True]


INGEST = """
import sys
from marsad.cli.main import main
from marsad.entities.ner import default_tagger
sys.argv = ["marsad", "ingest", sys.argv[1], "--db", sys.argv[2]]
try:
    main()
except SystemExit:
    pass
print("tagger loaded" if default_tagger.cache_info().currsize else "tagger not loaded")
print("crfsuite imported" if "pycrfsuite" in sys.modules else "crfsuite not imported")
"""


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "loaded"),
    [
        ("Storm hits coast\n\nThe storm reached the coast on Monday, the weather service said, and the"
         " mayor of Boston, Michelle Wu, ordered schools closed across the city.\n", "tagger not loaded"),
        ("عاصفة تضرب الساحل\n\nوصلت العاصفة إلى الساحل يوم الاثنين، وأمر أمير منطقة مكة المكرمة الأمير"
         " خالد الفيصل بإغلاق المدارس في جدة.\n", "tagger loaded"),
    ],
)  # fmt: skip
def test_ingest_loads_the_arabic_tagger_only_for_arabic(tmp_path: Path, text: str, loaded: str) -> None:
    doc = tmp_path / "doc.txt"
    doc.write_text(text, encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-c", INGEST, str(doc), str(tmp_path / "store.db")],
        capture_output=True, text=True, check=True, timeout=300,
    )  # fmt: skip
    out = run.stdout + run.stderr
    assert "1 added" in out
    assert loaded in out and "crfsuite not imported" in out


@needs_events
def test_document_evidence_features_are_those_of_the_plain_count() -> None:
    # `_evidence` and `_elsewhere` are written for speed; on real articles they give the counts and
    # the "d:" strings of the plain per-token count they replaced.
    from marsad.entities.ner_features import _CUES, _elsewhere, _evidence, _occurrence_cues

    tagger = default_tagger()
    records = [json.loads(line) for line in EVENTS.read_text(encoding="utf-8").splitlines()[:150]]
    checked = 0
    for rec in records:
        tagged = tagger.tag(rec["text"])
        raws = [t for t, _, _ in tagged.tokens]
        cuts = [offset for offset, _ in tagged._sentences] + [len(raws)]
        words = [tagger.features.words(raws[a:b]) for a, b in itertools.pairwise(cuts)]
        cues = [_occurrence_cues(ws) for ws in words]
        plain: dict[str, list[int]] = {}
        for ws, cs in zip(words, cues, strict=True):
            for w, c in zip(ws, cs, strict=True):
                if c is not None:
                    counts = plain.setdefault(w.stem, [0] * (len(_CUES) + 1))
                    for k, on in enumerate(c):
                        counts[k] += on
                    counts[-1] += 1
        assert _evidence(words, cues) == plain
        for ws, cs in zip(words, cues, strict=True):
            for w, c in zip(ws, cs, strict=True):
                if c is not None and plain[w.stem][-1] > 1:
                    want = [f"d:{cue}" for k, cue in enumerate(_CUES) if plain[w.stem][k] - c[k] > 0]
                    want += ["d:rep"]
                    assert _elsewhere(plain[w.stem], c) == want
                    checked += 1
    assert checked > 1000


def _plain_sentence_starts(text: str, tokens: list[tuple[str, int, int]]) -> list[int]:
    """The token-by-token sentence cut that `sentence_starts` replaced."""
    start, cuts = 0, []
    for end in range(1, len(tokens) + 1):
        if end < len(tokens):
            tok, _, tok_end = tokens[end - 1]
            brk = tok in SENTENCE_ENDS or "\n" in text[tok_end : tokens[end][1]]
            if not brk and end - start < 120:
                continue
        cuts.append(start)
        start = end
    return cuts


@needs_events
def test_sentence_cut_is_the_token_by_token_cut() -> None:
    records = [json.loads(line) for line in EVENTS.read_text(encoding="utf-8").splitlines()]
    texts = [r[k] for r in records for k in ("title", "text")]
    texts += [
        "",
        ".",
        "كلمة",
        "\n".join(["كلمة"] * 5),
        " ".join(["كلمة"] * 250),
        " ".join(["كلمة"] * 240) + ".",
    ]
    for text in texts:
        tokens = tokenize_ner(text)
        assert sentence_starts(text, tokens) == _plain_sentence_starts(text, tokens)
