"""py3langid's model as marsad loads it (a compact automaton): its answers, loaded outside the budget."""

from __future__ import annotations

import csv
import subprocess
import sys
from collections import Counter
from pathlib import Path

import py3langid
import pytest

from marsad.text.language import _CompactIdentifier, _identifier

DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
SEMEVAL = DATA / "semeval2022-task8-text" / "training_set.csv"


@pytest.mark.skipif(not SEMEVAL.exists(), reason=f"SemEval-2022 task 8 texts not found at {SEMEVAL}")
def test_same_language_and_score_as_py3langid_on_real_multilingual_news() -> None:
    csv.field_size_limit(1 << 30)
    with SEMEVAL.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))[:400]
    assert isinstance(_identifier(), _CompactIdentifier)  # not py3langid's loader as a fallback
    langs: Counter[str] = Counter()
    for row in rows:
        for text, lang in ((row["text1"], row["lang1"]), (row["text2"], row["lang2"])):
            sample = text[:4000]
            if sample.strip():
                assert _identifier().classify(sample) == py3langid.classify(sample)
                langs[lang] += 1
    assert len(langs) >= 6 and sum(langs.values()) > 700


LOAD_UNDER_BUDGET = """
from marsad.boundary import time_budget
from marsad.text.language import detect_language
with time_budget(0.05):
    print(detect_language("The storm reached the coast on Monday, the national weather service said."))
"""


def test_the_model_load_is_not_charged_to_the_first_document() -> None:
    # Loading takes about 0.5 s of CPU: under a 0.05 s budget the first English text is still told.
    out = subprocess.run(
        [sys.executable, "-c", LOAD_UNDER_BUDGET], capture_output=True, text=True, check=True, timeout=120
    )
    assert out.stdout.strip() == "en"
